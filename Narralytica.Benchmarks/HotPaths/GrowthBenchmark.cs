using System;
using BenchmarkDotNet.Attributes;
using Narralytica.Dataset;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// A hot path run on a normal tenant (Scale 1) and on the growth tenant, which holds ten times its segments
/// (Scale 10). What matters is the ratio between the two: an index-bound query stays flat.
/// </summary>
public abstract class GrowthBenchmark : DatabaseBenchmark
{
    [Params(1, 10)]
    public int Scale { get; set; }

    protected override DatasetTenant ChooseTenant()
    {
        if (Scale == 1)
            return Dataset.Tenants[0];
        var growth = Dataset.Growth ?? throw new InvalidOperationException("The data set has no growth tenant (DatasetOptions.GrowthFactor is 0).");
        if (growth.TranscriptCount != Dataset.Options.TranscriptsPerTenant * Scale)
            throw new InvalidOperationException($"The growth tenant is {Dataset.Options.GrowthFactor}× a normal tenant, not {Scale}×.");
        return growth;
    }
}
