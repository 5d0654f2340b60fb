using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Benchmarks.Hosting;
using Narralytica.Model;
using Npgsql;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// What row-level security costs on each hot path: the same generated helper, the same statements and the
/// same tenant setting, once on a connection row-level security does not bind (the loading superuser: RLS
/// off, the baseline) and once as <c>narralytica_app</c>, which the policies bind (RLS on). The ratio is the
/// policies' own cost: their predicate on every row read or written, the escape hatch's check once per
/// statement. The feed reads a 2,000-segment slice here; ingest writes a transcript and rolls it back.
/// </summary>
public class RowSecurityBenchmarks : DatabaseBenchmark
{
    private const int FeedSlice = 2_000;

    private NpgsqlDataSource _appDataSource = null!;
    private NarralyticaDb _appDb = null!;
    private TenantScope _asApp = null!;

    private Guid _transcriptId;
    private int _fromMs, _toMs;
    private Guid[] _segmentIds = Array.Empty<Guid>();
    private string _kind = "";
    private Guid _feedCursor;
    private IReadOnlyList<Segment> _ingestSegments = [];
    private IReadOnlyList<Layer> _ingestLayers = [];

    public enum HotPath
    {
        Window,
        WholeTranscript,
        LatestLayer,
        Feed,
        Ingest,
    }

    [Params(HotPath.Window, HotPath.WholeTranscript, HotPath.LatestLayer, HotPath.Feed, HotPath.Ingest)]
    public HotPath Path { get; set; }

    protected override void ChooseInputs()
    {
        (_transcriptId, _fromMs, _toMs) = HotPathInputs.Window(Dataset, Tenant);
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
                throw new InvalidOperationException("The row-security benchmarks compare with a user row-level security does not bind: connect as a superuser or a BYPASSRLS role.");
        }
        var asApp = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c role=narralytica_app" }.ConnectionString;
        _appDataSource = NarralyticaDb.CreateDataSource(asApp, BenchmarkEnvironment.TenantKey);
        _appDb = new NarralyticaDb(_appDataSource);
        _asApp = _appDb.ForTenant(Tenant.Id);
    }

    protected override async Task CleanUpMoreAsync()
    {
        await _appDb.DisposeAsync();
        await _appDataSource.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "generated helper, RLS off (superuser)")]
    public Task<int> RowSecurityOff() => RunAsync(Scope);

    [Benchmark(Description = "generated helper, RLS on (narralytica_app)")]
    public Task<int> RowSecurityOn() => RunAsync(_asApp);

    /// <summary>The hot path through <paramref name="scope"/>; returns the rows handled, checked, so an empty result cannot pass for a fast one.</summary>
    private async Task<int> RunAsync(TenantScope scope)
    {
        var rows = await RunAsync(scope, Path, _transcriptId, _fromMs, _toMs, _segmentIds, _kind, _feedCursor, FeedSlice, _ingestSegments, _ingestLayers);
        if (rows == 0)
            throw new InvalidOperationException($"{Path} returned no rows: the tenant setting did not reach the statement.");
        return rows;
    }

    /// <summary>
    /// One hot path through the generated helpers of <paramref name="scope"/>, as an application calls them; returns the
    /// rows handled. The feed stops after <paramref name="feedSlice"/> segments; ingest writes and rolls back.
    /// </summary>
    internal static async Task<int> RunAsync(TenantScope scope, HotPath path, Guid transcriptId, int fromMs, int toMs, Guid[] segmentIds, string kind,
        Guid feedCursor, int feedSlice, IReadOnlyList<Segment> ingestSegments, IReadOnlyList<Layer> ingestLayers) => path switch
    {
        HotPath.Window => (await scope.SegmentsInWindowAsync(transcriptId, fromMs, toMs)).Count,
        HotPath.WholeTranscript => (await scope.TranscriptSegmentsAsync(transcriptId)).Count,
        HotPath.LatestLayer => (await scope.LatestLayersAsync(segmentIds, kind)).Count,
        HotPath.Feed => await ReadFeedAsync(scope, feedCursor, feedSlice),
        HotPath.Ingest => await IngestAndRollBackAsync(scope, ingestSegments, ingestLayers),
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, null),
    };

    private static async Task<int> ReadFeedAsync(TenantScope scope, Guid cursor, int slice)
    {
        var items = 0;
        await foreach (var _ in scope.SegmentFeedAsync(cursor, RebuildFeedBenchmarks.PageSize))
            if (++items == slice)
                break;
        return items;
    }

    private static async Task<int> IngestAndRollBackAsync(TenantScope scope, IReadOnlyList<Segment> segments, IReadOnlyList<Layer> layers)
    {
        await using var transaction = await scope.Db.BeginTransactionAsync();
        var written = await scope.BulkInsertAsync(segments) + await scope.BulkInsertAsync(layers);
        await transaction.RollbackAsync();
        return (int)written;
    }
}
