using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Queue;

/// <summary>Claims, leases, heartbeats, retries and fairness, on the workers' lane.</summary>
public sealed class JobQueueTests : QueueTest
{
    public JobQueueTests(PostgresFixture postgres) : base(postgres) { }

    [Fact]
    public async Task A_claim_takes_ready_jobs_of_every_tenant_by_priority_and_a_completed_one_is_done()
    {
        await App.ForTenant(TenantA.Id).EnqueueAsync(new NewJob("low") { Priority = 0 });
        await App.ForTenant(TenantA.Id).EnqueueAsync(new NewJob("high") { Priority = 5 });
        await App.ForTenant(TenantB.Id).EnqueueAsync(new NewJob("other"));
        var queue = NewQueue();

        var claimed = await queue.ClaimAsync(2);
        Assert.Equal(2, claimed.Count);
        Assert.Contains(claimed, j => j.Kind == "high" && j.TenantId == TenantA.Id);
        Assert.Contains(claimed, j => j.Kind == "other" && j.TenantId == TenantB.Id);
        Assert.All(claimed, j => Assert.Equal((1, queue.Options.WorkerId), (j.Attempt, j.Owner)));
        Assert.Equal(2, await CountJobsAsync("status = 'running' AND lease_owner = $1 AND lease_expires_at > now()", queue.Options.WorkerId));

        foreach (var job in claimed)
            await queue.CompleteAsync(job);
        Assert.Equal(2, await CountJobsAsync("status = 'succeeded' AND finished_at IS NOT NULL AND lease_owner IS NULL"));
        // Completing twice is refused: the claim is over.
        await Assert.ThrowsAsync<LeaseLostException>(() => queue.CompleteAsync(claimed[0]));
        Assert.Equal("low", Assert.Single(await queue.ClaimAsync(10)).Kind);
    }

    [Fact]
    public async Task An_expired_lease_is_taken_over_once_and_the_first_worker_can_no_longer_finish()
    {
        var id = await App.ForTenant(TenantA.Id).EnqueueAsync(new NewJob("slow"));
        var first = NewQueue(lease: TimeSpan.FromSeconds(1), workerId: "first");
        var second = NewQueue(workerId: "second");
        var job = Assert.Single(await first.ClaimAsync(1));

        // While the lease holds, nobody else gets the job; a heartbeat extends it.
        Assert.Empty(await second.ClaimAsync(1));
        var extended = await first.HeartbeatAsync(job);
        Assert.True(extended > job.LeaseExpiresAt);

        await EventuallyAsync(async () => await CountJobsAsync("id = $1 AND lease_expires_at < now()", id) == 1, "the lease to expire");
        var takenOver = Assert.Single(await second.ClaimAsync(1));
        Assert.Equal((id, 2, "second"), (takenOver.Id, takenOver.Attempt, takenOver.Owner));
        Assert.Contains("expired", takenOver.LastError);

        await Assert.ThrowsAsync<LeaseLostException>(() => first.HeartbeatAsync(job));
        await Assert.ThrowsAsync<LeaseLostException>(() => first.CompleteAsync(job));
        await second.CompleteAsync(takenOver);
        Assert.Equal(1, await CountJobsAsync("id = $1 AND status = 'succeeded' AND attempts = 2", id));
    }

    [Fact]
    public async Task A_failing_job_backs_off_exponentially_then_fails_for_good_with_its_last_error()
    {
        var id = await App.ForTenant(TenantB.Id).EnqueueAsync(new NewJob("flaky") { MaxAttempts = 3 });
        var retry = new JobRetryPolicy { BaseDelay = TimeSpan.FromMinutes(1), MaxDelay = TimeSpan.FromHours(1) };
        var queue = NewQueue(retry: retry);

        var backoffs = new List<double>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var job = Assert.Single(await queue.ClaimAsync(1));
            Assert.Equal(attempt, job.Attempt);
            var failure = await queue.FailAsync(job, $"boom {attempt}");
            Assert.Equal(attempt == 3, failure.Terminal);
            if (failure.Terminal)
                break;
            // The job waits out its backoff: no claim gets it before.
            var wait = await ScalarAsync<double>("SELECT extract(epoch FROM run_after - now())::float8 FROM jobs WHERE id = $1", id);
            backoffs.Add(wait);
            var ceiling = retry.Ceiling(attempt).TotalSeconds;
            Assert.InRange(wait, ceiling * 0.5 - 5, ceiling);
            Assert.Empty(await queue.ClaimAsync(1));
            Assert.Equal(1, await CountJobsAsync("id = $1 AND status = 'queued' AND last_error = $2", id, $"boom {attempt}"));
            // Let the test go on without waiting the backoff (as the superuser).
            await RawAsync("UPDATE jobs SET run_after = now() WHERE id = $1", id);
        }
        Assert.Equal(2, backoffs.Count);
        Assert.Equal(1, await CountJobsAsync("id = $1 AND status = 'failed' AND attempts = 3 AND last_error = 'boom 3' AND finished_at IS NOT NULL", id));
        Assert.Empty(await queue.ClaimAsync(1));
    }

    [Fact]
    public async Task The_backoff_doubles_up_to_its_ceiling_and_its_jitter_stays_within_half_and_all_of_it()
    {
        var retry = new JobRetryPolicy { BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(30) };
        Assert.Equal(new[] { 2.0, 4, 8, 16, 30, 30 }, Enumerable.Range(1, 6).Select(a => retry.Ceiling(a).TotalSeconds));
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
            Assert.InRange(retry.Delay(3, random).TotalSeconds, 4, 8);
    }

    [Fact]
    public async Task An_expired_job_without_attempts_left_fails_for_good_instead_of_running_again()
    {
        var id = await App.ForTenant(TenantA.Id).EnqueueAsync(new NewJob("crashes") { MaxAttempts = 1 });
        var first = NewQueue(lease: TimeSpan.FromSeconds(1));
        Assert.Single(await first.ClaimAsync(1));
        await EventuallyAsync(async () => await CountJobsAsync("id = $1 AND lease_expires_at < now()", id) == 1, "the lease to expire");
        Assert.Empty(await NewQueue().ClaimAsync(5));
        Assert.Equal(1, await CountJobsAsync("id = $1 AND status = 'failed' AND attempts = 1 AND last_error LIKE '%expired%'", id));
    }

    [Fact]
    public async Task A_released_job_is_queued_again_without_using_an_attempt_and_a_cancelled_one_keeps_its_reason()
    {
        await App.ForTenant(TenantA.Id).EnqueueAsync(new NewJob("one"));
        await App.ForTenant(TenantA.Id).EnqueueAsync(new NewJob("two"));
        var queue = NewQueue();
        var jobs = await queue.ClaimAsync(2);
        await queue.ReleaseAsync(jobs[0]);
        await queue.CancelAsync(jobs[1], "not needed any more");
        Assert.Equal(1, await CountJobsAsync("id = $1 AND status = 'queued' AND attempts = 0 AND lease_owner IS NULL", jobs[0].Id));
        Assert.Equal(1, await CountJobsAsync("id = $1 AND status = 'cancelled' AND last_error = 'not needed any more'", jobs[1].Id));
        Assert.Equal(jobs[0].Id, Assert.Single(await queue.ClaimAsync(5)).Id);
    }

    /// <summary>
    /// The fairness bound: with a big tenant's backlog queued first, the small tenant's jobs are claimed round-robin with
    /// it, so its 10 jobs are all among the first 2 × 10 claimed (one of each tenant per turn), whatever the claim size.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task A_small_tenant_is_served_within_two_of_its_jobs_per_turn_while_a_big_backlog_drains(int claimSize)
    {
        await EnqueueAsync(TenantA, "big", 3000);
        await EnqueueAsync(TenantB, "small", 10);
        var queue = NewQueue();

        var order = new List<ClaimedJob>();
        while (order.Count < 40)
        {
            var jobs = await queue.ClaimAsync(claimSize);
            order.AddRange(jobs);
            foreach (var job in jobs)
                await queue.CompleteAsync(job);
        }
        var lastSmall = order.FindLastIndex(j => j.TenantId == TenantB.Id);
        Assert.Equal(10, order.Count(j => j.TenantId == TenantB.Id));
        Assert.True(lastSmall < 20, $"the small tenant's last job was claimed {lastSmall + 1}th");
        Assert.True(await CountJobsAsync("tenant_id = $1 AND status = 'queued'", TenantA.Id) > 2900);
    }
}
