using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>The window query (<see cref="HotPathSql.Window"/>) on a normal tenant and on one ten times larger.</summary>
public class GrowthWindowBenchmarks : GrowthBenchmark
{
    protected Guid TranscriptId { get; private set; }
    protected int FromMs { get; private set; }
    protected int ToMs { get; private set; }

    protected override void ChooseInputs() => (TranscriptId, FromMs, ToMs) = HotPathInputs.Window(Dataset, Tenant);

    [Benchmark(Baseline = true, Description = "raw Npgsql, prepared")]
    public Task<List<Segment>> RawNpgsql() => Raw.WindowAsync(Tenant.Id, TranscriptId, FromMs, ToMs);

    [Benchmark(Description = "generated helper")]
    public Task<List<Segment>> Generated() => Scope.SegmentsInWindowAsync(TranscriptId, FromMs, ToMs);
}
