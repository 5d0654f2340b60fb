using System;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Queue;

/// <summary>
/// The queue's uniqueness key (<c>unique_key: dedupe_key</c> on <c>jobs</c>): while a job of a tenant with a key is queued
/// or running, an enqueue with the same key adds nothing and says so; once it finished, the key is free again.
/// </summary>
public sealed class UniqueKeyTests : QueueTest
{
    public UniqueKeyTests(PostgresFixture postgres) : base(postgres) { }

    [Fact]
    public async Task The_same_key_twice_makes_one_job_and_the_second_enqueue_says_so()
    {
        var scope = App.ForTenant(TenantA.Id);
        Assert.True(await scope.TryEnqueueAsync(new NewJob("digest") { UniqueKey = "digest:2026-12-03" }));
        Assert.False(await scope.TryEnqueueAsync(new NewJob("digest") { UniqueKey = "digest:2026-12-03" }));
        var duplicate = await Assert.ThrowsAsync<DuplicateJobException>(() => scope.EnqueueAsync(new NewJob("digest") { UniqueKey = "digest:2026-12-03" }));
        Assert.Equal("digest:2026-12-03", duplicate.UniqueKey);

        // A batch adds what is new: not the held key, nor a key repeated within the batch; jobs without a key always.
        var added = await scope.EnqueueManyAsync(new[]
        {
            new NewJob("digest") { UniqueKey = "digest:2026-12-03" },
            new NewJob("digest") { UniqueKey = "digest:2026-12-04" },
            new NewJob("digest") { UniqueKey = "digest:2026-12-04" },
            new NewJob("note"),
            new NewJob("note"),
        });
        Assert.Equal(3, added);
        Assert.Equal(1, await CountJobsAsync("dedupe_key = 'digest:2026-12-03'"));
        Assert.Equal(1, await CountJobsAsync("dedupe_key = 'digest:2026-12-04'"));
        Assert.Equal(2, await CountJobsAsync("dedupe_key IS NULL"));

        // Keys are per tenant.
        Assert.True(await App.ForTenant(TenantB.Id).TryEnqueueAsync(new NewJob("digest") { UniqueKey = "digest:2026-12-03" }));
    }

    [Fact]
    public async Task A_running_job_holds_its_key_and_a_finished_one_frees_it()
    {
        var scope = App.ForTenant(TenantA.Id);
        Assert.True(await scope.TryEnqueueAsync(new NewJob("sync") { UniqueKey = "sync" }));
        var queue = NewQueue();
        var job = Assert.Single(await queue.ClaimAsync(10));
        Assert.False(await scope.TryEnqueueAsync(new NewJob("sync") { UniqueKey = "sync" })); // running: still held

        await queue.CompleteAsync(job);
        Assert.True(await scope.TryEnqueueAsync(new NewJob("sync") { UniqueKey = "sync" }));   // succeeded: free again
        Assert.Equal(2, await CountJobsAsync("dedupe_key = 'sync'"));

        // Cancelled and failed jobs free it too.
        var queued = await CountJobsAsync("status = 'queued' AND dedupe_key = 'sync'");
        Assert.Equal(1, queued);
        var next = Assert.Single(await queue.ClaimAsync(10));
        await queue.CancelAsync(next, "not needed");
        Assert.True(await scope.TryEnqueueAsync(new NewJob("sync") { UniqueKey = "sync" }));
    }

    [Fact]
    public async Task A_rolled_back_enqueue_leaves_nothing_and_the_key_free()
    {
        var scope = App.ForTenant(TenantA.Id);
        await using (var transaction = await App.BeginTransactionAsync())
        {
            Assert.True(await scope.TryEnqueueAsync(new NewJob("export") { UniqueKey = "export:42" }));
            await transaction.RollbackAsync();
        }
        Assert.Equal(0, await CountJobsAsync("true"));
        Assert.True(await scope.TryEnqueueAsync(new NewJob("export") { UniqueKey = "export:42" }));
    }

    [Fact]
    public async Task Two_enqueuers_of_the_same_key_at_once_make_one_job()
    {
        await using var other = new NarralyticaDb(AppSource);
        var first = App.ForTenant(TenantA.Id);
        var second = other.ForTenant(TenantA.Id);

        await using var firstTransaction = await App.BeginTransactionAsync();
        Assert.True(await first.TryEnqueueAsync(new NewJob("rebuild") { UniqueKey = "rebuild" }));

        // The second enqueue waits on the first's uncommitted key (the unique index), in a transaction of its own.
        var secondEnqueue = Task.Run(async () =>
        {
            await using var transaction = await other.BeginTransactionAsync();
            var queued = await second.TryEnqueueAsync(new NewJob("rebuild") { UniqueKey = "rebuild" });
            await transaction.CommitAsync();
            return queued;
        });
        await EventuallyAsync(async () => secondEnqueue.IsCompleted
            || await ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO jobs%'") > 0,
            "the second enqueue to wait for the first's key");
        await firstTransaction.CommitAsync();

        Assert.False(await secondEnqueue);
        Assert.Equal(1, await CountJobsAsync("dedupe_key = 'rebuild'"));
    }
}
