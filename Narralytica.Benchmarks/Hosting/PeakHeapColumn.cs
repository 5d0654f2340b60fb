using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Narralytica.Benchmarks.Hosting;

/// <summary>The largest managed heap a benchmark case held at once (<see cref="PeakHeap"/>); "-" for benchmarks that do not track it.</summary>
public sealed class PeakHeapColumn : IColumn
{
    public string Id => nameof(PeakHeapColumn);
    public string ColumnName => "Peak heap";
    public bool AlwaysShow => false;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Size;
    public string Legend => "The largest managed heap (GC.GetTotalMemory) sampled while the benchmark ran, over all its invocations";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => PeakHeap.Read(KeyOf(benchmarkCase)) is null;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        => PeakHeap.Read(KeyOf(benchmarkCase)) is { } bytes ? $"{bytes / (1024.0 * 1024.0):N1} MB" : "-";

    /// <summary>The key the benchmark records under: its class, method and parameter values.</summary>
    public static string KeyOf(BenchmarkCase benchmarkCase)
        => PeakHeap.KeyOf(benchmarkCase.Descriptor.Type.Name, benchmarkCase.Descriptor.WorkloadMethod.Name,
            string.Join("-", benchmarkCase.Parameters.Items.Select(p => $"{p.Name}={p.Value}")));

    public override string ToString() => ColumnName;
}
