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
    public void Setup() => _yaml = SchemaSource.Repository();

    [Benchmark(Baseline = true)]
    public object Compile() => SchemaCompiler.Compile(_yaml);

    [Benchmark]
    public string CompileAndEmitDdl() => DdlEmitter.Script(SchemaCompiler.Compile(_yaml).Model!);
}
