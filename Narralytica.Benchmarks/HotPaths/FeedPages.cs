using System;
using System.Collections.Generic;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>Joins a page of segments with the layers fetched for it, for the LINQ competitors of the feed.</summary>
public static class FeedPages
{
    public static List<FeedItem> Group(List<Segment> page, List<Layer> layers)
    {
        var bySegment = new Dictionary<Guid, FeedItem>(page.Count);
        var items = new List<FeedItem>(page.Count);
        foreach (var segment in page)
        {
            var item = new FeedItem(segment, new List<Layer>(4));
            bySegment.Add(segment.Id, item);
            items.Add(item);
        }
        foreach (var layer in layers)
            bySegment[layer.SegmentId].Layers.Add(layer);
        return items;
    }
}
