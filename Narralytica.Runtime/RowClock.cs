using System;

namespace Narralytica.Runtime;

/// <summary>
/// The time written into created_at/updated_at: UTC, cut to microseconds, which is what a
/// PostgreSQL timestamptz keeps, so a row reads back equal to what was written.
/// </summary>
public static class RowClock
{
    /// <summary>The current UTC time, to the microsecond.</summary>
    public static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return now.AddTicks(-(now.Ticks % (TimeSpan.TicksPerMillisecond / 1000)));
    }
}
