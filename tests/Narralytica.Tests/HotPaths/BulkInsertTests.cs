using System;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Integration;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.HotPaths;

/// <summary>BulkInsertAsync (binary COPY): stamped with the scope's tenant, every constraint checked, all or nothing.</summary>
public class BulkInsertTests : DatabaseTest
{
    public BulkInsertTests(PostgresFixture postgres) : base(postgres) { }

    private static Segment[] Segments(Guid transcriptId, int count, Guid? speakerId = null)
        => Enumerable.Range(0, count).Select(i => new Segment
        {
            TranscriptId = transcriptId, SpeakerId = i % 3 == 0 ? null : speakerId, Ordinal = i,
            StartMs = i * 1000, EndMs = i * 1000 + 900, Text = $"segment {i}", Confidence = i % 4 == 0 ? null : 0.5f,
        }).ToArray();

    [Fact]
    public async Task A_transcript_with_its_segments_and_layers_goes_in_in_one_transaction_stamped_with_the_tenant()
    {
        var graph = await TenantGraph.CreateAsync(Db, await NewTenantAsync("bulk"));
        var scope = graph.Scope;
        var transcript = new Transcript { VideoId = graph.Video.Id, Language = "fr", Origin = TranscriptOrigin.Asr };
        var segments = Segments(transcript.Id, 250, graph.Speaker.Id);
        await scope.InTransactionAsync(async s =>
        {
            await s.InsertAsync(transcript);
            foreach (var segment in segments)
                segment.TranscriptId = transcript.Id;
            Assert.Equal(250UL, await s.BulkInsertAsync(segments));
            var layers = segments.Select(x => new Layer { SegmentId = x.Id, Kind = "summary", Version = 1, Producer = "bulk", Payload = "{\"n\": 1}" });
            Assert.Equal(250UL, await s.BulkInsertAsync(layers));
            // The generated queries run in the same transaction: they see its uncommitted rows.
            Assert.Equal(250, (await s.TranscriptSegmentsAsync(transcript.Id)).Count);
            Assert.Single(await s.LatestLayersAsync(new[] { segments[7].Id }, "summary"));
        });

        Assert.All(segments, s => Assert.Equal(scope.TenantId, s.TenantId));
        Assert.All(segments, s => Assert.NotEqual(Guid.Empty, s.Id));
        var stored = await scope.TranscriptSegmentsAsync(transcript.Id);
        Assert.Equal(segments.Select(Describe), stored.Select(Describe));
        Assert.Equal(250L, await ScalarAsync<long>("SELECT count(*) FROM layers WHERE tenant_id = $1 AND producer = 'bulk'", scope.TenantId));
    }

    // Everything a reader and a writer must carry over; timestamps to the microsecond PostgreSQL keeps.
    private static string Describe(Segment s)
        => $"{s.TenantId} {s.Id} {s.TranscriptId} {s.SpeakerId} {s.Ordinal} {s.StartMs} {s.EndMs} {s.Text} {s.Confidence} {s.CreatedAt.UtcTicks / 10} {s.UpdatedAt.UtcTicks / 10}";

    [Fact]
    public async Task Enum_json_bigint_and_nullable_columns_round_trip_through_COPY_and_the_typed_reader()
    {
        var graph = await TenantGraph.CreateAsync(Db, await NewTenantAsync("types"));
        var video = new Video
        {
            Source = VideoSource.PodcastFeed, ExternalId = "ep-1", Title = "Épisode 1", Url = null, Language = "fr-CA", DurationMs = 5_000_000_000L,
            PublishedAt = new DateTimeOffset(2026, 3, 1, 12, 30, 0, TimeSpan.FromHours(2)), Metadata = "{\"feed\": \"x\"}",
        };
        var job = new Job { Kind = "index", Status = JobStatus.Running, Priority = -3, Payload = "{\"a\": [1, 2]}", LeaseOwner = "w1", RunAfter = RowClock.Now() };
        var audit = new AuditLog { ActorAddress = "10.0.0.1", Action = "x", TargetType = "video", Outcome = AuditOutcome.Denied, Details = "{}" };
        await graph.Scope.BulkInsertAsync(new[] { video });
        await graph.Scope.BulkInsertAsync(new[] { job });
        await graph.Scope.BulkInsertAsync(new[] { audit });

        var storedVideo = (await graph.Scope.FindVideoAsync(video.Id))!;
        Assert.Equal((VideoSource.PodcastFeed, "Épisode 1", (string?)null, 5_000_000_000L, video.PublishedAt, "{\"feed\": \"x\"}"),
            (storedVideo.Source, storedVideo.Title, storedVideo.Url, storedVideo.DurationMs!.Value, storedVideo.PublishedAt, storedVideo.Metadata));
        var storedJob = (await graph.Scope.FindJobAsync(job.Id))!;
        Assert.Equal((JobStatus.Running, (short)-3, "{\"a\": [1, 2]}", "w1", (DateTimeOffset?)null),
            (storedJob.Status, storedJob.Priority, storedJob.Payload, storedJob.LeaseOwner, storedJob.FinishedAt));
        Assert.Equal(AuditOutcome.Denied, (await graph.Scope.FindAuditLogAsync(audit.Id))!.Outcome);
        Assert.NotEqual(default, storedJob.CreatedAt); // conventions filled in, as Insert does
    }

    [Fact]
    public async Task A_row_naming_another_tenant_stops_the_copy_and_nothing_of_it_remains()
    {
        var graph = await TenantGraph.CreateAsync(Db, await NewTenantAsync("forged"));
        var segments = Segments(graph.Transcript.Id, 50).Select(s => { s.Ordinal += 10; return s; }).ToArray();
        segments[40].TenantId = Guid.CreateVersion7();
        await Assert.ThrowsAsync<TenantMismatchException>(() => graph.Scope.BulkInsertAsync(segments));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM segments WHERE tenant_id = $1", graph.Scope.TenantId));
    }

    [Fact]
    public async Task Constraints_are_checked_and_a_violation_leaves_nothing_of_the_copy()
    {
        var graph = await TenantGraph.CreateAsync(Db, await NewTenantAsync("checked"));
        var bad = Segments(graph.Transcript.Id, 20).Select(s => { s.Ordinal += 10; return s; }).ToArray();
        bad[15].EndMs = bad[15].StartMs; // ck_segments_time_order
        await ViolatesAsync("23514", () => graph.Scope.BulkInsertAsync(bad));

        // A layer of this tenant pointing at another tenant's segment: the composite foreign key refuses it.
        var other = await TenantGraph.CreateAsync(Db, await NewTenantAsync("other"));
        var foreign = new Layer { SegmentId = other.Segment.Id, Kind = "summary", Version = 9, Producer = "x", Payload = "{}" };
        await ViolatesAsync("23503", () => graph.Scope.BulkInsertAsync(new[] { foreign }));

        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM segments WHERE tenant_id = $1", graph.Scope.TenantId));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM layers WHERE tenant_id = $1", graph.Scope.TenantId));
    }

    [Fact]
    public async Task A_failure_inside_InTransactionAsync_rolls_back_the_transcript_and_its_copied_segments()
    {
        var graph = await TenantGraph.CreateAsync(Db, await NewTenantAsync("rollback"));
        var transcript = new Transcript { VideoId = graph.Video.Id, Language = "de", Origin = TranscriptOrigin.Imported };
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => graph.Scope.InTransactionAsync(async s =>
        {
            await s.InsertAsync(transcript);
            await s.BulkInsertAsync(Segments(transcript.Id, 100));
            throw new InvalidOperationException("layer service down");
        }));
        Assert.Equal("layer service down", failure.Message);
        Assert.Null(await graph.Scope.FindTranscriptAsync(transcript.Id));
        Assert.Empty(await graph.Scope.TranscriptSegmentsAsync(transcript.Id));

        // The connection is usable afterwards, in and out of a new transaction.
        await graph.Scope.InTransactionAsync(s => s.InsertAsync(transcript));
        Assert.NotNull(await graph.Scope.FindTranscriptAsync(transcript.Id));
    }

    [Fact]
    public async Task Global_tables_bulk_insert_through_the_database()
    {
        var users = Enumerable.Range(0, 30).Select(i => new User { Email = $"bulk{i}-{Guid.NewGuid():N}@example.test", DisplayName = $"U{i}" }).ToArray();
        Assert.Equal(30UL, await Db.Control().BulkInsertAsync(users));
        Assert.Equal(users[7].Email, (await Db.FindUserAsync(users[7].Id))!.Email);
    }
}
