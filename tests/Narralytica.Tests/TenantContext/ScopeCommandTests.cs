using System;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.TenantContext;

/// <summary>
/// The linq2db commands of a tenant scope as <c>narralytica_app</c>: each carries its tenant for its own
/// transaction (<c>CALL narralytica_set_tenant_proof</c>, a signed proof), found in the query's own parameters when it runs, and
/// touches only that tenant's rows; commands on global tables carry nothing.
/// </summary>
public sealed class ScopeCommandTests : AppRoleTest
{
    public ScopeCommandTests(PostgresFixture postgres) : base(postgres) { }

    private const string TenantCall = "CALL narralytica_set_tenant_proof(";

    [Fact]
    public async Task Every_scope_table_shows_the_app_role_its_tenants_rows_and_no_tenant_afterwards()
    {
        foreach (var graph in new[] { A, B })
        {
            var scope = App.ForTenant(graph.Scope.TenantId);
            var tables = ScopeMembers.Tables();
            Assert.Equal(NarralyticaSchema.Tables.Count(t => t.TenantScoped), tables.Count);
            foreach (var table in tables)
            {
                var rows = table.Rows(scope).ToList();
                Assert.StartsWith(TenantCall, App.LastQuery);
                Assert.True(rows.Count > 0, $"{table.Name}: the seed gave tenant {graph.Scope.TenantId} rows");
                Assert.All(rows, r => Assert.Equal(scope.TenantId, r.TenantId));
                Assert.True(string.IsNullOrEmpty(await TenantSettingAsync(App)), $"{table.Name} left the tenant set");
            }
        }
    }

    [Fact]
    public async Task Scalars_associations_and_eager_loads_run_for_the_scopes_tenant()
    {
        var scope = App.ForTenant(B.Scope.TenantId);
        Assert.Equal(1, await scope.Segments.CountAsync());
        Assert.True(await scope.Layers.AnyAsync(l => l.SegmentId == B.Segment.Id));
        Assert.Equal(B.Transcript.Id, await scope.Segments.Select(s => s.Transcript!.Id).SingleAsync());
        // LoadWith runs one command per level; each finds the tenant in its own parameters.
        var videos = await scope.Videos.LoadWith(v => v.Transcripts).ThenLoad(t => t.Segments).ToListAsync();
        Assert.Equal(B.Segment.Id, videos.SelectMany(v => v.Transcripts).SelectMany(t => t.Segments).Single().Id);
        var layers = scope.Layers; // an extension property cannot appear inside an expression tree: the subquery's table is a local
        Assert.Equal(B.Segment.Id, scope.Segments.Where(s => layers.Any(l => l.SegmentId == s.Id)).Select(s => s.Id).Single());
    }

    [Fact]
    public async Task Set_based_updates_and_deletes_change_only_the_scopes_rows()
    {
        var scope = App.ForTenant(B.Scope.TenantId);
        Assert.Equal(1, await scope.Segments.Set(s => s.Text, "B only").UpdateAsync());
        Assert.Equal(1, await scope.Jobs.DeleteAsync());
        Assert.Equal(0, scope.Segments.Where(s => s.Id == A.Segment.Id).Set(s => s.Text, "hijacked").Update());

        Assert.Equal("B only", await ScalarAsync<string>("SELECT text FROM segments WHERE id = $1", B.Segment.Id));
        Assert.Equal(A.Segment.Text, await ScalarAsync<string>("SELECT text FROM segments WHERE id = $1", A.Segment.Id));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM jobs WHERE tenant_id = $1", B.Scope.TenantId));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM jobs WHERE tenant_id = $1", A.Scope.TenantId));
    }

    [Fact]
    public async Task Rows_are_inserted_updated_and_deleted_through_the_scope_sync_and_async()
    {
        var scope = App.ForTenant(B.Scope.TenantId);
        var speaker = new Speaker { VideoId = B.Video.Id, Label = "SPEAKER_07", Metadata = "{}" };
        Assert.Equal(1, await scope.InsertAsync(speaker));
        Assert.StartsWith(TenantCall, App.LastQuery);
        speaker.Label = "SPEAKER_08";
        Assert.Equal(1, scope.Update(speaker));
        Assert.Equal("SPEAKER_08", await ScalarAsync<string>("SELECT label FROM speakers WHERE tenant_id = $1 AND id = $2", B.Scope.TenantId, speaker.Id));
        Assert.Equal(1, await scope.DeleteAsync(speaker));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM speakers WHERE id = $1", speaker.Id));

        var job = new Job { Kind = "sync", Status = JobStatus.Queued, Payload = "{}", MaxAttempts = 1, RunAfter = RowClock.Now() };
        Assert.Equal(1, scope.Insert(job));
        job.Attempts = 1;
        Assert.Equal(1, await scope.UpdateAsync(job));
        Assert.Equal(1, scope.Delete(job));
        Assert.True(string.IsNullOrEmpty(await TenantSettingAsync(App)));
        // The next command names its own tenant again: a global one names none.
        Assert.Equal(2, await App.Tenants.CountAsync());
        Assert.DoesNotContain("narralytica_set_tenant", App.LastQuery);
    }

    [Fact]
    public async Task A_command_joining_two_scopes_of_different_tenants_is_refused_before_it_is_sent()
    {
        var a = App.ForTenant(A.Scope.TenantId);
        var b = App.ForTenant(B.Scope.TenantId);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            a.Segments.Join(b.Segments, x => x.TranscriptId, y => y.TranscriptId, (x, y) => x.Id).ToListAsync());
        Assert.Contains(A.Scope.TenantId.ToString(), error.Message);
        Assert.Contains(B.Scope.TenantId.ToString(), error.Message);
        var otherLayers = b.Layers;
        Assert.Throws<InvalidOperationException>(() => a.Segments.Where(s => otherLayers.Any(l => l.SegmentId == s.Id)).Count());

        // Two scopes of one tenant are one tenant.
        Assert.Equal(1, await a.Segments.Join(App.ForTenant(A.Scope.TenantId).Layers, s => s.Id, l => l.SegmentId, (s, l) => l.Id).CountAsync());
    }

    [Fact]
    public async Task Commands_on_global_tables_carry_no_tenant()
    {
        Assert.Equal(2, await App.Users.CountAsync());
        Assert.DoesNotContain("narralytica_set", App.LastQuery);
        // Global writes are the control plane's.
        var control = App.Control();
        var user = new User { Email = $"global-{Guid.NewGuid():N}@example.test", DisplayName = "Global" };
        Assert.Equal(1, await control.InsertAsync(user));
        Assert.DoesNotContain("narralytica_set", control.Db.LastQuery);
        Assert.Equal(1, await control.Users.Where(u => u.Id == user.Id).Set(u => u.DisplayName, "Renamed").UpdateAsync());
        Assert.DoesNotContain("narralytica_set", control.Db.LastQuery);
        Assert.NotNull(await App.Tenants.FirstOrDefaultAsync(t => t.Id == A.Scope.TenantId));
        Assert.DoesNotContain("narralytica_set", App.LastQuery);
    }

    [Fact]
    public async Task Inside_a_transaction_the_tenant_of_a_scope_command_lasts_until_it_ends()
    {
        var scope = App.ForTenant(A.Scope.TenantId);
        await using (var transaction = await App.BeginTransactionAsync())
        {
            Assert.Equal(1, await scope.Videos.CountAsync());
            Assert.Equal(A.Scope.TenantId.ToString(), await TenantSettingAsync(App));
            await scope.InsertAsync(new Speaker { VideoId = A.Video.Id, Label = "SPEAKER_03", Metadata = "{}" });
            await transaction.RollbackAsync();
        }
        Assert.True(string.IsNullOrEmpty(await TenantSettingAsync(App)));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM speakers WHERE label = 'SPEAKER_03'"));
    }

    [Fact]
    public async Task Without_a_scope_the_app_role_sees_no_tenant_row_and_may_write_none()
    {
        Assert.Equal(0L, await App.ExecuteAsync<long>("SELECT count(*) FROM segments"));
        var error = await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() =>
            App.ExecuteAsync("INSERT INTO speakers (tenant_id, id, label) VALUES (:tenant, :id, 'S')",
                new DataParameter("tenant", A.Scope.TenantId), new DataParameter("id", Guid.CreateVersion7())));
        Assert.Equal(Npgsql.PostgresErrorCodes.InsufficientPrivilege, error.SqlState); // new row violates row-level security policy
    }
}
