using System;

namespace Narralytica.Runtime;

/// <summary>
/// A job to enqueue (<see cref="TenantScope.EnqueueAsync(NewJob, System.Threading.CancellationToken)"/>): what to do
/// (<paramref name="Kind"/>, which names the handler) and its input (<paramref name="Payload"/>, JSON).
/// </summary>
/// <param name="Kind">The handler's name, at most 64 characters.</param>
/// <param name="Payload">The handler's input as JSON text (at most 64 KiB); "{}" when it needs none.</param>
public sealed record NewJob(string Kind, string Payload = "{}")
{
    /// <summary>Higher runs first within the tenant (fairness across tenants comes before priority).</summary>
    public short Priority { get; init; }

    /// <summary>How many attempts the job gets before it fails for good (at least 1).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Not started before this time; null: at once.</summary>
    public DateTimeOffset? RunAfter { get; init; }

    /// <summary>
    /// What makes this job the same as another (the queue's <c>unique_key</c> column): while a job of the tenant with this key
    /// is queued or running, enqueueing another adds nothing. Null: the job is never a duplicate. Needs a queue declared
    /// with <c>unique_key:</c>.
    /// </summary>
    public string? UniqueKey { get; init; }

    /// <summary>The id the job gets; a new UUIDv7 unless given.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Kind))
            throw new ArgumentException("A job needs a kind: the name of the handler that runs it.", nameof(Kind));
        ArgumentNullException.ThrowIfNull(Payload);
        if (MaxAttempts < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "A job needs at least one attempt.");
    }
}
