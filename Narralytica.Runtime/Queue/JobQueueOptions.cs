using System;

namespace Narralytica.Runtime;

/// <summary>How a worker holds the jobs it claims (<see cref="JobQueue"/>).</summary>
public sealed record JobQueueOptions
{
    /// <summary>
    /// The worker's name in <c>lease_owner</c>, which says in the table who holds a job (at most 200 characters).
    /// By default the machine, the process and a random suffix: unique per <see cref="JobQueue"/>.
    /// </summary>
    public string WorkerId { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// How long a claim holds a job without a heartbeat. A worker that stops (killed, cut off) loses its jobs this long after
    /// its last heartbeat, and another worker runs them again; a live worker heartbeats well within it.
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>When a failed job runs again.</summary>
    public JobRetryPolicy Retry { get; init; } = new();

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(WorkerId) || WorkerId.Length > 200 || System.Text.Encoding.UTF8.GetByteCount(WorkerId) > 256)
            throw new ArgumentException("A worker id needs 1 to 200 characters, at most 256 bytes in UTF-8; it is written into jobs.lease_owner.", nameof(WorkerId));
        if (Lease < TimeSpan.FromSeconds(1))
            throw new ArgumentOutOfRangeException(nameof(Lease), Lease, "A lease shorter than a second would expire before a heartbeat could extend it.");
        if (Lease > TimeSpan.FromDays(1))
            throw new ArgumentOutOfRangeException(nameof(Lease), Lease, "A lease lasts at most a day (the queue's functions refuse more): a worker that stopped would hold its jobs that long.");
        if (Retry.MaxDelay > TimeSpan.FromDays(30))
            throw new ArgumentOutOfRangeException(nameof(Retry), Retry.MaxDelay, "A retry waits at most 30 days (the queue's functions refuse more); lower Retry.MaxDelay.");
    }
}
