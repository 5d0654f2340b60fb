using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Dapper;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Benchmarks.Competitors;

/// <summary>
/// Dapper on one open connection: the baseline's SQL with named parameters (Dapper has no positional ones),
/// unprepared, mapped by column name (snake_case to PascalCase).
/// </summary>
public sealed class DapperQueries : IAsyncDisposable
{
    private const string SegmentColumns = "tenant_id, id, transcript_id, speaker_id, ordinal, start_ms, end_ms, text, confidence, created_at, updated_at";

    private const string Window =
        "SELECT " + SegmentColumns + " FROM segments WHERE tenant_id = @tenantId AND transcript_id = @transcriptId " +
        "AND start_ms >= @fromMs - 600000 AND start_ms < @toMs AND end_ms > @fromMs ORDER BY start_ms";

    private const string WholeTranscript =
        "SELECT " + SegmentColumns + " FROM segments WHERE tenant_id = @tenantId AND transcript_id = @transcriptId ORDER BY ordinal";

    private const string LatestLayers =
        "SELECT l.tenant_id, l.id, l.segment_id, l.kind, l.version, l.producer, l.model, l.payload, l.created_at " +
        "FROM unnest(@segmentIds) WITH ORDINALITY AS input(segment_id, position) CROSS JOIN LATERAL " +
        "(SELECT tenant_id, id, segment_id, kind, version, producer, model, payload, created_at FROM layers " +
        "WHERE tenant_id = @tenantId AND segment_id = input.segment_id AND kind = @kind ORDER BY version DESC LIMIT 1) AS l ORDER BY input.position";

    private readonly NpgsqlConnection _connection;

    static DapperQueries()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        // Npgsql hands timestamptz out as a UTC DateTime; the entities hold DateTimeOffset.
        SqlMapper.AddTypeHandler(new UtcDateTimeOffsetHandler());
    }

    private DapperQueries(NpgsqlConnection connection) => _connection = connection;

    public static async Task<DapperQueries> OpenAsync(NpgsqlDataSource dataSource) => new(await dataSource.OpenConnectionAsync());

    public async Task<List<Segment>> WindowAsync(Guid tenantId, Guid transcriptId, int fromMs, int toMs)
        => (await _connection.QueryAsync<Segment>(Window, new { tenantId, transcriptId, fromMs, toMs })).AsList();

    public async Task<List<Segment>> WholeTranscriptAsync(Guid tenantId, Guid transcriptId)
        => (await _connection.QueryAsync<Segment>(WholeTranscript, new { tenantId, transcriptId })).AsList();

    public async Task<List<Layer>> LatestLayersAsync(Guid tenantId, Guid[] segmentIds, string kind)
        => (await _connection.QueryAsync<Layer>(LatestLayers, new { tenantId, segmentIds, kind })).AsList();

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private sealed class UtcDateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override DateTimeOffset Parse(object value) => value is DateTime utc ? new DateTimeOffset(utc) : (DateTimeOffset)value;

        public override void SetValue(System.Data.IDbDataParameter parameter, DateTimeOffset value) => parameter.Value = value;
    }
}
