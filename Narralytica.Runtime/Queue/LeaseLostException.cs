using System;

namespace Narralytica.Runtime;

/// <summary>
/// The claim on a job is no longer this worker's: its lease expired and another worker took the job, or it was finished
/// already. Whatever the worker did in the transaction that finishes the job is rolled back.
/// </summary>
public sealed class LeaseLostException : Exception
{
    /// <summary>The claim on <paramref name="job"/> was lost when trying to <paramref name="action"/> it.</summary>
    public LeaseLostException(ClaimedJob job, string action)
        : base($"Cannot {action} job {job.Id} (kind '{job.Kind}', tenant {job.TenantId}): attempt {job.Attempt} of worker '{job.Owner}' no longer holds it. " +
               "Its lease expired and another worker took it over, or it was finished already; heartbeat more often than the lease lasts " +
               "(JobQueueOptions.Lease), or give long work a longer lease.")
    {
        Job = job;
    }

    /// <summary>The job whose claim was lost.</summary>
    public ClaimedJob Job { get; }
}
