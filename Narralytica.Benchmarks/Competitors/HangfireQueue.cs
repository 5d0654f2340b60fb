using System;
using System.Threading;
using System.Threading.Tasks;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace Narralytica.Benchmarks.Competitors;

/// <summary>
/// Hangfire with its PostgreSQL storage (Hangfire.PostgreSql), in a schema of its own in the same database: jobs are
/// enqueued with <see cref="BackgroundJobClient"/> and run by a <see cref="BackgroundJobServer"/> whose workers fetch
/// them (<c>FOR UPDATE SKIP LOCKED</c>) and record each one's states, as an application using it would.
/// </summary>
public sealed class HangfireQueue : IDisposable
{
    private static long _done;

    public HangfireQueue(string connectionString)
    {
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire_bench",
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = TimeSpan.FromMilliseconds(100),
        };
        Storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
        Client = new BackgroundJobClient(Storage);
    }

    public PostgreSqlStorage Storage { get; }

    public BackgroundJobClient Client { get; }

    /// <summary>The job Hangfire runs: counts itself.</summary>
    public static void Run(int n) => Interlocked.Increment(ref _done);

    public static long Done => Interlocked.Read(ref _done);

    public static void ResetCount() => Interlocked.Exchange(ref _done, 0);

    public string Enqueue(int n) => Client.Enqueue(() => Run(n));

    /// <summary>Starts a server with <paramref name="workers"/> workers and waits until <paramref name="jobs"/> jobs ran; returns the server, still running.</summary>
    public async Task<BackgroundJobServer> RunUntilAsync(int workers, long jobs)
    {
        var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = workers, SchedulePollingInterval = TimeSpan.FromSeconds(1) }, Storage);
        while (Done < jobs)
            await Task.Delay(1);
        return server;
    }

    public void Dispose()
    {
    }
}
