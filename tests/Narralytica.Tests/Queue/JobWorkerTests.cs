using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Queue;

/// <summary>Workers running handlers: concurrency, the handler's tenant scope and transaction, wake-up, and draining.</summary>
public sealed class JobWorkerTests : QueueTest
{
    public JobWorkerTests(PostgresFixture postgres) : base(postgres) { }

    private static JobWorkerOptions Options(int concurrency = 1, TimeSpan? poll = null, bool listen = true, TimeSpan? drain = null, TimeSpan? lease = null)
        => new()
        {
            Concurrency = concurrency,
            PollInterval = poll ?? TimeSpan.FromMilliseconds(200),
            Listen = listen,
            DrainTimeout = drain ?? TimeSpan.FromSeconds(30),
            Queue = new JobQueueOptions { Lease = lease ?? TimeSpan.FromSeconds(60), WorkerId = "w-" + Guid.NewGuid().ToString("N")[..6] },
        };

    /// <summary>
    /// 8 workers, each on connections of its own, over 10,000 jobs of 3 tenants: each handler writes an event row in its
    /// job's tenant, in the transaction that completes the job. Every job ends succeeded after one attempt, its event row
    /// exists exactly once in its own tenant, and no job was ever in two handlers at once.
    /// </summary>
    [Fact]
    public async Task Eight_workers_complete_ten_thousand_jobs_of_three_tenants_each_exactly_once()
    {
        var tenantC = await NewTenantAsync(App, "queue-c");
        var tenants = new[] { TenantA, TenantB, tenantC };
        await EnqueueAsync(TenantA, "count", 5000);
        await EnqueueAsync(TenantB, "count", 3000);
        await EnqueueAsync(tenantC, "count", 2000);

        var holding = new ConcurrentDictionary<Guid, string>();
        var overlaps = new ConcurrentBag<Guid>();
        var runs = new ConcurrentDictionary<Guid, int>();
        JobHandler Count(string worker) => async context =>
        {
            if (!holding.TryAdd(context.Job.Id, worker))
                overlaps.Add(context.Job.Id);
            runs.AddOrUpdate(context.Job.Id, 1, (_, n) => n + 1);
            await context.Scope.InsertAsync(new EventLog { EventType = "job.done", TargetType = "job", TargetId = context.Job.Id, Payload = "{}" }, context.CancellationToken);
            holding.TryRemove(context.Job.Id, out _);
        };

        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 8).Select(i => new JobWorker(WorkerSource, new Dictionary<string, JobHandler> { ["count"] = Count("w" + i) }, Options())).ToList();
        var running = workers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToList();
        try
        {
            await EventuallyWithinAsync(TimeSpan.FromMinutes(8), async () => await CountJobsAsync("status = 'succeeded'") == 10_000, "every job to succeed");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running);
        }

        Assert.Empty(overlaps);
        Assert.Equal(10_000, runs.Count);
        Assert.All(runs.Values, n => Assert.Equal(1, n));
        Assert.Equal(10_000, await CountJobsAsync("status = 'succeeded' AND attempts = 1"));
        Assert.Equal(10_000, workers.Sum(w => w.Counts.Succeeded));
        Assert.True(workers.Count(w => w.Counts.Succeeded > 0) >= 2, "the work was shared");
        // Each job's event row exists once, in the job's own tenant.
        Assert.Equal(10_000L, await ScalarAsync<long>("SELECT count(*) FROM event_logs e JOIN jobs j ON j.id = e.target_id AND j.tenant_id = e.tenant_id"));
        Assert.Equal(10_000L, await ScalarAsync<long>("SELECT count(DISTINCT target_id) FROM event_logs"));
        foreach (var tenant in tenants)
            Assert.Equal(await CountJobsAsync("tenant_id = $1", tenant.Id), await ScalarAsync<long>("SELECT count(*) FROM event_logs WHERE tenant_id = $1", tenant.Id));
    }

    [Fact]
    public async Task A_handler_works_in_its_jobs_tenant_only_and_its_writes_commit_with_the_completion_or_not_at_all()
    {
        var videoA = new Video { Source = VideoSource.Upload, ExternalId = "v-a", Title = "A's" };
        await App.ForTenant(TenantA.Id).InsertAsync(videoA);
        await App.ForTenant(TenantB.Id).InsertAsync(new Video { Source = VideoSource.Upload, ExternalId = "v-b", Title = "B's" });
        await App.ForTenant(TenantA.Id).EnqueueAsync(new NewJob("look"));
        await App.ForTenant(TenantA.Id).EnqueueAsync(new NewJob("trespass") { MaxAttempts = 1 });

        var seen = new ConcurrentBag<string>();
        var handlers = new Dictionary<string, JobHandler>
        {
            ["look"] = async context =>
            {
                // The scope is the job's tenant: its rows only, even with the predicate written against another tenant.
                seen.Add(string.Join(",", await context.Scope.Videos.Select(v => v.Title).ToListAsync(context.CancellationToken)));
                seen.Add("raw:" + await context.Scope.Db.ExecuteAsync<long>("SELECT count(*) FROM videos"));
                await context.Scope.InsertAsync(new EventLog { EventType = "looked", Payload = "{}" }, context.CancellationToken);
            },
            ["trespass"] = async context =>
            {
                await context.Scope.InsertAsync(new EventLog { EventType = "before the error", Payload = "{}" }, context.CancellationToken);
                // Writing into another tenant: the scope refuses it (and so would row-level security).
                await context.Scope.InsertAsync(new EventLog { TenantId = TenantB.Id, EventType = "planted", Payload = "{}" }, context.CancellationToken);
            },
        };
        var worker = new JobWorker(WorkerSource, handlers, Options());
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        await EventuallyAsync(async () => await CountJobsAsync("status IN ('succeeded', 'failed')") == 2, "both jobs to end");
        await stop.CancelAsync();
        await run;

        Assert.Equal(new[] { "A's", "raw:1" }, seen.OrderBy(s => s));
        Assert.Equal(1, await CountJobsAsync("kind = 'look' AND status = 'succeeded'"));
        Assert.Equal(1, await CountJobsAsync("kind = 'trespass' AND status = 'failed' AND last_error LIKE 'TenantMismatchException%'"));
        // The failed handler's first write was rolled back with it; the successful one's committed in A.
        Assert.Equal(new[] { (TenantA.Id, "looked") },
            (await Db.GetTable<EventLog>().ToListAsync()).Select(e => (e.TenantId, e.EventType)));
    }

    [Fact]
    public async Task A_handler_can_end_its_job_cancelled_and_a_job_of_an_unknown_kind_fails_its_attempt()
    {
        await App.ForTenant(TenantB.Id).EnqueueAsync(new NewJob("decline"));
        await App.ForTenant(TenantB.Id).EnqueueAsync(new NewJob("nobody-handles-this") { MaxAttempts = 1 });
        var handlers = new Dictionary<string, JobHandler>
        {
            ["decline"] = context =>
            {
                context.CancelJob("the video was deleted");
                return Task.CompletedTask;
            },
        };
        var worker = new JobWorker(WorkerSource, handlers, Options());
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        await EventuallyAsync(async () => await CountJobsAsync("status IN ('cancelled', 'failed')") == 2, "both jobs to end");
        await stop.CancelAsync();
        await run;
        Assert.Equal(1, await CountJobsAsync("kind = 'decline' AND status = 'cancelled' AND last_error = 'the video was deleted'"));
        Assert.Equal(1, await CountJobsAsync("kind = 'nobody-handles-this' AND status = 'failed' AND last_error LIKE '%no handler for jobs of kind%'"));
        Assert.Equal((1L, 1L), (worker.Counts.Cancelled, worker.Counts.Failed));
    }

    /// <summary>
    /// An idle worker polling only every 10 minutes still starts an enqueued job at once: the enqueue's notification
    /// wakes it. (Without LISTEN, the same worker would sit out the interval; the polling test below shows the fallback.)
    /// </summary>
    [Fact]
    public async Task An_enqueue_wakes_an_idle_worker_through_its_notification()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = new JobWorker(WorkerSource, new Dictionary<string, JobHandler> { ["ping"] = _ => { started.TrySetResult(); return Task.CompletedTask; } },
            Options(poll: TimeSpan.FromMinutes(10)));
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        // Let the worker find the queue empty and go idle, listening.
        await Task.Delay(500);
        await App.ForTenant(TenantA.Id).EnqueueAsync(new NewJob("ping"));
        Assert.Same(started.Task, await Task.WhenAny(started.Task, Task.Delay(Patience)));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Without_notifications_a_worker_finds_work_by_polling()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = new JobWorker(WorkerSource, new Dictionary<string, JobHandler> { ["ping"] = _ => { started.TrySetResult(); return Task.CompletedTask; } },
            Options(poll: TimeSpan.FromMilliseconds(100), listen: false));
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        await Task.Delay(300);
        await App.ForTenant(TenantA.Id).EnqueueAsync(new NewJob("ping"));
        Assert.Same(started.Task, await Task.WhenAny(started.Task, Task.Delay(Patience)));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Stopping_lets_running_handlers_finish_within_the_drain_time_and_releases_the_rest()
    {
        await App.ForTenant(TenantA.Id).EnqueueAsync(new NewJob("quick"));
        await App.ForTenant(TenantB.Id).EnqueueAsync(new NewJob("stuck"));
        var quickStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuckStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var letQuickFinish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlers = new Dictionary<string, JobHandler>
        {
            ["quick"] = async context =>
            {
                quickStarted.TrySetResult();
                await letQuickFinish.Task;
                await context.Scope.InsertAsync(new EventLog { EventType = "quick", Payload = "{}" });
            },
            ["stuck"] = async context =>
            {
                stuckStarted.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            },
        };
        var worker = new JobWorker(WorkerSource, handlers, Options(concurrency: 2, drain: TimeSpan.FromSeconds(3)));
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        await Task.WhenAll(quickStarted.Task, stuckStarted.Task).WaitAsync(Patience);

        await stop.CancelAsync();
        letQuickFinish.SetResult();
        await run.WaitAsync(Patience);

        Assert.Equal(1, await CountJobsAsync("kind = 'quick' AND status = 'succeeded'"));
        Assert.Equal(1, await CountJobsAsync("kind = 'stuck' AND status = 'queued' AND attempts = 0 AND lease_owner IS NULL"));
        Assert.Equal((1L, 1L, 0L), (worker.Counts.Succeeded, worker.Counts.Released, worker.Counts.Running));
    }

    [Fact]
    public async Task A_long_handler_keeps_its_job_by_heartbeats()
    {
        await App.ForTenant(TenantA.Id).EnqueueAsync(new NewJob("long"));
        var handlers = new Dictionary<string, JobHandler>
        {
            // Three leases long: without heartbeats another claim would take the job over.
            ["long"] = async context => await Task.Delay(TimeSpan.FromSeconds(4.5), context.CancellationToken),
        };
        var worker = new JobWorker(WorkerSource, handlers, Options(lease: TimeSpan.FromSeconds(1.5)));
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        await EventuallyAsync(async () => await CountJobsAsync("status = 'running'") == 1, "the worker to claim the job");
        var rival = NewQueue();
        var taken = new List<ClaimedJob>();
        await EventuallyAsync(async () =>
        {
            taken.AddRange(await rival.ClaimAsync(1));
            return await CountJobsAsync("status = 'succeeded'") == 1;
        }, () => $"the long job to succeed (worker: {worker.Counts}; rival took {taken.Count})");
        await stop.CancelAsync();
        await run;
        Assert.Empty(taken);
        Assert.Equal(1, await CountJobsAsync("status = 'succeeded' AND attempts = 1"));
    }

    private static async Task EventuallyWithinAsync(TimeSpan patience, Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(patience);
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
                throw new TimeoutException($"Waited {patience.TotalMinutes:0} min for {what}.");
            await Task.Delay(200);
        }
    }
}
