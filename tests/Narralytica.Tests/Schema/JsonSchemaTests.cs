using System.IO;
using System.Linq;
using System.Text.Json;
using Json.Schema;
using Narralytica.Schema.Language;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Schema;

/// <summary>The JSON Schema editors validate schema.yaml with: written from the parser's vocabulary, committed, and strict.</summary>
public sealed class JsonSchemaTests
{
    private static JsonSchema Schema => JsonSchema.FromText(SchemaJsonSchema.Write());

    private static EvaluationResults Validate(string yaml)
        => Schema.Evaluate(JsonSerializer.SerializeToElement(YamlAsJson.Convert(yaml)), new EvaluationOptions { OutputFormat = OutputFormat.List });

    [Fact]
    public void The_committed_json_schema_is_the_one_written_from_the_vocabulary()
        => GeneratedFile.AssertCurrent(SchemaJsonSchema.FileName, SchemaJsonSchema.Write(), nameof(The_committed_json_schema_is_the_one_written_from_the_vocabulary));

    [Fact]
    public void Every_key_of_the_vocabulary_is_in_the_json_schema()
    {
        using var document = JsonDocument.Parse(SchemaJsonSchema.Write());
        var definitions = document.RootElement.GetProperty("definitions");
        Assert.Equal(SchemaVocabulary.RootKeys, document.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(SchemaVocabulary.TableKeys, definitions.GetProperty("table").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(SchemaVocabulary.ColumnKeys, definitions.GetProperty("column").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(SchemaVocabulary.QueryKeys, definitions.GetProperty("query").GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Schema_yaml_validates_and_names_the_json_schema_for_editors()
    {
        var results = Validate(RepositoryFiles.SchemaText);
        Assert.True(results.IsValid, string.Join("\n", (results.Details ?? new()).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        Assert.StartsWith($"# yaml-language-server: $schema={SchemaJsonSchema.FileName}\n", RepositoryFiles.SchemaText.Replace("\r\n", "\n"));
        Assert.True(File.Exists(Path.Combine(RepositoryFiles.Root, SchemaJsonSchema.FileName)));
    }

    [Theory]
    [MemberData(nameof(UnknownKeyCases.All), MemberType = typeof(UnknownKeyCases))]
    public void Every_unknown_key_fails_validation(string key, string meant, string yaml)
        => Assert.False(Validate(yaml).IsValid, $"'{key}' (for '{meant}') passed the JSON Schema");

    [Theory]
    [InlineData("    scope: global\n    columns:\n      body: text\n", "scope: global", "scope: tenants")]
    [InlineData("    scope: global\n    timestamps: created\n    columns:\n      body: text\n", "created", "updated")]
    [InlineData("    scope: global\n    columns:\n      body: text\n    indexes:\n      - {columns: [body], using: btree}\n", "btree", "b-tree")]
    [InlineData("    scope: global\n    columns:\n      owner_id: {type: uuid, references: tenants, on_delete: cascade}\n", "cascade", "drop")]
    public void A_value_outside_a_closed_choice_fails_validation(string table, string good, string bad)
    {
        var yaml = UnknownKeyCases.Tenants + "  notes:\n" + table;
        Assert.True(Validate(yaml).IsValid, yaml);
        Assert.False(Validate(yaml.Replace(good, bad)).IsValid, bad);
    }
}
