using Narralytica.Dataset;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>Data set rows as the generated entities every competitor writes.</summary>
public static class ModelRows
{
    public static Segment Segment(SegmentRow row) => new()
    {
        TenantId = row.TenantId,
        Id = row.Id,
        TranscriptId = row.TranscriptId,
        SpeakerId = row.SpeakerId,
        Ordinal = row.Ordinal,
        StartMs = row.StartMs,
        EndMs = row.EndMs,
        Text = row.Text,
        Confidence = row.Confidence,
        CreatedAt = row.CreatedAt,
        UpdatedAt = row.CreatedAt,
    };

    public static Layer Layer(LayerRow row) => new()
    {
        TenantId = row.TenantId,
        Id = row.Id,
        SegmentId = row.SegmentId,
        Kind = row.Kind,
        Version = row.Version,
        Producer = row.Producer,
        Model = row.Model,
        Payload = row.Payload,
        CreatedAt = row.CreatedAt,
    };
}
