using System;
using System.Linq;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Async;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Integration;

/// <summary>Insert, read, update and delete for every table through the generated API.</summary>
public class CrudTests : DatabaseTest
{
    public CrudTests(PostgresFixture postgres) : base(postgres) { }

    [Fact]
    public async Task Users_roundtrip()
    {
        var user = new User { Email = "ada@example.test", DisplayName = "Ada" };
        Assert.Equal(1, await Db.Control().InsertAsync(user));
        Assert.Equal(7, user.Id.Version); // a client-generated UUIDv7
        Assert.NotEqual(default, user.CreatedAt);

        var read = await Db.FindUserAsync(user.Id);
        Assert.NotNull(read);
        Assert.Equal((user.Email, user.DisplayName, user.CreatedAt), (read.Email, read.DisplayName, read.CreatedAt));

        read.DisplayName = "Ada L.";
        read.LastLoginAt = RowClock.Now();
        Assert.Equal(1, await Db.Control().UpdateAsync(read));
        var updated = (await Db.FindUserAsync(user.Id))!;
        Assert.Equal("Ada L.", updated.DisplayName);
        Assert.Equal(read.LastLoginAt, updated.LastLoginAt);
        Assert.True(updated.UpdatedAt >= updated.CreatedAt);

        Assert.Equal(1, await Db.Control().DeleteAsync(updated));
        Assert.Null(await Db.FindUserAsync(user.Id));
    }

    [Fact]
    public async Task Roles_permissions_and_their_link_roundtrip()
    {
        var role = new Role { Name = "editor", Description = "Edits transcripts." };
        var permission = new Permission { Action = "edit", Resource = "transcripts" };
        await Db.Control().InsertAsync(role);
        await Db.Control().InsertAsync(permission);
        var link = new RolePermission { RoleId = role.Id, PermissionId = permission.Id };
        await Db.Control().InsertAsync(link);

        var found = await Db.FindRolePermissionAsync(role.Id, permission.Id);
        Assert.NotNull(found);
        var withRole = await Db.RolePermissions.LoadWith(rp => rp.Role).LoadWith(rp => rp.Permission).SingleAsync(rp => rp.RoleId == role.Id);
        Assert.Equal(("editor", "transcripts"), (withRole.Role!.Name, withRole.Permission!.Resource));
        var rolesPermissions = await Db.Roles.Where(r => r.Id == role.Id).LoadWith(r => r.RolePermissions).SingleAsync();
        Assert.Single(rolesPermissions.RolePermissions);

        permission.Description = "Change a transcript's text.";
        Assert.Equal(1, await Db.Control().UpdateAsync(permission));
        Assert.Equal("Change a transcript's text.", (await Db.FindPermissionAsync(permission.Id))!.Description);

        Assert.Equal(1, await Db.Control().DeleteAsync(role)); // cascades to the link
        Assert.Null(await Db.FindRolePermissionAsync(role.Id, permission.Id));
        Assert.Equal(1, await Db.Control().DeleteAsync(permission));
        Assert.Null(await Db.FindPermissionAsync(permission.Id));
    }

    [Fact]
    public async Task Tenants_roundtrip()
    {
        var tenant = await NewTenantAsync("initech");
        var read = (await Db.FindTenantAsync(tenant.Id))!;
        Assert.Equal(tenant.Slug, read.Slug);
        read.SuspendedAt = RowClock.Now();
        await Db.Control().UpdateAsync(read);
        Assert.Equal(read.SuspendedAt, (await Db.FindTenantAsync(tenant.Id))!.SuspendedAt);
        Assert.Equal(1, await Db.Control().DeleteAsync(read));
        Assert.Null(await Db.FindTenantAsync(tenant.Id));
    }

    [Fact]
    public async Task Every_tenant_table_reads_back_what_was_inserted()
    {
        var graph = await TenantGraph.CreateAsync(Db, await NewTenantAsync("acme"));
        var scope = graph.Scope;

        Assert.Equal(graph.User.Id, (await scope.FindMembershipAsync(graph.Membership.Id))!.UserId);
        Assert.Equal("{\"days\": 30}", (await scope.FindTenantConfigAsync(graph.Config.Id))!.Value);
        var video = (await scope.FindVideoAsync(graph.Video.Id))!;
        Assert.Equal((VideoSource.Upload, graph.Video.ExternalId, "{}"), (video.Source, video.ExternalId, video.Metadata));
        Assert.Equal(TranscriptOrigin.Human, (await scope.FindTranscriptAsync(graph.Transcript.Id))!.Origin);
        Assert.Equal("SPEAKER_00", (await scope.FindSpeakerAsync(graph.Speaker.Id))!.Label);
        var segment = (await scope.FindSegmentAsync(graph.Segment.Id))!;
        Assert.Equal((0, 1500, "Hello.", graph.Speaker.Id), (segment.StartMs, segment.EndMs, segment.Text, segment.SpeakerId));
        Assert.Equal("{\"s\": \"hi\"}", (await scope.FindLayerAsync(graph.Layer.Id))!.Payload);
        var job = (await scope.FindJobAsync(graph.Job.Id))!;
        Assert.Equal((JobStatus.Queued, 3, graph.Job.RunAfter), (job.Status, job.MaxAttempts, job.RunAfter));
        Assert.Equal("segments", (await scope.FindPipelineCheckpointAsync(graph.Checkpoint.Id))!.Stage);
        Assert.Equal("video.created", (await scope.FindEventLogAsync(graph.Event.Id))!.EventType);
        Assert.Equal(AuditOutcome.Allowed, (await scope.FindAuditLogAsync(graph.Audit.Id))!.Outcome);
        Assert.All(new ITenantEntity[] { graph.Membership, graph.Config, graph.Video, graph.Segment, graph.Layer, graph.Audit },
            row => Assert.Equal(scope.TenantId, row.TenantId));
    }

    [Fact]
    public async Task Every_mutable_tenant_table_updates_and_deletes()
    {
        var graph = await TenantGraph.CreateAsync(Db, await NewTenantAsync("acme"));
        var scope = graph.Scope;

        graph.Job.Status = JobStatus.Running;
        graph.Job.Attempts = 1;
        graph.Job.LeaseOwner = "worker-1";
        await scope.UpdateAsync(graph.Job);
        var job = (await scope.FindJobAsync(graph.Job.Id))!;
        Assert.Equal((JobStatus.Running, 1, "worker-1"), (job.Status, job.Attempts, job.LeaseOwner));
        Assert.Equal(1, await scope.Jobs.CountAsync(j => j.Status == JobStatus.Running));

        graph.Segment.Text = "Hello, world.";
        await scope.UpdateAsync(graph.Segment);
        Assert.Equal("Hello, world.", (await scope.FindSegmentAsync(graph.Segment.Id))!.Text);

        graph.Config.Value = "{\"days\": 90}";
        await scope.UpdateAsync(graph.Config);
        Assert.Equal("{\"days\": 90}", (await scope.FindTenantConfigAsync(graph.Config.Id))!.Value);

        graph.Checkpoint.Position = "42";
        await scope.UpdateAsync(graph.Checkpoint);
        Assert.Equal("42", (await scope.FindPipelineCheckpointAsync(graph.Checkpoint.Id))!.Position);

        graph.Speaker.DisplayName = "Grace";
        await scope.UpdateAsync(graph.Speaker);
        graph.Transcript.Revision = 2;
        await scope.UpdateAsync(graph.Transcript);
        graph.Video.Title = "Renamed";
        await scope.UpdateAsync(graph.Video);
        graph.Membership.RoleId = graph.Role.Id;
        Assert.Equal(1, await scope.UpdateAsync(graph.Membership));
        Assert.Equal(("Grace", 2, "Renamed"), ((await scope.FindSpeakerAsync(graph.Speaker.Id))!.DisplayName,
            (await scope.FindTranscriptAsync(graph.Transcript.Id))!.Revision, (await scope.FindVideoAsync(graph.Video.Id))!.Title));

        Assert.Equal(1, await scope.DeleteAsync(graph.Job));
        Assert.Equal(1, await scope.DeleteAsync(graph.Checkpoint));
        Assert.Equal(1, await scope.DeleteAsync(graph.Config));
        Assert.Equal(1, await scope.DeleteAsync(graph.Membership));
        Assert.Equal(1, await scope.DeleteAsync(graph.Segment)); // cascades to its layers
        Assert.Null(await scope.FindLayerAsync(graph.Layer.Id));
        Assert.Equal(1, await scope.DeleteAsync(graph.Speaker));
        Assert.Equal(1, await scope.DeleteAsync(graph.Transcript));
        Assert.Equal(1, await scope.DeleteAsync(graph.Video));
        Assert.Null(await scope.FindVideoAsync(graph.Video.Id));
        Assert.Null(await scope.FindJobAsync(graph.Job.Id));
    }

    [Fact]
    public void Append_only_tables_offer_no_update_or_delete()
    {
        foreach (var type in new[] { typeof(Layer), typeof(EventLog), typeof(AuditLog) })
        {
            var writers = ScopeMembers.Methods()
                .Where(m => m.Name.StartsWith("Update", StringComparison.Ordinal) || m.Name.StartsWith("Delete", StringComparison.Ordinal))
                .Where(m => m.GetParameters().ElementAtOrDefault(1)?.ParameterType == type);
            Assert.Empty(writers);
        }
        // …while mutable tables have both.
        Assert.NotNull(ScopeMembers.Method("Update", typeof(Segment)));
        Assert.NotNull(ScopeMembers.Method("Delete", typeof(Segment)));
    }

    [Fact]
    public async Task A_row_built_in_CSharp_starts_with_the_schemas_defaults()
    {
        var scope = Db.ForTenant((await NewTenantAsync("defaults")).Id);
        var job = new Job { Kind = "transcribe" };
        Assert.Equal((JobStatus.Queued, 0, 5, (short)0, "{}"), (job.Status, job.Attempts, job.MaxAttempts, job.Priority, job.Payload));
        await scope.InsertAsync(job);
        var read = (await scope.FindJobAsync(job.Id))!;
        Assert.Equal((JobStatus.Queued, 5, "{}"), (read.Status, read.MaxAttempts, read.Payload));
        Assert.True(DateTimeOffset.UtcNow - read.RunAfter < TimeSpan.FromMinutes(5), "run_after defaults to now()");
        Assert.Equal(1, new Transcript().Revision);
    }

    [Fact]
    public async Task Sync_api_works_like_the_async_one()
    {
        var tenant = await NewTenantAsync("sync");
        var scope = Db.ForTenant(tenant.Id);
        var video = new Video { Source = VideoSource.Vimeo, ExternalId = "sync-1", Title = "Sync", Metadata = "{}" };
        Assert.Equal(1, scope.Insert(video));
        Assert.Equal("Sync", scope.FindVideo(video.Id)!.Title);
        video.Title = "Sync 2";
        Assert.Equal(1, scope.Update(video));
        Assert.Equal(1, scope.Delete(video));
        Assert.Null(scope.FindVideo(video.Id));
    }

    [Fact]
    public async Task Associations_load_within_the_tenant()
    {
        var graph = await TenantGraph.CreateAsync(Db, await NewTenantAsync("assoc"));
        var segment = await graph.Scope.Segments
            .LoadWith(s => s.Transcript).ThenLoad(t => t!.Video)
            .LoadWith(s => s.Speaker)
            .LoadWith(s => s.Layers)
            .SingleAsync(s => s.Id == graph.Segment.Id);
        Assert.Equal(graph.Video.Title, segment.Transcript!.Video!.Title);
        Assert.Equal(graph.Speaker.Label, segment.Speaker!.Label);
        Assert.Equal(graph.Layer.Id, Assert.Single(segment.Layers).Id);
    }
}
