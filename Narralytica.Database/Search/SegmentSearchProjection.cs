using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Runtime.Streams;
using Npgsql;
using NpgsqlTypes;

namespace Narralytica.Database.Search;

/// <summary>
/// A derived system kept current by a change stream: full-text search over segments, in its own schema
/// (<c>search.segment_documents</c>: one row per segment, a tsvector of its text under a GIN index). It is built from a
/// snapshot (<see cref="RebuildAsync"/>) and then follows the stream from the snapshot's consistent point
/// (<see cref="FollowAsync"/>), so no change is missed and none is applied twice. Each transaction of the stream is
/// applied in one transaction of the projection together with the WAL position where it ends
/// (<c>search.stream_positions</c>); a transaction delivered again after a restart (delivery is at least once) ends at or
/// below the stored position and is skipped. Only then is the position acknowledged to the server. The end, not the
/// commit LSN: right after a rebuild the stored position is the snapshot's consistent point, and the first transaction
/// the snapshot does not hold may commit exactly there.
/// <para>
/// It reads and writes through two logins: the source, the stream login on the readers' lane (REPLICATION, a member of
/// <c>narralytica_reader</c>: it reads the snapshot under an audit row and the stream, and can write no canonical
/// table), and the target, a login that owns the <c>search</c> schema (here or in another database) and nothing else.
/// </para>
/// </summary>
public sealed class SegmentSearchProjection
{
    private const string SegmentsTable = "segments";
    private readonly ChangeStreamOptions _options;
    private readonly string _targetConnectionString;

    /// <param name="sourceConnectionString">
    /// The stream login: REPLICATION and a member of <c>narralytica_reader</c> (docs/streams.md), which reads the
    /// snapshot under an audit row of its own and then the stream.
    /// </param>
    /// <param name="targetConnectionString">A login that owns (or may create) the <c>search</c> schema, where the projection is written.</param>
    /// <param name="slotName">The projection's replication slot.</param>
    /// <param name="tenant">Project only this tenant's segments; null for every tenant.</param>
    public SegmentSearchProjection(string sourceConnectionString, string targetConnectionString, string slotName, Guid? tenant = null)
    {
        _options = new ChangeStreamOptions(sourceConnectionString, NarralyticaStreams.SearchChanges, slotName)
        {
            Tenant = tenant,
            Tables = new HashSet<string> { SegmentsTable },
        };
        _targetConnectionString = targetConnectionString;
    }

    /// <summary>What the snapshot's audit row says: why the rebuild reads every tenant's segments (or one tenant's).</summary>
    public string Justification => _options.Tenant is { } tenant
        ? $"rebuild of the search projection (slot {_options.SlotName}) for tenant {tenant}"
        : $"rebuild of the search projection (slot {_options.SlotName}) from every tenant's segments";

    /// <summary>Creates the search schema (when it is missing: creating one needs CREATE on the database) and its tables where missing.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenTargetAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            DO $$ BEGIN IF to_regnamespace('search') IS NULL THEN CREATE SCHEMA search; END IF; END $$;
            CREATE TABLE IF NOT EXISTS search.segment_documents (
                tenant_id uuid NOT NULL,
                segment_id uuid NOT NULL,
                transcript_id uuid NOT NULL,
                text text NOT NULL,
                document tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED,
                PRIMARY KEY (tenant_id, segment_id)
            );
            CREATE INDEX IF NOT EXISTS segment_documents_document ON search.segment_documents USING gin (document);
            CREATE TABLE IF NOT EXISTS search.stream_positions (
                slot_name text PRIMARY KEY,
                applied_through pg_lsn NOT NULL
            );
            """, cancellationToken);
    }

    /// <summary>
    /// Creates the projection's slot with an exported snapshot, and replaces the projection's rows (of its tenant, or
    /// all) with the segments that snapshot holds. Returns the consistent point the stream then starts from.
    /// </summary>
    public async Task<NpgsqlLogSequenceNumber> RebuildAsync(CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var snapshot = await StreamSnapshot.CreateSlotAsync(_options, Justification, cancellationToken);
        await using var source = new NpgsqlConnection(_options.ConnectionString);
        await source.OpenAsync(cancellationToken);
        await using var read = await snapshot.BeginReadAsync(source, cancellationToken);
        await using var target = await OpenTargetAsync(cancellationToken);
        await using var write = await target.BeginTransactionAsync(cancellationToken);

        await using (var clear = new NpgsqlCommand("DELETE FROM search.segment_documents WHERE $1::uuid IS NULL OR tenant_id = $1", target, write))
        {
            clear.Parameters.Add(new NpgsqlParameter { Value = (object?)_options.Tenant ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var select = new NpgsqlCommand("SELECT tenant_id, id, transcript_id, text FROM segments WHERE $1::uuid IS NULL OR tenant_id = $1 ORDER BY tenant_id, id", source, read))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = (object?)_options.Tenant ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            await using var rows = await select.ExecuteReaderAsync(cancellationToken);
            await using var copy = await target.BeginBinaryImportAsync("COPY search.segment_documents (tenant_id, segment_id, transcript_id, text) FROM STDIN (FORMAT BINARY)", cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
                await copy.WriteRowAsync(cancellationToken, rows.GetGuid(0), rows.GetGuid(1), rows.GetGuid(2), rows.GetString(3));
            await copy.CompleteAsync(cancellationToken);
        }
        await StorePositionAsync(target, write, snapshot.ConsistentPoint, cancellationToken);
        await write.CommitAsync(cancellationToken);
        await read.CommitAsync(cancellationToken);
        return snapshot.ConsistentPoint;
    }

    /// <summary>
    /// Applies the stream's changes until <paramref name="cancellationToken"/> is cancelled; stopped at any point, a
    /// later call resumes where the stored position says. <paramref name="applied"/> hears each applied transaction.
    /// </summary>
    public async Task FollowAsync(Action<TransactionCommit>? applied = null, CancellationToken cancellationToken = default)
    {
        await using var target = await OpenTargetAsync(cancellationToken);
        var position = await StoredPositionAsync(target, cancellationToken)
                       ?? throw new InvalidOperationException($"The search projection of slot '{_options.SlotName}' has no position: rebuild it first (RebuildAsync).");
        await using var stream = new ChangeStream(_options);
        var changes = new List<RowChange<Segment>>();
        try
        {
            // From the slot's acknowledged position: right after a rebuild, the snapshot's consistent point.
            await foreach (var change in stream.ReadAsync(null, cancellationToken))
            {
                switch (change)
                {
                    case TransactionBegin:
                        changes.Clear();
                        break;
                    case RowChange<Segment> segment:
                        changes.Add(segment);
                        break;
                    case TransactionCommit commit:
                        // Ending at or below the stored position: applied before a restart (or held by the snapshot);
                        // acknowledge it again and move on.
                        if (commit.Position > position && changes.Count > 0)
                        {
                            await ApplyAsync(target, changes, commit.Position, cancellationToken);
                            position = commit.Position;
                            applied?.Invoke(commit);
                        }
                        await stream.AcknowledgeAsync(commit.Position, cancellationToken);
                        break;
                }
            }
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or NpgsqlException)
        {
            // Stopped on purpose (an acknowledgement under way fails on the closing connection too): what was applied
            // is stored with its position.
        }
    }

    /// <summary>The segments of <paramref name="tenant"/> whose text matches <paramref name="query"/> (words, 'simple' configuration), best first.</summary>
    public static async Task<IReadOnlyList<SearchHit>> SearchAsync(NpgsqlConnection connection, Guid tenant, string query, int limit = 10, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand("""
            SELECT d.segment_id, d.transcript_id, d.text, ts_rank(d.document, q)
            FROM search.segment_documents d, plainto_tsquery('simple', $2) q
            WHERE d.tenant_id = $1 AND d.document @@ q
            ORDER BY 4 DESC, d.segment_id
            LIMIT $3
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = query });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var hits = new List<SearchHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            hits.Add(new SearchHit(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetFloat(3)));
        return hits;
    }

    private async Task ApplyAsync(NpgsqlConnection target, List<RowChange<Segment>> changes, NpgsqlLogSequenceNumber transactionEnd, CancellationToken cancellationToken)
    {
        await using var transaction = await target.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(target, transaction);
        foreach (var change in changes)
        {
            if (change.OldKey is { } old && (change.Kind == ChangeKind.Delete || old.TenantId != change.Row.TenantId || old.Id != change.Row.Id))
                batch.BatchCommands.Add(Command("DELETE FROM search.segment_documents WHERE tenant_id = $1 AND segment_id = $2", old.TenantId, old.Id));
            if (change.Kind == ChangeKind.Delete)
                continue;
            // An update that did not send the text (unchanged and stored out of line) keeps the text the projection has.
            var textUnchanged = change.UnchangedColumns.Contains("text");
            batch.BatchCommands.Add(Command("""
                INSERT INTO search.segment_documents (tenant_id, segment_id, transcript_id, text) VALUES ($1, $2, $3, $4)
                ON CONFLICT (tenant_id, segment_id) DO UPDATE SET transcript_id = EXCLUDED.transcript_id,
                    text = CASE WHEN $5 THEN search.segment_documents.text ELSE EXCLUDED.text END
                """, change.Row.TenantId, change.Row.Id, change.Row.TranscriptId, textUnchanged ? "" : change.Row.Text, textUnchanged));
        }
        batch.BatchCommands.Add(PositionCommand(transactionEnd));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private NpgsqlBatchCommand PositionCommand(NpgsqlLogSequenceNumber appliedThrough)
        => Command("INSERT INTO search.stream_positions (slot_name, applied_through) VALUES ($1, $2) ON CONFLICT (slot_name) DO UPDATE SET applied_through = EXCLUDED.applied_through",
            _options.SlotName, appliedThrough);

    private async Task StorePositionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, NpgsqlLogSequenceNumber position, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { PositionCommand(position) } };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<NpgsqlLogSequenceNumber?> StoredPositionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT applied_through FROM search.stream_positions WHERE slot_name = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = _options.SlotName });
        return await command.ExecuteScalarAsync(cancellationToken) is NpgsqlLogSequenceNumber lsn ? lsn : null;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
            command.Parameters.Add(value is NpgsqlLogSequenceNumber ? new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlDbType.PgLsn } : new NpgsqlParameter { Value = value });
        return command;
    }

    private async Task<NpgsqlConnection> OpenTargetAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_targetConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
