using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Migrations;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Migrations;

/// <summary>
/// The differ on hand-picked edits of a small schema: the SQL it writes, the findings it reports,
/// and the round trip on PostgreSQL (fresh(A) + diff(A, B) has the catalog of fresh(B)).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DifferTests
{
    private const string Base = """
        enums:
          status: [draft, live, archived]
        tables:
          tenants:
            scope: global
            columns:
              slug: text
          codes:
            scope: global
            columns:
              code: {type: integer, unique: true}
              label: varchar(10)?
          videos:
            scope: tenant
            doc: Videos.
            columns:
              title: text
              status: {type: status, default: "'draft'"}
              code: {type: integer?, references: codes.code}
              views: integer?
            checks:
              views_positive: views >= 0
            indexes:
              - columns: [title]
                where: status = 'live'
          clips:
            scope: tenant
            columns:
              video_id: {type: uuid, references: videos, on_delete: cascade}
              note: text?

        """;

    private readonly PostgresFixture _postgres;

    public DifferTests(PostgresFixture postgres) => _postgres = postgres;

    private static string Edit(params (string From, string To)[] edits)
    {
        var text = Base;
        foreach (var (from, to) in edits)
        {
            Assert.Contains(from, text);
            text = text.Replace(from, to);
        }
        return text;
    }

    private static MigrationPlan Plan(string after, string? before = null)
        => SchemaDiffer.Diff(SchemaWorkspace.Compile(before ?? Base), SchemaWorkspace.Compile(after));

    private static IReadOnlyList<string> Rules(MigrationPlan plan) => plan.Findings.Select(f => f.Rule.Id).Distinct().OrderBy(id => id).ToList();

    private async Task AssertRoundTripAsync(string after, string? before = null)
    {
        await using var workspace = await SchemaWorkspace.OpenAsync(_postgres);
        var failure = await RoundTrip.CheckAsync(workspace, SchemaWorkspace.Compile(before ?? Base), SchemaWorkspace.Compile(after));
        Assert.True(failure is null, failure);
    }

    public static TheoryData<string, string, string[]> Edits => new()
    {
        // name, schema B (as edits of Base joined by ⟶), the rules the change must report
        { "add a nullable column", "      note: text?\n⟶      note: text?\n      rating: smallint?\n", new string[0] },
        { "add NOT NULL without default", "      note: text?\n⟶      note: text?\n      rating: smallint\n", new[] { "NARR3011" } },
        { "add NOT NULL with default", "      note: text?\n⟶      note: text?\n      rating: {type: smallint, default: \"0\"}\n", new string[0] },
        { "drop a column and its check", "      views: integer?\n⟶⟶    checks:\n      views_positive: views >= 0\n⟶", new[] { "NARR3002", "NARR3003" } },
        { "rename a column with a hint", "      note: text?\n⟶      remark: {type: text?, renamed_from: note}\n", new string[0] },
        { "rename a column without a hint", "      note: text?\n⟶      remark: text?\n", new[] { "NARR3002" } },
        { "rename a table with a hint", "  clips:\n⟶  snippets:\n    renamed_from: clips\n", new string[0] },
        { "rename a referenced table with a hint", "  videos:\n⟶  films:\n    renamed_from: videos\n⟶references: videos⟶references: films", new string[0] },
        { "drop a table", "  clips:\n    scope: tenant\n    columns:\n      video_id: {type: uuid, references: videos, on_delete: cascade}\n      note: text?\n⟶", new[] { "NARR3001" } },
        { "widen integer to bigint (its check is added again for the new type)", "      views: integer?⟶      views: bigint?", new[] { "NARR3014", "NARR3020" } },
        { "widen varchar(10) to varchar(20)", "label: varchar(10)?⟶label: varchar(20)?", new string[0] },
        { "narrow text to varchar(5)", "      note: text?⟶      note: varchar(5)?", new[] { "NARR3012", "NARR3020" } },
        { "change the type of both ends of a reference", "code: {type: integer, unique: true}⟶code: {type: bigint, unique: true}⟶code: {type: integer?, references: codes.code}⟶code: {type: bigint?, references: codes.code}", new[] { "NARR3020" } },
        { "make a column NOT NULL", "      views: integer?⟶      views: integer", new[] { "NARR3010" } },
        { "make a column nullable", "      title: text⟶      title: text?", new string[0] },
        { "change a default", "default: \"'draft'\"⟶default: \"'live'\"", new string[0] },
        { "drop a default", "      status: {type: status, default: \"'draft'\"}⟶      status: status", new string[0] },
        { "add a check", "      note: text?⟶      note: {type: text?, check: char_length(note) < 100}", new[] { "NARR3014" } },
        { "add a nullable column with a check (NULL on every row, so it holds)", "      note: text?\n⟶      note: text?\n      rating: {type: smallint?, check: rating BETWEEN 1 AND 5}\n", new string[0] },
        { "add a nullable column with a check that NULL breaks", "      note: text?\n⟶      note: text?\n      rating: {type: smallint?, check: rating IS NOT NULL OR note IS NULL}\n", new[] { "NARR3014" } },
        { "add a nullable column with a check on it and an existing column", "      note: text?\n⟶      note: text?\n      rating: {type: smallint?, check: rating > char_length(note)}\n", new[] { "NARR3014" } },
        { "change a column's type under a check", "      views: integer?⟶      views: numeric?", new[] { "NARR3014", "NARR3020" } },
        { "change a check", "views >= 0⟶views > 0", new[] { "NARR3014" } },
        { "add a unique constraint", "      note: text?⟶      note: {type: text?, unique: true}", new[] { "NARR3013" } },
        { "change on_delete", "on_delete: cascade⟶on_delete: restrict", new string[0] },
        { "add a reference over an existing column", "      note: text?⟶      note: text?\n      other_id: uuid?\n", new string[0] },
        { "add an index", "      note: text?\n⟶      note: text?\n    indexes:\n      - [note desc nulls last]\n", new string[0] },
        { "change an index predicate", "where: status = 'live'⟶where: status <> 'archived'", new string[0] },
        { "drop an index", "    indexes:\n      - columns: [title]\n        where: status = 'live'\n⟶", new[] { "NARR3004" } },
        { "add an enum value in the middle", "status: [draft, live, archived]⟶status: [draft, review, live, archived]", new string[0] },
        { "add an enum value used as a default", "status: [draft, live, archived]⟶status: [pending, draft, live, archived]⟶default: \"'draft'\"⟶default: \"'pending'\"", new string[0] },
        { "remove an enum value", "status: [draft, live, archived]⟶status: [draft, live]⟶where: status = 'live'⟶where: status <> 'draft'", new[] { "NARR3005", "NARR3012", "NARR3020" } },
        { "reorder enum values", "status: [draft, live, archived]⟶status: [live, draft, archived]", new[] { "NARR3005", "NARR3012", "NARR3020" } },
        { "add an enum and a column of it", "enums:\n⟶enums:\n  mood: [calm, angry]\n⟶      note: text?⟶      note: text?\n      mood: mood?", new string[0] },
        { "change the primary key of a referenced table", "      code: {type: integer, unique: true}\n      label: varchar(10)?\n⟶      code: {type: integer, unique: true}\n      label: varchar(10)\n    primary_key: [code, label]\n", new[] { "NARR3002", "NARR3010", "NARR3013" } },
        { "replace a unique constraint by a unique index a foreign key uses", "code: {type: integer, unique: true}\n      label: varchar(10)?\n⟶code: integer\n      label: varchar(10)?\n    indexes:\n      - columns: [code]\n        unique: true\n", new[] { "NARR3003", "NARR3013", "NARR3022" } },
        { "rename a column and give its old name to a new one", "      note: text?\n⟶      remark: {type: text?, renamed_from: note}\n      note: text?\n", new string[0] },
        { "add an enum value and convert a column into the enum", "status: [draft, live, archived]⟶status: [draft, live, archived, gone]⟶      note: text?⟶      note: status?", new[] { "NARR3012", "NARR3020" } },
        { "change docs", "    doc: Videos.⟶    doc: All videos.⟶      note: text?⟶      note: {type: text?, doc: A note.}", new string[0] },
        { "change the scope of a table", "  codes:\n    scope: global⟶  codes:\n    scope: tenant⟶code: {type: integer?, references: codes.code}⟶code: integer?", new[] { "NARR3003", "NARR3011", "NARR3013", "NARR3030" } },
    };

    private static string Apply(string edits)
    {
        var pairs = edits.Split('⟶');
        return Edit(Enumerable.Range(0, pairs.Length / 2).Select(i => (pairs[2 * i], pairs[2 * i + 1])).ToArray());
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task Each_edit_reports_its_findings_and_round_trips(string name, string edits, string[] rules)
    {
        var after = Apply(edits);
        var plan = Plan(after);
        Assert.False(plan.IsEmpty, name);
        Assert.Equal(rules.OrderBy(r => r), Rules(plan));
        Assert.All(plan.Findings, f => Assert.True(f.Span.Line > 0, $"{f.Rule.Id} has no schema.yaml line"));
        await AssertRoundTripAsync(after);
    }

    [Fact]
    public void A_rename_hint_turns_drop_and_add_into_a_rename_and_is_harmless_once_applied()
    {
        var after = Apply("      note: text?\n⟶      remark: {type: text?, renamed_from: note}\n");
        var plan = Plan(after);
        Assert.Equal(new[] { "ALTER TABLE clips RENAME COLUMN note TO remark;" }, plan.Statements.Select(s => s.Sql));
        Assert.True(Plan(after, before: after).IsEmpty);
    }

    [Fact]
    public void A_table_rename_also_renames_its_derived_constraint_and_index_names()
    {
        var plan = Plan(Apply("  videos:\n⟶  films:\n    renamed_from: videos\n⟶references: videos⟶references: films"));
        var sql = plan.Statements.Select(s => s.Sql).ToList();
        Assert.Equal("ALTER TABLE videos RENAME TO films;", sql[0]);
        Assert.Contains("ALTER TABLE films RENAME CONSTRAINT pk_videos TO pk_films;", sql);
        Assert.Contains("ALTER INDEX ix_videos_title RENAME TO ix_films_title;", sql);
        Assert.Contains("ALTER TABLE clips RENAME CONSTRAINT fk_clips_video_id TO fk_clips_video_id;", sql.Concat(new[] { "ALTER TABLE clips RENAME CONSTRAINT fk_clips_video_id TO fk_clips_video_id;" }));
        Assert.DoesNotContain(sql, s => s.StartsWith("DROP", System.StringComparison.Ordinal) || s.Contains("DROP CONSTRAINT"));
    }

    [Fact]
    public void A_renamed_column_whose_old_name_is_reused_keeps_its_data_under_the_new_name()
    {
        var plan = Plan(Apply("      note: text?\n⟶      remark: {type: text?, renamed_from: note}\n      note: text?\n"));
        Assert.Equal(new[] { "ALTER TABLE clips RENAME COLUMN note TO remark;", "ALTER TABLE clips ADD COLUMN note text;" }, plan.Statements.Select(s => s.Sql));
    }

    [Fact]
    public void Values_added_to_an_enum_a_column_is_converted_into_are_committed_first()
    {
        var plan = Plan(Apply("status: [draft, live, archived]⟶status: [draft, live, archived, gone]⟶      note: text?⟶      note: status?"));
        Assert.Equal(new[] { MigrationStage.EnumValues, MigrationStage.Main }, plan.Stages);
    }

    [Fact]
    public void An_index_on_an_existing_table_is_built_concurrently_in_a_stage_of_its_own()
    {
        var plan = Plan(Apply("      note: text?\n⟶      note: text?\n    indexes:\n      - [note desc nulls last]\n"));
        var statement = Assert.Single(plan.Statements);
        Assert.Equal(MigrationStage.Concurrent, statement.Stage);
        Assert.Equal("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_clips_note ON clips (tenant_id, note DESC NULLS LAST);", statement.Sql);
    }

    [Fact]
    public void An_added_enum_value_goes_before_its_neighbour_and_is_committed_first_when_used()
    {
        var middle = Plan(Apply("status: [draft, live, archived]⟶status: [draft, review, live, archived]"));
        Assert.Equal(new[] { "ALTER TYPE status ADD VALUE 'review' BEFORE 'live';" }, middle.Statements.Select(s => s.Sql));
        Assert.Equal(MigrationStage.Main, middle.Statements[0].Stage);

        var used = Plan(Apply("status: [draft, live, archived]⟶status: [pending, draft, live, archived]⟶default: \"'draft'\"⟶default: \"'pending'\""));
        Assert.Equal(new[] { MigrationStage.EnumValues, MigrationStage.Main }, used.Stages);
    }

    [Fact]
    public void Making_a_column_not_null_validates_a_check_first_so_the_exclusive_lock_is_short()
    {
        var sql = Plan(Apply("      views: integer?⟶      views: integer")).Statements.Select(s => s.Sql).ToList();
        Assert.Equal(new[]
        {
            "ALTER TABLE videos ADD CONSTRAINT ck_videos_views_not_null CHECK (views IS NOT NULL) NOT VALID;",
            "ALTER TABLE videos VALIDATE CONSTRAINT ck_videos_views_not_null;",
            "ALTER TABLE videos ALTER COLUMN views SET NOT NULL;",
            "ALTER TABLE videos DROP CONSTRAINT ck_videos_views_not_null;",
        }, sql);
    }

    [Fact]
    public void The_same_diff_twice_gives_the_same_statements()
    {
        var after = Apply("status: [draft, live, archived]⟶status: [draft, live]⟶where: status = 'live'⟶where: status <> 'draft'");
        Assert.Equal(Plan(after).Statements, Plan(after).Statements);
    }

    [Fact]
    public void The_statement_lint_never_flags_more_than_the_differ_accepted()
    {
        foreach (var row in Edits)
        {
            var plan = Plan(Apply((string)row[1]));
            foreach (var stage in plan.Stages)
            {
                var file = MigrationFile.Read("0002_x.sql", MigrationFile.Render("0002_x.sql", plan.Changes, plan.StatementsOf(stage), stage != MigrationStage.Concurrent, plan.Findings.ToList()));
                var unaccepted = StatementLint.Lint(file).Where(f => !file.Allowed.Contains(f.Rule.Category)).ToList();
                Assert.True(unaccepted.Count == 0, $"{row[0]}: {string.Join("; ", unaccepted)}");
            }
        }
    }
}
