using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using Npgsql.Replication;

namespace Narralytica.Runtime.Streams;

/// <summary>
/// The life of replication slots: create one (without a snapshot: see <see cref="StreamSnapshot"/> for a rebuild),
/// drop one, and list the slots of the database with how far behind each is. A slot keeps every WAL segment its
/// consumer has not acknowledged: a forgotten slot fills the disk, so watch <see cref="ReplicationSlotStatus.RetainedBytes"/>.
/// </summary>
public static class ReplicationSlots
{
    /// <summary>Creates a pgoutput slot for <paramref name="publication"/> that starts at the current end of the WAL.</summary>
    public static async Task CreateAsync(string connectionString, string publication, string slotName, CancellationToken cancellationToken = default)
    {
        await using (var check = await ReplicationConnections.OpenPlainAsync(connectionString, cancellationToken))
        {
            await StreamPreflight.CheckServerAsync(check, publication, cancellationToken);
            if (await ExistsAsync(check, slotName, cancellationToken))
                throw new ChangeStreamException(ChangeStreamProblem.SlotExists, $"The replication slot '{slotName}' exists already; pick another name, or drop it first.");
        }
        await using var connection = await ReplicationConnections.OpenAsync(connectionString, cancellationToken);
        await connection.CreatePgOutputReplicationSlot(slotName, temporarySlot: false, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.NoExport, cancellationToken: cancellationToken);
    }

    /// <summary>Drops a slot: the server releases the WAL it kept, and the changes since its last acknowledged position are gone for good.</summary>
    public static async Task DropAsync(string connectionString, string slotName, CancellationToken cancellationToken = default)
    {
        await using (var check = await ReplicationConnections.OpenPlainAsync(connectionString, cancellationToken))
            if (!await ExistsAsync(check, slotName, cancellationToken))
                throw new ChangeStreamException(ChangeStreamProblem.MissingSlot, $"There is no replication slot '{slotName}' in this database; `narralytica stream status` lists the slots.");
        await using var connection = await ReplicationConnections.OpenAsync(connectionString, cancellationToken);
        try
        {
            await connection.DropReplicationSlot(slotName, wait: false, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse)
        {
            throw new ChangeStreamException(ChangeStreamProblem.SlotInUse,
                $"The replication slot '{slotName}' is being read by a consumer; stop it first, then drop the slot.", e);
        }
    }

    /// <summary>The logical slots of the connection's database, by name.</summary>
    public static async Task<IReadOnlyList<ReplicationSlotStatus>> ListAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        const string sql = """
            SELECT s.slot_name::text, s.plugin::text, s.active, s.confirmed_flush_lsn::text,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::bigint,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn)::bigint,
                   EXTRACT(EPOCH FROM now() - r.reply_time)::float8,
                   s.wal_status
            FROM pg_replication_slots s
            LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
            WHERE s.slot_type = 'logical' AND s.database = current_database()
            ORDER BY s.slot_name
            """;
        var slots = new List<ReplicationSlotStatus>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            slots.Add(new ReplicationSlotStatus(
                reader.GetString(0), reader.GetString(1), reader.GetBoolean(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5),
                reader.IsDBNull(6) ? null : TimeSpan.FromSeconds(reader.GetDouble(6)),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        return slots;
    }

    internal static async Task<bool> ExistsAsync(NpgsqlConnection connection, string slotName, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = slotName });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
