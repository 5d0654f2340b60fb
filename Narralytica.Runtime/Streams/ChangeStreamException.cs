using System;

namespace Narralytica.Runtime.Streams;

/// <summary>A change stream cannot start or go on; the message says why and what to do.</summary>
public sealed class ChangeStreamException : Exception
{
    /// <summary>A problem, and the message that says what to do about it.</summary>
    public ChangeStreamException(ChangeStreamProblem problem, string message, Exception? inner = null) : base(message, inner) => Problem = problem;

    /// <summary>Which problem it is.</summary>
    public ChangeStreamProblem Problem { get; }
}
