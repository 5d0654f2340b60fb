using System;
using System.Collections.Generic;
using System.Linq;
using Narralytica.Dataset;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// The inputs of the read benchmarks, taken from the middle of a tenant: the middle transcript, and in it the
/// segments from the middle on, so neither the start of the index nor the start of a video flatters a query.
/// </summary>
public static class HotPathInputs
{
    /// <summary>How many segments the window overlaps, and how many ids the latest-layer lookup asks for.</summary>
    public const int SegmentsPerRequest = 20;

    public static (Guid TranscriptId, int FromMs, int ToMs) Window(TranscriptDataset dataset, DatasetTenant tenant)
    {
        var (transcriptId, content) = MiddleTranscript(dataset, tenant);
        var (fromMs, toMs) = content.WindowOver(content.Segments.Count / 2, RequestSize(content));
        return (transcriptId, fromMs, toMs);
    }

    /// <summary>Consecutive segment ids, as a reader scrolling through a transcript would ask for their layers.</summary>
    public static Guid[] SegmentIds(TranscriptDataset dataset, DatasetTenant tenant)
    {
        var (_, content) = MiddleTranscript(dataset, tenant);
        return content.Segments.Skip(content.Segments.Count / 2).Take(RequestSize(content)).Select(s => s.Id).ToArray();
    }

    /// <summary>The feed's starting cursor: the id of the segment just before a quarter of the tenant (Guid.Empty for an empty one).</summary>
    public static Guid FeedCursor(TranscriptDataset dataset, DatasetTenant tenant)
    {
        var start = dataset.SegmentCount(tenant) / 4;
        return start == 0 ? Guid.Empty : dataset.SegmentIdAt(tenant, start - 1);
    }

    /// <summary>What ingest writes: the tenant's spare transcript (loaded empty), its segments and the first version of the first layer kind.</summary>
    public static (IReadOnlyList<Segment> Segments, IReadOnlyList<Layer> Layers) IngestRows(TranscriptDataset dataset, DatasetTenant tenant)
    {
        var content = dataset.Content(tenant, tenant.SpareTranscriptIndex);
        var firstKind = dataset.Options.LayerKinds[0];
        return (content.Segments.Select(ModelRows.Segment).ToList(),
                content.Layers.Where(l => l.Kind == firstKind && l.Version == 1).Select(ModelRows.Layer).ToList());
    }

    public static Guid MiddleTranscriptId(TranscriptDataset dataset, DatasetTenant tenant) => dataset.TranscriptId(tenant, tenant.TranscriptCount / 2);

    private static (Guid TranscriptId, TranscriptContent Content) MiddleTranscript(TranscriptDataset dataset, DatasetTenant tenant)
        => (MiddleTranscriptId(dataset, tenant), dataset.Content(tenant, tenant.TranscriptCount / 2));

    private static int RequestSize(TranscriptContent content) => Math.Min(SegmentsPerRequest, content.Segments.Count - content.Segments.Count / 2);
}
