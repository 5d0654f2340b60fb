using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// <c>narralytica worker demo</c>: a big tenant's backlog and a small tenant's few jobs, enqueued by requests of each
/// tenant, drained by two workers; shows that the small tenant is served round-robin with the big one (not after it),
/// and a job that fails twice and succeeds on its third attempt after its backoffs. Works in a database of its own.
/// </summary>
public static class WorkerDemoCommand
{
    private const int BigBacklog = 1000;
    private const int SmallJobs = 10;

    public static async Task<int> RunAsync(WorkerDemoOptions options, CancellationToken cancellationToken)
    {
        await using var demo = await DemoDatabase.OpenAsync(options.Connection, "narralytica_worker_demo", "worker demo", cancellationToken);
        Console.WriteLine($"Database: {demo.Description}");
        return await RunDemoAsync(demo.ConnectionString, options.Json, cancellationToken);
    }

    private static async Task<int> RunDemoAsync(string connectionString, bool json, CancellationToken cancellationToken)
    {
        CliOutput.Progress($"Creating the schema: applying {NarralyticaMigrations.All.Count} embedded migration(s)…");
        await using (var migrations = NpgsqlDataSource.Create(connectionString))
            await new SchemaMigrator(migrations).ApplyAsync(null, cancellationToken);
        var tenantKey = await DemoCommand.InstallTenantKeyAsync(connectionString);

        // Each lane as its role when this login may act as it (a throwaway server's superuser may), else as the login.
        var appConnection = await AsRoleIfAllowedAsync(connectionString, "narralytica_app");
        var workerConnection = await AsRoleIfAllowedAsync(connectionString, "narralytica_worker");
        Console.WriteLine($"Lanes:    requests as {Who(appConnection)}, workers as {Who(workerConnection)}");

        await using var controlSource = NarralyticaDb.CreateDataSource(connectionString, lane: DatabaseLane.ControlPlane);
        await using var control = new NarralyticaDb(controlSource);
        var big = new Tenant { Slug = "acme-media", Name = "Acme Media" };
        var small = new Tenant { Slug = "globex-news", Name = "Globex News" };
        await control.ControlPlane.InsertAsync(big);
        await control.ControlPlane.InsertAsync(small);

        await using var appSource = NarralyticaDb.CreateDataSource(appConnection, tenantKey);
        await using (var app = new NarralyticaDb(appSource))
        {
            await app.ForTenant(big.Id).EnqueueManyAsync(Enumerable.Range(0, BigBacklog).Select(i => new NewJob(SampleJobHandlers.Note, $"{{\"n\": {i}}}")).ToList(), cancellationToken);
            await app.ForTenant(small.Id).EnqueueManyAsync(Enumerable.Range(0, SmallJobs).Select(i => new NewJob(SampleJobHandlers.Note, $"{{\"n\": {i}}}")).ToList(), cancellationToken);
            await app.ForTenant(small.Id).EnqueueAsync(new NewJob(SampleJobHandlers.Flaky, "{\"failures\": 2}") { MaxAttempts = 5 }, cancellationToken);
        }
        Console.WriteLine($"Enqueued: {BigBacklog} jobs for {big.Slug} first, then {SmallJobs} for {small.Slug} and one that fails twice before it succeeds");

        await using var workerSource = NarralyticaDb.CreateDataSource(workerConnection, tenantKey, lane: DatabaseLane.Worker);
        var retry = new JobRetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(300) };
        var workers = Enumerable.Range(1, 2).Select(i => new JobWorker(workerSource, SampleJobHandlers.All, new JobWorkerOptions
        {
            Concurrency = 2,
            PollInterval = TimeSpan.FromMilliseconds(250),
            Queue = new JobQueueOptions { WorkerId = $"demo-worker-{i}", Retry = retry },
        })).ToList();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        var running = workers.Select(w => w.RunAsync(stop.Token)).ToList();

        await using var check = new NpgsqlConnection(connectionString);
        await check.OpenAsync(cancellationToken);
        var total = BigBacklog + SmallJobs + 1;
        long done = 0;
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            done = await ScalarAsync<long>(check, "SELECT count(*) FROM jobs WHERE status IN ('succeeded', 'failed')", cancellationToken);
            if (done == total)
                break;
            await Task.Delay(250, cancellationToken);
        }
        await stop.CancelAsync();
        await Task.WhenAll(running);
        var elapsed = clock.Elapsed;

        // Fairness: how much of the big backlog was done when the small tenant's last job finished.
        var bigDoneBeforeSmall = await ScalarAsync<long>(check,
            "SELECT count(*) FROM jobs WHERE tenant_id = $1 AND finished_at <= (SELECT max(finished_at) FROM jobs WHERE tenant_id = $2 AND kind = $3)",
            cancellationToken, big.Id, small.Id, SampleJobHandlers.Note);
        var flaky = await RowAsync(check, "SELECT status::text, attempts, coalesce(last_error, '') FROM jobs WHERE kind = $1", cancellationToken, SampleJobHandlers.Flaky);
        var events = await ScalarAsync<long>(check, "SELECT count(*) FROM event_logs", cancellationToken);

        Console.WriteLine($"Workers:  2 × 2 at once; {done} of {total} jobs done in {elapsed.TotalSeconds:0.0} s ({string.Join("; ", workers.Select(w => w.Counts.ToString()))})");
        Console.WriteLine($"Fairness: {small.Slug}'s {SmallJobs} jobs were all done when {bigDoneBeforeSmall} of {big.Slug}'s {BigBacklog} were (round-robin by tenant: about {SmallJobs} each way)");
        Console.WriteLine($"Retry:    the flaky job is {flaky.Status} after {flaky.Attempts} attempts; the last failure kept: \"{flaky.Error}\"");
        Console.WriteLine($"Events:   {events} event rows, one per completed job, each in its job's tenant");
        var fair = bigDoneBeforeSmall <= 2 * SmallJobs + 4 * 2;
        var retried = flaky is { Status: "succeeded", Attempts: 3 };
        var ok = done == total && fair && retried && events == BigBacklog + SmallJobs + 1;
        Console.WriteLine(ok ? "The small tenant was served alongside the big backlog, and the flaky job succeeded after its retries." : "The demo did not go as expected.");
        if (json)
            CliOutput.WriteJson(new
            {
                jobs = total, done, seconds = Math.Round(elapsed.TotalSeconds, 1), big_done_when_small_finished = bigDoneBeforeSmall,
                flaky_status = flaky.Status, flaky_attempts = flaky.Attempts, flaky_last_error = flaky.Error, ok,
            });
        return ok ? ExitCodes.Ok : ExitCodes.Error;
    }

    private static string Who(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Options is { Length: > 0 } options
        ? options.Replace("-c role=", "")
        : new NpgsqlConnectionStringBuilder(connectionString).Username ?? "the login";

    private static async Task<string> AsRoleIfAllowedAsync(string connectionString, string role)
    {
        var asRole = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c role=" + role }.ConnectionString;
        try
        {
            await using var probe = new NpgsqlConnection(asRole);
            await probe.OpenAsync();
            return asRole;
        }
        catch (PostgresException)
        {
            return connectionString;
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
            command.Parameters.AddWithValue(parameter);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<(string Status, int Attempts, string Error)> RowAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
            command.Parameters.AddWithValue(parameter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetString(0), reader.GetInt32(1), reader.GetString(2));
    }
}
