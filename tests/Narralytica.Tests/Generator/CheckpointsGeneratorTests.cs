using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Narralytica.Generator.Emitters;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Generator;

/// <summary><c>scope.Checkpoints</c> exists exactly when schema.yaml declares a checkpoints table: otherwise the compiler says it is absent.</summary>
public sealed class CheckpointsGeneratorTests
{
    private const string Caller =
        "namespace Narralytica.Model { static class Caller { static object Use(global::Narralytica.Runtime.TenantScope scope) => scope.Checkpoints; } }";

    private static (bool Generated, Diagnostic[] Errors) Compile(string schema)
    {
        var compilation = GeneratorHarness.RuntimeCompilation().AddSyntaxTrees(CSharpSyntaxTree.ParseText(Caller, GeneratorHarness.ParseOptions));
        var (driver, output, _) = GeneratorHarness.Run(schema, compilation);
        var generated = driver.GetRunResult().GeneratedTrees.Any(t => t.FilePath.EndsWith(CheckpointsEmitter.FileName, StringComparison.Ordinal));
        return (generated, output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray());
    }

    [Fact]
    public void The_declared_table_gives_the_scope_its_checkpoints()
    {
        var (generated, errors) = Compile(RepositoryFiles.SchemaText);
        Assert.True(generated);
        Assert.Empty(errors);
    }

    [Fact]
    public void Without_the_declaration_scope_Checkpoints_is_a_compile_error_not_a_runtime_failure()
    {
        var schema = RepositoryFiles.SchemaText.Replace("    checkpoints: true\n", "");
        Assert.NotEqual(RepositoryFiles.SchemaText, schema);
        var (generated, errors) = Compile(schema);
        Assert.False(generated);
        var error = Assert.Single(errors);
        Assert.Equal("CS1061", error.Id);
        Assert.Contains("'Checkpoints'", error.GetMessage());
    }
}
