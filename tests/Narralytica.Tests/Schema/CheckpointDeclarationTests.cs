using System.Linq;
using Narralytica.Schema;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Xunit;

namespace Narralytica.Tests.Schema;

/// <summary>
/// <c>checkpoints:</c> in schema.yaml: its shorthand <c>true</c>, the mapping that names the columns, the statements written
/// from it, and each diagnostic (a column missing, of the wrong type, no unique key per stage, on a global table, twice).
/// </summary>
public sealed class CheckpointDeclarationTests
{
    private const string Tenants = "tables:\n  tenants:\n    scope: global\n    columns:\n      name: text\n";

    /// <summary>The conventional checkpoints table, with <paramref name="declaration"/> as its 'checkpoints:'.</summary>
    private static string Conventional(string declaration = "true") =>
        Tenants +
        "  stage_progress:\n    scope: tenant\n" +
        $"    checkpoints: {declaration}\n" +
        "    columns:\n" +
        "      pipeline: varchar(64)\n" +
        "      stage: varchar(64)\n" +
        "      position: {type: text, max_bytes: 4096}\n" +
        "      state: {type: jsonb, default: \"'{}'::jsonb\", max_bytes: 65536}\n" +
        "    unique:\n      - [pipeline, stage]\n";

    /// <summary>Every role under a name of its own, the stage's key a unique index.</summary>
    private const string Named =
        Tenants +
        "  stage_progress:\n    scope: tenant\n    timestamps: false\n" +
        "    checkpoints: {pipeline: flow, stage: step, position: cursor, state: memo, updated_at: moved_at}\n" +
        "    columns:\n" +
        "      flow: text\n" +
        "      step: text\n" +
        "      cursor: varchar(512)\n" +
        "      memo: jsonb\n" +
        "      moved_at: {type: timestamptz, default: now()}\n" +
        "    indexes:\n      - columns: [step, flow]\n        unique: true\n";

    private static SchemaDiagnostic Single(string yaml, string id)
    {
        var compilation = SchemaCompiler.Compile(yaml);
        var matching = compilation.Diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"expected one {id}, got: {string.Join(" | ", compilation.Diagnostics.Select(d => d.Format("schema.yaml")))}");
        Assert.Null(compilation.Model);
        return matching[0];
    }

    private static Table Valid(string yaml)
    {
        var compilation = SchemaCompiler.Compile(yaml);
        Assert.True(compilation.Model is not null, string.Join(" | ", compilation.Diagnostics.Select(d => d.Format("schema.yaml"))));
        return compilation.Model!.FindTable("stage_progress")!;
    }

    [Fact]
    public void True_names_the_conventional_columns_and_the_statements_use_them_with_their_limits()
    {
        var table = Valid(Conventional());
        Assert.Equal(CheckpointRoles.All, table.CheckpointColumns!.Columns.Select(c => c.Column));
        var sql = CheckpointSql.For(table)!;
        Assert.Equal("SELECT position, state::text, updated_at FROM stage_progress WHERE tenant_id = $1 AND pipeline = $2 AND stage = $3 FOR UPDATE", sql.Read);
        Assert.Contains("ON CONFLICT (tenant_id, pipeline, stage) DO NOTHING", sql.Create);
        Assert.Equal((4096, 65536), (sql.PositionMaxBytes!.Value, sql.StateMaxBytes!.Value));
    }

    [Fact]
    public void A_mapping_names_each_roles_column_and_a_unique_index_in_any_order_keys_the_stage()
    {
        var sql = CheckpointSql.For(Valid(Named))!;
        Assert.Equal("SELECT cursor, memo::text, moved_at FROM stage_progress WHERE tenant_id = $1 AND flow = $2 AND step = $3 FOR UPDATE", sql.Read);
        Assert.Equal("UPDATE stage_progress SET cursor = $4, memo = $5, moved_at = now() WHERE tenant_id = $1 AND flow = $2 AND step = $3 AND cursor = $6 RETURNING moved_at", sql.Advance);
        Assert.Equal((null, null), (sql.PositionMaxBytes, sql.StateMaxBytes));
    }

    [Fact]
    public void False_or_no_declaration_leaves_the_table_without_checkpoints()
    {
        Assert.Null(Valid(Conventional("false")).CheckpointColumns);
        Assert.Null(CheckpointSql.For(Valid(Conventional("false"))));
    }

    [Fact]
    public void A_missing_column_is_NARR1060_naming_the_role_and_what_to_write()
    {
        var missing = Single(Conventional().Replace("      position: {type: text, max_bytes: 4096}\n", ""), "NARR1060");
        Assert.Contains("whose position column is 'position' by convention, but it has no column 'position'; add it ('position: { type: text, max_bytes: 4096 }')", missing.Message);
        var misnamed = Single(Named.Replace("state: memo", "state: notes"), "NARR1060");
        Assert.Contains("name 'notes' as their state column, but 'stage_progress' has no column 'notes'", misnamed.Message);
        // Without the conventional updated_at (timestamps: created), the last advance's time has no column.
        Single(Conventional().Replace("    scope: tenant\n    checkpoints", "    scope: tenant\n    timestamps: created\n    checkpoints"), "NARR1060");
    }

    [Fact]
    public void A_column_of_the_wrong_type_is_NARR1061()
    {
        var state = Single(Conventional().Replace("state: {type: jsonb,", "state: {type: text,"), "NARR1061");
        Assert.Contains("column 'state' of table 'stage_progress' is the checkpoints' state column, so it must be jsonb, not null, but it is text, not null", state.Message);
        var position = Single(Named.Replace("cursor: varchar(512)", "cursor: bigint?"), "NARR1061");
        Assert.Contains("must be text or varchar, not null, but it is bigint, nullable", position.Message);
    }

    [Fact]
    public void No_unique_key_on_the_stage_is_NARR1062()
    {
        var noKey = Single(Conventional().Replace("    unique:\n      - [pipeline, stage]\n", ""), "NARR1062");
        Assert.Contains("needs a unique key on (tenant_id, pipeline, stage) for a stage's first advance; add to 'unique:' '- [pipeline, stage]'", noKey.Message);
        // A key on the pipeline alone, or a partial unique index, does not find one stage's row.
        Single(Conventional().Replace("      - [pipeline, stage]\n", "      - [pipeline]\n"), "NARR1062");
        Single(Named.Replace("        unique: true\n", "        unique: true\n        where: flow <> ''\n"), "NARR1062");
    }

    [Fact]
    public void Checkpoints_on_a_global_table_are_NARR2015()
    {
        var global = Single(Conventional().Replace("  stage_progress:\n    scope: tenant\n", "  stage_progress:\n    scope: global\n"), "NARR2015");
        Assert.Contains("global table 'stage_progress' is declared the pipeline checkpoints", global.Message);
    }

    [Fact]
    public void A_second_checkpoints_table_is_refused()
    {
        var second = Conventional() + Conventional().Substring(Tenants.Length).Replace("stage_progress", "more_progress");
        var twice = Single(second, DiagnosticCatalog.WrongShape.Id);
        Assert.Contains("table 'more_progress' is declared the pipeline checkpoints, but 'stage_progress' already is", twice.Message);
    }
}
