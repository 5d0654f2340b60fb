using System.Threading;

namespace Narralytica.Benchmarks.Hosting;

/// <summary>
/// How many jobs one invocation completes when more are queued than it drains (a standing backlog): the claim loops of
/// all its workers stop claiming once this many are done, so the last claims may take a few more (at most one claim per worker).
/// </summary>
public sealed class JobBudget
{
    private readonly int _jobs;
    private int _done;

    public JobBudget(int jobs) => _jobs = jobs;

    /// <summary>Whether enough jobs were completed: a loop claims no more.</summary>
    public bool Spent => Volatile.Read(ref _done) >= _jobs;

    /// <summary>The jobs completed so far by every loop.</summary>
    public int Done => Volatile.Read(ref _done);

    public void Completed(int jobs) => Interlocked.Add(ref _done, jobs);
}
