using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Reports;

namespace Narralytica.Benchmarks.Hosting;

/// <summary>
/// BenchmarkDotNet catches a benchmark's exception, prints NA in the table and still exits 0. This finds
/// such benchmarks (and validation errors) in the summaries, so the run can fail.
/// </summary>
public static class FailedBenchmarks
{
    public static IReadOnlyList<string> In(IEnumerable<Summary> summaries)
    {
        var failed = new List<string>();
        foreach (var summary in summaries)
        {
            if (summary.HasCriticalValidationErrors)
                failed.AddRange(summary.ValidationErrors.Where(e => e.IsCritical).Select(e => $"{summary.Title}: {e.Message}"));
            failed.AddRange(summary.BenchmarksCases
                .Where(c => summary[c] is not { Success: true, ResultStatistics: not null })
                .Select(c => c.DisplayInfo));
        }
        return failed;
    }

    public static int ExitCode(IEnumerable<Summary> summaries)
    {
        var failed = In(summaries);
        if (failed.Count == 0)
            return 0;
        Console.Error.WriteLine($"{failed.Count} benchmark(s) failed (NA in the tables above):");
        foreach (var name in failed)
            Console.Error.WriteLine("  " + name);
        return 1;
    }
}
