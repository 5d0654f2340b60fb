using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.Runtime;

/// <summary>
/// Runs jobs of the queue with handlers by kind, up to <see cref="JobWorkerOptions.Concurrency"/> at once, on the
/// workers' lane. Each job runs in a tenant scope of its own tenant (the data source's tenant key proves that tenant to
/// the database for the job's transaction), inside one transaction that also completes the job: the job is done if and
/// only if its work commits. While a handler runs, its lease is extended every third of the lease; a handler that
/// throws fails the attempt (rolled back, retried with backoff, or failed for good). Idle, the worker waits for an
/// enqueue's notification or the poll interval. When <see cref="RunAsync"/>'s token is cancelled it claims nothing more,
/// lets running handlers finish for the drain time, then cancels them and gives their jobs back.
/// </summary>
public sealed class JobWorker
{
    private readonly IReadOnlyDictionary<string, JobHandler> _handlers;
    private readonly JobWorkerOptions _options;

    /// <param name="workerDataSource">A worker-lane data source with the tenant key (see <see cref="JobQueue"/>).</param>
    /// <param name="handlers">The handler of each job kind; a job of another kind fails its attempt.</param>
    /// <param name="options">Concurrency, polling, drain, and the queue's lease and retries.</param>
    public JobWorker(NpgsqlDataSource workerDataSource, IReadOnlyDictionary<string, JobHandler> handlers, JobWorkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        _options = options ?? new JobWorkerOptions();
        _options.Validate();
        Queue = new JobQueue(workerDataSource, _options.Queue);
        _handlers = handlers;
    }

    /// <summary>The queue the worker claims from.</summary>
    public JobQueue Queue { get; }

    /// <summary>What the worker has done so far.</summary>
    public JobWorkerCounts Counts { get; } = new();

    /// <summary>Runs until <paramref name="stop"/> is cancelled, then drains and returns.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var abandon = new CancellationTokenSource();
        var running = new ConcurrentDictionary<Task, bool>();
        using var slots = new SemaphoreSlim(_options.Concurrency, _options.Concurrency);
        await using var wakeUp = _options.Listen ? new JobWakeUp(Queue.DataSource, _options.PollInterval) : null;
        // The claim loop keeps one connection with its claim prepared; handlers finish in their own tenant's transaction.
        await using var claims = Queue.OpenSession();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await slots.WaitAsync(stop).ConfigureAwait(false);
                // One slot is free; take every other free one too, to claim for all of them in one statement.
                var free = 1;
                while (slots.Wait(0))
                    free++;
                IReadOnlyList<ClaimedJob> jobs;
                try
                {
                    jobs = await claims.ClaimAsync(free, stop).ConfigureAwait(false);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException && !stop.IsCancellationRequested)
                {
                    jobs = Array.Empty<ClaimedJob>();
                }
                Counts.AddClaimed(jobs.Count);
                if (free > jobs.Count)
                    slots.Release(free - jobs.Count);
                foreach (var job in jobs)
                {
                    var task = RunOneAsync(job, abandon.Token);
                    running[task] = true;
                    _ = task.ContinueWith(t =>
                    {
                        running.TryRemove(t, out _);
                        slots.Release();
                    }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
                if (jobs.Count == 0)
                {
                    if (wakeUp is null)
                        await Task.Delay(_options.PollInterval, stop).ConfigureAwait(false);
                    else
                        await wakeUp.WaitAsync(_options.PollInterval, stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        // Drain: running handlers get the drain time, then their token is cancelled and their jobs are released.
        var drained = Task.WhenAll(running.Keys);
        if (await Task.WhenAny(drained, Task.Delay(_options.DrainTimeout)).ConfigureAwait(false) != drained)
            await abandon.CancelAsync().ConfigureAwait(false);
        await drained.ConfigureAwait(false);
    }

    private async Task RunOneAsync(ClaimedJob job, CancellationToken abandon)
    {
        await Task.Yield();
        Counts.Started();
        using var lost = new CancellationTokenSource();
        using var handlerToken = CancellationTokenSource.CreateLinkedTokenSource(abandon, lost.Token);
        using var stopHeartbeat = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(job, lost, stopHeartbeat.Token);
        try
        {
            if (!_handlers.TryGetValue(job.Kind, out var handler))
                throw new InvalidOperationException($"This worker has no handler for jobs of kind '{job.Kind}'; give JobWorker one, or run a worker that has it.");
            await using var db = new NarralyticaDb(Queue.DataSource);
            var scope = db.ForTenant(job.TenantId);
            await using var transaction = await db.BeginTransactionAsync(handlerToken.Token).ConfigureAwait(false);
            var context = new JobContext(job, scope, handlerToken.Token);
            await handler(context).ConfigureAwait(false);
            await StopAsync(stopHeartbeat, heartbeat).ConfigureAwait(false);
            handlerToken.Token.ThrowIfCancellationRequested();
            if (context.CancelReason is { } reason)
                await Queue.CancelAsync(scope, job, reason, CancellationToken.None).ConfigureAwait(false);
            else
                await Queue.CompleteAsync(scope, job, CancellationToken.None).ConfigureAwait(false);
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            if (context.CancelReason is null)
                Counts.AddSucceeded();
            else
                Counts.AddCancelled();
        }
        catch (Exception e) when (lost.IsCancellationRequested || e is LeaseLostException)
        {
            Counts.AddLeaseLost();
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            await StopAsync(stopHeartbeat, heartbeat).ConfigureAwait(false);
            await GiveUpAsync(() => Queue.ReleaseAsync(job)).ConfigureAwait(false);
            Counts.AddReleased();
        }
        catch (Exception e)
        {
            await StopAsync(stopHeartbeat, heartbeat).ConfigureAwait(false);
            await GiveUpAsync(async () =>
            {
                var failure = await Queue.FailAsync(job, $"{e.GetType().Name}: {e.Message}").ConfigureAwait(false);
                if (failure.Terminal)
                    Counts.AddFailed();
                else
                    Counts.AddRetried();
            }).ConfigureAwait(false);
        }
        finally
        {
            await StopAsync(stopHeartbeat, heartbeat).ConfigureAwait(false);
            Counts.Ended();
        }
    }

    /// <summary>Extends the lease every third of it until stopped; a lost lease cancels the handler.</summary>
    private async Task HeartbeatAsync(ClaimedJob job, CancellationTokenSource lost, CancellationToken stop)
    {
        var every = _options.Queue.Lease / 3;
        try
        {
            while (true)
            {
                await Task.Delay(every, stop).ConfigureAwait(false);
                try
                {
                    await Queue.HeartbeatAsync(job, stop).ConfigureAwait(false);
                }
                catch (LeaseLostException)
                {
                    await lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    // A missed heartbeat is retried at the next one; the lease covers two more.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task StopAsync(CancellationTokenSource stopHeartbeat, Task heartbeat)
    {
        if (!stopHeartbeat.IsCancellationRequested)
            await stopHeartbeat.CancelAsync().ConfigureAwait(false);
        await heartbeat.ConfigureAwait(false);
    }

    /// <summary>Finishing a job that could not run: if that fails too (the lease was taken over, the database is gone), the lease expiry hands it on.</summary>
    private static async Task GiveUpAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Nothing more to do here: the job stays claimed until its lease expires, then another claim takes it.
        }
    }
}
