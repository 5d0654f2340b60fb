using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Dataset;
using Narralytica.Model;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// The rebuild feed: segments of a tenant in key order, each with the latest layer of every kind, paged by
/// keyset (pages of 1,000, cursor = last segment id). One invocation reads a fixed slice of 20,000 segments
/// (fewer in a small data set) from a fixed cursor a quarter into the tenant; the Rows/s column gives segments
/// per second. The raw baseline streams <see cref="HotPathSql.FeedPage"/>; the LINQ competitors page the
/// segments and fetch each page's layers in a second query.
/// </summary>
public class RebuildFeedBenchmarks : DatabaseBenchmark
{
    public const int PageSize = 1_000;
    private const int SliceSize = 20_000;

    protected Guid Cursor { get; private set; }
    protected int Segments { get; private set; }

    /// <summary>How many segments one invocation reads, for the Rows/s column.</summary>
    public static int SegmentsPerInvocation(TranscriptDataset dataset) => (int)Math.Min(SliceSize, dataset.SegmentCount(dataset.Tenants[0]) / 2);

    protected override void ChooseInputs()
    {
        Cursor = HotPathInputs.FeedCursor(Dataset, Tenant);
        Segments = SegmentsPerInvocation(Dataset);
    }

    [Benchmark(Baseline = true, Description = "raw Npgsql, prepared, streamed")]
    public Task<int> RawNpgsql() => Checked(Raw.FeedAsync(Tenant.Id, Cursor, Segments, PageSize));

    [Benchmark(Description = "generated feed")]
    public Task<int> Generated() => Checked(ReadGeneratedFeedAsync());

    private async Task<int> ReadGeneratedFeedAsync()
    {
        var items = 0;
        await foreach (var item in Scope.SegmentFeedAsync(Cursor, PageSize))
            if (++items == Segments)
                break;
        return items;
    }

    [Benchmark(Description = "EF Core LINQ, keyset pages")]
    public Task<int> EfCoreLinq() => Checked(EfCore.FeedAsync(Tenant.Id, Cursor, Segments, PageSize));

    [Benchmark(Description = "linq2db LINQ, tenant scope, keyset pages")]
    public Task<int> Linq2DbLinq() => Checked(Linq2Db.FeedAsync(Cursor, Segments, PageSize));

    /// <summary>A feed that stops early would look fast: refuse it, so the run reports the benchmark as failed.</summary>
    protected async Task<int> Checked(Task<int> feed)
    {
        var items = await feed;
        if (items != Segments)
            throw new InvalidOperationException($"The feed returned {items} segments instead of {Segments}.");
        return items;
    }
}
