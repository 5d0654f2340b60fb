using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Migrations;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Migrations;

/// <summary>
/// A column's type changes under the objects that depend on it, on a table with rows: checks, index predicates,
/// defaults and foreign keys come out as a fresh build of the new schema has them, and a conversion that would cut,
/// round or truncate a stored value fails the migration on that row, naming it, with nothing converted.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TypeChangeTests
{
    private readonly PostgresFixture _postgres;

    public TypeChangeTests(PostgresFixture postgres) => _postgres = postgres;

    private static string Schema(string score, string label = "varchar(10)?", string due = "text?", string check = "score >= 0", string where = "score > 0", string dueWhere = "due > '2020-01-01'") => $$"""
        tables:
          tenants:
            scope: global
            columns:
              slug: text
          ratings:
            scope: global
            columns:
              code: {type: {{score.TrimEnd('?')}}, unique: true}
          reviews:
            scope: tenant
            columns:
              score: {type: {{score}}, default: "1", references: ratings.code}
              label: {{label}}
              due: {{due}}
            checks:
              score_valid: {{check}}
            indexes:
              - columns: [label]
                where: {{where}}
              - columns: [due]
                where: {{dueWhere}}

        """;

    private const string Rows = """
        INSERT INTO tenants (id, slug) VALUES ('00000000-0000-7000-8000-000000000001', 'acme');
        INSERT INTO ratings (id, code) VALUES ('00000000-0000-7000-8000-000000000002', 1), ('00000000-0000-7000-8000-000000000003', 2);
        INSERT INTO reviews (tenant_id, id, score, label, due) VALUES
          ('00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000004', 1, 'short', '2026-03-01'),
          ('00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000005', 2, 'much long', '2026-04-01');
        """;

    /// <summary>fresh(A) with the rows, diff(A, B) applied: null when it ran, else PostgreSQL's error; the connection is in A's schema.</summary>
    private static async Task<PostgresException?> MigrateAsync(SchemaWorkspace workspace, string before, string after, string rows = Rows)
    {
        await workspace.FreshAsync(SchemaWorkspace.Compile(before));
        await MigrationRunner.RunScriptAsync(workspace.Connection, rows.Split(";\n").Where(s => s.Trim().Length > 0));
        try
        {
            await MigrationRunner.RunPlanAsync(workspace.Connection, SchemaDiffer.Diff(SchemaWorkspace.Compile(before), SchemaWorkspace.Compile(after)));
            return null;
        }
        catch (PostgresStatementException e)
        {
            return (PostgresException)e.InnerException!;
        }
    }

    private static async Task<string> ValuesAsync(SchemaWorkspace workspace, string column)
    {
        await using var command = new NpgsqlCommand($"SELECT string_agg({column}::text, ',' ORDER BY id) FROM reviews", workspace.Connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Theory]
    [InlineData("integer to numeric under a check, a predicate, a default and a reference", "integer", "numeric")]
    [InlineData("integer to bigint", "integer", "bigint")]
    [InlineData("smallint to integer", "smallint", "integer")]
    public async Task A_type_change_rebuilds_what_depends_on_the_column_as_a_fresh_build_has_it(string name, string from, string to)
    {
        Assert.NotNull(name);
        var before = Schema(from + "?");
        var after = Schema(to + "?");
        await using var workspace = await SchemaWorkspace.OpenAsync(_postgres);
        Assert.Null(await MigrateAsync(workspace, before, after));
        Assert.Equal("1,2", await ValuesAsync(workspace, "score"));
        var outcome = await RoundTrip.CheckWithRowsAsync(workspace, SchemaWorkspace.Compile(before), SchemaWorkspace.Compile(after), rowsSeed: 1);
        Assert.True(outcome.Failure is null, outcome.Failure);
    }

    [Fact]
    public async Task A_partial_index_whose_predicate_no_longer_parses_for_the_new_type_is_rebuilt_around_the_conversion()
    {
        // Kept as it was, the predicate would compare a date with text ('2020-01-01'::text), which PostgreSQL refuses.
        var before = Schema("integer?");
        var after = Schema("integer?", due: "date?");
        await using var workspace = await SchemaWorkspace.OpenAsync(_postgres);
        Assert.Null(await MigrateAsync(workspace, before, after));
        Assert.Equal("2026-03-01,2026-04-01", await ValuesAsync(workspace, "due"));
        Assert.Null(await RoundTrip.CheckAsync(workspace, SchemaWorkspace.Compile(before), SchemaWorkspace.Compile(after)));
    }

    [Theory]
    [InlineData("varchar(10)?", "varchar(5)?", "'much long'", "label", "much long")]
    [InlineData("text?", "char(4)?", "'abcdefg'", "label", "abcdefg")]
    [InlineData("numeric(12,2)?", "integer?", "12.34", "label", "12.34")]
    [InlineData("numeric(12,2)?", "numeric(12,1)?", "12.34", "label", "12.34")]
    [InlineData("double precision?", "integer?", "1.5", "label", "1.5")]
    [InlineData("double precision?", "real?", "0.1", "label", "0.1")]
    [InlineData("timestamp?", "date?", "'2026-03-01 10:30:00'", "label", "2026-03-01 10:30:00")]
    public async Task A_conversion_that_would_change_a_stored_value_fails_on_that_row_and_converts_nothing(string from, string to, string value, string column, string shown)
    {
        var before = Schema("integer?", label: from, where: "score > 0");
        var after = Schema("integer?", label: to, where: "score > 0");
        var rows = Rows.Replace("'much long'", value).Replace("'short'", "NULL");
        await using var workspace = await SchemaWorkspace.OpenAsync(_postgres);
        var plan = SchemaDiffer.Diff(SchemaWorkspace.Compile(before), SchemaWorkspace.Compile(after));
        Assert.Contains(plan.Findings, f => f.Rule == MigrationRules.NarrowingType && f.Message.Contains("checks every row first"));

        var error = await MigrateAsync(workspace, before, after, rows);
        Assert.NotNull(error);
        Assert.Equal(PostgresErrorCodes.DataException, error!.SqlState);
        Assert.Contains($"converting reviews.{column} from", error.MessageText);
        Assert.Contains($"would change or lose the value of 1 row(s), for example {shown}", error.MessageText);
        Assert.Contains("Fix those values first", error.Hint);
        // The transaction rolled back: the value and the type are what they were.
        Assert.Contains(shown, await ValuesAsync(workspace, column));
    }

    [Theory]
    [InlineData("varchar(10)?", "varchar(5)?", "'abc'", "abc")]
    [InlineData("numeric(12,2)?", "integer?", "12.00", "12")]
    [InlineData("double precision?", "integer?", "3", "3")]
    [InlineData("bigint?", "integer?", "42", "42")]
    [InlineData("text?", "integer?", "'42'", "42")]
    public async Task A_narrowing_conversion_of_values_that_fit_keeps_them(string from, string to, string value, string converted)
    {
        var before = Schema("integer?", label: from, where: "score > 0");
        var after = Schema("integer?", label: to, where: "score > 0");
        await using var workspace = await SchemaWorkspace.OpenAsync(_postgres);
        Assert.Null(await MigrateAsync(workspace, before, after, Rows.Replace("'much long'", value).Replace("'short'", "NULL")));
        Assert.Equal(converted, await ValuesAsync(workspace, "label"));
    }

    [Fact]
    public async Task A_value_out_of_the_new_range_fails_the_conversion_loudly()
    {
        var before = Schema("integer?", label: "bigint?", where: "score > 0");
        var after = Schema("integer?", label: "integer?", where: "score > 0");
        await using var workspace = await SchemaWorkspace.OpenAsync(_postgres);
        var error = await MigrateAsync(workspace, before, after, Rows.Replace("'much long'", "5000000000").Replace("'short'", "NULL"));
        Assert.Equal(PostgresErrorCodes.NumericValueOutOfRange, error?.SqlState);
    }

    [Theory]
    [InlineData("timestamp?", "timestamptz?")]
    [InlineData("timestamptz?", "timestamp?")]
    public void A_change_that_reinterprets_every_value_by_the_session_time_zone_is_flagged_destructive_saying_so(string from, string to)
    {
        var plan = SchemaDiffer.Diff(SchemaWorkspace.Compile(Schema("integer?", label: from, where: "score > 0")),
            SchemaWorkspace.Compile(Schema("integer?", label: to, where: "score > 0")));
        var finding = Assert.Single(plan.Findings, f => f.Rule == MigrationRules.ReinterpretingType);
        Assert.Equal(LintCategory.Destructive, finding.Category);
        Assert.Contains("TimeZone of the session that runs the migration", finding.Message);
    }
}
