using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Async;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Runtime.Streams;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Streams;

/// <summary>The generated stream's events: typed rows of each table, positions, boundaries, acknowledgement and filters.</summary>
public sealed class ChangeStreamTests : StreamTest
{
    public ChangeStreamTests(PostgresFixture postgres) : base(postgres) { }

    [Fact]
    public async Task Inserts_updates_and_deletes_come_as_typed_rows_with_tenant_position_and_transaction_boundaries()
    {
        var slot = NewSlotName();
        await ReplicationSlots.CreateAsync(ConnectionString, NarralyticaStreams.SearchChanges.Publication, slot);
        var tenant = await NewTenantAsync("stream");
        var scope = Db.ForTenant(tenant.Id);
        var video = new Video { Source = VideoSource.Vimeo, ExternalId = "v-1", Title = "First", Metadata = "{\"a\": 1}", DurationMs = 90_000, PublishedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero) };
        await scope.InsertAsync(video);
        await scope.Videos.Where(v => v.Id == video.Id).Set(v => v.Title, "Second").UpdateAsync();
        await scope.Videos.Where(v => v.Id == video.Id).DeleteAsync();

        await using var stream = new ChangeStream(Options(slot));
        var events = await ReadUntilAsync(stream, e => e.OfType<TransactionCommit>().Count(c => c.CommitLsn > default(NpgsqlTypes.NpgsqlLogSequenceNumber)) >= 3
                                                      && e.OfType<RowChange<Video>>().Any(c => c.Kind == ChangeKind.Delete));
        var videoEvents = events.OfType<RowChange<Video>>().ToList();
        Assert.Equal(new[] { ChangeKind.Insert, ChangeKind.Update, ChangeKind.Delete }, videoEvents.Select(e => e.Kind));

        var inserted = videoEvents[0];
        Assert.Equal(tenant.Id, inserted.TenantId);
        Assert.Equal("videos", inserted.Table);
        Assert.Equal((video.Id, VideoSource.Vimeo, "First", 90_000L, video.PublishedAt), (inserted.Row.Id, inserted.Row.Source, inserted.Row.Title, inserted.Row.DurationMs, inserted.Row.PublishedAt));
        Assert.Equal("{\"a\": 1}", inserted.Row.Metadata);
        Assert.Null(inserted.Row.Language);
        Assert.Null(inserted.OldKey);
        Assert.Equal("Second", videoEvents[1].Row.Title);
        Assert.Equal((tenant.Id, video.Id), (videoEvents[2].OldKey!.TenantId, videoEvents[2].OldKey!.Id));

        // Each change sits between its transaction's begin and commit, all three with the same commit LSN.
        foreach (var change in videoEvents)
        {
            var at = events.IndexOf(change);
            var begin = events.Take(at).OfType<TransactionBegin>().Last();
            var commit = events.Skip(at).OfType<TransactionCommit>().First();
            Assert.Equal(begin.CommitLsn, change.CommitLsn);
            Assert.Equal(commit.CommitLsn, change.CommitLsn);
            Assert.Equal(commit.CommitTime, change.CommitTime);
            Assert.True(commit.Position > commit.CommitLsn);
        }
        Assert.True(videoEvents[0].CommitLsn < videoEvents[1].CommitLsn && videoEvents[1].CommitLsn < videoEvents[2].CommitLsn);
        Assert.True(videoEvents[0].CommitTime <= videoEvents[2].CommitTime);
    }

    [Fact]
    public async Task A_restart_resumes_after_the_last_acknowledged_position_and_repeats_what_was_not()
    {
        var slot = NewSlotName();
        await ReplicationSlots.CreateAsync(ConnectionString, NarralyticaStreams.SearchChanges.Publication, slot);
        var tenant = await NewTenantAsync("resume");
        var scope = Db.ForTenant(tenant.Id);
        var titles = new[] { "one", "two", "three" };
        foreach (var title in titles)
            await scope.InsertAsync(new Video { Source = VideoSource.Upload, ExternalId = title, Title = title, Metadata = "{}" });

        // Acknowledge the first transaction only, then stop abruptly in the middle of the rest.
        await using (var first = new ChangeStream(Options(slot)))
            await ReadUntilAsync(first, e => e.OfType<RowChange<Video>>().Count() == 2, async change =>
            {
                if (change is TransactionCommit commit && commit.CommitLsn > default(NpgsqlTypes.NpgsqlLogSequenceNumber))
                {
                    await first.AcknowledgeAsync(commit.Position);
                    // An acknowledgement reaches the slot asynchronously: one sent just before the connection closes
                    // may be lost (delivery stays at least once). Stop only once the server has recorded it.
                    await WaitUntilSlotConfirmedAsync(slot, commit.Position);
                }
            });
        // The acknowledgement above was sent for the first commit only (the loop stopped before the second's).
        await using var second = new ChangeStream(Options(slot));
        var again = await ReadUntilAsync(second, e => e.OfType<RowChange<Video>>().Count() == 2);
        Assert.Equal(new[] { "two", "three" }, again.OfType<RowChange<Video>>().Select(c => c.Row.Title));
    }

    [Fact]
    public async Task Filters_leave_out_other_tenants_and_other_tables()
    {
        var slot = NewSlotName();
        await ReplicationSlots.CreateAsync(ConnectionString, NarralyticaStreams.SearchChanges.Publication, slot);
        var a = await NewTenantAsync("filter-a");
        var b = await NewTenantAsync("filter-b");
        var videoA = new Video { Source = VideoSource.Upload, ExternalId = "a", Title = "A", Metadata = "{}" };
        await Db.ForTenant(a.Id).InsertAsync(videoA);
        await Db.ForTenant(a.Id).InsertAsync(new Transcript { VideoId = videoA.Id, Language = "en", Origin = TranscriptOrigin.Asr, Revision = 1 });
        await Db.ForTenant(b.Id).InsertAsync(new Video { Source = VideoSource.Upload, ExternalId = "b", Title = "B", Metadata = "{}" });
        var marker = new Video { Source = VideoSource.Upload, ExternalId = "marker", Title = "Marker", Metadata = "{}" };
        await Db.ForTenant(a.Id).InsertAsync(marker);

        await using var stream = new ChangeStream(Options(slot) with { Tenant = a.Id, Tables = new HashSet<string> { "videos" } });
        var events = await ReadUntilAsync(stream, e => e.OfType<RowChange<Video>>().Any(c => c.Row.Id == marker.Id));
        var rows = events.OfType<RowChange>().ToList();
        Assert.All(rows, r => Assert.Equal(a.Id, r.TenantId));
        Assert.All(rows, r => Assert.Equal("videos", r.Table));
        Assert.Equal(new[] { "A", "Marker" }, rows.Cast<RowChange<Video>>().Select(r => r.Row.Title));
    }

    [Fact]
    public async Task The_replication_protocol_ignores_row_level_security_so_a_replication_login_reads_every_tenant()
    {
        // A login with REPLICATION and nothing else: no BYPASSRLS, no tenant context, no membership of any role.
        var role = "stream_login_" + Guid.NewGuid().ToString("N").Substring(0, 8);
        await ExecuteAsync($"CREATE ROLE {role} LOGIN REPLICATION");
        try
        {
            var login = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Username = role, Pooling = false }.ConnectionString;
            var slot = NewSlotName();
            await ReplicationSlots.CreateAsync(ConnectionString, NarralyticaStreams.SearchChanges.Publication, slot);
            var a = await NewTenantAsync("rls-a");
            var b = await NewTenantAsync("rls-b");
            await Db.ForTenant(a.Id).InsertAsync(new Video { Source = VideoSource.Upload, ExternalId = "a", Title = "A", Metadata = "{}" });
            await Db.ForTenant(b.Id).InsertAsync(new Video { Source = VideoSource.Upload, ExternalId = "b", Title = "B", Metadata = "{}" });

            await using var stream = new ChangeStream(new ChangeStreamOptions(login, NarralyticaStreams.SearchChanges, slot));
            var events = await ReadUntilAsync(stream, e => e.OfType<RowChange<Video>>().Count() == 2);
            Assert.Equal(new[] { a.Id, b.Id }, events.OfType<RowChange<Video>>().Select(c => c.TenantId!.Value));
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await ExecuteAsync($"DROP ROLE {role}");
        }
    }
}
