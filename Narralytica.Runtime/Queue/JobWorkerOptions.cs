using System;

namespace Narralytica.Runtime;

/// <summary>How a <see cref="JobWorker"/> runs: how many jobs at once, how it waits for work, how it stops.</summary>
public sealed record JobWorkerOptions
{
    /// <summary>The queue's options: worker id, lease, retry policy.</summary>
    public JobQueueOptions Queue { get; init; } = new();

    /// <summary>How many jobs run at once (each on a connection of its own).</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>
    /// How long an idle worker waits before it looks for work again when no notification came: the fallback for a lost
    /// notification or a listening connection that dropped, and the delay before a scheduled or retried job starts.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether to wait for enqueues' notifications (LISTEN); without it, the worker only polls.</summary>
    public bool Listen { get; init; } = true;

    /// <summary>On shutdown, how long running handlers may take to finish; after it they are cancelled and their jobs released.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    internal void Validate()
    {
        Queue.Validate();
        if (Concurrency < 1)
            throw new ArgumentOutOfRangeException(nameof(Concurrency), Concurrency, "A worker runs at least one job at a time.");
        if (PollInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(PollInterval), PollInterval, "Give the worker a positive poll interval.");
    }
}
