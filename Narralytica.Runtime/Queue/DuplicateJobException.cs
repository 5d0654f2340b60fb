using System;

namespace Narralytica.Runtime;

/// <summary>
/// <see cref="TenantScope.EnqueueAsync"/> added nothing: a queued or running job of the tenant already holds the new job's
/// <see cref="NewJob.UniqueKey"/>. The transaction is unharmed; <see cref="TenantScope.TryEnqueueAsync"/> reports the same
/// without an exception.
/// </summary>
public sealed class DuplicateJobException : InvalidOperationException
{
    /// <summary>The job of <paramref name="tenantId"/> with <paramref name="uniqueKey"/> was not enqueued.</summary>
    public DuplicateJobException(Guid tenantId, string uniqueKey)
        : base($"A job with unique key '{uniqueKey}' is already queued or running for tenant {tenantId}; nothing was enqueued. " +
            "Use TryEnqueueAsync to be told without an exception.")
    {
        TenantId = tenantId;
        UniqueKey = uniqueKey;
    }

    /// <summary>The tenant the job was enqueued for.</summary>
    public Guid TenantId { get; }

    /// <summary>The key a queued or running job already holds.</summary>
    public string UniqueKey { get; }
}
