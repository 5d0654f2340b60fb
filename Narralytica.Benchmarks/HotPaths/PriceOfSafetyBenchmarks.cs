using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Benchmarks.Competitors;
using Narralytica.Benchmarks.Hosting;
using Narralytica.Model;
using Npgsql;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// What tenant safety costs an application, whole: each hot path through the generated helper as
/// <c>narralytica_app</c> with the signed tenant (the proof in the statement's batch, the policies verifying it),
/// against raw prepared Npgsql on a login row-level security does not bind, sending no tenant statement at all —
/// what an application without isolation pays. The ratio is the price of the scope, the proof, the policies and
/// the staged COPY together. The feed reads a 2,000-segment slice; ingest writes a transcript and rolls it back.
/// </summary>
public class PriceOfSafetyBenchmarks : DatabaseBenchmark
{
    private const int FeedSlice = 2_000;

    private NpgsqlDataSource _plainDataSource = null!;
    private RawNpgsql _unisolated = null!;
    private NpgsqlDataSource _appDataSource = null!;
    private NarralyticaDb _appDb = null!;
    private TenantScope _asApp = null!;

    private Guid _transcriptId;
    private int _fromMs, _toMs, _transcriptSegments;
    private Guid[] _segmentIds = Array.Empty<Guid>();
    private string _kind = "";
    private Guid _feedCursor;
    private IReadOnlyList<Segment> _ingestSegments = [];
    private IReadOnlyList<Layer> _ingestLayers = [];

    [Params(RowSecurityBenchmarks.HotPath.Window, RowSecurityBenchmarks.HotPath.WholeTranscript, RowSecurityBenchmarks.HotPath.LatestLayer,
        RowSecurityBenchmarks.HotPath.Feed, RowSecurityBenchmarks.HotPath.Ingest)]
    public RowSecurityBenchmarks.HotPath Path { get; set; }

    protected override void ChooseInputs()
    {
        (_transcriptId, _fromMs, _toMs) = HotPathInputs.Window(Dataset, Tenant);
        _transcriptSegments = Dataset.Options.SegmentsPerTranscript;
        _segmentIds = HotPathInputs.SegmentIds(Dataset, Tenant);
        _kind = Dataset.Options.LayerKinds[0];
        _feedCursor = HotPathInputs.FeedCursor(Dataset, Tenant);
        (_ingestSegments, _ingestLayers) = HotPathInputs.IngestRows(Dataset, Tenant);
    }

    protected override async Task SetUpMoreAsync(string connectionString)
    {
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var bypass = new NpgsqlCommand("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user", connection);
            if (await bypass.ExecuteScalarAsync() is not true)
                throw new InvalidOperationException("The price-of-safety baseline runs on a user row-level security does not bind: connect as a superuser or a BYPASSRLS role.");
        }
        _plainDataSource = NpgsqlDataSource.Create(connectionString);
        _unisolated = await RawNpgsql.OpenWithoutIsolationAsync(_plainDataSource);
        var asApp = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c role=narralytica_app" }.ConnectionString;
        _appDataSource = NarralyticaDb.CreateDataSource(asApp, BenchmarkEnvironment.TenantKey);
        _appDb = new NarralyticaDb(_appDataSource);
        _asApp = _appDb.ForTenant(Tenant.Id);
    }

    protected override async Task CleanUpMoreAsync()
    {
        await _unisolated.DisposeAsync();
        await _plainDataSource.DisposeAsync();
        await _appDb.DisposeAsync();
        await _appDataSource.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "raw Npgsql, no isolation (no RLS, no tenant statement)")]
    public async Task<int> WithoutIsolation()
    {
        var rows = Path switch
        {
            RowSecurityBenchmarks.HotPath.Window => (await _unisolated.WindowAsync(Tenant.Id, _transcriptId, _fromMs, _toMs)).Count,
            RowSecurityBenchmarks.HotPath.WholeTranscript => (await _unisolated.WholeTranscriptAsync(Tenant.Id, _transcriptId, _transcriptSegments)).Count,
            RowSecurityBenchmarks.HotPath.LatestLayer => (await _unisolated.LatestLayersAsync(Tenant.Id, _segmentIds, _kind)).Count,
            RowSecurityBenchmarks.HotPath.Feed => await _unisolated.FeedAsync(Tenant.Id, _feedCursor, FeedSlice, RebuildFeedBenchmarks.PageSize),
            RowSecurityBenchmarks.HotPath.Ingest => await _unisolated.IngestAndRollBackAsync(_ingestSegments, _ingestLayers),
            _ => throw new ArgumentOutOfRangeException(nameof(Path), Path, null),
        };
        return Checked(rows);
    }

    [Benchmark(Description = "generated helper, narralytica_app, signed tenant")]
    public async Task<int> GeneratedWithSignedTenant() => Checked(await RowSecurityBenchmarks.RunAsync(_asApp, Path, _transcriptId, _fromMs, _toMs,
        _segmentIds, _kind, _feedCursor, FeedSlice, _ingestSegments, _ingestLayers));

    /// <summary>An empty result cannot pass for a fast one.</summary>
    private int Checked(int rows)
        => rows > 0 ? rows : throw new InvalidOperationException($"{Path} returned no rows: the tenant did not reach the statement.");
}
