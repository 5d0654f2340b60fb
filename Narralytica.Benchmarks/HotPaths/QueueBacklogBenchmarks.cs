using System;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Benchmarks.Competitors;
using Narralytica.Benchmarks.Hosting;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// Claim-and-complete throughput behind a standing backlog, as a busy queue has: <see cref="Backlog"/> ready jobs wait
/// (spread over every tenant of the data set) and each invocation completes <see cref="QueueThroughputBenchmarks.JobsPerInvocation"/>
/// of them (a few more at most: the last claim of each worker), with 1 and 8 workers, each job completed by a statement
/// of its own. The raw loop's cross-tenant order (<c>ORDER BY priority DESC, run_after</c>) has no index on this schema,
/// whose every index leads with tenant_id, so each of its claims sorts the backlog; the generated claim reads each
/// tenant's next jobs from its index. Rows/s counts the jobs of <see cref="QueueThroughputBenchmarks.JobsPerInvocation"/>.
/// </summary>
[InvocationCount(1)]
public class QueueBacklogBenchmarks : DatabaseBenchmark
{
    /// <summary>The jobs that wait behind those an invocation completes.</summary>
    public const int Backlog = 20_000;

    private NpgsqlDataSource _owner = null!;
    private NpgsqlDataSource _worker = null!;

    [Params(1, 8)]
    public int Workers { get; set; }

    protected override void ChooseInputs()
    {
    }

    protected override async Task SetUpMoreAsync(string connectionString)
    {
        _owner = NpgsqlDataSource.Create(connectionString);
        var asWorker = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c role=narralytica_worker" }.ConnectionString;
        _worker = NarralyticaDb.CreateDataSource(asWorker, BenchmarkEnvironment.TenantKey, lane: DatabaseLane.Worker);
        await Task.CompletedTask;
    }

    protected override async Task CleanUpMoreAsync()
    {
        await _worker.DisposeAsync();
        await _owner.DisposeAsync();
    }

    [IterationSetup]
    public void FillJobs() => QueueThroughputBenchmarks.FillQueue(_owner, Dataset, Backlog + QueueThroughputBenchmarks.JobsPerInvocation(Dataset));

    [Benchmark(Baseline = true, Description = "raw Npgsql SKIP LOCKED loop, backlog waiting")]
    public async Task<int> RawSkipLocked()
    {
        var budget = new JobBudget(QueueThroughputBenchmarks.JobsPerInvocation(Dataset));
        var done = await Task.WhenAll(Enumerable.Range(0, Workers).Select(i => Task.Run(() => RawQueue.DrainAsync(_owner, "raw-" + i, budget: budget))));
        return Check(done.Sum());
    }

    [Benchmark(Description = "generated JobQueue (worker lane, fair), backlog waiting")]
    public async Task<int> Generated()
    {
        var budget = new JobBudget(QueueThroughputBenchmarks.JobsPerInvocation(Dataset));
        var done = await Task.WhenAll(Enumerable.Range(0, Workers).Select(i => Task.Run(() => GeneratedQueueLoop.DrainAsync(_worker, "bench-" + i, completeClaimAtOnce: false, budget))));
        return Check(done.Sum());
    }

    /// <summary>Every loop stops once the budget is spent: at least the budget was done, and at most one more claim per worker.</summary>
    private int Check(int done)
    {
        var wanted = QueueThroughputBenchmarks.JobsPerInvocation(Dataset);
        return done >= wanted && done <= wanted + 10 * Workers
            ? done
            : throw new InvalidOperationException($"{done} jobs completed, for {wanted} wanted with {Workers} workers: a loop ran dry or did not stop.");
    }
}
