using System.Linq;
using System.Threading.Tasks;
using Narralytica.Database.Drift;
using Narralytica.Schema;
using Narralytica.Schema.Migrations;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Migrations;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Schema;

/// <summary>
/// <c>max_bytes:</c> on a column: the check it becomes, the diagnostics of its misuse, the migrations that add,
/// change and remove it, drift, and PostgreSQL refusing a value one byte too large (and taking one that fits).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MaxBytesTests
{
    private const string Base = """
        tables:
          tenants:
            scope: global
            columns:
              name: text
          notes:
            scope: tenant
            columns:
              title: {type: varchar(200), max_bytes: 100}
              body: {type: text?, max_bytes: 16}
              data: {type: jsonb, default: "'{}'::jsonb", max_bytes: 20}

        """;

    private readonly PostgresFixture _postgres;

    public MaxBytesTests(PostgresFixture postgres) => _postgres = postgres;

    private static string Edit(string from, string to)
    {
        Assert.Contains(from, Base);
        return Base.Replace(from, to);
    }

    [Fact]
    public void Max_bytes_becomes_a_conventionally_named_check_measuring_octet_length_of_the_text()
    {
        var notes = SchemaWorkspace.Compile(Base).FindTable("notes")!;
        Assert.Equal(
            new[]
            {
                ("ck_notes_title_max_bytes", "octet_length(title::text) <= 100"),
                ("ck_notes_body_max_bytes", "octet_length(body) <= 16"),
                ("ck_notes_data_max_bytes", "octet_length(data::text) <= 20"),
            },
            notes.Checks.Select(c => (c.Name, c.Expression)));
        Assert.Equal(16, notes.FindColumn("body")!.MaxBytes);
    }

    [Theory]
    [InlineData("body: {type: text?, max_bytes: 16}", "body: {type: text?, max_bytes: 0}", "write a whole number of bytes from 1 to 1073741823")]
    [InlineData("body: {type: text?, max_bytes: 16}", "body: {type: text?, max_bytes: -5}", "write a whole number of bytes")]
    [InlineData("body: {type: text?, max_bytes: 16}", "body: {type: text?, max_bytes: 64KB}", "is '64KB'; write a whole number of bytes")]
    [InlineData("body: {type: text?, max_bytes: 16}", "body: {type: text?, max_bytes: 2000000000}", "from 1 to 1073741823")]
    [InlineData("body: {type: text?, max_bytes: 16}", "body: {type: integer?, max_bytes: 16}", "applies to text, varchar and jsonb columns, not to integer; remove it")]
    [InlineData("body: {type: text?, max_bytes: 16}", "body: {type: \"text[]?\", max_bytes: 16}", "not to text[]; remove it, or limit the array's elements with a 'check'")]
    [InlineData("body: {type: text?, max_bytes: 16}", "body: {type: bytea?, max_bytes: 16}", "write check: octet_length(body) <= <bytes>")]
    public void Misused_max_bytes_is_NARR1024_at_its_value(string from, string to, string messagePart)
    {
        var yaml = Edit(from, to);
        var compilation = SchemaCompiler.Compile(yaml);
        var diagnostic = Assert.Single(compilation.Diagnostics);
        Assert.Equal("NARR1024", diagnostic.Id);
        Assert.Equal(10, diagnostic.Span.Line);
        Assert.Contains(messagePart, diagnostic.Message);
        Assert.Contains("'max_bytes' of column 'notes.body'", diagnostic.Message);
    }

    [Fact]
    public void Adding_max_bytes_to_an_existing_column_adds_the_check_not_valid_then_validates_it_and_says_it_depends_on_the_data()
    {
        var plan = SchemaDiffer.Diff(SchemaWorkspace.Compile(Edit(", max_bytes: 16}", "}")), SchemaWorkspace.Compile(Base));
        Assert.Equal(
            new[]
            {
                "ALTER TABLE notes ADD CONSTRAINT ck_notes_body_max_bytes CHECK (octet_length(body) <= 16) NOT VALID;",
                "ALTER TABLE notes VALIDATE CONSTRAINT ck_notes_body_max_bytes;",
            },
            plan.Statements.Select(s => s.Sql));
        Assert.Equal(new[] { "NARR3014" }, plan.Findings.Select(f => f.Rule.Id));
    }

    [Fact]
    public void A_new_nullable_column_with_max_bytes_holds_on_every_existing_row_so_nothing_is_reported()
    {
        var plan = SchemaDiffer.Diff(SchemaWorkspace.Compile(Base),
            SchemaWorkspace.Compile(Edit("max_bytes: 20}\n", "max_bytes: 20}\n      extra: {type: jsonb?, max_bytes: 64}\n")));
        Assert.Contains("ALTER TABLE notes ADD CONSTRAINT ck_notes_extra_max_bytes CHECK (octet_length(extra::text) <= 64) NOT VALID;", plan.Statements.Select(s => s.Sql));
        Assert.Empty(plan.Findings);
    }

    [Fact]
    public void Changing_max_bytes_replaces_the_check_and_removing_it_drops_the_check()
    {
        var raised = SchemaDiffer.Diff(SchemaWorkspace.Compile(Base), SchemaWorkspace.Compile(Edit("max_bytes: 16", "max_bytes: 32")));
        Assert.Equal(
            new[]
            {
                "ALTER TABLE notes DROP CONSTRAINT ck_notes_body_max_bytes;",
                "ALTER TABLE notes ADD CONSTRAINT ck_notes_body_max_bytes CHECK (octet_length(body) <= 32) NOT VALID;",
                "ALTER TABLE notes VALIDATE CONSTRAINT ck_notes_body_max_bytes;",
            },
            raised.Statements.Select(s => s.Sql));

        var removed = SchemaDiffer.Diff(SchemaWorkspace.Compile(Base), SchemaWorkspace.Compile(Edit(", max_bytes: 20}", "}")));
        Assert.Equal(new[] { "ALTER TABLE notes DROP CONSTRAINT ck_notes_data_max_bytes;" }, removed.Statements.Select(s => s.Sql));
    }

    [Theory]
    [InlineData(", max_bytes: 16}", "}")]
    [InlineData("max_bytes: 16", "max_bytes: 32")]
    [InlineData(", max_bytes: 100}", "}")]
    [InlineData("title: {type: varchar(200), max_bytes: 100}", "title: {type: text, max_bytes: 100}")]
    public async Task Each_max_bytes_change_round_trips_on_PostgreSQL(string from, string to)
    {
        await using var workspace = await SchemaWorkspace.OpenAsync(_postgres);
        var before = SchemaWorkspace.Compile(Base);
        var after = SchemaWorkspace.Compile(Edit(from, to));
        Assert.Null(await RoundTrip.CheckAsync(workspace, before, after));
        Assert.Null(await RoundTrip.CheckAsync(workspace, after, before));
    }

    [Fact]
    public async Task PostgreSQL_refuses_a_value_one_byte_over_and_takes_one_that_fits_in_multibyte_text_and_jsonb()
    {
        await using var workspace = await SchemaWorkspace.OpenAsync(_postgres);
        await workspace.FreshAsync(SchemaWorkspace.Compile(Base));
        var tenant = System.Guid.NewGuid();
        await Execute(workspace.Connection, "INSERT INTO tenants (id, name) VALUES ($1, 't')", tenant);

        // 'é' is two bytes in UTF-8: 8 of them fill 16 bytes, a ninth is one character but two bytes too many.
        await Execute(workspace.Connection, "INSERT INTO notes (tenant_id, id, title, body) VALUES ($1, gen_random_uuid(), 'fits', $2)", tenant, new string('é', 8));
        var text = await Assert.ThrowsAsync<PostgresException>(() =>
            Execute(workspace.Connection, "INSERT INTO notes (tenant_id, id, title, body) VALUES ($1, gen_random_uuid(), 'over', $2)", tenant, new string('é', 9)));
        Assert.Equal((PostgresErrorCodes.CheckViolation, "ck_notes_body_max_bytes"), (text.SqlState, text.ConstraintName));

        // jsonb is measured in its text form: {"a": "0123456789"} is 19 bytes, {"a": "01234567890"} 20, one more is refused.
        await Execute(workspace.Connection, "INSERT INTO notes (tenant_id, id, title, data) VALUES ($1, gen_random_uuid(), 'fits', '{\"a\":\"01234567890\"}')", tenant);
        var json = await Assert.ThrowsAsync<PostgresException>(() =>
            Execute(workspace.Connection, "INSERT INTO notes (tenant_id, id, title, data) VALUES ($1, gen_random_uuid(), 'over', '{\"a\":\"012345678901\"}')", tenant));
        Assert.Equal((PostgresErrorCodes.CheckViolation, "ck_notes_data_max_bytes"), (json.SqlState, json.ConstraintName));
    }

    [Fact]
    public async Task Drift_sees_no_difference_on_a_fresh_database_and_reports_a_dropped_max_bytes_check_as_missing()
    {
        await using var workspace = await SchemaWorkspace.OpenAsync(_postgres);
        var model = SchemaWorkspace.Compile(Base);
        await workspace.FreshAsync(model);
        Assert.Empty((await SchemaDrift.CompareAsync(workspace.Connection, model)).Differences);

        await Execute(workspace.Connection, "ALTER TABLE notes DROP CONSTRAINT ck_notes_title_max_bytes");
        var difference = Assert.Single((await SchemaDrift.CompareAsync(workspace.Connection, model)).Differences);
        Assert.Equal("missing", difference.Kind);
        Assert.Contains("ck_notes_title_max_bytes", difference.What);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await command.ExecuteNonQueryAsync();
    }
}
