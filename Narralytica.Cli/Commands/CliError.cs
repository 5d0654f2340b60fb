using System;

namespace Narralytica.Cli.Commands;

/// <summary>
/// A failure the user can act on: printed as one message, exit code 1, no stack trace. With --json it is also
/// printed as <c>{"error": {"code", "message", "details"}}</c>, the code one of <see cref="ErrorCodes"/>.
/// </summary>
public sealed class CliError : Exception
{
    public CliError(string message, string code = ErrorCodes.Failed, object? details = null) : base(message)
    {
        Code = code;
        Details = details;
    }

    public string Code { get; }

    /// <summary>Structured facts for --json (the diagnostics, the suggestions), or null.</summary>
    public object? Details { get; }
}
