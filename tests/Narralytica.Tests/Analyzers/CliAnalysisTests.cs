using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Analyzers;

/// <summary>The command line, an application of the model, passes the analyzers; its one raw cross-tenant insert is marked.</summary>
public sealed class CliAnalysisTests
{
    private const string DemoMark = "[AcrossTenants(\"the demo shows the database refusing";

    [Fact]
    public void The_cli_sources_are_clean()
    {
        Assert.Empty(AnalyzerHarness.Run(CliCompilation(source => source)).Select(AnalyzerHarness.Describe));
    }

    [Fact]
    public void Without_its_mark_the_demos_raw_insert_is_reported()
    {
        var diagnostics = AnalyzerHarness.Run(CliCompilation(source => source.Replace(DemoMark, "// " + DemoMark, StringComparison.Ordinal)));

        var only = Assert.Single(diagnostics);
        Assert.Equal("NARR4002", only.Id);
        Assert.EndsWith("DemoCommand.cs", only.Location.SourceTree!.FilePath, StringComparison.Ordinal);
    }

    // The CLI's own sources, against the assemblies it is built with (the test host has them all).
    private static Compilation CliCompilation(Func<string, string> edit)
    {
        var cliDir = Path.Combine(RepositoryFiles.Root, "Narralytica.Cli");
        var sources = Directory.GetFiles(cliDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(edit(File.ReadAllText(f)), AnalyzerHarness.ParseOptions, f));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            .GroupBy(Path.GetFileName, StringComparer.Ordinal).Select(g => g.First())
            .Where(p => Path.GetFileName(p) is not ("narralytica.dll" or "Narralytica.Tests.dll"))
            .Select(p => MetadataReference.CreateFromFile(p));
        return CSharpCompilation.Create("narralytica", sources, references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
    }
}
