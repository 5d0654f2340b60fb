using Narralytica.Schema;
using Narralytica.Schema.Language;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Schema;

/// <summary>docs/schema.md is the picture of schema.yaml as it is now.</summary>
public sealed class SchemaDocsTests
{
    [Fact]
    public void Docs_schema_md_is_current_with_schema_yaml()
    {
        var text = SchemaDocsWriter.Write(SchemaCompiler.Compile(RepositoryFiles.SchemaText).Model!);
        Assert.Contains("```mermaid\nerDiagram\n", text);
        Assert.Contains("    tenants ||--o{ videos : \"tenant_id\"\n", text);
        Assert.Contains("\n## segments\n", text);
        Assert.Contains("- policy: `CREATE POLICY tenant_isolation ON segments", text);
        GeneratedFile.AssertCurrent(SchemaDocsWriter.FileName, text, nameof(Docs_schema_md_is_current_with_schema_yaml));
    }

    [Fact]
    public async System.Threading.Tasks.Task The_schema_docs_command_writes_the_same_text()
    {
        var output = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"schema-{System.Guid.NewGuid():N}.md");
        try
        {
            var (exit, stdout, stderr) = await CommandLine.RunAsync("schema", "docs", "--schema", RepositoryFiles.SchemaPath, "--out", output);
            Assert.True(exit == 0, stdout + stderr);
            Assert.Equal(SchemaDocsWriter.Write(SchemaCompiler.Compile(RepositoryFiles.SchemaText).Model!), System.IO.File.ReadAllText(output));
        }
        finally
        {
            System.IO.File.Delete(output);
        }
    }
}
