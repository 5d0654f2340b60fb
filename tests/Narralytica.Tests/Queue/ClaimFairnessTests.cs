using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Queue;

/// <summary>
/// The claim seats at most its size of tenants with ready work, each locking its share: what that must not cost (a
/// tenant with work left unserved), and the round-robin bound when there are more tenants than the claim takes jobs.
/// </summary>
public sealed class ClaimFairnessTests : QueueTest
{
    public ClaimFairnessTests(PostgresFixture postgres) : base(postgres) { }

    /// <summary>
    /// The fairness bound with more tenants than a claim's size: claims go on round the tenants where the last one
    /// stopped, so with T tenants with ready work a tenant's k-th job is among the first k × T claimed.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task With_more_tenants_than_a_claim_takes_every_tenant_is_served_once_per_round(int claimSize)
    {
        var tenants = new List<Tenant> { TenantA, TenantB };
        for (var i = 0; i < 3; i++)
            tenants.Add(await NewTenantAsync(App, $"round-{i}"));
        foreach (var tenant in tenants)
            await EnqueueAsync(tenant, "work", tenant == TenantA ? 500 : 8);
        var queue = NewQueue();

        var order = new List<ClaimedJob>();
        while (order.Count < 40)
        {
            var jobs = await queue.ClaimAsync(claimSize);
            Assert.NotEmpty(jobs);
            order.AddRange(jobs);
            foreach (var job in jobs)
                await queue.CompleteAsync(job);
        }
        foreach (var tenant in tenants)
        {
            var places = order.Take(40).Select((job, place) => (job, place)).Where(p => p.job.TenantId == tenant.Id).Select(p => p.place).ToList();
            Assert.Equal(8, places.Count);
            for (var k = 1; k <= places.Count; k++)
                Assert.True(places[k - 1] < k * tenants.Count, $"claims of {claimSize}: job {k} of tenant {tenant.Slug} was claimed {places[k - 1] + 1}th");
        }
    }

    /// <summary>
    /// A tenant whose jobs are all scheduled later has no ready work, so it takes no seat: however many such tenants sort
    /// before it, a tenant with ready jobs is claimed from at once.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Tenants_with_only_scheduled_jobs_take_no_seat_from_a_tenant_with_ready_ones(int claimSize)
    {
        for (var i = 0; i < 6; i++)
        {
            var later = await NewTenantAsync(App, $"scheduled-{i}");
            await EnqueueAsync(later, "tomorrow", 3, _ => new NewJob("tomorrow") { RunAfter = DateTimeOffset.UtcNow.AddHours(1) });
        }
        await EnqueueAsync(TenantB, "now", 2);
        var queue = NewQueue();

        var claimed = new List<ClaimedJob>();
        while (claimed.Count < 2)
        {
            var jobs = await queue.ClaimAsync(claimSize);
            Assert.NotEmpty(jobs);
            claimed.AddRange(jobs);
        }
        Assert.All(claimed, job => Assert.Equal((TenantB.Id, "now"), (job.TenantId, job.Kind)));
        Assert.Empty(await queue.ClaimAsync(claimSize));
    }
}
