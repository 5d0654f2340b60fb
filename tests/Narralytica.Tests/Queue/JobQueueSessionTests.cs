using System;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Queue;

/// <summary>
/// A claim loop's session: one held connection with its statements prepared once, and the same guarantees as the
/// queue's own calls (claims fair across tenants, completions only while the claim holds, a broken connection replaced).
/// </summary>
public sealed class JobQueueSessionTests : QueueTest
{
    public JobQueueSessionTests(PostgresFixture postgres) : base(postgres) { }

    [Fact]
    public async Task A_session_claims_fairly_and_completes_every_job_exactly_once_on_one_connection()
    {
        await EnqueueAsync(TenantA, "work", 12);
        await EnqueueAsync(TenantB, "work", 2);
        var queue = NewQueue(workerId: "session");
        await using var session = queue.OpenSession();

        // Fairness: the first claim serves both tenants, though A has the longer backlog.
        var first = await session.ClaimAsync(4);
        Assert.Equal(4, first.Count);
        Assert.Equal(2, first.Count(j => j.TenantId == TenantB.Id));
        foreach (var job in first)
            await session.CompleteAsync(job);
        var rest = await session.ClaimAsync(20);
        Assert.Equal(10, rest.Count);
        Assert.Empty(await session.CompleteAsync(rest));
        Assert.Empty(await session.ClaimAsync(1));

        Assert.Equal(14, await CountJobsAsync("status = 'succeeded' AND attempts = 1 AND lease_owner IS NULL"));
    }

    [Fact]
    public async Task A_session_completes_nothing_whose_lease_was_taken_over()
    {
        await EnqueueAsync(TenantA, "work", 2);
        await using var first = NewQueue(workerId: "first").OpenSession();
        var claimed = await first.ClaimAsync(2);
        await RawAsync("UPDATE jobs SET lease_expires_at = now() - interval '1 second'");
        var second = NewQueue(workerId: "second");
        Assert.Equal(2, (await second.ClaimAsync(2)).Count);

        await Assert.ThrowsAsync<LeaseLostException>(() => first.CompleteAsync(claimed[0]));
        Assert.Equal(2, (await first.CompleteAsync(claimed)).Count);
        Assert.Equal(2, await CountJobsAsync("status = 'running' AND lease_owner = 'second' AND attempts = 2"));
    }

    [Fact]
    public async Task A_session_whose_connection_was_killed_fails_that_call_and_reconnects_for_the_next()
    {
        await EnqueueAsync(TenantA, "work", 2);
        await using var source = CreateWorkerSource(ConnectionString, b => b.ApplicationName = "session-under-test");
        await using var session = new JobQueue(source, new JobQueueOptions { WorkerId = "reconnecting" }).OpenSession();
        var job = Assert.Single(await session.ClaimAsync(1));

        Assert.Equal(1, await ScalarAsync<long>(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'session-under-test'"));
        await EventuallyAsync(async () => await ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'session-under-test'") == 0, "the session's backend to end");

        await Assert.ThrowsAnyAsync<Exception>(() => session.CompleteAsync(job));
        await session.CompleteAsync(job);
        var second = Assert.Single(await session.ClaimAsync(5));
        await session.CompleteAsync(second);
        Assert.Equal(2, await CountJobsAsync("status = 'succeeded'"));
    }
}
