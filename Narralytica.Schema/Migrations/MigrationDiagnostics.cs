using System.Collections.Generic;
using Narralytica.Schema.Diagnostics;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// Problems with the migrations folder as a whole (NARR304x–305x), next to the per-change safety
/// rules of <see cref="MigrationRules"/>. docs/diagnostics.md documents each id.
/// </summary>
public static class MigrationDiagnostics
{
    private const string Category = "Narralytica.Migrations";

    public static readonly DiagnosticRule UncapturedChange = new("NARR3040", "schema.yaml has changes no migration captures", DiagnosticSeverity.Warning, Category);
    public static readonly DiagnosticRule UnreadableFolder = new("NARR3041", "The migrations folder cannot be read", DiagnosticSeverity.Warning, Category);
    public static readonly DiagnosticRule SumMismatch = new("NARR3050", "Migrations do not match narralytica.sum", DiagnosticSeverity.Error, Category);
    public static readonly DiagnosticRule SnapshotMismatch = new("NARR3051", "The snapshot does not match the migrations", DiagnosticSeverity.Error, Category);
    public static readonly DiagnosticRule UnacceptedFinding = new("NARR3052", "Unsafe migration without its acceptance mark", DiagnosticSeverity.Error, Category);
    public static readonly DiagnosticRule BadMigrationFile = new("NARR3053", "Migration file misnamed or duplicated", DiagnosticSeverity.Error, Category);

    public static IReadOnlyList<DiagnosticRule> All { get; } = new[]
    {
        UncapturedChange, UnreadableFolder, SumMismatch, SnapshotMismatch, UnacceptedFinding, BadMigrationFile,
    };
}

/// <summary>One thing wrong with the migrations folder: which rule, which file (and line), and what to do.</summary>
public sealed record MigrationProblem(DiagnosticRule Rule, string File, int? Line, string Message)
{
    public override string ToString() => $"{File}{(Line is { } n ? $"({n})" : "")}: error {Rule.Id}: {Message}";
}
