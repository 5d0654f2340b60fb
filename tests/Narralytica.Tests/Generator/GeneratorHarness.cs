using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Narralytica.Generator;
using Narralytica.Tests.Infrastructure;

namespace Narralytica.Tests.Generator;

/// <summary>Runs the generator the way the compiler does, on schema.yaml text given by the test.</summary>
public static class GeneratorHarness
{
    // The generated layer is C# 14 (extension members), the language of a net10.0 project.
    public static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.CSharp14, DocumentationMode.Diagnose);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        // The built model is among the test host's assemblies; the compilation under test must define it itself, on
        // the runtime package's assembly, as a project of its own does.
        var libraries = new[] { typeof(LinqToDB.DataType).Assembly.Location, typeof(Npgsql.NpgsqlConnection).Assembly.Location };
        return platform.Where(p => !Path.GetFileName(p).StartsWith("Narralytica.", StringComparison.Ordinal)).Concat(libraries)
            .Append(typeof(Narralytica.Runtime.TenantScope).Assembly.Location)
            .Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    /// <summary>An empty project that references the runtime, as a project of its own that adds the generator does.</summary>
    public static CSharpCompilation RuntimeCompilation()
        => CSharpCompilation.Create("Narralytica.Model", Array.Empty<SyntaxTree>(), References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999));

    public static GeneratorDriver CreateDriver(params AdditionalText[] files)
        => CSharpGeneratorDriver.Create(
            new[] { new NarralyticaGenerator().AsSourceGenerator() },
            files,
            ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static (GeneratorDriver Driver, Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Run(string schemaYaml, CSharpCompilation? compilation = null)
    {
        var driver = CreateDriver(new InMemoryAdditionalText("/repo/schema.yaml", schemaYaml));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation ?? RuntimeCompilation(), out var output, out var diagnostics);
        return (driver, output, diagnostics);
    }
}

/// <summary>An additional file held in memory.</summary>
public sealed class InMemoryAdditionalText : AdditionalText
{
    private readonly SourceText _text;

    public InMemoryAdditionalText(string path, string text)
    {
        Path = path;
        _text = SourceText.From(text);
    }

    public override string Path { get; }

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
