using System;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// <c>narralytica worker</c>: runs the sample handlers (<see cref="SampleJobHandlers"/>) on the queue of a database, on the
/// workers' lane, with live counts once a second; Ctrl-C stops claiming, lets running jobs finish for the drain time,
/// releases the rest, and exits. The login should be a member of <c>narralytica_worker</c>; the tenant key signs the
/// proofs of the claimed jobs' tenants (the same key the application's requests use, or a key of the workers' own).
/// </summary>
public static class WorkerCommand
{
    /// <summary>The tenant key's secret (base64): from the environment only, never the command line, where any process can read it.</summary>
    public const string KeySecretVariable = "NARRALYTICA_TENANT_KEY_SECRET";

    /// <summary>The tenant key's id, when --tenant-key-id is not given.</summary>
    public const string KeyIdVariable = "NARRALYTICA_TENANT_KEY_ID";

    public static async Task<int> RunAsync(WorkerOptions options, CancellationToken cancellationToken)
    {
        await using var target = await DatabaseTarget.OpenExistingAsync(options.Connection, "narralytica worker");
        var key = TenantKeyFromEnvironment(options.TenantKeyId);
        await using var dataSource = NarralyticaDb.CreateDataSource(target.ConnectionString, key, lane: DatabaseLane.Worker);
        var worker = new JobWorker(dataSource, SampleJobHandlers.All, new JobWorkerOptions
        {
            Concurrency = options.Concurrency,
            PollInterval = TimeSpan.FromSeconds(options.PollSeconds),
            Listen = options.Listen,
            DrainTimeout = TimeSpan.FromSeconds(options.DrainSeconds),
            Queue = new JobQueueOptions { Lease = TimeSpan.FromSeconds(options.LeaseSeconds) },
        });
        Console.WriteLine($"Worker {worker.Queue.Options.WorkerId} on {target.Description}: {options.Concurrency} at once, lease {options.LeaseSeconds:0.#} s, " +
                          $"kinds {string.Join(", ", SampleJobHandlers.All.Keys)}. Ctrl-C drains and stops.");
        await RunWithCountsAsync(worker, cancellationToken);
        Console.WriteLine($"Stopped: {worker.Counts}.");
        return ExitCodes.Ok;
    }

    /// <summary>Runs <paramref name="worker"/> until <paramref name="stop"/>, printing its counts when they change (at most once a second).</summary>
    public static async Task RunWithCountsAsync(JobWorker worker, CancellationToken stop)
    {
        var run = worker.RunAsync(stop);
        var last = "";
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None));
            var now = worker.Counts.ToString();
            if (now != last)
                Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {now}");
            last = now;
        }
        await run;
    }

    private static TenantKey TenantKeyFromEnvironment(string? idOption)
    {
        var id = idOption ?? Environment.GetEnvironmentVariable(KeyIdVariable);
        var secret = Environment.GetEnvironmentVariable(KeySecretVariable);
        if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(secret))
            throw new CliError($"a worker needs the tenant key that signs its jobs' tenants: give its id with --tenant-key-id (or {KeyIdVariable}) and its secret in {KeySecretVariable} " +
                               "(`narralytica tenant-key new` makes a key and prints how the database owner installs it).", ErrorCodes.Failed);
        try
        {
            return TenantKey.FromBase64(id, secret);
        }
        catch (ArgumentException e)
        {
            throw new CliError(e.Message, ErrorCodes.Failed);
        }
    }
}
