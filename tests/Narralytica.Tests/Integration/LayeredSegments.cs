using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Model;

namespace Narralytica.Tests.Integration;

/// <summary>The feed tests' data: a graph's transcript gets 23 more segments with layers in a pattern the tests work out again.</summary>
public static class LayeredSegments
{
    /// <summary>
    /// Segment i (1..23) has versions 1..(i % 3) of "summary" and version 1 of "topics" when i is even. Returns every
    /// segment and layer of the tenant, the graph's own first.
    /// </summary>
    public static async Task<(List<Segment> Segments, List<Layer> Layers)> AddAsync(TenantGraph graph)
    {
        var segments = Enumerable.Range(1, 23).Select(i => new Segment
        {
            TranscriptId = graph.Transcript.Id, Ordinal = i, StartMs = i * 2000, EndMs = i * 2000 + 1000, Text = $"s{i}",
        }).ToList();
        await graph.Scope.BulkInsertAsync(segments);
        var layers = new List<Layer>();
        for (var i = 0; i < segments.Count; i++)
        {
            for (var version = 1; version <= i % 3; version++)
                layers.Add(new Layer { SegmentId = segments[i].Id, Kind = "summary", Version = version, Producer = "p", Payload = $"{{\"v\": {version}}}" });
            if (i % 2 == 0)
                layers.Add(new Layer { SegmentId = segments[i].Id, Kind = "topics", Version = 1, Producer = "p", Payload = "[]" });
        }
        await graph.Scope.BulkInsertAsync(layers);
        return (segments.Prepend(graph.Segment).ToList(), layers.Prepend(graph.Layer).ToList());
    }
}
