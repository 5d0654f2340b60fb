using System.Threading;

namespace Narralytica.Runtime;

/// <summary>What a <see cref="JobWorker"/> has done so far (read at any time, e.g. for a console or metrics).</summary>
public sealed class JobWorkerCounts
{
    private long _claimed, _succeeded, _cancelled, _retried, _failed, _released, _leaseLost, _running;

    /// <summary>Jobs claimed.</summary>
    public long Claimed => Interlocked.Read(ref _claimed);
    /// <summary>Jobs completed.</summary>
    public long Succeeded => Interlocked.Read(ref _succeeded);
    /// <summary>Jobs their handler cancelled.</summary>
    public long Cancelled => Interlocked.Read(ref _cancelled);

    /// <summary>Failed attempts that will run again.</summary>
    public long Retried => Interlocked.Read(ref _retried);

    /// <summary>Jobs that failed for good (no attempt left).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Jobs given back unfinished on shutdown.</summary>
    public long Released => Interlocked.Read(ref _released);

    /// <summary>Jobs another worker took over after this one's lease expired; their work was rolled back.</summary>
    public long LeaseLost => Interlocked.Read(ref _leaseLost);

    /// <summary>Jobs running now.</summary>
    public long Running => Interlocked.Read(ref _running);

    internal void AddClaimed(int count) => Interlocked.Add(ref _claimed, count);
    internal void Started() => Interlocked.Increment(ref _running);
    internal void Ended() => Interlocked.Decrement(ref _running);
    internal void AddSucceeded() => Interlocked.Increment(ref _succeeded);
    internal void AddCancelled() => Interlocked.Increment(ref _cancelled);
    internal void AddRetried() => Interlocked.Increment(ref _retried);
    internal void AddFailed() => Interlocked.Increment(ref _failed);
    internal void AddReleased() => Interlocked.Increment(ref _released);
    internal void AddLeaseLost() => Interlocked.Increment(ref _leaseLost);

    /// <summary>The counts on one line.</summary>
    public override string ToString()
        => $"running {Running}, succeeded {Succeeded}, retried {Retried}, failed {Failed}, cancelled {Cancelled}, released {Released}, lease lost {LeaseLost}";
}
