using System;
using System.Threading.Tasks;
using Narralytica.Benchmarks.Hosting;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// The generated queue's claim-and-complete loop, as a worker of one's own would write it: a <see cref="JobQueueSession"/>
/// (one connection, statements prepared once), claims of 10, each job completed by a statement of its own or a claim's
/// jobs at once. Runs until the queue is empty, or until <paramref name="budget"/> is spent.
/// </summary>
public static class GeneratedQueueLoop
{
    public static async Task<int> DrainAsync(NpgsqlDataSource worker, string workerId, bool completeClaimAtOnce, JobBudget? budget = null)
    {
        var queue = new JobQueue(worker, new JobQueueOptions { WorkerId = workerId });
        await using var session = queue.OpenSession();
        var count = 0;
        while (budget?.Spent != true)
        {
            var jobs = await session.ClaimAsync(10);
            if (jobs.Count == 0)
                break;
            if (completeClaimAtOnce)
            {
                if ((await session.CompleteAsync(jobs)).Count > 0)
                    throw new InvalidOperationException("A claim was lost: the lease is 30 s, far longer than a job here.");
            }
            else
                foreach (var job in jobs)
                    await session.CompleteAsync(job);
            count += jobs.Count;
            budget?.Completed(jobs.Count);
        }
        return count;
    }
}
