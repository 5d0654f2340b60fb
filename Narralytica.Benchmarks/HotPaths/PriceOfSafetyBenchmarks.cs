using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Benchmarks.Competitors;
using Npgsql;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// What tenant safety costs an application, whole: each hot path through the generated helper as
/// <c>narralytica_app</c> with the signed tenant (the proof in the statement's batch, the policies verifying it, the
/// staged COPY), against raw prepared Npgsql on a login row-level security does not bind, sending no tenant
/// statement at all: what an application without isolation pays.
/// </summary>
public class PriceOfSafetyBenchmarks : AppRoleHotPathBenchmark
{
    private NpgsqlDataSource _plainDataSource = null!;
    private RawNpgsql _withoutIsolation = null!;

    protected override async Task SetUpBaselineAsync(string connectionString)
    {
        _plainDataSource = NpgsqlDataSource.Create(connectionString);
        _withoutIsolation = await RawNpgsql.OpenWithoutIsolationAsync(_plainDataSource);
    }

    protected override async Task CleanUpBaselineAsync()
    {
        await _withoutIsolation.DisposeAsync();
        await _plainDataSource.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "raw Npgsql, no isolation (no RLS, no tenant statement)")]
    public async Task<int> WithoutIsolation() => Checked(Path switch
    {
        HotPath.Window => (await _withoutIsolation.WindowAsync(Tenant.Id, TranscriptId, FromMs, ToMs)).Count,
        HotPath.WholeTranscript => (await _withoutIsolation.WholeTranscriptAsync(Tenant.Id, TranscriptId, Dataset.Options.SegmentsPerTranscript)).Count,
        HotPath.LatestLayer => (await _withoutIsolation.LatestLayersAsync(Tenant.Id, SegmentIds, Kind)).Count,
        HotPath.Feed => await _withoutIsolation.FeedAsync(Tenant.Id, FeedCursor, FeedSlice, RebuildFeedBenchmarks.PageSize),
        HotPath.Ingest => await _withoutIsolation.IngestAndRollBackAsync(IngestSegments, IngestLayers),
        _ => throw new ArgumentOutOfRangeException(nameof(Path), Path, null),
    });

    [Benchmark(Description = "generated helper, narralytica_app, signed tenant")]
    public Task<int> GeneratedWithSignedTenant() => RunGeneratedAsync(AsApp);
}
