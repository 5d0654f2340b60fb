using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.Runtime.Streams;

/// <summary>
/// The checks before a stream starts, on a plain connection, so each problem gets its own clear error instead of the
/// replication protocol's (which reports a missing publication only when the first change arrives).
/// </summary>
internal static class StreamPreflight
{
    /// <summary>How many times (100 ms apart) to look again at a slot still held, before calling it in use.</summary>
    private const int SlotReleaseWaits = 100;

    public static async Task CheckServerAsync(NpgsqlConnection connection, string publication, CancellationToken cancellationToken)
    {
        var walLevel = (string)(await Scalar(connection, "SELECT current_setting('wal_level')", null, cancellationToken))!;
        if (walLevel != "logical")
            throw new ChangeStreamException(ChangeStreamProblem.WalLevelTooLow,
                $"The server runs with wal_level={walLevel}; change streams need wal_level=logical. Set it in postgresql.conf (or ALTER SYSTEM SET wal_level = logical) " +
                "and restart PostgreSQL; on a managed service turn on its logical replication setting (RDS: rds.logical_replication=1; Cloud SQL: cloudsql.logical_decoding=on; " +
                "Azure: the wal_level server parameter = logical).");
        if (await Scalar(connection, "SELECT 1 FROM pg_publication WHERE pubname = $1", publication, cancellationToken) is null)
            throw new ChangeStreamException(ChangeStreamProblem.MissingPublication,
                $"The publication '{publication}' does not exist in database '{connection.Database}'. Its migration creates it: apply the migrations " +
                "(narralytica migrate), or check that schema.yaml's 'streams:' declares it and the connection names the right database.");
    }

    public static async Task CheckSlotAsync(NpgsqlConnection connection, string slot, CancellationToken cancellationToken)
    {
        const string sql = "SELECT active::text FROM pg_replication_slots WHERE slot_name = $1 AND database = current_database()";
        var row = await Scalar(connection, sql, slot, cancellationToken);
        // A consumer that just stopped may take a moment to leave the slot (its server process ends after the connection closes).
        for (var waited = 0; (string?)row == "true" && waited < SlotReleaseWaits; waited++)
        {
            await Task.Delay(100, cancellationToken);
            row = await Scalar(connection, sql, slot, cancellationToken);
        }
        if (row is null)
            throw new ChangeStreamException(ChangeStreamProblem.MissingSlot,
                $"The replication slot '{slot}' does not exist in database '{connection.Database}': it was never created, or it was dropped, and the changes made since are gone. " +
                "Rebuild the derived system from a new snapshot (which creates the slot again), or create an empty one with `narralytica stream create --slot " + slot + "`.");
        if ((string)row == "true")
            throw new ChangeStreamException(ChangeStreamProblem.SlotInUse,
                $"The replication slot '{slot}' is being read by another connection; a slot has one reader at a time. Stop the other consumer, or give this one a slot of its own.");
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql, string? parameter, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null)
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
