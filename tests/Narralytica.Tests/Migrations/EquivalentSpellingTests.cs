using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Migrations;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Migrations;

/// <summary>
/// Spellings PostgreSQL treats as one (and re-prints its own way) give no migration, and build the
/// same catalog; orders that PostgreSQL keeps (enum values, index columns and directions) are changes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class EquivalentSpellingTests
{
    private const string Schema = """
        enums:
          job_status: [queued, running, done]
        tables:
          tenants:
            scope: global
            columns:
              slug: text
          jobs:
            scope: tenant
            columns:
              status: {type: job_status, default: "'queued'"}
              run_after: {type: timestamptz, default: "now()"}
              payload: {type: jsonb, default: "'{}'::jsonb"}
              attempts: {type: integer, default: "0", check: attempts BETWEEN 0 AND 10}
              label: varchar(20)?
            indexes:
              - columns: [run_after desc]
                where: status IN ('queued', 'running')

        """;

    private readonly PostgresFixture _postgres;

    public EquivalentSpellingTests(PostgresFixture postgres) => _postgres = postgres;

    [Theory]
    [InlineData("default: \"now()\"", "default: CURRENT_TIMESTAMP")]
    [InlineData("default: \"now()\"", "default: \"transaction_timestamp()\"")]
    [InlineData("default: \"'{}'::jsonb\"", "default: \"'{}'\"")]
    [InlineData("default: \"'queued'\"", "default: \"'queued'::job_status\"")]
    [InlineData("attempts: {type: integer,", "attempts: {type: int4,")]
    [InlineData("label: varchar(20)?", "label: character varying(20)?")]
    [InlineData("run_after: {type: timestamptz,", "run_after: {type: timestamp with time zone,")]
    [InlineData("where: status IN ('queued', 'running')", "where: \"(status = ANY (ARRAY['queued'::job_status, 'running'::job_status]))\"")]
    [InlineData("check: attempts BETWEEN 0 AND 10", "check: \"((attempts >= 0) AND (attempts <= 10))\"")]
    [InlineData("check: attempts BETWEEN 0 AND 10", "check: ATTEMPTS   between 0 and 10")]
    public async Task Equivalent_spellings_give_no_migration_and_the_same_catalog(string from, string to)
    {
        Assert.Contains(from, Schema);
        var before = SchemaWorkspace.Compile(Schema);
        var after = SchemaWorkspace.Compile(Schema.Replace(from, to));
        var plan = SchemaDiffer.Diff(before, after);
        Assert.True(plan.IsEmpty, string.Join("\n", plan.Statements.Select(s => s.Sql)));

        await using var workspace = await SchemaWorkspace.OpenAsync(_postgres);
        var a = await workspace.CatalogAsync(await workspace.FreshAsync(before));
        var b = await workspace.CatalogAsync(await workspace.FreshAsync(after));
        Assert.True(a.SequenceEqual(b), CatalogSnapshot.Difference(a, b));
    }

    [Theory]
    [InlineData("job_status: [queued, running, done]", "job_status: [queued, waiting, running, done]", "ALTER TYPE job_status ADD VALUE 'waiting' BEFORE 'running';")]
    [InlineData("job_status: [queued, running, done]", "job_status: [running, queued, done]", "ALTER TYPE job_status RENAME TO job_status__narralytica_old;")]
    [InlineData("- columns: [run_after desc]", "- columns: [run_after]", "DROP INDEX CONCURRENTLY IF EXISTS ix_jobs_run_after;")]
    [InlineData("- columns: [run_after desc]", "- columns: [run_after desc nulls last]", "DROP INDEX CONCURRENTLY IF EXISTS ix_jobs_run_after;")]
    [InlineData("      label: varchar(20)?\n    indexes:\n      - columns: [run_after desc]", "      label: varchar(20)?\n    indexes:\n      - columns: [run_after desc, label]\n        name: ix_jobs_run_after", "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_jobs_run_after ON jobs (tenant_id, run_after DESC, label) WHERE (status IN ('queued', 'running'));")]
    public async Task Orders_postgresql_keeps_are_changes_that_round_trip(string from, string to, string statement)
    {
        Assert.Contains(from, Schema);
        var after = Schema.Replace(from, to);
        var plan = SchemaDiffer.Diff(SchemaWorkspace.Compile(Schema), SchemaWorkspace.Compile(after));
        Assert.Contains(statement, plan.Statements.Select(s => s.Sql));

        await using var workspace = await SchemaWorkspace.OpenAsync(_postgres);
        var failure = await RoundTrip.CheckAsync(workspace, SchemaWorkspace.Compile(Schema), SchemaWorkspace.Compile(after));
        Assert.True(failure is null, failure);
    }
}
