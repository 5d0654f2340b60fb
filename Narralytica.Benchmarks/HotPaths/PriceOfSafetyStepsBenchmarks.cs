using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Benchmarks.Competitors;
using Narralytica.Benchmarks.Hosting;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// Where the price of tenant safety goes on the short hot paths, one step at a time, in one run: raw prepared Npgsql
/// without a tenant statement (the baseline); the same with the proof's <c>set_config</c> first in its batch, on a login
/// row-level security does not bind (the price of the second statement); the same batch as <c>narralytica_app</c> (the
/// policies and the verifier of the proof); the generated helper as <c>narralytica_app</c> (the data layer's own share).
/// Each ratio to the step before is that step's price.
/// </summary>
public class PriceOfSafetyStepsBenchmarks : DatabaseBenchmark
{
    private NpgsqlDataSource _plainDataSource = null!;
    private NpgsqlDataSource _appPlainDataSource = null!;
    private NpgsqlDataSource _appModelDataSource = null!;
    private NarralyticaDb _appDb = null!;
    private RawNpgsql _withoutTenantStatement = null!;
    private RawNpgsql _asApp = null!;
    private TenantScope _appScope = null!;

    private Guid _transcriptId;
    private int _fromMs;
    private int _toMs;
    private Guid[] _segmentIds = Array.Empty<Guid>();
    private string _kind = "";

    /// <summary>The short paths, where the fixed price per statement shows.</summary>
    [Params(HotPath.Window, HotPath.LatestLayer)]
    public HotPath Path { get; set; }

    protected override void ChooseInputs()
    {
        (_transcriptId, _fromMs, _toMs) = HotPathInputs.Window(Dataset, Tenant);
        _segmentIds = HotPathInputs.SegmentIds(Dataset, Tenant);
        _kind = Dataset.Options.LayerKinds[0];
    }

    protected override async Task SetUpMoreAsync(string connectionString)
    {
        _plainDataSource = NpgsqlDataSource.Create(connectionString);
        _withoutTenantStatement = await RawNpgsql.OpenWithoutIsolationAsync(_plainDataSource);
        var asApp = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c role=narralytica_app" }.ConnectionString;
        _appPlainDataSource = NpgsqlDataSource.Create(asApp);
        _asApp = await RawNpgsql.OpenAsync(_appPlainDataSource, BenchmarkEnvironment.TenantKey);
        _appModelDataSource = NarralyticaDb.CreateDataSource(asApp, BenchmarkEnvironment.TenantKey);
        _appDb = new NarralyticaDb(_appModelDataSource);
        _appScope = _appDb.ForTenant(Tenant.Id);
    }

    protected override async Task CleanUpMoreAsync()
    {
        await _withoutTenantStatement.DisposeAsync();
        await _asApp.DisposeAsync();
        await _appDb.DisposeAsync();
        await _appModelDataSource.DisposeAsync();
        await _appPlainDataSource.DisposeAsync();
        await _plainDataSource.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "1 raw, no tenant statement (superuser)")]
    public Task<int> WithoutTenantStatement() => RunRawAsync(_withoutTenantStatement);

    [Benchmark(Description = "2 raw, proof statement in the batch (superuser: no RLS)")]
    public Task<int> WithProofStatement() => RunRawAsync(Raw);

    [Benchmark(Description = "3 raw, proof statement, narralytica_app (RLS, verifier)")]
    public Task<int> WithPolicies() => RunRawAsync(_asApp);

    [Benchmark(Description = "4 generated helper, narralytica_app")]
    public async Task<int> GeneratedHelper() => Checked(Path switch
    {
        HotPath.Window => (await _appScope.SegmentsInWindowAsync(_transcriptId, _fromMs, _toMs)).Count,
        HotPath.LatestLayer => (await _appScope.LatestLayersAsync(_segmentIds, _kind)).Count,
        _ => throw new ArgumentOutOfRangeException(nameof(Path), Path, null),
    });

    private async Task<int> RunRawAsync(RawNpgsql raw) => Checked(Path switch
    {
        HotPath.Window => (await raw.WindowAsync(Tenant.Id, _transcriptId, _fromMs, _toMs)).Count,
        HotPath.LatestLayer => (await raw.LatestLayersAsync(Tenant.Id, _segmentIds, _kind)).Count,
        _ => throw new ArgumentOutOfRangeException(nameof(Path), Path, null),
    });

    /// <summary>An empty result cannot pass for a fast one (a step whose tenant did not reach the statement reads nothing).</summary>
    private int Checked(int rows)
        => rows > 0 ? rows : throw new InvalidOperationException($"{Path} returned no rows: the tenant did not reach the statement.");
}
