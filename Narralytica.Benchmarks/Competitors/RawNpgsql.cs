using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Narralytica.Benchmarks.HotPaths;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;
using NpgsqlTypes;

namespace Narralytica.Benchmarks.Competitors;

/// <summary>
/// The floor: hand-written SQL in explicitly prepared commands with positional, typed parameters, and typed
/// reads by ordinal into the generated entities. One open connection, held for the whole benchmark. Each read
/// is a prepared batch that first sets the tenant of its transaction (<see cref="HotPathSql.SetTenant"/>), as
/// hand-written code must where row-level security binds the application role.
/// </summary>
public sealed class RawNpgsql : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlBatch _window;
    private readonly NpgsqlBatch _wholeTranscript;
    private readonly NpgsqlBatch _latestLayers;
    private readonly NpgsqlBatch _feedPage;

    // Null: the baseline of an application without isolation, which sends no tenant statement at all.
    private readonly TenantKey? _tenantKey;
    private (Guid Tenant, string Proof, DateTimeOffset RenewAt) _proof;

    private RawNpgsql(NpgsqlConnection connection, TenantKey? tenantKey)
    {
        _connection = connection;
        _tenantKey = tenantKey;
        _window = Batch(HotPathSql.Window, NpgsqlDbType.Uuid, NpgsqlDbType.Uuid, NpgsqlDbType.Integer, NpgsqlDbType.Integer);
        _wholeTranscript = Batch(HotPathSql.WholeTranscript, NpgsqlDbType.Uuid, NpgsqlDbType.Uuid);
        _latestLayers = Batch(HotPathSql.LatestLayers, NpgsqlDbType.Uuid, NpgsqlDbType.Array | NpgsqlDbType.Uuid, NpgsqlDbType.Varchar);
        _feedPage = Batch(HotPathSql.FeedPage, NpgsqlDbType.Uuid, NpgsqlDbType.Uuid, NpgsqlDbType.Integer);
    }

    /// <summary>The baseline on a connection of <paramref name="dataSource"/>, signing its tenant proofs with <paramref name="tenantKey"/> as the data layer does.</summary>
    public static Task<RawNpgsql> OpenAsync(NpgsqlDataSource dataSource, TenantKey tenantKey) => OpenBatchesAsync(dataSource, tenantKey);

    /// <summary>
    /// The same statements with no tenant statement in their batches: what an application without tenant isolation sends,
    /// on a login row-level security does not bind (the price-of-safety baseline).
    /// </summary>
    public static Task<RawNpgsql> OpenWithoutIsolationAsync(NpgsqlDataSource dataSource) => OpenBatchesAsync(dataSource, null);

    private static async Task<RawNpgsql> OpenBatchesAsync(NpgsqlDataSource dataSource, TenantKey? tenantKey)
    {
        var raw = new RawNpgsql(await dataSource.OpenConnectionAsync(), tenantKey);
        foreach (var command in new[] { raw._window, raw._wholeTranscript, raw._latestLayers, raw._feedPage })
            await command.PrepareAsync();
        return raw;
    }

    public async Task<List<Segment>> WindowAsync(Guid tenantId, Guid transcriptId, int fromMs, int toMs)
    {
        Set(_window, 0, tenantId);
        Set(_window, 1, transcriptId);
        Set(_window, 2, fromMs);
        Set(_window, 3, toMs);
        return await ReadSegmentsAsync(_window, capacity: 32);
    }

    public async Task<List<Segment>> WholeTranscriptAsync(Guid tenantId, Guid transcriptId, int expectedCount)
    {
        Set(_wholeTranscript, 0, tenantId);
        Set(_wholeTranscript, 1, transcriptId);
        return await ReadSegmentsAsync(_wholeTranscript, expectedCount);
    }

    public async Task<List<Layer>> LatestLayersAsync(Guid tenantId, Guid[] segmentIds, string kind)
    {
        Set(_latestLayers, 0, tenantId);
        Set(_latestLayers, 1, segmentIds);
        Set(_latestLayers, 2, kind);
        var layers = new List<Layer>(segmentIds.Length);
        await using var reader = await ReadAsync(_latestLayers);
        while (await reader.ReadAsync())
            layers.Add(RowReaders.ReadLayer(reader));
        return layers;
    }

    /// <summary>
    /// Streams the feed from after <paramref name="cursor"/> until <paramref name="segments"/> segments were seen
    /// or the tenant ends, grouping the consecutive rows of a segment into one item; returns the item count.
    /// </summary>
    public async Task<int> FeedAsync(Guid tenantId, Guid cursor, int segments, int pageSize)
    {
        Set(_feedPage, 0, tenantId);
        var items = 0;
        while (items < segments)
        {
            Set(_feedPage, 1, cursor);
            Set(_feedPage, 2, Math.Min(pageSize, segments - items));
            var pageItems = 0;
            FeedItem? current = null;
            await using (var reader = await ReadAsync(_feedPage))
                while (await reader.ReadAsync())
                {
                    var segmentId = reader.GetGuid(1);
                    if (current is null || current.Segment.Id != segmentId)
                    {
                        current = new FeedItem(RowReaders.ReadSegment(reader), new List<Layer>(4));
                        pageItems++;
                    }
                    if (!reader.IsDBNull(RowReaders.SegmentColumns))
                        current.Layers.Add(RowReaders.ReadLayer(reader, RowReaders.SegmentColumns));
                }
            if (current is null)
                break;
            items += pageItems;
            cursor = current.Segment.Id;
        }
        return items;
    }

    /// <summary>Writes the segments, then the layers, with typed binary COPY, inside a transaction it rolls back.</summary>
    public async Task<int> IngestAndRollBackAsync(IReadOnlyList<Segment> segments, IReadOnlyList<Layer> layers)
    {
        await using var transaction = await _connection.BeginTransactionAsync();
        var written = await CopySegmentsAsync(HotPathSql.CopySegments, segments) + await CopyLayersAsync(HotPathSql.CopyLayers, layers);
        await transaction.RollbackAsync();
        return (int)written;
    }

    /// <summary>
    /// The former <c>BulkInsertAsync</c> of a tenant table, by hand: per table, a temporary table of the same columns, the
    /// typed binary COPY into it, then one <c>INSERT … SELECT</c> into the table and the temporary table dropped, inside
    /// a transaction it rolls back. What the unnest statement replaced, measured on the same rows.
    /// </summary>
    public async Task<int> IngestThroughTemporaryTableAndRollBackAsync(IReadOnlyList<Segment> segments, IReadOnlyList<Layer> layers)
    {
        await using var transaction = await _connection.BeginTransactionAsync();
        var written = await StagedAsync("segments", HotPathSql.SegmentColumns, () => CopySegmentsAsync($"COPY pg_temp.staged_segments ({HotPathSql.SegmentColumns}) FROM STDIN (FORMAT BINARY)", segments))
                      + await StagedAsync("layers", HotPathSql.LayerColumns, () => CopyLayersAsync($"COPY pg_temp.staged_layers ({HotPathSql.LayerColumns}) FROM STDIN (FORMAT BINARY)", layers));
        await transaction.RollbackAsync();
        return (int)written;
    }

    private async Task<ulong> StagedAsync(string table, string columns, Func<Task<ulong>> copy)
    {
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE pg_temp.staged_{table} (LIKE {table}) ON COMMIT DROP", _connection))
            await create.ExecuteNonQueryAsync();
        await copy();
        var insert = new NpgsqlBatchCommand($"INSERT INTO {table} ({columns}) SELECT {columns} FROM pg_temp.staged_{table}");
        await using var finish = new NpgsqlBatch(_connection) { BatchCommands = { insert, new($"DROP TABLE pg_temp.staged_{table}") } };
        await finish.ExecuteNonQueryAsync();
        return insert.Rows;
    }

    private async Task<ulong> CopySegmentsAsync(string copySql, IReadOnlyList<Segment> segments)
    {
        await using var writer = await _connection.BeginBinaryImportAsync(copySql);
        foreach (var s in segments)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(s.TenantId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(s.Id, NpgsqlDbType.Uuid);
            await writer.WriteAsync(s.TranscriptId, NpgsqlDbType.Uuid);
            await WriteOrNullAsync(writer, s.SpeakerId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(s.Ordinal, NpgsqlDbType.Integer);
            await writer.WriteAsync(s.StartMs, NpgsqlDbType.Integer);
            await writer.WriteAsync(s.EndMs, NpgsqlDbType.Integer);
            await writer.WriteAsync(s.Text, NpgsqlDbType.Text);
            await WriteOrNullAsync(writer, s.Confidence, NpgsqlDbType.Real);
            await writer.WriteAsync(s.CreatedAt, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(s.UpdatedAt, NpgsqlDbType.TimestampTz);
        }
        return await writer.CompleteAsync();
    }

    private async Task<ulong> CopyLayersAsync(string copySql, IReadOnlyList<Layer> layers)
    {
        await using var writer = await _connection.BeginBinaryImportAsync(copySql);
        foreach (var l in layers)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(l.TenantId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(l.Id, NpgsqlDbType.Uuid);
            await writer.WriteAsync(l.SegmentId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(l.Kind, NpgsqlDbType.Varchar);
            await writer.WriteAsync(l.Version, NpgsqlDbType.Integer);
            await writer.WriteAsync(l.Producer, NpgsqlDbType.Varchar);
            if (l.Model is null)
                await writer.WriteNullAsync();
            else
                await writer.WriteAsync(l.Model, NpgsqlDbType.Varchar);
            await writer.WriteAsync(l.Payload, NpgsqlDbType.Jsonb);
            await writer.WriteAsync(l.CreatedAt, NpgsqlDbType.TimestampTz);
        }
        return await writer.CompleteAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in new[] { _window, _wholeTranscript, _latestLayers, _feedPage })
            await command.DisposeAsync();
        await _connection.DisposeAsync();
    }

    /// <summary>The tenant's proof (for the tenant that is the statement's $1, set by <see cref="Set{T}"/> at position 0) and the statement.</summary>
    private NpgsqlBatch Batch(string sql, params NpgsqlDbType[] parameterTypes)
    {
        var setTenant = new NpgsqlBatchCommand(HotPathSql.SetTenant) { Parameters = { new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text } } };
        var command = new NpgsqlBatchCommand(sql);
        foreach (var type in parameterTypes)
            command.Parameters.Add(type switch
            {
                NpgsqlDbType.Uuid => new NpgsqlParameter<Guid> { NpgsqlDbType = type },
                NpgsqlDbType.Integer => new NpgsqlParameter<int> { NpgsqlDbType = type },
                NpgsqlDbType.Varchar => new NpgsqlParameter<string> { NpgsqlDbType = type },
                NpgsqlDbType.Array | NpgsqlDbType.Uuid => new NpgsqlParameter<Guid[]> { NpgsqlDbType = type },
                _ => throw new ArgumentOutOfRangeException(nameof(parameterTypes), type, "No typed parameter for this type."),
            });
        return _tenantKey is null ? new NpgsqlBatch(_connection) { BatchCommands = { command } } : new NpgsqlBatch(_connection) { BatchCommands = { setTenant, command } };
    }

    // Typed values: no boxing on the way to the wire.
    private void Set<T>(NpgsqlBatch batch, int position, T value)
    {
        ((NpgsqlParameter<T>)batch.BatchCommands[^1].Parameters[position]).TypedValue = value;
        if (position == 0 && value is Guid tenant && _tenantKey is not null)
            ((NpgsqlParameter<string>)batch.BatchCommands[0].Parameters[0]).TypedValue = ProofFor(tenant);
    }

    /// <summary>The tenant's proof, minted and renewed like the data layer's (valid 10 minutes, renewed after 5), so both pay the same.</summary>
    private string ProofFor(Guid tenant)
    {
        var now = DateTimeOffset.UtcNow;
        if (_proof.Tenant != tenant || _proof.RenewAt <= now)
            _proof = (tenant, _tenantKey!.Sign(tenant, now.AddMinutes(10)), now.AddMinutes(5));
        return _proof.Proof;
    }

    /// <summary>Executes the batch and moves past set_config's one-row result (when it has one) to the statement's rows.</summary>
    private static async Task<NpgsqlDataReader> ReadAsync(NpgsqlBatch batch)
    {
        var reader = await batch.ExecuteReaderAsync();
        if (batch.BatchCommands.Count > 1)
            await reader.NextResultAsync();
        return reader;
    }

    private static async Task<List<Segment>> ReadSegmentsAsync(NpgsqlBatch batch, int capacity)
    {
        var segments = new List<Segment>(capacity);
        await using var reader = await ReadAsync(batch);
        while (await reader.ReadAsync())
            segments.Add(RowReaders.ReadSegment(reader));
        return segments;
    }

    private static async Task WriteOrNullAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } present)
            await writer.WriteAsync(present, type);
        else
            await writer.WriteNullAsync();
    }
}
