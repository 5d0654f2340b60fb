using System;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Running;
using Narralytica.Benchmarks.Hosting;
using Narralytica.Dataset;

namespace Narralytica.Benchmarks;

public static class Program
{
    /// <summary>
    /// Pick benchmarks with BenchmarkDotNet's own switches, e.g. --filter '*Window*'. --quick runs every
    /// benchmark once on the Quick data set (CI); otherwise the full job on the Full data set. The database is
    /// created and loaded only if a database benchmark is selected, and removed at the end.
    /// Exit code 1 when a benchmark failed (BenchmarkDotNet itself would report NA and exit 0).
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        var quick = args.Contains("--quick");
        var switches = args.Where(a => a != "--quick").ToArray();
        if (quick && !switches.Any(a => a.StartsWith("--filter", StringComparison.Ordinal) || a == "-f"))
            switches = switches.Concat(new[] { "--filter", "*" }).ToArray();
        var preset = quick ? "quick" : "full";

        await using var database = new DatabaseOnDemand(preset);
        var config = BenchmarkConfigs.Create(quick, new TranscriptDataset(DatasetOptions.Preset(preset)), database);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(switches, config).ToList();
        return FailedBenchmarks.ExitCode(summaries);
    }
}
