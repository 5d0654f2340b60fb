using System.Collections.Generic;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Narralytica.Benchmarks.HotPaths;
using Narralytica.Dataset;

namespace Narralytica.Benchmarks.Hosting;

/// <summary>The two ways to run: --quick, a smoke run of every benchmark, or the full run (default).</summary>
public static class BenchmarkConfigs
{
    public static IConfig Create(bool quick, TranscriptDataset dataset, DatabaseOnDemand database)
    {
        _ = PeakHeap.Folder; // published before the benchmark processes start, so they inherit it
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(quick ? QuickJob : FullJob)
            .AddColumn(new RowsPerSecondColumn(RowsPerInvocation.For(dataset)))
            .AddColumn(new PeakHeapColumn())
            .AddEventProcessor(database);
        return config;
    }

    /// <summary>
    /// Every benchmark once, in this process (no project is generated and built per benchmark): it proves
    /// each benchmark runs and returns, in seconds. Its numbers mean nothing.
    /// </summary>
    private static Job QuickJob => Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Quick");

    /// <summary>
    /// A real run on a 2-core machine that also hosts PostgreSQL: 3 warmup iterations reach steady state
    /// (JIT tiering, prepared statements, a warm buffer cache), 15 measured iterations of about 0.5 s keep the
    /// confidence interval near a few percent for millisecond queries, and one launch keeps the database
    /// benchmarks (with the one-off data set load) within about half an hour.
    /// </summary>
    private static Job FullJob => Job.Default.WithWarmupCount(3).WithIterationCount(15).WithLaunchCount(1).WithId("Full");
}
