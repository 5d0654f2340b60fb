using System;

namespace Narralytica.Runtime;

/// <summary>
/// A job a worker claimed: its tenant, what to do, and the claim itself (<see cref="Owner"/> and <see cref="Attempt"/>),
/// which every later statement on it names, so that a worker whose lease was taken over can change nothing.
/// </summary>
public sealed record ClaimedJob(
    Guid TenantId,
    Guid Id,
    string Kind,
    string Payload,
    short Priority,
    int Attempt,
    int MaxAttempts,
    string Owner,
    DateTimeOffset LeaseExpiresAt,
    string? LastError)
{
    /// <summary>Whether a failure of this attempt ends the job (no attempt left).</summary>
    public bool IsLastAttempt => Attempt >= MaxAttempts;
}
