using System;
using System.Collections.Generic;
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
    /// --dataset quick|test|full picks another data set (e.g. a full job on the small test set while tuning).
    /// --report PATH writes the results into that Markdown file (docs/benchmarks.md), between its markers.
    /// Exit code 1 when a benchmark failed (BenchmarkDotNet itself would report NA and exit 0).
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        // Our options are taken out; everything else goes to BenchmarkDotNet.
        bool quick = false;
        string? datasetName = null, reportPath = null;
        var switches = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--dataset" when i + 1 < args.Length: datasetName = args[++i]; break;
                case "--report" when i + 1 < args.Length: reportPath = args[++i]; break;
                case "--dataset" or "--report":
                    Console.Error.WriteLine("--dataset needs a preset (quick, test or full), --report a file path.");
                    return 1;
                default: switches.Add(args[i]); break;
            }
        }
        if (quick && !switches.Any(a => a.StartsWith("--filter", StringComparison.Ordinal) || a == "-f"))
            switches.AddRange(new[] { "--filter", "*" });
        var preset = datasetName ?? (quick ? "quick" : "full");
        TranscriptDataset dataset;
        try
        {
            dataset = new TranscriptDataset(DatasetOptions.Preset(preset));
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }

        await using var database = new DatabaseOnDemand(preset);
        var config = BenchmarkConfigs.Create(quick, dataset, database);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(switches.ToArray(), config).ToList();
        if (reportPath is not null && summaries.Count > 0)
            BenchmarkReport.Write(reportPath, summaries, dataset, database.Database,
                "dotnet run -c Release --project Narralytica.Benchmarks -- " + string.Join(" ", args.Select(a => a.Contains('*') || a.Contains(' ') ? $"'{a}'" : a)));
        return FailedBenchmarks.ExitCode(summaries);
    }
}
