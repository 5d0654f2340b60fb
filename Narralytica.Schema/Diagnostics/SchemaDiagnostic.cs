using Narralytica.Schema.Model;

namespace Narralytica.Schema.Diagnostics;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}

/// <summary>One problem found in schema.yaml: which rule, what to write instead, and where.</summary>
public sealed record SchemaDiagnostic(string Id, DiagnosticSeverity Severity, string Message, SourceSpan Span)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>The compiler-style form: <c>schema.yaml(12,7): error NARR1002: …</c>.</summary>
    public string Format(string path)
        => $"{path}({Span.Line},{Span.Column}): {(IsError ? "error" : "warning")} {Id}: {Message}";
}
