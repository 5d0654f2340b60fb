using System.Linq;
using Narralytica.Schema;
using Narralytica.Schema.Diagnostics;
using Xunit;

namespace Narralytica.Tests.Schema;

/// <summary>Each diagnostic: its id, the schema.yaml line and column it points at, and a useful message.</summary>
public sealed class SchemaDiagnosticsTests
{
    // A valid base every case edits: a global tenants table and one tenant-scoped table.
    private const string Tenants = "tables:\n  tenants:\n    scope: global\n    columns:\n      name: text\n";

    private static SchemaDiagnostic Single(string yaml, string id)
    {
        var compilation = SchemaCompiler.Compile(yaml);
        var matching = compilation.Diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1,
            $"expected one {id}, got: {string.Join(" | ", compilation.Diagnostics.Select(d => d.Format("schema.yaml")))}");
        return matching[0];
    }

    private static void AssertAt(SchemaDiagnostic diagnostic, int line, int column, string messagePart)
    {
        Assert.Equal((line, column), (diagnostic.Span.Line, diagnostic.Span.Column));
        Assert.Contains(messagePart, diagnostic.Message);
    }

    [Fact]
    public void Yaml_syntax_error_is_NARR1001_with_its_position()
    {
        var yaml = Tenants + "  videos:\n    scope: tenant\n    columns: [title, \n";
        var compilation = SchemaCompiler.Compile(yaml);
        var diagnostic = Assert.Single(compilation.Diagnostics);
        Assert.Equal("NARR1001", diagnostic.Id);
        Assert.True(diagnostic.Span.Line >= 8, $"line {diagnostic.Span.Line}");
        Assert.Null(compilation.Model);
    }

    // One root cause, one error: a typo in a key is reported once, not also as the required key it failed to give.
    [Theory]
    [MemberData(nameof(UnknownKeyCases.All), MemberType = typeof(UnknownKeyCases))]
    public void An_unknown_key_is_NARR1002_the_only_error_and_suggests_the_closest_key(string key, string meant, string yaml)
    {
        var compilation = SchemaCompiler.Compile(yaml);
        var diagnostic = Assert.Single(compilation.Diagnostics);
        Assert.Equal("NARR1002", diagnostic.Id);
        var (line, column) = UnknownKeyCases.PositionOf(yaml, key);
        AssertAt(diagnostic, line, column, $"unknown key '{key}'");
        Assert.Contains($"Did you mean '{meant}'?", diagnostic.Message);
    }

    // And a typo in the scope's value is reported once: the table is read on as the closest scope.
    [Theory]
    [InlineData("  videos:\n    scope: tenants\n    columns:\n      title: text\n", "did you mean 'tenant'?")]
    [InlineData("  videos:\n    scope: tenant-ish\n    columns:\n      title: text\n", "write 'tenant' (rows belong to one tenant) or 'global'")]
    public void A_scope_typo_is_NARR1013_the_only_error(string table, string messagePart)
    {
        var compilation = SchemaCompiler.Compile(Tenants + table);
        var diagnostic = Assert.Single(compilation.Diagnostics);
        Assert.Equal("NARR1013", diagnostic.Id);
        AssertAt(diagnostic, 7, 12, messagePart);
    }

    [Fact]
    public void Unknown_type_is_NARR1003_and_lists_the_types()
    {
        var yaml = Tenants + "      score: strng\n";
        AssertAt(Single(yaml, "NARR1003"), 6, 14, "unknown type 'strng'");
    }

    [Fact]
    public void Duplicate_table_is_NARR1004_at_the_second_declaration()
    {
        var yaml = Tenants + "  tenants:\n    scope: global\n    columns:\n      name: text\n";
        AssertAt(Single(yaml, "NARR1004"), 6, 3, "already declared at line 2");
    }

    [Fact]
    public void Duplicate_column_is_NARR1005()
    {
        var yaml = Tenants + "      name: text\n";
        AssertAt(Single(yaml, "NARR1005"), 6, 7, "declared twice");
    }

    [Fact]
    public void Empty_primary_key_is_NARR1006()
    {
        var yaml = "tables:\n  tenants:\n    scope: global\n    primary_key: []\n    columns:\n      name: text\n";
        AssertAt(Single(yaml, "NARR1006"), 4, 18, "is empty");
    }

    [Fact]
    public void Reference_to_a_missing_table_is_NARR1007()
    {
        var yaml = Tenants + "  videos:\n    scope: tenant\n    columns:\n      channel_id:\n        type: uuid\n        references: channels\n";
        AssertAt(Single(yaml, "NARR1007"), 11, 21, "'channels', which is not declared");
    }

    [Fact]
    public void Reference_to_a_missing_column_is_NARR1008()
    {
        var yaml = Tenants + "  videos:\n    scope: tenant\n    columns:\n      owner_id:\n        type: uuid\n        references: tenants.owner\n";
        AssertAt(Single(yaml, "NARR1008"), 11, 21, "'tenants.owner', which does not exist");
    }

    [Fact]
    public void Reference_of_another_type_is_NARR1009()
    {
        var yaml = Tenants + "  videos:\n    scope: tenant\n    columns:\n      owner_id:\n        type: text\n        references: tenants\n";
        AssertAt(Single(yaml, "NARR1009"), 11, 21, "declare 'owner_id' as uuid");
    }

    [Fact]
    public void Index_on_a_missing_column_is_NARR1010()
    {
        var yaml = Tenants + "    indexes:\n      - [nmae]\n";
        AssertAt(Single(yaml, "NARR1010"), 7, 10, "Did you mean 'name'?");
    }

    [Fact]
    public void Invalid_identifier_is_NARR1011()
    {
        var yaml = Tenants + "      DisplayName: text\n";
        AssertAt(Single(yaml, "NARR1011"), 6, 7, "write 'displayname'");
    }

    [Fact]
    public void Reserved_word_is_NARR1012_unless_quoted()
    {
        AssertAt(Single(Tenants + "      order: integer\n", "NARR1012"), 6, 7, "'quote: true'");

        var quoted = SchemaCompiler.Compile(Tenants + "      order:\n        type: integer\n        quote: true\n");
        Assert.Empty(quoted.Diagnostics);
        Assert.Contains("\"order\" integer NOT NULL", Narralytica.Schema.Sql.DdlEmitter.Script(quoted.Model!));
    }

    [Fact]
    public void Value_of_the_wrong_shape_is_NARR1013()
    {
        var yaml = Tenants + "      note:\n        type: text\n        nullable: maybe\n";
        AssertAt(Single(yaml, "NARR1013"), 8, 19, "true or false");
    }

    [Fact]
    public void Missing_scope_is_NARR1014()
    {
        var yaml = Tenants + "  videos:\n    columns:\n      title: text\n";
        AssertAt(Single(yaml, "NARR1014"), 6, 3, "'scope: tenant'");
    }

    [Fact]
    public void Repeated_enum_value_is_NARR1015()
    {
        var yaml = "enums:\n  status: [open, closed, open]\n" + Tenants;
        AssertAt(Single(yaml, "NARR1015"), 2, 26, "appears twice");
    }

    [Fact]
    public void Duplicate_index_name_is_NARR1016()
    {
        var yaml = Tenants + "    indexes:\n      - { columns: [name], name: ix_same }\n      - { columns: [created_at], name: ix_same }\n";
        AssertAt(Single(yaml, "NARR1016"), 8, 9, "'ix_same'");
    }

    [Fact]
    public void Reference_to_columns_that_are_no_key_is_NARR1017()
    {
        var yaml = Tenants + "  videos:\n    scope: tenant\n    columns:\n      tenant_name:\n        type: text\n        references: tenants.name\n";
        AssertAt(Single(yaml, "NARR1017"), 11, 21, "neither the primary key nor a unique constraint");
    }

    [Fact]
    public void Schema_without_tables_is_NARR1018()
    {
        AssertAt(Single("enums:\n  status: [open]\n", "NARR1018"), 1, 1, "no tables");
        Assert.Equal("NARR1018", Assert.Single(SchemaCompiler.Compile("").Diagnostics).Id);
    }

    [Fact]
    public void Name_longer_than_63_bytes_is_NARR1019()
    {
        var yaml = Tenants + $"      {new string('a', 64)}: text\n";
        AssertAt(Single(yaml, "NARR1019"), 6, 7, "63 bytes");
    }

    [Fact]
    public void Two_tables_with_one_CSharp_name_is_NARR1020()
    {
        var yaml = Tenants + "  video:\n    scope: global\n    columns:\n      title: text\n  videos:\n    scope: global\n    columns:\n      title: text\n";
        AssertAt(Single(yaml, "NARR1020"), 10, 3, "'Video'");
    }

    [Fact]
    public void Bare_word_default_on_a_text_column_is_NARR1021()
    {
        var yaml = Tenants + "      state:\n        type: text\n        default: active\n";
        AssertAt(Single(yaml, "NARR1021"), 8, 18, "default: \"'active'\"");
    }

    [Fact]
    public void On_delete_without_references_is_warning_NARR1022_and_keeps_the_model()
    {
        var yaml = Tenants + "      note:\n        type: text?\n        on_delete: cascade\n";
        var diagnostic = Single(yaml, "NARR1022");
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.NotNull(SchemaCompiler.Compile(yaml).Model);
    }

    [Fact]
    public void Tenant_scoped_table_without_tenants_table_is_NARR2001()
    {
        var yaml = "tables:\n  videos:\n    scope: tenant\n    columns:\n      title: text\n";
        AssertAt(Single(yaml, "NARR2001"), 2, 3, "no 'tenants' table");
    }

    [Fact]
    public void Declaring_tenant_id_by_hand_is_NARR2002()
    {
        var yaml = Tenants + "  videos:\n    scope: tenant\n    columns:\n      tenant_id: uuid\n";
        AssertAt(Single(yaml, "NARR2002"), 9, 7, "is added for you");
    }

    [Fact]
    public void Tenant_id_not_leading_a_key_is_NARR2003()
    {
        var yaml = Tenants + "  videos:\n    scope: tenant\n    columns:\n      title: text\n    indexes:\n      - [title, tenant_id]\n";
        AssertAt(Single(yaml, "NARR2003"), 11, 17, "Write [tenant_id, title]");
    }

    [Fact]
    public void Global_table_referencing_a_tenant_table_is_NARR2004()
    {
        var yaml = Tenants + "  videos:\n    scope: tenant\n    columns:\n      title: text\n  featured:\n    scope: global\n    columns:\n      video_id:\n        type: uuid\n        references: videos\n";
        AssertAt(Single(yaml, "NARR2004"), 15, 21, "may not reference tenant-scoped table 'videos'");
    }

    [Fact]
    public void Set_null_on_a_tenant_foreign_key_is_NARR2005()
    {
        var yaml = Tenants + "  videos:\n    scope: tenant\n    columns:\n      title: text\n  clips:\n    scope: tenant\n    columns:\n      video_id:\n        type: uuid?\n        references: videos\n        on_delete: set_null\n";
        AssertAt(Single(yaml, "NARR2005"), 15, 21, "'on_delete: restrict'");
    }

    [Fact]
    public void Global_table_with_tenant_id_is_NARR2006()
    {
        var yaml = Tenants + "  notes:\n    scope: global\n    columns:\n      tenant_id: uuid\n";
        AssertAt(Single(yaml, "NARR2006"), 9, 7, "write 'scope: tenant'");
    }

    [Fact]
    public void Database_default_on_an_id_is_NARR2007()
    {
        var yaml = Tenants + "  notes:\n    scope: global\n    primary_key: [id]\n    columns:\n      id:\n        type: uuid\n        default: gen_random_uuid()\n";
        AssertAt(Single(yaml, "NARR2007"), 12, 18, "Guid.CreateVersion7");
    }

    [Fact]
    public void Unique_constraint_repeating_a_key_is_NARR1023()
    {
        var yaml = Tenants + "  videos:\n    scope: tenant\n    columns:\n      code: text\n      slug: text\n    unique:\n      - [code, slug]\n      - [tenant_id, code, slug]\n";
        var diagnostic = Single(yaml, "NARR1023");
        Assert.Contains("covers the same columns as unique constraint 'uq_videos_code_slug'", diagnostic.Message);
    }

    [Fact]
    public void Tenant_scoped_tenants_table_is_NARR2008()
    {
        var yaml = "tables:\n  tenants:\n    scope: tenant\n    columns:\n      name: text\n";
        AssertAt(Single(yaml, "NARR2008"), 2, 3, "must be 'scope: global'");
    }

    [Fact]
    public void Every_catalogued_rule_has_a_unique_id_in_its_range()
    {
        var ids = DiagnosticCatalog.All.Select(r => r.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(DiagnosticCatalog.All, r => Assert.Matches(r.Category == "Narralytica.Tenancy" ? "^NARR2\\d{3}$" : "^NARR1\\d{3}$", r.Id));
    }

    [Fact]
    public void A_schema_with_errors_produces_no_model_at_all()
    {
        var compilation = SchemaCompiler.Compile(Tenants + "  videos:\n    scope: tenant\n    columns:\n      title: strng\n      body: text\n");
        Assert.True(compilation.HasErrors);
        Assert.Null(compilation.Model);
    }
}
