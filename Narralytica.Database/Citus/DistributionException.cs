using System;

namespace Narralytica.Database.Citus;

/// <summary>A distribution that cannot start (no Citus) or stopped at a step; the message says where and what to do.</summary>
public sealed class DistributionException : Exception
{
    public DistributionException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
