using System;
using System.Collections.Generic;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Narralytica.Benchmarks.Hosting;

/// <summary>
/// Rows per second for the benchmarks that move many rows per invocation (the feed, the ingest): rows per
/// invocation, given per benchmark class, divided by the mean time. Empty for the other benchmarks.
/// </summary>
public sealed class RowsPerSecondColumn : IColumn
{
    private readonly IReadOnlyDictionary<Type, int> _rowsPerInvocation;

    public RowsPerSecondColumn(IReadOnlyDictionary<Type, int> rowsPerInvocation) => _rowsPerInvocation = rowsPerInvocation;

    public string Id => nameof(RowsPerSecondColumn);
    public string ColumnName => "Rows/s";
    public bool AlwaysShow => false;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Rows read or written per second: segments for the feed, segments + layers for the ingest";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => !_rowsPerInvocation.ContainsKey(benchmarkCase.Descriptor.Type);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (!_rowsPerInvocation.TryGetValue(benchmarkCase.Descriptor.Type, out var rows))
            return "-";
        var meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return meanNanoseconds is > 0 ? (rows / (meanNanoseconds.Value / 1e9)).ToString("N0", style.CultureInfo) : "NA";
    }

    public override string ToString() => ColumnName;
}
