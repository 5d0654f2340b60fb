using System.IO;
using BenchmarkDotNet.Attributes;
using Narralytica.Schema;
using Narralytica.Schema.Sql;

namespace Narralytica.Benchmarks;

/// <summary>What every build and every command pays: schema.yaml → validated model → DDL.</summary>
[MemoryDiagnoser]
public class SchemaCompileBenchmarks
{
    private string _yaml = "";

    [GlobalSetup]
    public void Setup()
    {
        var dir = new DirectoryInfo(System.AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "schema.yaml")))
            dir = dir.Parent;
        _yaml = File.ReadAllText(Path.Combine(dir?.FullName ?? throw new FileNotFoundException("schema.yaml not found above the benchmark binaries"), "schema.yaml"));
    }

    [Benchmark(Baseline = true)]
    public object Compile() => SchemaCompiler.Compile(_yaml);

    [Benchmark]
    public string CompileAndEmitDdl() => DdlEmitter.Script(SchemaCompiler.Compile(_yaml).Model!);
}
