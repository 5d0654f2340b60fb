using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Benchmarks.Hosting;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>The hot paths a benchmark of isolation's price runs, one per invocation (<see cref="AppRoleHotPathBenchmark.Path"/>).</summary>
public enum HotPath
{
    Window,
    WholeTranscript,
    LatestLayer,
    Feed,
    Ingest,
}

/// <summary>
/// What the benchmarks of isolation's price share: the hot path as a parameter, its inputs, and a tenant scope of the
/// generated data layer connected as <c>narralytica_app</c> with the signed tenant (<see cref="AsApp"/>), next to the
/// loading superuser's (<see cref="DatabaseBenchmark.Scope"/>), which row-level security does not bind. The feed reads a
/// 2,000-segment slice; ingest writes a transcript and rolls it back.
/// </summary>
public abstract class AppRoleHotPathBenchmark : DatabaseBenchmark
{
    protected const int FeedSlice = 2_000;

    private NpgsqlDataSource _appDataSource = null!;
    private NarralyticaDb _appDb = null!;

    protected Guid TranscriptId { get; private set; }
    protected int FromMs { get; private set; }
    protected int ToMs { get; private set; }
    protected Guid[] SegmentIds { get; private set; } = Array.Empty<Guid>();
    protected string Kind { get; private set; } = "";
    protected Guid FeedCursor { get; private set; }
    protected IReadOnlyList<Segment> IngestSegments { get; private set; } = [];
    protected IReadOnlyList<Layer> IngestLayers { get; private set; } = [];

    /// <summary>The tenant scope as <c>narralytica_app</c>, signing its tenant with the benchmarks' key: what an application runs.</summary>
    protected TenantScope AsApp { get; private set; } = null!;

    [Params(HotPath.Window, HotPath.WholeTranscript, HotPath.LatestLayer, HotPath.Feed, HotPath.Ingest)]
    public HotPath Path { get; set; }

    protected override void ChooseInputs()
    {
        (var transcriptId, var fromMs, var toMs) = HotPathInputs.Window(Dataset, Tenant);
        (TranscriptId, FromMs, ToMs) = (transcriptId, fromMs, toMs);
        SegmentIds = HotPathInputs.SegmentIds(Dataset, Tenant);
        Kind = Dataset.Options.LayerKinds[0];
        FeedCursor = HotPathInputs.FeedCursor(Dataset, Tenant);
        (var segments, var layers) = HotPathInputs.IngestRows(Dataset, Tenant);
        (IngestSegments, IngestLayers) = (segments, layers);
    }

    protected override async Task SetUpMoreAsync(string connectionString)
    {
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var bypass = new NpgsqlCommand("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user", connection);
            if (await bypass.ExecuteScalarAsync() is not true)
                throw new InvalidOperationException($"{GetType().Name} compares with a user row-level security does not bind: connect as a superuser or a BYPASSRLS role.");
        }
        var asApp = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c role=narralytica_app" }.ConnectionString;
        _appDataSource = NarralyticaDb.CreateDataSource(asApp, BenchmarkEnvironment.TenantKey);
        _appDb = new NarralyticaDb(_appDataSource);
        AsApp = _appDb.ForTenant(Tenant.Id);
        await SetUpBaselineAsync(connectionString);
    }

    /// <summary>What the subclass's baseline needs beyond the superuser's scope.</summary>
    protected virtual Task SetUpBaselineAsync(string connectionString) => Task.CompletedTask;

    /// <summary>Releases what <see cref="SetUpBaselineAsync"/> took.</summary>
    protected virtual Task CleanUpBaselineAsync() => Task.CompletedTask;

    protected override async Task CleanUpMoreAsync()
    {
        await CleanUpBaselineAsync();
        await _appDb.DisposeAsync();
        await _appDataSource.DisposeAsync();
    }

    /// <summary>The hot path through the generated helpers of <paramref name="scope"/>; returns the rows handled, checked.</summary>
    protected async Task<int> RunGeneratedAsync(TenantScope scope) => Checked(Path switch
    {
        HotPath.Window => (await scope.SegmentsInWindowAsync(TranscriptId, FromMs, ToMs)).Count,
        HotPath.WholeTranscript => (await scope.TranscriptSegmentsAsync(TranscriptId)).Count,
        HotPath.LatestLayer => (await scope.LatestLayersAsync(SegmentIds, Kind)).Count,
        HotPath.Feed => await ReadFeedAsync(scope),
        HotPath.Ingest => await IngestAndRollBackAsync(scope),
        _ => throw new ArgumentOutOfRangeException(nameof(Path), Path, null),
    });

    /// <summary>An empty result cannot pass for a fast one.</summary>
    protected int Checked(int rows)
        => rows > 0 ? rows : throw new InvalidOperationException($"{Path} returned no rows: the tenant did not reach the statement.");

    private async Task<int> ReadFeedAsync(TenantScope scope)
    {
        var items = 0;
        await foreach (var _ in scope.SegmentFeedAsync(FeedCursor, RebuildFeedBenchmarks.PageSize))
            if (++items == FeedSlice)
                break;
        return items;
    }

    private async Task<int> IngestAndRollBackAsync(TenantScope scope)
    {
        await using var transaction = await scope.Db.BeginTransactionAsync();
        var written = await scope.BulkInsertAsync(IngestSegments) + await scope.BulkInsertAsync(IngestLayers);
        await transaction.RollbackAsync();
        return (int)written;
    }
}
