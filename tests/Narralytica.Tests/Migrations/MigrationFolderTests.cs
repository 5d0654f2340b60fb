using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Migrations;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Migrations;

/// <summary>The integrity of a migrations folder: the chained sum, the snapshot header, the acceptance marks.</summary>
public sealed class MigrationFolderTests
{
    private const string Schema = "tables:\n  tenants:\n    scope: global\n    columns:\n      slug: text\n";

    /// <summary>A consistent folder of three migrations, built the way <c>migrations add</c> builds it.</summary>
    private static List<(string FileName, string Text)> Folder()
    {
        var files = new List<(string, string)>
        {
            ("0001_initial.sql", "CREATE TABLE a (id uuid);\n"),
            ("0002_b.sql", "CREATE TABLE b (id uuid);\n"),
            ("0003_c.sql", "CREATE TABLE c (id uuid);\n"),
        };
        return WithSumAndSnapshot(files);
    }

    private static List<(string FileName, string Text)> WithSumAndSnapshot(List<(string FileName, string Text)> migrations)
    {
        var sum = MigrationSum.Compute(migrations.Select(m => MigrationFile.Read(m.FileName, m.Text)));
        var snapshot = SnapshotWriter.Write(SchemaWorkspace.Compile(Schema), new SnapshotHeader(sum.Last().FileName, sum.Last().Hash));
        return migrations.Concat(new[] { (MigrationSum.FileName, MigrationSum.Render(sum)), (MigrationSet.SnapshotFileName, snapshot) }).ToList();
    }

    private static IReadOnlyList<MigrationProblem> Verify(IEnumerable<(string FileName, string Text)> files) => MigrationSet.From(files).Verify();

    private static MigrationProblem Single(IEnumerable<(string FileName, string Text)> files, string id, string message)
    {
        var problems = Verify(files);
        Assert.Contains(problems, p => p.Rule.Id == id && p.Message.Contains(message));
        return problems.First(p => p.Rule.Id == id);
    }

    private static List<(string FileName, string Text)> Replace(List<(string FileName, string Text)> files, string name, string? text, string? newName = null)
        => files.Where(f => f.FileName != name || text is not null).Select(f => f.FileName == name ? (newName ?? name, text!) : f).ToList();

    [Fact]
    public void A_folder_written_like_migrations_add_has_no_problem()
        => Assert.Empty(Verify(Folder()));

    [Fact]
    public void Crlf_line_endings_are_not_an_edit()
    {
        var files = Folder().Select(f => f.FileName.EndsWith(".sql") ? (f.FileName, f.Text.Replace("\n", "\r\n")) : f).ToList();
        Assert.Empty(Verify(files));
    }

    [Fact]
    public void An_edited_migration_is_named()
        => Single(Replace(Folder(), "0002_b.sql", "CREATE TABLE b (id uuid, x int);\n"), "NARR3050", "0002_b.sql was edited after it was recorded");

    [Fact]
    public void An_edited_migration_is_named_even_next_to_an_unrecorded_one()
    {
        var files = Replace(Folder(), "0002_b.sql", "CREATE TABLE b (id uuid, x int);\n");
        files.Add(("0004_hand.sql", "SELECT 1;\n"));
        var problem = Assert.Single(Verify(files), p => p.Message.Contains("0002_b.sql was edited after it was recorded"));
        Assert.Equal("0002_b.sql", problem.File);
        Assert.Contains(Verify(files), p => p.Message.Contains("0004_hand.sql is not recorded"));
    }

    [Fact]
    public void A_deleted_migration_is_named()
        => Single(Replace(Folder(), "0002_b.sql", null), "NARR3050", "records 0002_b.sql, which is not in the folder");

    [Fact]
    public void A_renumbered_migration_is_reported()
    {
        var files = Replace(Folder(), "0002_b.sql", "CREATE TABLE b (id uuid);\n", "0004_b.sql");
        Assert.Contains(Verify(files), p => p.Rule.Id == "NARR3050" && p.Message.Contains("0004_b.sql is not recorded"));
        Assert.Contains(Verify(files), p => p.Message.Contains("records 0002_b.sql"));
    }

    [Fact]
    public void A_migration_merged_out_of_order_is_reported_with_the_way_out()
    {
        var files = Folder();
        files.Add(("0002_from_branch.sql", "CREATE TABLE d (id uuid);\n"));
        var problem = Single(files, "NARR3050", "merged out of order");
        Assert.Contains("Renumber it after 0003", problem.Message);
    }

    [Fact]
    public void Two_migrations_with_one_number_are_reported()
        => Single(Folder().Concat(new[] { ("0003_other.sql", "SELECT 1;\n") }), "NARR3053", "has the same number as");

    [Fact]
    public void A_misnamed_sql_file_is_reported()
        => Single(Folder().Concat(new[] { ("fix.sql", "SELECT 1;\n") }), "NARR3053", "not named like a migration");

    [Fact]
    public void A_snapshot_written_after_other_migrations_is_reported()
    {
        var files = Folder();
        var migrations = files.Where(f => f.FileName.EndsWith(".sql")).Take(2).ToList();
        var stale = WithSumAndSnapshot(migrations).First(f => f.FileName == MigrationSet.SnapshotFileName);
        Single(Replace(files, MigrationSet.SnapshotFileName, stale.Text), "NARR3051", "was written after 0002_b.sql, but the migrations now end with 0003_c.sql");
    }

    [Fact]
    public void A_hand_edited_snapshot_is_reported_with_its_line()
    {
        var files = Folder();
        var snapshot = files.First(f => f.FileName == MigrationSet.SnapshotFileName).Text.Replace("scope: global", "scope: everyone");
        var problem = Single(Replace(files, MigrationSet.SnapshotFileName, snapshot), "NARR3051", "scope 'everyone' is neither tenant nor global");
        Assert.NotNull(problem.Line);
    }

    [Fact]
    public void A_broken_sum_line_is_reported_with_its_line()
    {
        var files = Folder();
        var sum = files.First(f => f.FileName == MigrationSum.FileName).Text + "0004_x.sql nothex\n";
        var problem = Single(Replace(files, MigrationSum.FileName, sum), "NARR3050", "is not '<file> <64 hex digits>'");
        Assert.Equal(6, problem.Line);
    }

    [Theory]
    [InlineData("ALTER TABLE videos DROP COLUMN legacy;", "NARR3002")]
    [InlineData("DROP TABLE videos;", "NARR3001")]
    [InlineData("ALTER TABLE videos DROP CONSTRAINT uq_x;", "NARR3003")]
    [InlineData("DROP INDEX ix_x;", "NARR3004")]
    [InlineData("DROP TYPE mood;", "NARR3005")]
    [InlineData("ALTER TABLE videos ALTER COLUMN title SET NOT NULL;", "NARR3010")]
    [InlineData("ALTER TABLE videos ADD COLUMN rating integer NOT NULL;", "NARR3011")]
    [InlineData("ALTER TABLE videos ALTER COLUMN code TYPE integer USING code::integer;", "NARR3012")]
    [InlineData("ALTER TABLE videos ADD CONSTRAINT uq_x UNIQUE (tenant_id, code);", "NARR3013")]
    [InlineData("ALTER TABLE videos ADD CONSTRAINT ck_x CHECK (views >= 0) NOT VALID;", "NARR3014")]
    [InlineData("ALTER TABLE videos ALTER COLUMN views TYPE bigint;", "NARR3020")]
    [InlineData("CREATE INDEX ix_x ON videos (tenant_id, title);", "NARR3022")]
    [InlineData("ALTER TABLE videos ADD CONSTRAINT fk_x FOREIGN KEY (tenant_id, a_id) REFERENCES a (tenant_id, id);", "NARR3023")]
    [InlineData("ALTER TABLE public.videos DROP COLUMN title;", "NARR3002")]
    [InlineData("ALTER TABLE videos ADD COLUMN x integer, DROP COLUMN duration_ms;", "NARR3002")]
    [InlineData("ALTER TABLE videos ADD FOREIGN KEY (tenant_id, a_id) REFERENCES a (tenant_id, id);", "NARR3023")]
    [InlineData("ALTER TABLE videos ADD UNIQUE (tenant_id, code);", "NARR3013")]
    [InlineData("ALTER TABLE videos ADD COLUMN token uuid DEFAULT gen_random_uuid();", "NARR3021")]
    [InlineData("TRUNCATE videos;", "NARR3001")]
    [InlineData("DROP SCHEMA public CASCADE;", "NARR3001")]
    public void The_statement_lint_finds_each_unsafe_statement(string sql, string id)
    {
        var findings = StatementLint.Lint(MigrationFile.Read("0002_x.sql", "-- hand-written\n\n" + sql + "\n"));
        var finding = Assert.Single(findings, f => f.Rule.Id == id);
        Assert.Equal(3, finding.Line);
    }

    [Theory]
    [InlineData("CREATE TABLE t (id uuid);\nCREATE INDEX ix_t ON t (id);\nALTER TABLE t ADD CONSTRAINT ck_t CHECK (id IS NOT NULL);")]
    [InlineData("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_x ON videos (tenant_id, title);")]
    [InlineData("ALTER TABLE videos ALTER COLUMN label TYPE character varying(20);")]
    [InlineData("ALTER TABLE videos ADD COLUMN rating integer NOT NULL DEFAULT 0;")]
    [InlineData("DROP INDEX CONCURRENTLY IF EXISTS ix_x;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS ix_x ON videos (tenant_id, title DESC);")]
    [InlineData("ALTER TABLE videos ALTER COLUMN title DROP NOT NULL;\nALTER TABLE videos ALTER COLUMN title DROP DEFAULT;")]
    [InlineData("ALTER TABLE videos ALTER COLUMN type SET DEFAULT 'x';\nALTER TABLE videos ALTER COLUMN type DROP NOT NULL;")]
    public void The_statement_lint_passes_safe_statements(string sql)
        => Assert.Empty(StatementLint.Lint(MigrationFile.Read("0002_x.sql", sql)));

    [Fact]
    public void The_header_marks_the_accepted_kinds_and_the_transaction_mode()
    {
        var text = "-- x\n" + MigrationFile.TransactionDirective + "\n" + MigrationFile.AllowDirective + "destructive, locking\n\nDROP INDEX ix;\n";
        var file = MigrationFile.Read("0007_x.sql", text);
        Assert.False(file.Transactional);
        Assert.Equal(new[] { LintCategory.Destructive, LintCategory.Locking }, file.Allowed);
        Assert.Equal(7, file.Version);
    }
}
