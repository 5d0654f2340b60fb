using System;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// A file of the migrations folder that cannot be read as written (a hand-edited snapshot, a
/// migration without its header). The message names the file, the place and what to do.
/// </summary>
public sealed class MigrationInputException : Exception
{
    public MigrationInputException(string file, SourceSpan? span, string message)
        : base(span is { } at ? $"{file}({at.Line},{at.Column}): {message}" : $"{file}: {message}")
    {
        File = file;
        Span = span;
    }

    public string File { get; }
    public SourceSpan? Span { get; }
}
