using System.Linq;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Migrations;
using Xunit;

namespace Narralytica.Tests.Roles;

/// <summary>Each lane's grants in the fresh DDL, the snapshot and the differ (no database).</summary>
public sealed class GrantDifferTests
{
    private static SchemaModel Compile(bool notesAppendOnly) => NotesSchema.Compile(notesAppendOnly);

    [Fact]
    public void The_fresh_ddl_creates_the_roles_then_grants_usage_and_each_table_its_privileges()
    {
        var statements = DdlEmitter.Statements(SchemaWorkspace.Compile(RepositoryFiles.SchemaText));
        Assert.Equal(DatabaseRoles.CreateIfMissing().Concat(DatabaseRoles.CreateLanesIfMissing()).Concat(DatabaseRoles.Lanes.Select(DatabaseRoles.GrantSchemaUsage)), statements.Take(9));
        Assert.Contains("GRANT SELECT, INSERT, UPDATE, DELETE ON segments TO narralytica_app;", statements);
        Assert.Contains("GRANT SELECT, INSERT, UPDATE, DELETE ON segments TO narralytica_worker;", statements);
        Assert.Contains("GRANT SELECT ON segments TO narralytica_reader;", statements);
        Assert.DoesNotContain(statements, s => s.Contains("ON segments TO narralytica_control"));
        foreach (var appendOnly in new[] { "layers", "audit_logs", "event_logs" })
            Assert.Contains($"GRANT SELECT, INSERT ON {appendOnly} TO narralytica_app;", statements);
        // Global tables: the control plane writes them, every other lane reads them.
        Assert.Contains("GRANT SELECT ON tenants TO narralytica_app;", statements);
        Assert.Contains("GRANT SELECT, INSERT, UPDATE, DELETE ON tenants TO narralytica_control;", statements);
        Assert.Contains("GRANT SELECT ON tenants TO narralytica_worker;", statements);
        // The audit table of cross-tenant reads: no lane holds anything on it; the readers' functions write and check it.
        Assert.DoesNotContain(TenantIsolation.GrantAuditTable, statements);
        Assert.Contains("GRANT EXECUTE ON FUNCTION narralytica_open_cross_tenant_read(text) TO narralytica_reader;", statements);
        // The queue: the workers write jobs in their job's tenant, as requests do, and claim and finish across tenants
        // through the queue's functions only: no column-level grant, EXECUTE on the 7 functions.
        Assert.Contains("GRANT SELECT, INSERT, UPDATE, DELETE ON jobs TO narralytica_worker;", statements);
        Assert.DoesNotContain(statements, s => s.StartsWith("GRANT UPDATE (", System.StringComparison.Ordinal));
        foreach (var function in QueueFunctions.Names)
            Assert.Contains($"GRANT EXECUTE ON FUNCTION {function}({QueueFunctions.Signature(function)}) TO narralytica_worker;", statements);
        // 16 tables for the application, the workers and the readers, the 5 global ones for the control plane, the queue's
        // 7 functions, and the readers' 2 functions.
        Assert.Equal(16 + 16 + 16 + 5 + 7 + 2, statements.Count(s => s.StartsWith("GRANT ", System.StringComparison.Ordinal)));
        Assert.DoesNotContain(statements, s => s.Contains("narralytica_schema_history"));
    }

    [Fact]
    public void Making_a_table_append_only_revokes_update_and_delete_without_a_finding()
    {
        var plan = SchemaDiffer.Diff(Compile(notesAppendOnly: false), Compile(notesAppendOnly: true));
        Assert.Equal(new[] { "REVOKE UPDATE, DELETE ON notes FROM narralytica_app;", "REVOKE UPDATE, DELETE ON notes FROM narralytica_worker;" }, plan.Statements.Select(s => s.Sql));
        Assert.Contains(plan.Changes, c => c.Description == "revoke UPDATE, DELETE on notes from narralytica_app (the table is append-only now)");
        Assert.Empty(plan.Findings);
    }

    [Fact]
    public void Making_a_table_no_longer_append_only_grants_update_and_delete_as_a_tenancy_finding()
    {
        var plan = SchemaDiffer.Diff(Compile(notesAppendOnly: true), Compile(notesAppendOnly: false));
        Assert.Equal(new[] { "GRANT UPDATE, DELETE ON notes TO narralytica_app;", "GRANT UPDATE, DELETE ON notes TO narralytica_worker;" }, plan.Statements.Select(s => s.Sql));
        var finding = Assert.Single(plan.Findings);
        Assert.Equal("NARR3031", finding.Rule.Id);
        Assert.Equal(LintCategory.Tenancy, finding.Category);

        var text = MigrationFile.Render("0002_x.sql", plan.Changes, plan.StatementsOf(MigrationStage.Main), true, plan.Findings.ToList());
        Assert.Contains("grant UPDATE, DELETE on notes to narralytica_app (the table is no longer append-only)", text);
        Assert.Contains("-- narralytica:allow tenancy", text);
    }

    [Fact]
    public void A_new_table_is_granted_with_its_creation_and_a_dropped_one_needs_no_revoke()
    {
        var withoutNotes = NotesSchema.WithoutNotes();
        var added = SchemaDiffer.Diff(withoutNotes, Compile(notesAppendOnly: true)).Statements.Select(s => s.Sql).ToList();
        Assert.Contains("GRANT SELECT, INSERT ON notes TO narralytica_app;", added);
        Assert.DoesNotContain(added, s => s.StartsWith("DO ", System.StringComparison.Ordinal)); // the roles and USAGE are there already

        var dropped = SchemaDiffer.Diff(Compile(notesAppendOnly: true), withoutNotes).Statements.Select(s => s.Sql);
        Assert.Equal(new[] { "DROP TABLE notes;" }, dropped);
    }

    [Fact]
    public void The_snapshot_records_privileges_and_an_old_snapshot_without_them_means_none()
    {
        var model = Compile(notesAppendOnly: true);
        var text = SnapshotWriter.Write(model, new SnapshotHeader("0001_a.sql", new string('0', 64)));
        Assert.Contains("app_schema_usage: true", text);
        Assert.Contains("    app_privileges: [select, insert]", text);
        var read = SnapshotReader.Read(text, "snapshot").Model;
        Assert.True(SchemaDiffer.Diff(read, model).IsEmpty);
        Assert.Equal(model.Tables.Select(t => t.AppPrivileges), read.Tables.Select(t => t.AppPrivileges));

        // A snapshot written before grants existed predates row-level security too.
        var old = string.Join("\n", text.Split('\n').Where(line => !line.StartsWith("app_schema_usage:") && !line.StartsWith("tenant_context:") && !line.StartsWith("lanes:")
            && !line.StartsWith("    row_security:") && !line.StartsWith("    queue:") && !(line.StartsWith("    ") && line.Contains("_privileges:"))));
        var before = SnapshotReader.Read(old, "snapshot").Model;
        Assert.False(before.GrantsToApp);
        var plan = SchemaDiffer.Diff(before, model);
        Assert.Equal(DatabaseRoles.CreateIfMissing().Concat(DatabaseRoles.CreateLanesIfMissing()).Append(DatabaseRoles.GrantSchemaUsage()), plan.Statements.Take(6).Select(s => s.Sql));
        var grants = plan.Statements.Select(s => s.Sql).Where(s => s.StartsWith("GRANT ", System.StringComparison.Ordinal)).ToList();
        Assert.Contains("GRANT SELECT ON tenants TO narralytica_app;", grants);
        Assert.Contains("GRANT SELECT, INSERT, UPDATE, DELETE ON tenants TO narralytica_control;", grants);
        Assert.Contains("GRANT SELECT, INSERT ON notes TO narralytica_app;", grants);
        Assert.DoesNotContain(TenantIsolation.GrantAuditTable, grants);
        Assert.Empty(plan.Findings);
    }

    [Fact]
    public void The_statement_lint_finds_nothing_unsafe_in_grants_revokes_and_role_blocks()
    {
        var plan = SchemaDiffer.Diff(SchemaDiffer.Empty, Compile(notesAppendOnly: false));
        var revoke = SchemaDiffer.Diff(Compile(notesAppendOnly: false), Compile(notesAppendOnly: true));
        var text = MigrationFile.Render("0001_x.sql", plan.Changes, plan.Statements.Concat(revoke.Statements).Select(s => s.Sql)
            .Append(DatabaseRoles.RevokeSchemaUsage()), true, System.Array.Empty<LintFinding>());
        Assert.Empty(StatementLint.Lint(MigrationFile.Read("0001_x.sql", text)));
    }
}
