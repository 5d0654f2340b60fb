using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Runtime.Streams;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// <c>narralytica stream create | drop | status</c>: the replication slots change streams read. A slot keeps every
/// WAL segment its consumer has not acknowledged, so status warns about slots that hold back too much.
/// </summary>
public static class StreamCommands
{
    public static async Task<int> CreateAsync(StreamSlotOptions options, CancellationToken cancellationToken)
    {
        await using var target = await DatabaseTarget.OpenExistingAsync(options.Connection, "stream create");
        await Run(() => ReplicationSlots.CreateAsync(target.ConnectionString, options.Publication, options.Slot, cancellationToken));
        if (options.Json)
            CliOutput.WriteJson(new { slot = options.Slot, publication = options.Publication, created = true });
        else
            Console.WriteLine($"Created replication slot {options.Slot} for publication {options.Publication} on {target.Description}. " +
                              "It keeps WAL from now on until a consumer acknowledges it: drop it when nothing reads it (narralytica stream drop).");
        return ExitCodes.Ok;
    }

    public static async Task<int> DropAsync(StreamSlotOptions options, CancellationToken cancellationToken)
    {
        await using var target = await DatabaseTarget.OpenExistingAsync(options.Connection, "stream drop");
        await Run(() => ReplicationSlots.DropAsync(target.ConnectionString, options.Slot, cancellationToken));
        if (options.Json)
            CliOutput.WriteJson(new { slot = options.Slot, dropped = true });
        else
            Console.WriteLine($"Dropped replication slot {options.Slot} on {target.Description}; the WAL it held is released.");
        return ExitCodes.Ok;
    }

    public static async Task<int> StatusAsync(StreamStatusOptions options, CancellationToken cancellationToken)
    {
        await using var target = await DatabaseTarget.OpenExistingAsync(options.Connection, "stream status");
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var slots = await ReplicationSlots.ListAsync(connection, cancellationToken);
        var warnings = slots.Select(s => Warning(s, options.MaxRetainedBytes)).ToList();
        if (options.Json)
        {
            CliOutput.WriteJson(new
            {
                max_retained_bytes = options.MaxRetainedBytes,
                slots = slots.Select((s, i) => new
                {
                    slot = s.Name, plugin = s.Plugin, active = s.Active, confirmed_position = s.ConfirmedPosition,
                    lag_bytes = s.LagBytes, retained_bytes = s.RetainedBytes, last_acknowledged_seconds = s.LastAcknowledged?.TotalSeconds,
                    wal_status = s.WalStatus, warning = warnings[i],
                }),
            });
        }
        else if (slots.Count == 0)
            Console.WriteLine($"No logical replication slot in {target.Description}.");
        else
        {
            Console.WriteLine($"{"slot",-28} {"active",-7} {"lag",10} {"retained",10} {"last ack",10}  wal");
            for (var i = 0; i < slots.Count; i++)
            {
                var s = slots[i];
                Console.WriteLine($"{s.Name,-28} {(s.Active ? "yes" : "no"),-7} {Bytes(s.LagBytes),10} {Bytes(s.RetainedBytes),10} {(s.LastAcknowledged is { } ack ? $"{ack.TotalSeconds:0.0} s" : "-"),10}  {s.WalStatus}");
                if (warnings[i] is { } warning)
                    Console.WriteLine("  warning: " + warning);
            }
        }
        return warnings.Any(w => w is not null) ? ExitCodes.DifferenceFound : ExitCodes.Ok;
    }

    /// <summary>Why a slot needs attention: it holds back more WAL than the limit, or the server has already removed WAL it needed.</summary>
    private static string? Warning(ReplicationSlotStatus slot, long maxRetainedBytes)
    {
        if (slot.WalStatus == "lost")
            return $"slot {slot.Name} has lost WAL it needed and can no longer be read: drop it and rebuild its derived system from a new snapshot.";
        if (slot.RetainedBytes > maxRetainedBytes)
            return $"slot {slot.Name} holds back {Bytes(slot.RetainedBytes)} of WAL (limit {Bytes(maxRetainedBytes)}){(slot.Active ? ": its consumer is behind" : " and nothing reads it")}; " +
                   "a forgotten slot fills the disk. Start its consumer, or drop it (narralytica stream drop --slot " + slot.Name + ").";
        return null;
    }

    private static string Bytes(long? bytes) => bytes switch
    {
        null => "-",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} kB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.0} MB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.0} GB",
    };

    /// <summary>A stream problem is the user's to fix: its message says how.</summary>
    internal static async Task Run(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (ChangeStreamException e)
        {
            throw new CliError(e.Message, ErrorCodes.StreamUnavailable, new { problem = e.Problem.ToString() });
        }
    }
}
