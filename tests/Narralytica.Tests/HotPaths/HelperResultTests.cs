using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Dataset;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.HotPaths;

/// <summary>
/// Every generated helper against the answer of plain SQL written independently (no index tricks,
/// no lateral joins) on the generated data set, for both tenants; and a tenant never sees the other's rows.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HelperResultTests : IAsyncLifetime
{
    private readonly PostgresFixture _postgres;
    private LoadedDataset _loaded = null!;
    private NpgsqlDataSource _dataSource = null!;
    private NarralyticaDb _db = null!;

    public HelperResultTests(PostgresFixture postgres) => _postgres = postgres;

    public async Task InitializeAsync()
    {
        _loaded = await LoadedDataset.GetAsync(_postgres);
        _dataSource = TestTenantKey.CreateDataSource(_loaded.ConnectionString);
        _db = new NarralyticaDb(_dataSource);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    private TranscriptDataset Data => _loaded.Dataset;

    public static IEnumerable<object[]> Tenants => new[] { new object[] { 0 }, new object[] { 1 } };

    private (DatasetTenant Tenant, TenantScope Scope) Tenant(int index)
    {
        var tenant = Data.Tenants[index];
        return (tenant, _db.ForTenant(tenant.Id));
    }

    private const string SegmentColumns = "tenant_id, id, transcript_id, speaker_id, ordinal, start_ms, end_ms, text, confidence, created_at, updated_at";
    private const string LayerColumns = "tenant_id, id, segment_id, kind, version, producer, model, payload, created_at";

    private static string Describe(Segment s)
        => $"{s.TenantId}|{s.Id}|{s.TranscriptId}|{s.SpeakerId}|{s.Ordinal}|{s.StartMs}|{s.EndMs}|{s.Text}|{s.Confidence}|{s.CreatedAt.UtcTicks}|{s.UpdatedAt.UtcTicks}";

    private static string Describe(Layer l)
        => $"{l.TenantId}|{l.Id}|{l.SegmentId}|{l.Kind}|{l.Version}|{l.Producer}|{l.Model}|{l.Payload}|{l.CreatedAt.UtcTicks}";

    /// <summary>Rows of a plain query, each column read by name and described as the helpers' rows are.</summary>
    private async Task<List<string>> RawAsync(string table, string sql, params object[] parameters)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
            command.Parameters.AddWithValue(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var values = Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? ""
                : reader.GetValue(i) switch
                {
                    DateTime t => new DateTimeOffset(t.ToUniversalTime()).UtcTicks.ToString(),
                    var v => Convert.ToString(v, System.Globalization.CultureInfo.CurrentCulture)!,
                });
            rows.Add(string.Join("|", values));
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(Tenants))]
    public async Task Window_equals_the_plain_overlap_query_at_every_position(int tenantIndex)
    {
        var (tenant, scope) = Tenant(tenantIndex);
        var content = Data.Content(tenant, 3);
        var last = content.Segments[^1];
        var windows = new List<(int From, int To)>
        {
            (0, 1), content.WindowOver(0, 20), content.WindowOver(140, 20), (content.Segments[150].StartMs + 1, content.Segments[160].EndMs - 1),
            (last.StartMs, last.EndMs + 100_000), (last.EndMs, last.EndMs + 10), (5000, 5000),
        };
        var nonEmpty = 0;
        foreach (var (from, to) in windows)
        {
            var helper = (await scope.SegmentsInWindowAsync(content.Header.Transcript.Id, from, to)).Select(Describe).ToList();
            var raw = await RawAsync("segments", $"SELECT {SegmentColumns} FROM segments WHERE tenant_id = $1 AND transcript_id = $2 AND start_ms < $4 AND end_ms > $3 ORDER BY start_ms",
                tenant.Id, content.Header.Transcript.Id, from, to);
            Assert.Equal(raw, helper);
            nonEmpty += helper.Count > 0 ? 1 : 0;
        }
        Assert.Equal(20, (await scope.SegmentsInWindowAsync(content.Header.Transcript.Id, windows[2].From, windows[2].To)).Count);
        Assert.True(nonEmpty >= 4);
    }

    [Theory]
    [MemberData(nameof(Tenants))]
    public async Task Whole_transcript_and_speaker_segments_equal_plain_SQL(int tenantIndex)
    {
        var (tenant, scope) = Tenant(tenantIndex);
        var content = Data.Content(tenant, 7);
        var transcript = (await scope.TranscriptSegmentsAsync(content.Header.Transcript.Id)).Select(Describe).ToList();
        Assert.Equal(Data.Options.SegmentsPerTranscript, transcript.Count);
        Assert.Equal(await RawAsync("segments", $"SELECT {SegmentColumns} FROM segments WHERE tenant_id = $1 AND transcript_id = $2 ORDER BY ordinal",
            tenant.Id, content.Header.Transcript.Id), transcript);

        var speaker = content.Segments.First(s => s.SpeakerId is not null).SpeakerId!.Value;
        var bySpeaker = (await scope.SpeakerSegmentsAsync(speaker)).Select(Describe).ToList();
        Assert.NotEmpty(bySpeaker);
        Assert.Equal(await RawAsync("segments", $"SELECT {SegmentColumns} FROM segments WHERE tenant_id = $1 AND speaker_id = $2 ORDER BY transcript_id, ordinal",
            tenant.Id, speaker), bySpeaker);
    }

    [Theory]
    [MemberData(nameof(Tenants))]
    public async Task Latest_layers_equal_the_highest_version_per_segment_in_the_order_asked(int tenantIndex)
    {
        var (tenant, scope) = Tenant(tenantIndex);
        var content = Data.Content(tenant, 2);
        var random = new Random(7);
        var ids = content.Segments.Skip(40).Take(25).Select(s => s.Id).OrderBy(_ => random.Next()).ToList();
        ids.Insert(5, Guid.CreateVersion7());                                      // no such segment: no row
        ids.Insert(9, Data.Content(Data.Tenants[1 - tenantIndex], 2).Segments[0].Id); // the other tenant's: no row
        foreach (var kind in Data.Options.LayerKinds)
        {
            var helper = (await scope.LatestLayersAsync(ids.ToArray(), kind)).Select(Describe).ToList();
            var latest = await RawAsync("layers",
                $"SELECT DISTINCT ON (segment_id) {LayerColumns} FROM layers WHERE tenant_id = $1 AND segment_id = ANY($2) AND kind = $3 ORDER BY segment_id, version DESC",
                tenant.Id, ids.ToArray(), kind);
            var expected = ids.SelectMany(id => latest.Where(row => row.Split('|')[2] == id.ToString())).ToList();
            Assert.Equal(25, helper.Count);
            Assert.Equal(expected, helper);
            Assert.All(helper, row => Assert.Equal(Data.Options.LayerVersions.ToString(), row.Split('|')[4]));
        }
    }

    [Theory]
    [MemberData(nameof(Tenants))]
    public async Task Layer_history_and_find_by_key_equal_plain_SQL(int tenantIndex)
    {
        var (tenant, scope) = Tenant(tenantIndex);
        var segment = Data.Content(tenant, 4).Segments[11];
        var kind = Data.Options.LayerKinds[1];
        var history = (await scope.LayerHistoryAsync(segment.Id, kind)).Select(Describe).ToList();
        Assert.Equal(Data.Options.LayerVersions, history.Count);
        Assert.Equal(await RawAsync("layers", $"SELECT {LayerColumns} FROM layers WHERE tenant_id = $1 AND segment_id = $2 AND kind = $3 ORDER BY version DESC",
            tenant.Id, segment.Id, kind), history);

        var found = await scope.FindSegmentAsync(segment.Id);
        Assert.Equal(await RawAsync("segments", $"SELECT {SegmentColumns} FROM segments WHERE id = $1", segment.Id), new[] { Describe(found!) });
    }

    [Theory]
    [MemberData(nameof(Tenants))]
    public async Task The_feed_equals_every_segment_by_id_with_its_latest_layer_per_kind(int tenantIndex)
    {
        var (tenant, scope) = Tenant(tenantIndex);
        var segments = await RawAsync("segments", $"SELECT {SegmentColumns} FROM segments WHERE tenant_id = $1 ORDER BY id", tenant.Id);
        var latest = (await RawAsync("layers", $"SELECT DISTINCT ON (segment_id, kind) {LayerColumns} FROM layers WHERE tenant_id = $1 ORDER BY segment_id, kind, version DESC", tenant.Id))
            .ToLookup(row => row.Split('|')[2]);
        var expected = segments.Select(s => s + " => " + string.Join(" ; ", latest[s.Split('|')[1]])).ToList();

        var feed = new List<string>();
        await foreach (var item in scope.SegmentFeedAsync(pageSize: 700))
            feed.Add(Describe(item.Segment) + " => " + string.Join(" ; ", item.LatestLayers.Select(Describe)));
        Assert.Equal(Data.SegmentCount(tenant), feed.Count);
        Assert.Equal(expected, feed);
    }

    [Fact]
    public async Task A_tenant_reaches_none_of_the_other_tenants_rows_through_any_helper()
    {
        var (a, _) = Tenant(0);
        var (_, scopeB) = Tenant(1);
        var content = Data.Content(a, 1);
        var segment = content.Segments[30];
        Assert.Empty(await scopeB.SegmentsInWindowAsync(content.Header.Transcript.Id, 0, int.MaxValue));
        Assert.Empty(await scopeB.TranscriptSegmentsAsync(content.Header.Transcript.Id));
        Assert.Empty(await scopeB.SpeakerSegmentsAsync(content.Segments.First(s => s.SpeakerId is not null).SpeakerId!.Value));
        Assert.Empty(await scopeB.LatestLayersAsync(content.Segments.Select(s => s.Id).ToArray(), Data.Options.LayerKinds[0]));
        Assert.Empty(await scopeB.LayerHistoryAsync(segment.Id, Data.Options.LayerKinds[0]));
        Assert.Null(await scopeB.FindSegmentAsync(segment.Id));
        Assert.Null(await scopeB.FindTranscriptAsync(content.Header.Transcript.Id));
        await foreach (var item in scopeB.SegmentFeedAsync(after: segment.Id))
            Assert.Equal(scopeB.TenantId, item.Segment.TenantId);
    }
}
