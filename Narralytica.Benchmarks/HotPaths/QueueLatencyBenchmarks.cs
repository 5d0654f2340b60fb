using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Benchmarks.Hosting;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// Latency from an enqueue's commit to its handler's start, with an idle <see cref="JobWorker"/> waiting: woken by the
/// enqueue's notification (LISTEN/NOTIFY, polling every 10 s as the fallback), and by polling only (every second, the
/// default interval). The enqueue is the application's (<c>narralytica_app</c>), the worker the workers' lane.
/// </summary>
public class QueueLatencyBenchmarks : DatabaseBenchmark
{
    private NpgsqlDataSource _app = null!;
    private NarralyticaDb _appDb = null!;
    private NpgsqlDataSource _worker = null!;
    private CancellationTokenSource _stop = null!;
    private Task _running = Task.CompletedTask;
    private TaskCompletionSource _started = new();

    [Params(true, false)]
    public bool Notify { get; set; }

    /// <summary>No inputs from the data set: the jobs are made by the benchmark itself.</summary>
    protected override void ChooseInputs()
    {
    }

    protected override async Task SetUpMoreAsync(string connectionString)
    {
        _app = NarralyticaDb.CreateDataSource(new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c role=narralytica_app" }.ConnectionString, BenchmarkEnvironment.TenantKey);
        _appDb = new NarralyticaDb(_app);
        _worker = NarralyticaDb.CreateDataSource(new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c role=narralytica_worker" }.ConnectionString,
            BenchmarkEnvironment.TenantKey, lane: DatabaseLane.Worker);
        await using (var owner = new NpgsqlConnection(connectionString))
        {
            await owner.OpenAsync();
            await using var clear = new NpgsqlCommand("DELETE FROM jobs", owner);
            await clear.ExecuteNonQueryAsync();
        }
        var worker = new JobWorker(_worker, new Dictionary<string, JobHandler>
        {
            ["latency"] = _ =>
            {
                _started.TrySetResult();
                return Task.CompletedTask;
            },
        }, new JobWorkerOptions { Listen = Notify, PollInterval = Notify ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(1), Concurrency = 1 });
        _stop = new CancellationTokenSource();
        _running = worker.RunAsync(_stop.Token);
        await Task.Delay(500); // the worker finds the queue empty and goes idle
    }

    protected override async Task CleanUpMoreAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
        await _appDb.DisposeAsync();
        await _app.DisposeAsync();
        await _worker.DisposeAsync();
    }

    [Benchmark(Description = "enqueue → handler start")]
    public async Task EnqueueToStart()
    {
        _started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _appDb.ForTenant(Tenant.Id).EnqueueAsync(new NewJob("latency"));
        await _started.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
