using System;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Runtime;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Queue;

/// <summary>
/// The queue's functions run as the role that ran the migrations. In production that is <c>narralytica_owner</c>, and
/// without BYPASSRLS it is bound by the row-level security forced on the queue table: it reaches every tenant's jobs
/// through the <c>queue_functions</c> policy, which holds inside the functions only. This test database was migrated by
/// the superuser (who bypasses row-level security), so the functions are handed to a role bound as that owner is: a
/// member of <c>narralytica_owner</c> without BYPASSRLS.
/// </summary>
public sealed class QueueFunctionOwnerTests : QueueTest
{
    public QueueFunctionOwnerTests(PostgresFixture postgres) : base(postgres) { }

    [Fact]
    public async Task Owned_by_a_role_bound_by_row_level_security_the_functions_serve_every_tenant_and_the_owner_sees_no_job_outside_them()
    {
        var owner = "queue_owner_" + Guid.NewGuid().ToString("N")[..8];
        await RawAsync($"CREATE ROLE {owner} NOLOGIN NOSUPERUSER NOBYPASSRLS; GRANT {DatabaseRoles.Owner} TO {owner}; " +
                       $"GRANT USAGE ON SCHEMA public TO {owner}; GRANT SELECT, UPDATE ON jobs TO {owner}");
        try
        {
            await HandFunctionsToAsync(owner);
            await App.ForTenant(TenantA.Id).EnqueueAsync(new NewJob("a"));
            await App.ForTenant(TenantB.Id).EnqueueAsync(new NewJob("b"));
            var queue = NewQueue();

            var claimed = await queue.ClaimAsync(10);
            Assert.Equal(new[] { TenantA.Id, TenantB.Id }.OrderBy(t => t), claimed.Select(j => j.TenantId).OrderBy(t => t));
            await queue.HeartbeatAsync(claimed[0]);
            Assert.Empty(await queue.CompleteAsync(claimed));
            Assert.Equal(2, await CountJobsAsync("status = 'succeeded'"));

            // Outside the functions, the owner is held to one tenant like anyone (here: none), setting or not.
            Assert.Equal(0L, await ScalarAsync<long>($"SET ROLE {owner}; SELECT count(*) FROM jobs"));
            // The policy is what lets the functions through: without it, a claim finds nothing.
            await App.ForTenant(TenantA.Id).EnqueueAsync(new NewJob("again"));
            await RawAsync($"DROP POLICY {CallerLanes.QueueFunctionsPolicy} ON jobs");
            Assert.Empty(await queue.ClaimAsync(10));
        }
        finally
        {
            await HandFunctionsToAsync("CURRENT_USER");
            await RawAsync($"REVOKE ALL ON jobs FROM {owner}; REVOKE USAGE ON SCHEMA public FROM {owner}; DROP ROLE {owner}");
        }
    }

    private async Task HandFunctionsToAsync(string role)
    {
        foreach (var function in QueueFunctions.Names)
            await RawAsync($"ALTER FUNCTION {function}({QueueFunctions.Signature(function)}) OWNER TO {role}");
    }
}
