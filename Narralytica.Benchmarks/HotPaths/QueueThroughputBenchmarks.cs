using System;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Hangfire;
using Narralytica.Benchmarks.Competitors;
using Narralytica.Benchmarks.Hosting;
using Narralytica.Dataset;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// Claim-and-complete throughput of the job queue with 1, 4 and 8 workers, each on connections of its own, over the
/// same backlog spread over every tenant of the data set: the generated queue (<see cref="JobQueue"/>, as
/// <c>narralytica_worker</c>: claims of 10, fair across tenants, leases checked on completion, through a <see cref="JobQueueSession"/>: one connection per worker, statements prepared once), the hand-written raw
/// Npgsql SKIP LOCKED loop as the table's owner (<see cref="RawQueue"/>, the baseline), and Hangfire.PostgreSql's server.
/// Both loops also run with a claim's jobs completed by one statement (<c>…ClaimAtOnce</c>) instead of one each.
/// Each invocation starts from a fresh backlog (the setup, not measured); Rows/s is jobs per second.
/// </summary>
[InvocationCount(1)]
public class QueueThroughputBenchmarks : DatabaseBenchmark
{
    private NpgsqlDataSource _owner = null!;
    private NpgsqlDataSource _worker = null!;
    private HangfireQueue _hangfire = null!;
    private BackgroundJobServer? _server;

    [Params(1, 4, 8)]
    public int Workers { get; set; }

    /// <summary>Jobs per invocation: two transcripts' worth of segments of the data set (400 quick, 4,000 full).</summary>
    public static int JobsPerInvocation(TranscriptDataset dataset) => 2 * dataset.Options.SegmentsPerTranscript;

    /// <summary>No inputs from the data set: the jobs are made by the benchmark itself.</summary>
    protected override void ChooseInputs()
    {
    }

    protected override async Task SetUpMoreAsync(string connectionString)
    {
        _owner = NpgsqlDataSource.Create(connectionString);
        var asWorker = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c role=narralytica_worker" }.ConnectionString;
        _worker = NarralyticaDb.CreateDataSource(asWorker, BenchmarkEnvironment.TenantKey, lane: DatabaseLane.Worker);
        _hangfire = new HangfireQueue(connectionString);
        await Task.CompletedTask;
    }

    protected override async Task CleanUpMoreAsync()
    {
        _hangfire.Dispose();
        await _worker.DisposeAsync();
        await _owner.DisposeAsync();
    }

    [IterationSetup(Targets = new[] { nameof(RawSkipLocked), nameof(Generated), nameof(RawSkipLockedClaimAtOnce), nameof(GeneratedClaimAtOnce) })]
    public void FillJobs() => FillQueue(_owner, Dataset, JobsPerInvocation(Dataset));

    /// <summary>Empties the queue, then queues <paramref name="jobs"/> ready jobs spread over every tenant of the data set, and analyzes the table.</summary>
    public static void FillQueue(NpgsqlDataSource owner, TranscriptDataset dataset, int jobs)
    {
        using var connection = owner.OpenConnection();
        Execute(connection, "DELETE FROM jobs");
        Execute(connection, "VACUUM jobs");
        var tenants = dataset.Tenants.Select(t => t.Id).ToArray();
        using var fill = new NpgsqlCommand(
            "INSERT INTO jobs (tenant_id, id, kind, payload) SELECT ($1::uuid[])[1 + n % array_length($1, 1)], gen_random_uuid(), 'bench', jsonb_build_object('n', n) FROM generate_series(1, $2) n",
            connection) { Parameters = { new NpgsqlParameter { Value = tenants }, new NpgsqlParameter { Value = jobs } } };
        fill.ExecuteNonQuery();
        Execute(connection, "ANALYZE jobs");
    }

    [IterationSetup(Target = nameof(HangfirePostgreSql))]
    public void FillHangfire()
    {
        HangfireQueue.ResetCount();
        using (var connection = _owner.OpenConnection())
            Execute(connection, "TRUNCATE hangfire_bench.job, hangfire_bench.jobqueue, hangfire_bench.state, hangfire_bench.jobparameter CASCADE");
        for (var i = 0; i < JobsPerInvocation(Dataset); i++)
            _hangfire.Enqueue(i);
    }

    [IterationCleanup(Target = nameof(HangfirePostgreSql))]
    public void StopHangfire()
    {
        _server?.Dispose();
        _server = null;
    }

    [Benchmark(Baseline = true, Description = "raw Npgsql SKIP LOCKED loop (owner, no fairness)")]
    public async Task<int> RawSkipLocked()
    {
        var done = await Task.WhenAll(Enumerable.Range(0, Workers).Select(i => Task.Run(() => RawQueue.DrainAsync(_owner, "raw-" + i))));
        return Check(done.Sum());
    }

    [Benchmark(Description = "generated JobQueue (worker lane, fair)")]
    public async Task<int> Generated()
    {
        var done = await Task.WhenAll(Enumerable.Range(0, Workers).Select(i => Task.Run(() => GeneratedQueueLoop.DrainAsync(_worker, "bench-" + i, completeClaimAtOnce: false))));
        return Check(done.Sum());
    }

    [Benchmark(Description = "raw loop, a claim's jobs completed by one statement")]
    public async Task<int> RawSkipLockedClaimAtOnce()
    {
        var done = await Task.WhenAll(Enumerable.Range(0, Workers).Select(i => Task.Run(() => RawQueue.DrainAsync(_owner, "raw-" + i, completeClaimAtOnce: true))));
        return Check(done.Sum());
    }

    [Benchmark(Description = "generated JobQueue, a claim's jobs completed by one statement")]
    public async Task<int> GeneratedClaimAtOnce()
    {
        var done = await Task.WhenAll(Enumerable.Range(0, Workers).Select(i => Task.Run(() => GeneratedQueueLoop.DrainAsync(_worker, "bench-" + i, completeClaimAtOnce: true))));
        return Check(done.Sum());
    }

    [Benchmark(Description = "Hangfire.PostgreSql server")]
    public async Task<long> HangfirePostgreSql()
    {
        _server = await _hangfire.RunUntilAsync(Workers, JobsPerInvocation(Dataset));
        return HangfireQueue.Done;
    }

    private int Check(int done) => done == JobsPerInvocation(Dataset)
        ? done
        : throw new InvalidOperationException($"{done} jobs completed of {JobsPerInvocation(Dataset)}: a job was lost or run twice.");

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
