using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>The latest-layer lookup (<see cref="HotPathSql.LatestLayers"/>) on a normal tenant and on one ten times larger.</summary>
public class GrowthLatestLayerBenchmarks : GrowthBenchmark
{
    protected Guid[] SegmentIds { get; private set; } = Array.Empty<Guid>();
    protected string Kind { get; private set; } = "";

    protected override void ChooseInputs()
    {
        SegmentIds = HotPathInputs.SegmentIds(Dataset, Tenant);
        Kind = Dataset.Options.LayerKinds[0];
    }

    [Benchmark(Baseline = true, Description = "raw Npgsql, prepared")]
    public Task<List<Layer>> RawNpgsql() => Raw.LatestLayersAsync(Tenant.Id, SegmentIds, Kind);

    [Benchmark(Description = "generated helper")]
    public Task<List<Layer>> Generated() => Scope.LatestLayersAsync(SegmentIds, Kind);
}
