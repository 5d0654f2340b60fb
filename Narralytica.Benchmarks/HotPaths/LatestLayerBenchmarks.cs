using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// The latest version of one layer kind for 20 segments, in the order asked (<see cref="HotPathSql.LatestLayers"/>).
/// The SQL stays flat with the size of the tenant; a LINQ shape that ranks every layer of the tenant does not.
/// </summary>
public class LatestLayerBenchmarks : DatabaseBenchmark
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

    [Benchmark(Description = "Dapper")]
    public Task<List<Layer>> DapperSql() => Dapper.LatestLayersAsync(Tenant.Id, SegmentIds, Kind);

    [Benchmark(Description = "EF Core LINQ (GroupBy, First)")]
    public Task<List<Layer>> EfCoreLinq() => EfCore.LatestLayersAsync(Tenant.Id, SegmentIds, Kind);

    [Benchmark(Description = "linq2db LINQ, tenant scope (Take(1) per segment)")]
    public Task<List<Layer>> Linq2DbLinq() => Linq2Db.LatestLayersAsync(SegmentIds, Kind);
}
