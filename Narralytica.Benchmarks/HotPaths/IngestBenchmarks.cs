using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Dataset;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// Bulk ingest of one transcript: its segments (2,000 in the full data set) and one layer per segment, in one
/// transaction rolled back at the end of each invocation, so the database stays as loaded. The rows fill the
/// tenant's spare transcript (loaded empty) and are built once; the Rows/s column counts segments + layers.
/// </summary>
public class IngestBenchmarks : DatabaseBenchmark
{
    protected IReadOnlyList<Segment> Segments { get; private set; } = [];
    protected IReadOnlyList<Layer> Layers { get; private set; } = [];

    /// <summary>Rows written per invocation (segments and layers), for the Rows/s column.</summary>
    public static int RowsPerInvocation(TranscriptDataset dataset) => 2 * dataset.Options.SegmentsPerTranscript;

    protected override void ChooseInputs()
    {
        (Segments, Layers) = HotPathInputs.IngestRows(Dataset, Tenant);
    }

    [Benchmark(Baseline = true, Description = "raw Npgsql, typed binary COPY")]
    public Task<int> RawNpgsql() => Raw.IngestAndRollBackAsync(Segments, Layers);

    [Benchmark(Description = "generated BulkInsertAsync")]
    public async Task<int> Generated()
    {
        await using var transaction = await Scope.Db.BeginTransactionAsync();
        var written = await Scope.BulkInsertAsync(Segments) + await Scope.BulkInsertAsync(Layers);
        await transaction.RollbackAsync();
        return (int)written;
    }

    [Benchmark(Description = "temporary table + COPY + INSERT … SELECT (the former BulkInsertAsync)")]
    public Task<int> ThroughTemporaryTable() => Raw.IngestThroughTemporaryTableAndRollBackAsync(Segments, Layers);

    [Benchmark(Description = "linq2db BulkCopy (ProviderSpecific)")]
    public Task<int> Linq2DbBulkCopy() => Linq2Db.IngestAndRollBackAsync(Segments, Layers);

    [Benchmark(Description = "EF Core AddRange + SaveChanges")]
    public Task<int> EfCoreSaveChanges() => EfCore.IngestAndRollBackAsync(Segments, Layers);
}
