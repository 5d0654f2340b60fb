namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// The SQL of the hot paths, as the raw baseline sends it (positional parameters, columns in declared order).
/// The generated helpers send the identical text; Dapper sends it with named parameters instead.
/// </summary>
public static class HotPathSql
{
    /// <summary>The longest a segment may be (check ck_segments_max_length): the window's lower bound on start_ms.</summary>
    public const int MaxSegmentMs = 600_000;

    /// <summary>Sets the tenant's signed proof ($1, text) for the current transaction, as the data layer does before each statement.</summary>
    public const string SetTenant = "SELECT set_config('narralytica.tenant_proof', $1, true)";

    /// <summary>Segments of a transcript overlapping [$3, $4), in time order. $1 tenant, $2 transcript.</summary>
    public const string Window =
        "SELECT tenant_id, id, transcript_id, speaker_id, ordinal, start_ms, end_ms, text, confidence, created_at, updated_at " +
        "FROM segments WHERE tenant_id = $1 AND transcript_id = $2 AND start_ms >= $3 - 600000 AND start_ms < $4 AND end_ms > $3 ORDER BY start_ms";

    /// <summary>Every segment of a transcript, in order. $1 tenant, $2 transcript.</summary>
    public const string WholeTranscript =
        "SELECT tenant_id, id, transcript_id, speaker_id, ordinal, start_ms, end_ms, text, confidence, created_at, updated_at " +
        "FROM segments WHERE tenant_id = $1 AND transcript_id = $2 ORDER BY ordinal";

    /// <summary>The latest version of layer kind $3 of each segment in $2 (uuid[]), in the order of $2. $1 tenant.</summary>
    public const string LatestLayers =
        "SELECT l.tenant_id, l.id, l.segment_id, l.kind, l.version, l.producer, l.model, l.payload, l.created_at " +
        "FROM unnest($2) WITH ORDINALITY AS input(segment_id, position) CROSS JOIN LATERAL " +
        "(SELECT tenant_id, id, segment_id, kind, version, producer, model, payload, created_at FROM layers " +
        "WHERE tenant_id = $1 AND segment_id = input.segment_id AND kind = $3 ORDER BY version DESC LIMIT 1) AS l ORDER BY input.position";

    /// <summary>
    /// One page of the rebuild feed: the next $3 segments of tenant $1 after id $2 in key order, each with the
    /// latest layer of every kind (one row per segment and kind; a segment without layers comes once, with nulls).
    /// </summary>
    public const string FeedPage =
        "SELECT s.tenant_id, s.id, s.transcript_id, s.speaker_id, s.ordinal, s.start_ms, s.end_ms, s.text, s.confidence, s.created_at, s.updated_at, " +
        "l.tenant_id, l.id, l.segment_id, l.kind, l.version, l.producer, l.model, l.payload, l.created_at " +
        "FROM (SELECT tenant_id, id, transcript_id, speaker_id, ordinal, start_ms, end_ms, text, confidence, created_at, updated_at " +
        "FROM segments WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3) AS s LEFT JOIN LATERAL " +
        "(SELECT DISTINCT ON (kind) tenant_id, id, segment_id, kind, version, producer, model, payload, created_at FROM layers " +
        "WHERE tenant_id = $1 AND segment_id = s.id ORDER BY kind, version DESC) AS l ON true ORDER BY s.id, l.kind";

    /// <summary>The columns of the ingest, in declared order.</summary>
    public const string SegmentColumns = "tenant_id, id, transcript_id, speaker_id, ordinal, start_ms, end_ms, text, confidence, created_at, updated_at";

    public const string LayerColumns = "tenant_id, id, segment_id, kind, version, producer, model, payload, created_at";

    /// <summary>The binary COPY statements of the ingest baseline.</summary>
    public const string CopySegments = "COPY segments (" + SegmentColumns + ") FROM STDIN (FORMAT BINARY)";

    public const string CopyLayers = "COPY layers (" + LayerColumns + ") FROM STDIN (FORMAT BINARY)";
}
