using System;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Queue;

/// <summary>A whole claim completed in one statement, each job only while its claim holds.</summary>
public sealed class BatchCompleteTests : QueueTest
{
    public BatchCompleteTests(PostgresFixture postgres) : base(postgres) { }

    [Fact]
    public async Task A_claim_completed_at_once_finishes_the_jobs_still_held_and_returns_the_ones_taken_over()
    {
        await EnqueueAsync(TenantA, "work", 3);
        await EnqueueAsync(TenantB, "work", 3);
        var first = NewQueue(workerId: "first");
        var claimed = await first.ClaimAsync(6);
        Assert.Equal(6, claimed.Count);

        // One lease expires and another worker takes its job over; one job the first worker already finished alone.
        await first.CompleteAsync(claimed[1]);
        await RawAsync("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = $1", claimed[0].Id);
        var second = NewQueue(workerId: "second");
        var takenOver = Assert.Single(await second.ClaimAsync(1));
        Assert.Equal(claimed[0].Id, takenOver.Id);

        var lost = await first.CompleteAsync(claimed);

        Assert.Equal(new[] { claimed[0].Id, claimed[1].Id }.Order(), lost.Select(j => j.Id).Order());
        Assert.Equal(5, await CountJobsAsync("status = 'succeeded' AND lease_owner IS NULL AND finished_at IS NOT NULL"));
        Assert.Equal(1, await CountJobsAsync("id = $1 AND status = 'running' AND lease_owner = 'second' AND attempts = 2", takenOver.Id));
        Assert.Empty(await second.CompleteAsync(new[] { takenOver }));
        Assert.Empty(await second.CompleteAsync(Array.Empty<ClaimedJob>()));
        Assert.Equal(6, await CountJobsAsync("status = 'succeeded'"));
    }
}
