using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Integration;
using Npgsql;

namespace Narralytica.Tests.Queue;

/// <summary>
/// Base of the queue tests: a fresh database, the application's lane (<c>narralytica_app</c>, which enqueues) and the
/// workers' lane (<c>narralytica_worker</c>, which claims and runs), each with the tests' tenant key, as production
/// processes have them; row-level security applies to both. <see cref="DatabaseTest.Db"/> stays the superuser, to check.
/// </summary>
public abstract class QueueTest : DatabaseTest
{
    protected QueueTest(PostgresFixture postgres) : base(postgres) { }

    protected NpgsqlDataSource AppSource { get; private set; } = null!;
    protected NarralyticaDb App { get; private set; } = null!;
    protected NpgsqlDataSource WorkerSource { get; private set; } = null!;
    protected Tenant TenantA { get; private set; } = null!;
    protected Tenant TenantB { get; private set; } = null!;

    /// <summary>Generous: the machine may be busy; a wait that ends early costs nothing.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        AppSource = TestTenantKey.CreateDataSource(As(ConnectionString, "narralytica_app"));
        App = new NarralyticaDb(AppSource);
        WorkerSource = CreateWorkerSource(ConnectionString);
        TenantA = await NewTenantAsync(App, "queue-a");
        TenantB = await NewTenantAsync(App, "queue-b");
    }

    public override async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await AppSource.DisposeAsync();
        await WorkerSource.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>A workers' lane data source on <paramref name="connectionString"/>, acting as <c>narralytica_worker</c>.</summary>
    public static NpgsqlDataSource CreateWorkerSource(string connectionString, Action<NpgsqlConnectionStringBuilder>? configure = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(As(connectionString, "narralytica_worker"));
        configure?.Invoke(builder);
        return NarralyticaDb.CreateDataSource(builder.ConnectionString, TestTenantKey.Key, lane: DatabaseLane.Worker);
    }

    protected static string As(string connectionString, string role)
        => new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c role=" + role }.ConnectionString;

    protected JobQueue NewQueue(TimeSpan? lease = null, JobRetryPolicy? retry = null, string? workerId = null)
        => new(WorkerSource, new JobQueueOptions
        {
            Lease = lease ?? TimeSpan.FromSeconds(60),
            Retry = retry ?? new JobRetryPolicy(),
            WorkerId = workerId ?? "test-worker-" + Guid.NewGuid().ToString("N")[..6],
        });

    /// <summary>Enqueues <paramref name="count"/> jobs of <paramref name="kind"/> for <paramref name="tenant"/>, in batches.</summary>
    protected async Task EnqueueAsync(Tenant tenant, string kind, int count, Func<int, NewJob>? make = null)
    {
        var scope = App.ForTenant(tenant.Id);
        for (var start = 0; start < count; start += 1000)
        {
            var batch = new List<NewJob>();
            for (var i = start; i < Math.Min(count, start + 1000); i++)
                batch.Add(make?.Invoke(i) ?? new NewJob(kind, $"{{\"n\": {i}}}"));
            await scope.EnqueueManyAsync(batch);
        }
    }

    /// <summary>The status of every job of the database, counted (as the superuser).</summary>
    protected Task<long> CountJobsAsync(string where, params object[] parameters)
        => ScalarAsync<long>("SELECT count(*) FROM jobs WHERE " + where, parameters);

    /// <summary>Waits until <paramref name="condition"/> holds, checking every 50 ms, for at most <see cref="Patience"/>.</summary>
    protected static Task EventuallyAsync(Func<Task<bool>> condition, string what) => EventuallyAsync(condition, () => what);

    /// <summary><see cref="EventuallyAsync(Func{Task{bool}}, string)"/>, saying what was awaited (and what was seen) when it times out.</summary>
    protected static async Task EventuallyAsync(Func<Task<bool>> condition, Func<string> what)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
                throw new TimeoutException($"Waited {Patience.TotalSeconds:0} s for {what()}.");
            await Task.Delay(50);
        }
    }
}
