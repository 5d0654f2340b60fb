using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// Segments of a transcript overlapping a time window, in time order: 20 segments from the middle of the
/// middle transcript of a tenant (<see cref="HotPathSql.Window"/>). Raw Npgsql is the floor.
/// </summary>
public class TranscriptWindowBenchmarks : DatabaseBenchmark
{
    protected Guid TranscriptId { get; private set; }
    protected int FromMs { get; private set; }
    protected int ToMs { get; private set; }

    protected override void ChooseInputs() => (TranscriptId, FromMs, ToMs) = HotPathInputs.Window(Dataset, Tenant);

    [Benchmark(Baseline = true, Description = "raw Npgsql, prepared")]
    public Task<List<Segment>> RawNpgsql() => Raw.WindowAsync(Tenant.Id, TranscriptId, FromMs, ToMs);

    [Benchmark(Description = "generated helper")]
    public Task<List<Segment>> Generated() => Scope.SegmentsInWindowAsync(TranscriptId, FromMs, ToMs);

    [Benchmark(Description = "Dapper")]
    public Task<List<Segment>> DapperSql() => Dapper.WindowAsync(Tenant.Id, TranscriptId, FromMs, ToMs);

    [Benchmark(Description = "EF Core LINQ")]
    public Task<List<Segment>> EfCoreLinq() => EfCore.WindowAsync(Tenant.Id, TranscriptId, FromMs, ToMs);

    [Benchmark(Description = "linq2db LINQ, tenant scope")]
    public Task<List<Segment>> Linq2DbLinq() => Linq2Db.WindowAsync(TranscriptId, FromMs, ToMs);
}
