using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using LinqToDB.Data;
using Narralytica.Dataset;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.HotPaths;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.TenantContext;

/// <summary>
/// The generated helpers (find by key, the named queries, the feed) as <c>narralytica_app</c>, under row-level
/// security, on the loaded data set: each returns what it returns to the superuser (which RLS exempts), and the
/// tenant it sets lasts for its own transaction only.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FastPathTests : IAsyncLifetime
{
    private readonly PostgresFixture _postgres;
    private LoadedDataset _loaded = null!;
    private NpgsqlDataSource _appSource = null!;
    private NpgsqlDataSource _superuserSource = null!;
    private NarralyticaDb _app = null!;
    private NarralyticaDb _superuser = null!;

    public FastPathTests(PostgresFixture postgres) => _postgres = postgres;

    public async Task InitializeAsync()
    {
        _loaded = await LoadedDataset.GetAsync(_postgres);
        _appSource = TestTenantKey.CreateDataSource(AppRoleTest.AsApp(_loaded.ConnectionString));
        _superuserSource = TestTenantKey.CreateDataSource(_loaded.ConnectionString);
        _app = new NarralyticaDb(_appSource);
        _superuser = new NarralyticaDb(_superuserSource);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _superuser.DisposeAsync();
        await _appSource.DisposeAsync();
        await _superuserSource.DisposeAsync();
    }

    private TranscriptDataset Data => _loaded.Dataset;

    public static IEnumerable<object[]> Tenants => new[] { new object[] { 0 }, new object[] { 1 } };

    [Fact]
    public async Task Row_level_security_is_in_force_for_the_app_role()
    {
        Assert.Equal("narralytica_app", await _app.ExecuteAsync<string>("SELECT current_user"));
        Assert.Equal(0L, await _app.ExecuteAsync<long>("SELECT count(*) FROM segments"));
        Assert.True(await _superuser.ExecuteAsync<long>("SELECT count(*) FROM segments") > 0);
    }

    [Theory]
    [MemberData(nameof(Tenants))]
    public async Task Every_helper_returns_to_the_app_role_what_it_returns_unrestricted(int tenantIndex)
    {
        var asApp = await RunEveryHelperAsync(_app, tenantIndex);
        var unrestricted = await RunEveryHelperAsync(_superuser, tenantIndex);
        Assert.Equal(unrestricted.Keys, asApp.Keys);
        foreach (var (helper, result) in unrestricted)
        {
            Assert.True(result.Length > 10, $"{helper}: the data set should give it rows, got {result}");
            Assert.True(result == asApp[helper], $"{helper} as narralytica_app: {asApp[helper]}\nunrestricted: {result}");
        }
    }

    /// <summary>Each helper's result, as JSON; after each, the connection names no tenant any more.</summary>
    private async Task<Dictionary<string, string>> RunEveryHelperAsync(NarralyticaDb db, int tenantIndex)
    {
        var tenant = Data.Tenants[tenantIndex];
        var scope = db.ForTenant(tenant.Id);
        var content = Data.Content(tenant, 3);
        var segment = content.Segments[40];
        var (from, to) = content.WindowOver(100, 20);
        var kind = Data.Options.LayerKinds[0];
        var layer = content.Layers.First(l => l.SegmentId == segment.Id);
        var results = new Dictionary<string, string>();

        async Task Record(string helper, Func<Task<object?>> call)
        {
            results[helper] = JsonSerializer.Serialize(await call());
            Assert.True(string.IsNullOrEmpty(await AppRoleTest.TenantSettingAsync(db)), $"{helper} left the tenant set on the connection");
        }

        await Record("FindSegment", () => Task.FromResult<object?>(scope.FindSegment(segment.Id)));
        await Record("FindSegmentAsync", async () => await scope.FindSegmentAsync(segment.Id));
        await Record("FindTranscriptAsync", async () => await scope.FindTranscriptAsync(content.Header.Transcript.Id));
        await Record("FindVideoAsync", async () => await scope.FindVideoAsync(content.Header.Video.Id));
        await Record("FindSpeakerAsync", async () => await scope.FindSpeakerAsync(content.Header.Speakers[0].Id));
        await Record("FindLayerAsync", async () => await scope.FindLayerAsync(layer.Id));
        await Record("SegmentsInWindowAsync", async () => await scope.SegmentsInWindowAsync(content.Header.Transcript.Id, from, to));
        await Record("TranscriptSegmentsAsync", async () => await scope.TranscriptSegmentsAsync(content.Header.Transcript.Id));
        await Record("SpeakerSegmentsAsync", async () => await scope.SpeakerSegmentsAsync(content.Segments.First(s => s.SpeakerId is not null).SpeakerId!.Value));
        await Record("LatestLayersAsync", async () => await scope.LatestLayersAsync(content.Segments.Skip(10).Take(20).Select(s => s.Id).ToArray(), kind));
        await Record("LayerHistoryAsync", async () => await scope.LayerHistoryAsync(segment.Id, kind));
        await Record("SegmentFeedAsync", async () =>
        {
            var feed = new List<SegmentFeedItem>();
            await foreach (var item in scope.SegmentFeedAsync(pageSize: 700))
                feed.Add(item);
            Assert.Equal(Data.SegmentCount(tenant), feed.Count);
            return feed.Select(f => $"{f.Segment.Id}: {string.Join(" ", f.LatestLayers.Select(l => l.Id))}").ToList();
        });
        await Record("FindTenantAsync", async () => await db.FindTenantAsync(tenant.Id)); // a global table: no tenant, no RLS
        return results;
    }

    [Fact]
    public async Task Inside_a_transaction_the_tenant_lasts_until_it_ends_and_covers_every_statement_of_it()
    {
        var tenant = Data.Tenants[0];
        var scope = _app.ForTenant(tenant.Id);
        var content = Data.Content(tenant, 5);

        await using (var transaction = await _app.BeginTransactionAsync())
        {
            Assert.NotNull(await scope.FindSegmentAsync(content.Segments[3].Id));
            Assert.Equal(tenant.Id.ToString(), await AppRoleTest.TenantSettingAsync(_app));
            Assert.Equal(Data.Options.SegmentsPerTranscript, (await scope.TranscriptSegmentsAsync(content.Header.Transcript.Id)).Count);
            // Until the transaction ends, even hand-written SQL on this connection runs for the tenant.
            Assert.Equal((long)Data.SegmentCount(tenant), await _app.ExecuteAsync<long>("SELECT count(*) FROM segments"));
            await transaction.CommitAsync();
        }
        Assert.True(string.IsNullOrEmpty(await AppRoleTest.TenantSettingAsync(_app)));
        Assert.Equal(0L, await _app.ExecuteAsync<long>("SELECT count(*) FROM segments"));

        await using (var transaction = await _app.BeginTransactionAsync())
        {
            Assert.NotNull(scope.FindSegment(content.Segments[4].Id));
            Assert.Equal(tenant.Id.ToString(), await AppRoleTest.TenantSettingAsync(_app));
            await transaction.RollbackAsync();
        }
        Assert.True(string.IsNullOrEmpty(await AppRoleTest.TenantSettingAsync(_app)));
    }

    [Fact]
    public async Task The_other_tenants_rows_stay_out_of_reach_as_the_app_role()
    {
        var a = Data.Content(Data.Tenants[0], 1);
        var scopeB = _app.ForTenant(Data.Tenants[1].Id);
        Assert.Null(await scopeB.FindSegmentAsync(a.Segments[0].Id));
        Assert.Empty(await scopeB.TranscriptSegmentsAsync(a.Header.Transcript.Id));
        Assert.Empty(await scopeB.LatestLayersAsync(a.Segments.Select(s => s.Id).ToArray(), Data.Options.LayerKinds[0]));
    }
}
