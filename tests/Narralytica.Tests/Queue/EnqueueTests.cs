using System;
using System.Linq;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Async;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Queue;

/// <summary>Enqueueing from a tenant scope, inside the caller's transaction.</summary>
public sealed class EnqueueTests : QueueTest
{
    public EnqueueTests(PostgresFixture postgres) : base(postgres) { }

    [Fact]
    public async Task A_job_enqueued_in_a_rolled_back_transaction_does_not_exist()
    {
        var scope = App.ForTenant(TenantA.Id);
        Guid rolledBack;
        await using (var transaction = await App.BeginTransactionAsync())
        {
            await scope.InsertAsync(new Video { Source = VideoSource.Upload, ExternalId = "v-gone", Title = "never kept" });
            rolledBack = await scope.EnqueueAsync(new NewJob("index-video"));
            await scope.EnqueueManyAsync(new[] { new NewJob("index-video"), new NewJob("index-video") });
            await transaction.RollbackAsync();
        }
        Assert.Equal(0, await CountJobsAsync("true"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM videos"));

        Guid committed = Guid.Empty;
        await scope.InTransactionAsync(async s =>
        {
            await s.InsertAsync(new Video { Source = VideoSource.Upload, ExternalId = "v-kept", Title = "kept" });
            committed = await s.EnqueueAsync(new NewJob("index-video", "{\"video\": 1}") { Priority = 3, MaxAttempts = 2 });
        });
        var job = Assert.Single(await Db.GetTable<Job>().ToListAsync());
        Assert.NotEqual(rolledBack, committed);
        Assert.Equal((committed, TenantA.Id, JobStatus.Queued, (short)3, 2, 0), (job.Id, job.TenantId, job.Status, job.Priority, job.MaxAttempts, job.Attempts));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM videos"));
    }

    [Fact]
    public async Task A_batch_is_enqueued_in_one_statement_with_its_schedule_and_priorities()
    {
        var later = DateTimeOffset.UtcNow.AddHours(1);
        var count = await App.ForTenant(TenantB.Id).EnqueueManyAsync(Enumerable.Range(0, 1000)
            .Select(i => new NewJob("transcribe", $"{{\"n\": {i}}}") { Priority = (short)(i % 3), RunAfter = i == 0 ? later : null })
            .ToList());
        Assert.Equal(1000, count);
        Assert.Equal(1000, await CountJobsAsync("tenant_id = $1 AND status = 'queued'", TenantB.Id));
        Assert.Equal(1, await CountJobsAsync("run_after > now() + interval '50 minutes'"));
        Assert.Equal(333, await CountJobsAsync("priority = 2"));
    }

    [Fact]
    public async Task A_scheduled_job_is_not_claimed_before_its_time_and_a_cancelled_one_never()
    {
        var scope = App.ForTenant(TenantA.Id);
        await scope.EnqueueAsync(new NewJob("later") { RunAfter = DateTimeOffset.UtcNow.AddHours(1) });
        var cancelled = await scope.EnqueueAsync(new NewJob("unwanted"));
        Assert.True(await scope.CancelJobAsync(cancelled));
        Assert.False(await scope.CancelJobAsync(cancelled));
        // Another tenant cannot cancel it (row-level security hides it).
        var other = await scope.EnqueueAsync(new NewJob("mine"));
        Assert.False(await App.ForTenant(TenantB.Id).CancelJobAsync(other));

        var claimed = await NewQueue().ClaimAsync(10);
        Assert.Equal(other, Assert.Single(claimed).Id);
        Assert.Equal(1, await CountJobsAsync("status = 'cancelled' AND finished_at IS NOT NULL"));
    }

    [Fact]
    public async Task The_application_lane_cannot_claim_jobs()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new JobQueue(AppSource));
        Assert.Contains("DatabaseLane.Worker", error.Message);
    }
}
