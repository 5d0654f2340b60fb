using System;

namespace Narralytica.Runtime;

/// <summary>
/// How long a failed job waits before its next attempt: exponential (<see cref="BaseDelay"/> × 2^(attempt − 1), at most
/// <see cref="MaxDelay"/>), with jitter: a random share between half and all of it, so that jobs failing together do not
/// come back together.
/// </summary>
public sealed record JobRetryPolicy
{
    /// <summary>The delay after the first failed attempt (before jitter).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay, however many attempts failed.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The delay before the attempt after <paramref name="failedAttempt"/> (1 for the first), before jitter.</summary>
    public TimeSpan Ceiling(int failedAttempt)
    {
        var exponent = Math.Clamp(failedAttempt - 1, 0, 30);
        var seconds = BaseDelay.TotalSeconds * Math.Pow(2, exponent);
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxDelay.TotalSeconds));
    }

    /// <summary>The delay with its jitter: between half of <see cref="Ceiling"/> and all of it.</summary>
    public TimeSpan Delay(int failedAttempt, Random? random = null)
    {
        var ceiling = Ceiling(failedAttempt);
        return ceiling * (0.5 + 0.5 * (random ?? Random.Shared).NextDouble());
    }
}
