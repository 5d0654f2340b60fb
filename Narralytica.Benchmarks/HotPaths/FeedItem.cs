using System.Collections.Generic;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>One item of the rebuild feed: a segment and the latest layer of every kind it has.</summary>
public sealed record FeedItem(Segment Segment, List<Layer> Layers);
