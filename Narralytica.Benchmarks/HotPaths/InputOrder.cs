using System;
using System.Collections.Generic;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// Puts LINQ results of "latest layer per segment" in the order of the requested ids, as the SQL baseline
/// returns them (WITH ORDINALITY), so every competitor answers the same list.
/// </summary>
public static class InputOrder
{
    public static List<Layer> Arrange(List<Layer> layers, Guid[] segmentIds)
    {
        var bySegment = new Dictionary<Guid, Layer>(layers.Count);
        foreach (var layer in layers)
            bySegment[layer.SegmentId] = layer;
        var ordered = new List<Layer>(layers.Count);
        foreach (var id in segmentIds)
            if (bySegment.TryGetValue(id, out var layer))
                ordered.Add(layer);
        return ordered;
    }
}
