using System;
using System.Data;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using NpgsqlTypes;

namespace Narralytica.Runtime.Streams;

/// <summary>
/// The handoff from a rebuild to the stream, with no gap and no overlap: a new replication slot whose creation exports
/// a snapshot of the database at the slot's consistent point. What a rebuild reads inside <see cref="BeginReadAsync"/>
/// is every change committed before that point; the stream then delivers every change committed after it. The
/// snapshot lives while this object does: import it (BeginReadAsync) before disposing, then read at leisure.
/// <para>
/// The read is on the readers' lane: creating the slot first opens an audit row with the caller's justification
/// (<see cref="AuditId"/>, committed before the snapshot is taken, so the snapshot sees it and no rollback erases it),
/// and the read transaction names it, so row-level security lets it read every tenant's rows for as long as the row
/// is open. Connect as the stream login: a member of <c>narralytica_reader</c> with REPLICATION (docs/streams.md).
/// </para>
/// </summary>
public sealed class StreamSnapshot : IAsyncDisposable
{
    private readonly LogicalReplicationConnection _exporter;

    private StreamSnapshot(LogicalReplicationConnection exporter, string slotName, string snapshotName, NpgsqlLogSequenceNumber consistentPoint, Guid auditId)
    {
        _exporter = exporter;
        AuditId = auditId;
        SlotName = slotName;
        SnapshotName = snapshotName;
        ConsistentPoint = consistentPoint;
    }

    /// <summary>The slot created with the snapshot.</summary>
    public string SlotName { get; }

    /// <summary>The exported snapshot's name, for <c>SET TRANSACTION SNAPSHOT</c>.</summary>
    public string SnapshotName { get; }

    /// <summary>Where the stream starts: the first change it delivers committed after this point; the snapshot holds every one before.</summary>
    public NpgsqlLogSequenceNumber ConsistentPoint { get; }

    /// <summary>The row of <c>narralytica_cross_tenant_audits</c> that records this snapshot's read, and opens it.</summary>
    public Guid AuditId { get; }

    /// <summary>
    /// Creates <paramref name="options"/>' slot with an exported snapshot, after recording why the snapshot is read
    /// (<paramref name="justification"/>: blank or over 500 characters is refused); fails if the slot exists already.
    /// </summary>
    public static async Task<StreamSnapshot> CreateSlotAsync(ChangeStreamOptions options, string justification, CancellationToken cancellationToken = default)
    {
        SnapshotAudit.RequireJustification(justification);
        Guid auditId;
        await using (var check = await ReplicationConnections.OpenPlainAsync(options.ConnectionString, cancellationToken))
        {
            await StreamPreflight.CheckServerAsync(check, options.Stream.Publication, cancellationToken);
            if (await ReplicationSlots.ExistsAsync(check, options.SlotName, cancellationToken))
                throw new ChangeStreamException(ChangeStreamProblem.SlotExists,
                    $"The replication slot '{options.SlotName}' exists already: a rebuild makes a new one. Drop the old slot (narralytica stream drop --slot {options.SlotName}) " +
                    "before rebuilding, or resume from it without a rebuild.");
            await SnapshotAudit.RequireReplicationAsync(check, cancellationToken);
            // Committed before the slot exports its snapshot: the read policy looks the row up inside that snapshot.
            auditId = await SnapshotAudit.OpenAsync(check, justification, cancellationToken);
        }
        var exporter = await ReplicationConnections.OpenAsync(options.ConnectionString, cancellationToken);
        try
        {
            var slot = await exporter.CreatePgOutputReplicationSlot(options.SlotName, temporarySlot: false, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.Export, cancellationToken: cancellationToken);
            return new StreamSnapshot(exporter, options.SlotName, slot.SnapshotName!, slot.ConsistentPoint, auditId);
        }
        catch
        {
            await exporter.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Begins a REPEATABLE READ transaction on <paramref name="connection"/> that sees the database as of the consistent
    /// point, with <see cref="AuditId"/> named for it: on the readers' lane it reads every tenant's rows. Commit or roll it
    /// back when the rebuild has read what it needs, within the audit row's ten minutes.
    /// </summary>
    public async Task<NpgsqlTransaction> BeginReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using var command = new NpgsqlCommand($"SET TRANSACTION SNAPSHOT '{SnapshotName.Replace("'", "''")}'", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
        // After the snapshot is set: SET TRANSACTION SNAPSHOT must come before any other statement of the transaction.
        await SnapshotAudit.NameAsync(connection, transaction, AuditId, cancellationToken);
        return transaction;
    }

    /// <summary>Ends the export (transactions that imported the snapshot keep it); the slot stays, at <see cref="ConsistentPoint"/>.</summary>
    public ValueTask DisposeAsync() => _exporter.DisposeAsync();
}
