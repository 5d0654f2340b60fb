using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Narralytica.Analyzers;

namespace Narralytica.Tests.Analyzers;

/// <summary>
/// Compiles C# against the built Narralytica.Model, linq2db and Npgsql, as an application would, and runs
/// the NARR4xxx analyzers on it.
/// </summary>
public static class AnalyzerHarness
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
        ImmutableArray.Create<DiagnosticAnalyzer>(new GetTableAnalyzer(), new RawSqlAnalyzer(), new AcrossTenantsJustificationAnalyzer(), new GlobalWriteAnalyzer());

    /// <summary>C# 14, the language of a net10.0 project, in which the generated tables are extension members.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp14);

    private static readonly Lazy<ImmutableArray<MetadataReference>> ModelReferences = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => !Path.GetFileName(p).StartsWith("Narralytica.", StringComparison.OrdinalIgnoreCase));
        var libraries = new[]
        {
            typeof(LinqToDB.DataType).Assembly.Location,
            typeof(Npgsql.NpgsqlConnection).Assembly.Location,
            typeof(Narralytica.Runtime.ITenantEntity).Assembly.Location,
            typeof(Narralytica.Model.Video).Assembly.Location,
        };
        return platform.Concat(libraries).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    /// <summary>
    /// The analyzers' diagnostics on <paramref name="sources"/> (the first is the snippet under test), in
    /// source order. The code must compile: a test on broken code would prove nothing.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Analyze(params string[] sources)
    {
        // The runtime's types (NarralyticaDb, TenantScope, …) beside the generated model's, as a project of its own would import both.
        var trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, i == 0 ? "Snippet.cs" : $"Support{i}.cs"))
            .Append(CSharpSyntaxTree.ParseText("global using Narralytica.Runtime;", ParseOptions, "RuntimeUsing.cs"));
        var compilation = CSharpCompilation.Create("App", trees, ModelReferences.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return Run(compilation);
    }

    /// <summary>The analyzers' diagnostics on a whole compilation, after checking that it compiles.</summary>
    public static IReadOnlyList<Diagnostic> Run(Compilation compilation)
    {
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
            throw new InvalidOperationException("The code under analysis does not compile:\n" + string.Join("\n", errors.Take(10)));
        var diagnostics = compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return diagnostics.OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).ToList();
    }

    /// <summary>A diagnostic as the tests compare it: id, (line,column) and the source text it points at.</summary>
    public static string Describe(Diagnostic diagnostic)
    {
        var position = diagnostic.Location.GetLineSpan().StartLinePosition;
        var text = diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);
        return $"{diagnostic.Id} ({position.Line + 1},{position.Character + 1}): {text}";
    }

    /// <summary>Every diagnostic of <paramref name="sources"/>, described.</summary>
    public static string[] DescribeAll(params string[] sources) => Analyze(sources).Select(Describe).ToArray();
}
