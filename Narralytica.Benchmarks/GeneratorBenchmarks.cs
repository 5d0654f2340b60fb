using System.Threading;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Narralytica.Generator;

namespace Narralytica.Benchmarks;

/// <summary>
/// What the source generator costs a build: a full run on the repository's schema.yaml and on
/// synthetic schemas of 100, 1,000 and 2,000 tables (the time should grow linearly with the tables), and a
/// re-run after an unrelated C# edit, which the incremental pipeline should answer from its cache.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private AdditionalText _schema = null!;
    private GeneratorDriver _warmDriver = null!;

    /// <summary>0: the repository's schema.yaml; otherwise a synthetic schema of that many tables.</summary>
    [Params(0, 100, 1000, 2000)]
    public int Tables { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _schema = new SchemaText("/repo/schema.yaml", Tables == 0 ? SchemaSource.Repository() : SchemaSource.Synthetic(Tables));
        _compilation = CSharpCompilation.Create("Bench", new[] { CSharpSyntaxTree.ParseText("namespace App { class Program { } }", ParseOptions) });
        _edited = _compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace App { class Unrelated { int X => 1; } }", ParseOptions));
        _warmDriver = CreateDriver().RunGenerators(_compilation);
    }

    private GeneratorDriver CreateDriver()
        => CSharpGeneratorDriver.Create(new[] { new NarralyticaGenerator().AsSourceGenerator() }, new[] { _schema }, ParseOptions);

    [Benchmark(Baseline = true, Description = "full run")]
    public GeneratorDriverRunResult FullRun() => CreateDriver().RunGenerators(_compilation).GetRunResult();

    [Benchmark(Description = "re-run after an unrelated C# edit")]
    public GeneratorDriverRunResult RerunAfterUnrelatedEdit() => _warmDriver.RunGenerators(_edited).GetRunResult();

    private sealed class SchemaText : AdditionalText
    {
        private readonly SourceText _text;

        public SchemaText(string path, string text)
        {
            Path = path;
            _text = SourceText.From(text);
        }

        public override string Path { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
