using System;
using System.Threading;

namespace Narralytica.Runtime;

/// <summary>
/// What a handler gets (<see cref="JobHandler"/>): the job, and a tenant scope of the job's tenant inside a transaction
/// that <see cref="JobWorker"/> commits together with the job's completion. The scope reaches that tenant's rows only.
/// </summary>
public sealed class JobContext
{
    internal JobContext(ClaimedJob job, TenantScope scope, CancellationToken cancellationToken)
    {
        Job = job;
        Scope = scope;
        CancellationToken = cancellationToken;
    }

    /// <summary>The job being run, with its claim.</summary>
    public ClaimedJob Job { get; }

    /// <summary>The job's tenant, in the transaction the job completes in.</summary>
    public TenantScope Scope { get; }

    /// <summary>Cancelled when the worker shuts down past its drain time or loses the job's lease: stop, and the work rolls back.</summary>
    public CancellationToken CancellationToken { get; }

    internal string? CancelReason { get; private set; }

    /// <summary>Ends the job cancelled instead of succeeded when the handler returns (what it wrote still commits with it).</summary>
    public void CancelJob(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        CancelReason = reason;
    }
}

/// <summary>Runs one job of a kind. Throwing fails the attempt: its writes roll back, and the job is retried or fails for good.</summary>
public delegate System.Threading.Tasks.Task JobHandler(JobContext context);
