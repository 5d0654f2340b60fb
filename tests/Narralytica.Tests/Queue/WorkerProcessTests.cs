using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Cli.Commands;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Queue;

/// <summary>
/// <c>narralytica worker</c> as a process of its own, as workers run: killed outright (SIGKILL) mid-job, its job runs
/// again once the lease expires; interrupted (SIGINT, Ctrl-C), it gives its job back before it exits.
/// </summary>
public sealed class WorkerProcessTests : QueueTest
{
    public WorkerProcessTests(PostgresFixture postgres) : base(postgres) { }

    [Fact]
    public async Task A_worker_killed_mid_job_has_its_job_run_again_after_the_lease_expires_and_not_before()
    {
        var id = await App.ForTenant(TenantA.Id).EnqueueAsync(new NewJob(SampleJobHandlers.Sleep, "{\"ms\": 600000}"));
        using var process = StartWorker("--lease", "3");
        string owner;
        try
        {
            owner = await HeldByAsync(id, process);
        }
        finally
        {
            process.Kill(); // SIGKILL: no drain, no release, nothing the process can do about it
            await process.WaitForExitAsync();
        }
        Assert.Equal(1, await CountJobsAsync("id = $1 AND status = 'running' AND lease_owner = $2 AND attempts = 1", id, owner));
        var killedLeaseExpiry = await ScalarAsync<DateTime>("SELECT lease_expires_at FROM jobs WHERE id = $1", id);

        var reran = new TaskCompletionSource<(int Attempt, bool LeaseHadExpired, string? LastError)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlers = new Dictionary<string, JobHandler>
        {
            [SampleJobHandlers.Sleep] = async context =>
            {
                // The old lease, as the killed worker left it, must be over by the time the job runs again.
                var expiredBeforeNow = await ScalarAsync<bool>("SELECT $1 < now()", killedLeaseExpiry);
                reran.TrySetResult((context.Job.Attempt, expiredBeforeNow, context.Job.LastError));
            },
        };
        var worker = new JobWorker(WorkerSource, handlers, new JobWorkerOptions { PollInterval = TimeSpan.FromMilliseconds(200) });
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        var (attempt, leaseHadExpired, lastError) = await reran.Task.WaitAsync(Patience);
        await EventuallyAsync(async () => await CountJobsAsync("id = $1 AND status = 'succeeded'", id) == 1, "the job to succeed on its second attempt");
        await stop.CancelAsync();
        await run;

        Assert.Equal(2, attempt);
        Assert.True(leaseHadExpired);
        Assert.Contains("expired", lastError);
        Assert.Equal(1, await CountJobsAsync("id = $1 AND attempts = 2", id));
    }

    [Fact]
    public async Task An_interrupted_worker_releases_its_running_job_and_exits()
    {
        var id = await App.ForTenant(TenantB.Id).EnqueueAsync(new NewJob(SampleJobHandlers.Sleep, "{\"ms\": 600000}"));
        using var process = StartWorker("--lease", "60", "--drain", "1");
        try
        {
            await HeldByAsync(id, process);
            using (var interrupt = Process.Start("kill", $"-INT {process.Id}"))
                await interrupt.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(Patience);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
        Assert.Equal(130, process.ExitCode);
        Assert.Equal(1, await CountJobsAsync("id = $1 AND status = 'queued' AND attempts = 0 AND lease_owner IS NULL", id));
    }

    private Process StartWorker(params string[] more)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "narralytica.dll");
        // Through env --default-signal=INT: started in the background by a non-interactive shell (as CI runs the tests),
        // the worker would inherit an ignored SIGINT; a terminal's Ctrl-C reaches it with the default.
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { [WorkerCommand.KeySecretVariable] = Convert.ToBase64String(TestTenantKey.Secret), ["NARRALYTICA_DATABASE"] = null },
        };
        foreach (var argument in new[] { "--default-signal=INT", "dotnet", cli, "worker", "--connection", As(ConnectionString, "narralytica_worker"), "--tenant-key-id", TestTenantKey.Id, "--concurrency", "1", "--poll", "0.2" })
            start.ArgumentList.Add(argument);
        foreach (var argument in more)
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        // Drain the pipes, so that a chatty worker never blocks on a full one.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits until the worker <paramref name="process"/> holds job <paramref name="id"/>; returns its lease owner.</summary>
    private async Task<string> HeldByAsync(Guid id, Process process)
    {
        var mark = $":{process.Id}:";
        await EventuallyAsync(async () =>
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The worker exited with {process.ExitCode} before it took the job.");
            return await CountJobsAsync("id = $1 AND status = 'running' AND position($2 in lease_owner) > 0", id, mark) == 1;
        }, "the worker process to take the job");
        return await ScalarAsync<string>("SELECT lease_owner FROM jobs WHERE id = $1", id);
    }
}
