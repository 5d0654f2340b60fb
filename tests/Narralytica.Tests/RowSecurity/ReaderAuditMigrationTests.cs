using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.RowSecurity;

/// <summary>
/// The bounded readers' audit reaches a database that has the former functions: the differ replaces both in place
/// (from a snapshot without <c>bounded_reader_audit</c>), and drift sees a former body as a changed definition and
/// restores the current one.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReaderAuditMigrationTests : IDisposable
{
    private readonly PostgresFixture _postgres;
    private readonly RepositoryCopy _copy = new();

    public ReaderAuditMigrationTests(PostgresFixture postgres) => _postgres = postgres;

    public void Dispose() => _copy.Dispose();

    [Fact]
    public void A_snapshot_from_before_the_bounded_audit_gets_both_functions_replaced_and_nothing_else()
    {
        var model = NotesSchema.Compile();
        var text = SnapshotWriter.Write(model, new SnapshotHeader("0001_a.sql", new string('0', 64)));
        Assert.Contains("\nbounded_reader_audit: true\n", text);
        Assert.True(SchemaDiffer.Diff(SnapshotReader.Read(text, "snapshot").Model, model).IsEmpty);

        var before = SnapshotReader.Read(text.Replace("bounded_reader_audit: true\n", ""), "snapshot").Model;
        Assert.False(before.BoundedReaderAudit);
        var plan = SchemaDiffer.Diff(before, model);
        Assert.Equal(CallerLanes.ReplaceWithBoundedAudit(), plan.Statements.Select(s => s.Sql));

        // On the Citus target the replacement keeps the read function's permission to read the audit table on a worker.
        var citus = SchemaDiffer.Diff(before with { Target = DeploymentTarget.Citus }, model with { Target = DeploymentTarget.Citus });
        Assert.Equal(CallerLanes.ReplaceWithBoundedAudit().Append($"ALTER FUNCTION {CallerLanes.ReadAllowedFunction}() SET citus.allow_nested_distributed_execution = on;"),
            citus.Statements.Select(s => s.Sql));
        Assert.Contains("statement_timestamp()", plan.Statements[1].Sql);
        Assert.Contains($"IF open_reads >= {CallerLanes.MaxOpenAuditsPerLogin} THEN", plan.Statements[0].Sql);
        Assert.StartsWith($"replace functions {CallerLanes.ReadAllowedFunction} and {CallerLanes.OpenReadFunction}", Assert.Single(plan.Changes).Description);

        // Lanes created by the same migration are created with the current bodies, once.
        var withoutLanes = SnapshotReader.Read(text.Replace("bounded_reader_audit: true\n", "").Replace("lanes: true\n", ""), "snapshot").Model;
        var created = SchemaDiffer.Diff(withoutLanes, model).Statements.Select(s => s.Sql).ToList();
        Assert.DoesNotContain(created, s => s.Contains("CREATE OR REPLACE FUNCTION " + CallerLanes.OpenReadFunction, StringComparison.Ordinal));
        Assert.Single(created, s => s.Contains("FUNCTION " + CallerLanes.ReadAllowedFunction + "()", StringComparison.Ordinal) && s.Contains("statement_timestamp()", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_former_window_is_drift_and_the_printed_sql_puts_the_per_statement_one_back()
    {
        var connection = await DriftSql.MigratedAsync(_postgres, _copy);
        var lanes = File.ReadAllText(_copy.MigrationPath("0004_caller_lanes.sql"));
        var start = lanes.IndexOf("DO $$ BEGIN EXECUTE format('CREATE FUNCTION " + CallerLanes.ReadAllowedFunction, StringComparison.Ordinal);
        Assert.True(start >= 0);
        var end = lanes.IndexOf("END $$;", start, StringComparison.Ordinal) + "END $$;".Length;
        var former = lanes[start..end].Replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION");
        Assert.Contains("> now()", former);
        await PostgresFixture.ExecuteAsync(connection, former);

        var output = await DriftSql.ReportAsync(_copy, connection);
        Assert.Contains($"changed  function {CallerLanes.ReadAllowedFunction}: its definition differs from schema.yaml's", output);
        Assert.Contains("differs from schema.yaml in 1 way(s)", output);
        var sql = await DriftSql.ReadAsync(_copy, connection);
        Assert.Contains(sql, s => s.Contains("statement_timestamp()", StringComparison.Ordinal));
        await DriftSql.ReconcileAsync(_copy, connection, sql);
    }
}
