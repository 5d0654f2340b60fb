using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Narralytica.Benchmarks.HotPaths;
using Narralytica.Dataset;

namespace Narralytica.Benchmarks.Hosting;

/// <summary>
/// Writes a run's results into a Markdown file (docs/benchmarks.md) between two markers, leaving the rest of
/// the file as written: the machine and versions, the targets with the ratio each reached, and every
/// benchmark's mean, allocation and ratios to its baseline in the same run.
/// </summary>
public static class BenchmarkReport
{
    public const string Begin = "<!-- results: written by the benchmark run (--report); edit outside these markers -->";
    public const string End = "<!-- end of results -->";

    public static void Write(string path, IReadOnlyList<Summary> summaries, TranscriptDataset dataset, BenchmarkDatabase? database, string command)
    {
        var existing = File.Exists(path) ? File.ReadAllText(path) : $"# Benchmarks\n\n{Begin}\n{End}\n";
        var begin = existing.IndexOf(Begin, StringComparison.Ordinal);
        var end = existing.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
            throw new InvalidOperationException($"{path} lacks the markers the results go between; add the lines\n{Begin}\n{End}");
        var results = Render(summaries, dataset, database, command);
        File.WriteAllText(path, existing[..(begin + Begin.Length)] + "\n" + results + existing[end..]);
        Console.WriteLine($"Results written to {path}.");
    }

    private static string Render(IReadOnlyList<Summary> summaries, TranscriptDataset dataset, BenchmarkDatabase? database, string command)
    {
        var text = new StringBuilder();
        var host = summaries[0].HostEnvironmentInfo;
        text.AppendLine($"Run of {DateTime.UtcNow:yyyy-MM-dd} (UTC), reproduced by:");
        text.AppendLine();
        text.AppendLine("```sh");
        text.AppendLine(command);
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("- Machine (as BenchmarkDotNet describes it):");
        text.AppendLine("  ```");
        foreach (var line in host.ToFormattedString())
            text.AppendLine("  " + line);
        text.AppendLine("  ```");
        text.AppendLine($"- Npgsql {typeof(Npgsql.NpgsqlConnection).Assembly.GetName().Version}, linq2db {typeof(LinqToDB.DataType).Assembly.GetName().Version}");
        if (database is not null)
            text.AppendLine($"- PostgreSQL {database.ServerVersion}, on the same machine; data set: {Describe(dataset)}; {database.Load}");
        text.AppendLine($"- Job: {string.Join(", ", summaries.SelectMany(s => s.BenchmarksCases).Select(c => c.Job.DisplayInfo).Distinct())}");
        text.AppendLine();

        var measured = summaries.SelectMany(s => Measure(s, dataset)).ToList();
        text.AppendLine("### Targets");
        text.AppendLine();
        text.AppendLine("| Target | Measured | Met |");
        text.AppendLine("|---|---|---|");
        foreach (var target in Targets(measured))
            text.AppendLine($"| {target.Name} | {target.Measured} | {(target.Met is null ? "—" : target.Met.Value ? "yes" : "**no**")} |");
        text.AppendLine();

        foreach (var group in measured.GroupBy(m => m.Class))
        {
            text.AppendLine($"### {group.Key}");
            text.AppendLine();
            var hasParameters = group.Any(m => m.Parameters.Length > 0);
            var hasRows = group.Any(m => m.RowsPerSecond is not null);
            text.AppendLine($"| Method |{(hasParameters ? " Parameters |" : "")} Mean | Ratio | Allocated | Alloc ratio |{(hasRows ? " Rows/s |" : "")}");
            text.AppendLine($"|---|{(hasParameters ? "---|" : "")}---:|---:|---:|---:|{(hasRows ? "---:|" : "")}");
            foreach (var m in group)
                text.AppendLine($"| {m.Description} |{(hasParameters ? $" {m.Parameters} |" : "")} {Time(m.MeanNs)} | {Ratio(m.TimeRatio)} | {Bytes(m.AllocatedBytes)} | {Ratio(m.AllocRatio)} |" +
                                (hasRows ? $" {(m.RowsPerSecond is { } rows ? rows.ToString("N0", CultureInfo.InvariantCulture) : "")} |" : ""));
            text.AppendLine();
        }
        return text.ToString();
    }

    private static string Describe(TranscriptDataset dataset)
    {
        var o = dataset.Options;
        var growth = dataset.Growth is { } g ? $", plus a growth tenant of {dataset.SegmentCount(g):N0} segments ({g.LayerVersions} version(s) per kind)" : "";
        return $"{o.Tenants} tenants × {o.TranscriptsPerTenant} transcripts × {o.SegmentsPerTranscript:N0} segments, {o.LayerKinds.Count} layer kinds × {o.LayerVersions} versions{growth}";
    }

    /// <summary>One benchmark case's figures, with its ratios to the baseline of its class and parameters.</summary>
    private sealed record Measurement(string Class, string Method, string Description, string Parameters, double MeanNs, long? AllocatedBytes,
        double? TimeRatio, double? AllocRatio, double? RowsPerSecond);

    private static IEnumerable<Measurement> Measure(Summary summary, TranscriptDataset dataset)
    {
        var rowsPerInvocation = RowsPerInvocation.For(dataset);
        var cases = summary.BenchmarksCases.Where(c => summary[c]?.ResultStatistics is not null).ToList();
        foreach (var benchmarkCase in cases)
        {
            var baseline = cases.FirstOrDefault(c => c.Descriptor.Baseline && c.Descriptor.Type == benchmarkCase.Descriptor.Type
                                                     && c.Parameters.DisplayInfo == benchmarkCase.Parameters.DisplayInfo);
            var mean = summary[benchmarkCase]!.ResultStatistics!.Mean;
            var allocated = Allocated(summary, benchmarkCase);
            double? timeRatio = baseline is null ? null : mean / summary[baseline]!.ResultStatistics!.Mean;
            double? allocRatio = baseline is null || allocated is null || Allocated(summary, baseline) is not > 0 ? null : (double)allocated / Allocated(summary, baseline)!.Value;
            int? rows = rowsPerInvocation.TryGetValue(benchmarkCase.Descriptor.Type, out var count) ? count : null;
            yield return new Measurement(benchmarkCase.Descriptor.Type.Name, benchmarkCase.Descriptor.WorkloadMethod.Name,
                benchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''), benchmarkCase.Parameters.DisplayInfo.Trim('[', ']'),
                mean, allocated, timeRatio, allocRatio, rows is null ? null : rows * 1e9 / mean);
        }
    }

    private static long? Allocated(Summary summary, BenchmarkCase benchmarkCase)
        => summary[benchmarkCase]?.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);

    private sealed record Target(string Name, string Measured, bool? Met);

    /// <summary>The issue's targets, as ratios to raw Npgsql in the same run.</summary>
    private static IEnumerable<Target> Targets(List<Measurement> all)
    {
        Measurement? Find(string type, string method, string parameters = "")
            => all.FirstOrDefault(m => m.Class == type && m.Method == method && (parameters == "" || m.Parameters == parameters));

        foreach (var (type, path) in new[] { (nameof(TranscriptWindowBenchmarks), "window, 20 rows"), (nameof(WholeTranscriptBenchmarks), "whole transcript"), (nameof(LatestLayerBenchmarks), "latest layer, 20 segments") })
        {
            if (Find(type, "Generated") is not { } generated)
                continue;
            yield return new Target($"{path}: time ≤ 1.10× raw", Ratio(generated.TimeRatio), generated.TimeRatio <= 1.10);
            yield return new Target($"{path}: allocated ≤ 1.25× raw", Ratio(generated.AllocRatio), generated.AllocRatio <= 1.25);
            if (Find(type, "EfCoreLinq") is { } ef)
                yield return new Target($"{path}: faster than EF Core", $"{Ratio(generated.TimeRatio)} vs {Ratio(ef.TimeRatio)}", generated.MeanNs < ef.MeanNs);
        }
        foreach (var (type, path, ef) in new[] { (nameof(IngestBenchmarks), "ingest", "EfCoreSaveChanges"), (nameof(RebuildFeedBenchmarks), "rebuild feed", "EfCoreLinq") })
        {
            if (Find(type, "Generated") is not { } generated || Find(type, "RawNpgsql") is not { } raw)
                continue;
            var share = generated.RowsPerSecond / raw.RowsPerSecond;
            yield return new Target($"{path}: rows/s ≥ 0.90× raw", $"{share:0.00}× ({generated.RowsPerSecond:N0} vs {raw.RowsPerSecond:N0} rows/s)", share >= 0.90);
            if (Find(type, ef) is { } efCore)
                yield return new Target($"{path}: faster than EF Core", $"{Ratio(generated.TimeRatio)} vs {Ratio(efCore.TimeRatio)}", generated.MeanNs < efCore.MeanNs);
        }
        foreach (var (type, path) in new[] { (nameof(GrowthWindowBenchmarks), "window"), (nameof(GrowthLatestLayerBenchmarks), "latest layer") })
            foreach (var method in new[] { "Generated", "RawNpgsql" })
                if (Find(type, method, "Scale=1") is { } small && Find(type, method, "Scale=10") is { } large)
                    yield return new Target($"growth, {path} ({(method == "Generated" ? "generated" : "raw")}): 10× segments per tenant, time ratio 10×/1×",
                        $"{large.MeanNs / small.MeanNs:0.00}×", null);
        foreach (var on in all.Where(m => m.Class == nameof(RowSecurityBenchmarks) && m.Method == nameof(RowSecurityBenchmarks.RowSecurityOn)))
            yield return new Target($"row-level security, {on.Parameters.Replace("Path=", "", StringComparison.Ordinal)}: time on/off ≤ 1.10×", Ratio(on.TimeRatio), on.TimeRatio <= 1.10);
        // The price of safety: the generated helper as narralytica_app with the signed tenant against raw Npgsql without isolation.
        foreach (var safe in all.Where(m => m.Class == nameof(PriceOfSafetyBenchmarks) && m.Method == nameof(PriceOfSafetyBenchmarks.GeneratedWithSignedTenant)))
        {
            var path = safe.Parameters.Replace("Path=", "", StringComparison.Ordinal);
            var limit = path is "Window" or "LatestLayer" ? 1.25 : 1.05;
            yield return new Target($"price of safety, {path}: time ≤ {limit:0.00}× raw Npgsql without isolation", Ratio(safe.TimeRatio), safe.TimeRatio <= limit);
            yield return new Target($"price of safety, {path}: allocation ≤ 1.10× raw Npgsql without isolation", Ratio(safe.AllocRatio), safe.AllocRatio <= 1.10);
        }
        var generator = all.Where(m => m.Class == "GeneratorBenchmarks" && m.Method == "FullRun").ToList();
        var points = generator.Select(m => (Tables: int.Parse(m.Parameters.Split('=')[1], CultureInfo.InvariantCulture), m.MeanNs)).Where(p => p.Tables > 0).OrderBy(p => p.Tables).ToList();
        for (var i = 1; i < points.Count; i++)
            yield return new Target($"generator full run: {points[i].Tables:N0} vs {points[i - 1].Tables:N0} tables ({points[i].Tables / (double)points[i - 1].Tables:0.#}× the tables)",
                $"{points[i].MeanNs / points[i - 1].MeanNs:0.00}× the time", null);
        foreach (var cached in all.Where(m => m.Class == "GeneratorBenchmarks" && m.Method != "FullRun"))
            yield return new Target($"generator re-run after an unrelated edit ({cached.Parameters}): cached", $"{Time(cached.MeanNs)}, {Ratio(cached.TimeRatio)} of a full run", null);
    }

    private static string Ratio(double? ratio) => ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "";

    private static string Time(double ns)
        => ns >= 1e9 ? $"{ns / 1e9:0.00} s" : ns >= 1e6 ? $"{ns / 1e6:0.00} ms" : ns >= 1e3 ? $"{ns / 1e3:0.0} µs" : $"{ns:0} ns";

    private static string Bytes(long? bytes)
        => bytes is not { } b ? "" : b >= 1 << 20 ? $"{b / 1048576.0:0.0} MB" : b >= 1 << 10 ? $"{b / 1024.0:0.0} KB" : $"{b} B";
}
