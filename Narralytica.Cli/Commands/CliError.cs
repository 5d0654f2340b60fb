using System;

namespace Narralytica.Cli.Commands;

/// <summary>A failure the user can act on: printed as one message, exit code 1, no stack trace.</summary>
public sealed class CliError : Exception
{
    public CliError(string message) : base(message) { }
}
