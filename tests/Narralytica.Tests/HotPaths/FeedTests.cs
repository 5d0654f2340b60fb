using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Integration;
using Xunit;

namespace Narralytica.Tests.HotPaths;

/// <summary>SegmentFeedAsync: every segment of the tenant in key order with its latest layers, page by page, resumable.</summary>
public class FeedTests : DatabaseTest
{
    public FeedTests(PostgresFixture postgres) : base(postgres) { }

    /// <summary>A tenant with 23 segments; each has versions 1..(i % 3) of "summary" and version 1 of "topics" when i is even.</summary>
    private async Task<(TenantScope Scope, List<Segment> Segments, List<Layer> Layers)> SeedAsync(string slug)
    {
        var graph = await TenantGraph.CreateAsync(Db, await NewTenantAsync(slug));
        var (segments, layers) = await LayeredSegments.AddAsync(graph);
        return (graph.Scope, segments, layers);
    }

    /// <summary>The answer worked out in C#: segments by id, each with its highest version per kind, by kind.</summary>
    private static List<string> Expected(List<Segment> segments, List<Layer> layers)
        => segments.OrderBy(s => s.Id).Select(s => Describe(s.Id, layers.Where(l => l.SegmentId == s.Id)
            .GroupBy(l => l.Kind).Select(g => g.MaxBy(l => l.Version)!).OrderBy(l => l.Kind, StringComparer.Ordinal))).ToList();

    private static string Describe(Guid segment, IEnumerable<Layer> latest)
        => segment + ": " + string.Join(", ", latest.Select(l => $"{l.Kind} v{l.Version} {l.Payload}"));

    private static async Task<List<string>> ReadAsync(IAsyncEnumerable<SegmentFeedItem> feed, int? take = null)
    {
        var items = new List<string>();
        await foreach (var item in feed)
        {
            items.Add(Describe(item.Segment.Id, item.LatestLayers));
            if (items.Count == take)
                break;
        }
        return items;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(24)]
    [InlineData(1000)]
    public async Task The_feed_is_every_segment_in_key_order_with_its_latest_layer_of_each_kind(int pageSize)
    {
        var (scope, segments, layers) = await SeedAsync("feed");
        await SeedAsync("neighbour"); // another tenant's rows never appear
        Assert.Equal(Expected(segments, layers), await ReadAsync(scope.SegmentFeedAsync(pageSize: pageSize)));
    }

    [Fact]
    public async Task After_a_crash_the_feed_resumes_from_the_last_handled_id()
    {
        var (scope, segments, layers) = await SeedAsync("resume");
        var expected = Expected(segments, layers);

        Guid lastHandled = default;
        var handled = new List<string>();
        await foreach (var item in scope.SegmentFeedAsync(pageSize: 4))
        {
            handled.Add(Describe(item.Segment.Id, item.LatestLayers));
            lastHandled = item.Segment.Id;
            if (handled.Count == 10)
                break; // the consumer stops mid-page
        }
        handled.AddRange(await ReadAsync(scope.SegmentFeedAsync(after: lastHandled, pageSize: 4)));
        Assert.Equal(expected, handled);
    }

    [Fact]
    public async Task Between_pages_the_consumer_may_record_its_cursor_on_the_same_connection()
    {
        var (scope, segments, layers) = await SeedAsync("checkpoint");
        StageCheckpoint<Guid, int>? checkpoint = null;
        var count = 0;
        await foreach (var item in scope.SegmentFeedAsync(pageSize: 6))
            checkpoint = await scope.Checkpoints.AdvanceAsync("search", "segments", checkpoint, new StageProgress<Guid, int>(item.Segment.Id, ++count));
        Assert.Equal(segments.Count, count);
        var read = (await scope.Checkpoints.ReadAsync<Guid, int>("search", "segments"))!;
        Assert.Equal((segments.Max(s => s.Id), segments.Count), (read.Position, read.State));
    }

    [Fact]
    public async Task A_page_size_below_one_is_refused()
    {
        var (scope, _, _) = await SeedAsync("pages");
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ReadAsync(scope.SegmentFeedAsync(pageSize: 0)));
    }
}
