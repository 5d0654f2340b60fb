using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// Typed reads of the hot-path column lists into the generated entities, by ordinal: what the raw baseline
/// does by hand. <c>first</c> is the ordinal of the row's first column (the feed has a segment, then a layer).
/// </summary>
public static class RowReaders
{
    public static Segment ReadSegment(NpgsqlDataReader reader, int first = 0) => new()
    {
        TenantId = reader.GetGuid(first),
        Id = reader.GetGuid(first + 1),
        TranscriptId = reader.GetGuid(first + 2),
        SpeakerId = reader.IsDBNull(first + 3) ? null : reader.GetGuid(first + 3),
        Ordinal = reader.GetInt32(first + 4),
        StartMs = reader.GetInt32(first + 5),
        EndMs = reader.GetInt32(first + 6),
        Text = reader.GetString(first + 7),
        Confidence = reader.IsDBNull(first + 8) ? null : reader.GetFloat(first + 8),
        CreatedAt = reader.GetFieldValue<System.DateTimeOffset>(first + 9),
        UpdatedAt = reader.GetFieldValue<System.DateTimeOffset>(first + 10),
    };

    public static Layer ReadLayer(NpgsqlDataReader reader, int first = 0) => new()
    {
        TenantId = reader.GetGuid(first),
        Id = reader.GetGuid(first + 1),
        SegmentId = reader.GetGuid(first + 2),
        Kind = reader.GetString(first + 3),
        Version = reader.GetInt32(first + 4),
        Producer = reader.GetString(first + 5),
        Model = reader.IsDBNull(first + 6) ? null : reader.GetString(first + 6),
        Payload = reader.GetString(first + 7),
        CreatedAt = reader.GetFieldValue<System.DateTimeOffset>(first + 8),
    };

    /// <summary>Columns of a segment row, so the feed knows where the layer columns start.</summary>
    public const int SegmentColumns = 11;
}
