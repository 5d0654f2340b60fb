using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Narralytica.Schema.Diagnostics;
using SchemaSeverity = Narralytica.Schema.Diagnostics.DiagnosticSeverity;

namespace Narralytica.Generator;

/// <summary>Turns schema diagnostics into compiler diagnostics located in schema.yaml.</summary>
internal static class DiagnosticReporter
{
    private static readonly Dictionary<string, DiagnosticDescriptor> Descriptors = new();

    static DiagnosticReporter()
    {
        foreach (var rule in DiagnosticCatalog.All.Concat(Narralytica.Schema.Migrations.MigrationDiagnostics.All))
            Descriptors[rule.Id] = Describe(rule);
    }

    public static DiagnosticDescriptor Describe(DiagnosticRule rule) => new(
        rule.Id,
        rule.Title,
        "{0}",
        rule.Category,
        rule.Severity == SchemaSeverity.Error ? Microsoft.CodeAnalysis.DiagnosticSeverity.Error : Microsoft.CodeAnalysis.DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: "https://github.com/narralytica/narralytica/blob/main/docs/diagnostics.md#" + rule.Id.ToLowerInvariant());

    public static Diagnostic ToDiagnostic(SchemaDiagnostic diagnostic, string path, SourceText text)
    {
        var line = System.Math.Max(0, System.Math.Min(diagnostic.Span.Line - 1, text.Lines.Count - 1));
        var textLine = text.Lines[line];
        var column = System.Math.Max(0, System.Math.Min(diagnostic.Span.Column - 1, textLine.End - textLine.Start));
        var start = textLine.Start + column;
        var position = new LinePosition(line, column);
        var location = Location.Create(path, new TextSpan(start, 0), new LinePositionSpan(position, position));
        var descriptor = Descriptors.TryGetValue(diagnostic.Id, out var known) ? known : Describe(new DiagnosticRule(diagnostic.Id, diagnostic.Id, diagnostic.Severity, "Narralytica"));
        return Diagnostic.Create(descriptor, location, diagnostic.Message);
    }
}
