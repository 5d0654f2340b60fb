using System;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Benchmarks.Competitors;
using Narralytica.Benchmarks.Hosting;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// Enqueueing jobs: one job, and a batch of 1,000, through the tenant scope as <c>narralytica_app</c> (signed tenant,
/// row-level security, the wake-up notification), against raw Npgsql INSERTs as the owner (the baseline) and
/// Hangfire.PostgreSql's client (which has no batch: 1,000 calls).
/// </summary>
public class EnqueueBenchmarks : DatabaseBenchmark
{
    private NpgsqlDataSource _appDataSource = null!;
    private NarralyticaDb _appDb = null!;
    private TenantScope _app = null!;
    private NpgsqlConnection _raw = null!;
    private NpgsqlCommand _insert = null!;
    private HangfireQueue _hangfire = null!;
    private string[] _payloads = null!;
    private NewJobBatch _batch = null!;

    /// <summary>No inputs from the data set: the jobs are made by the benchmark itself.</summary>
    protected override void ChooseInputs()
    {
    }

    protected override async Task SetUpMoreAsync(string connectionString)
    {
        var asApp = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c role=narralytica_app" }.ConnectionString;
        _appDataSource = NarralyticaDb.CreateDataSource(asApp, BenchmarkEnvironment.TenantKey);
        _appDb = new NarralyticaDb(_appDataSource);
        _app = _appDb.ForTenant(Tenant.Id);
        _raw = new NpgsqlConnection(connectionString);
        await _raw.OpenAsync();
        _insert = await RawQueue.PrepareInsertAsync(_raw);
        _hangfire = new HangfireQueue(connectionString);
        _payloads = Enumerable.Range(0, 1000).Select(i => $"{{\"n\": {i}}}").ToArray();
        _batch = new NewJobBatch(_payloads);
    }

    protected override async Task CleanUpMoreAsync()
    {
        _hangfire.Dispose();
        await _insert.DisposeAsync();
        await _raw.DisposeAsync();
        await _appDb.DisposeAsync();
        await _appDataSource.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "one job: raw INSERT (owner)")]
    [BenchmarkCategory("single")]
    public Task RawSingle() => RawQueue.EnqueueAsync(_insert, Tenant.Id, "bench", "{}");

    [Benchmark(Description = "one job: scope.EnqueueAsync (app role)")]
    [BenchmarkCategory("single")]
    public Task<Guid> GeneratedSingle() => _app.EnqueueAsync(new NewJob("bench"));

    [Benchmark(Description = "one job: Hangfire BackgroundJobClient")]
    [BenchmarkCategory("single")]
    public string HangfireSingle() => _hangfire.Enqueue(0);

    [Benchmark(Description = "1,000 jobs: raw INSERT … unnest (owner)")]
    [BenchmarkCategory("batch")]
    public Task<int> RawBatch() => RawQueue.EnqueueManyAsync(_raw, Tenant.Id, "bench", _payloads);

    [Benchmark(Description = "1,000 jobs: scope.EnqueueManyAsync (app role)")]
    [BenchmarkCategory("batch")]
    public Task<int> GeneratedBatch() => _app.EnqueueManyAsync(_batch.Jobs());

    [Benchmark(Description = "1,000 jobs: Hangfire, 1,000 Enqueue calls")]
    [BenchmarkCategory("batch")]
    public int HangfireBatch()
    {
        for (var i = 0; i < 1000; i++)
            _hangfire.Enqueue(i);
        return 1000;
    }

    /// <summary>The batch's jobs, new ids each time (a job id is never reused).</summary>
    private sealed class NewJobBatch(string[] payloads)
    {
        public NewJob[] Jobs() => payloads.Select(p => new NewJob("bench", p)).ToArray();
    }
}
