using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// Every segment of a transcript in order (2,000 rows in the full data set; <see cref="HotPathSql.WholeTranscript"/>):
/// mostly the cost of reading and materializing rows. Raw Npgsql is the floor.
/// </summary>
public class WholeTranscriptBenchmarks : DatabaseBenchmark
{
    protected Guid TranscriptId { get; private set; }

    protected override void ChooseInputs() => TranscriptId = HotPathInputs.MiddleTranscriptId(Dataset, Tenant);

    [Benchmark(Baseline = true, Description = "raw Npgsql, prepared")]
    public Task<List<Segment>> RawNpgsql() => Raw.WholeTranscriptAsync(Tenant.Id, TranscriptId, Dataset.Options.SegmentsPerTranscript);

    [Benchmark(Description = "generated helper")]
    public Task<List<Segment>> Generated() => Scope.TranscriptSegmentsAsync(TranscriptId);

    [Benchmark(Description = "Dapper")]
    public Task<List<Segment>> DapperSql() => Dapper.WholeTranscriptAsync(Tenant.Id, TranscriptId);

    [Benchmark(Description = "EF Core LINQ")]
    public Task<List<Segment>> EfCoreLinq() => EfCore.WholeTranscriptAsync(Tenant.Id, TranscriptId);

    [Benchmark(Description = "linq2db LINQ, tenant scope")]
    public Task<List<Segment>> Linq2DbLinq() => Linq2Db.WholeTranscriptAsync(TranscriptId);
}
