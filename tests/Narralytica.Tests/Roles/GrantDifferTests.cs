using System.Linq;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Migrations;
using Xunit;

namespace Narralytica.Tests.Roles;

/// <summary>The application role's grants in the fresh DDL, the snapshot and the differ (no database).</summary>
public sealed class GrantDifferTests
{
    private static SchemaModel Compile(bool notesAppendOnly) => NotesSchema.Compile(notesAppendOnly);

    [Fact]
    public void The_fresh_ddl_creates_the_roles_then_grants_usage_and_each_table_its_privileges()
    {
        var statements = DdlEmitter.Statements(SchemaWorkspace.Compile(RepositoryFiles.SchemaText));
        Assert.Equal(DatabaseRoles.CreateIfMissing().Append(DatabaseRoles.GrantSchemaUsage()), statements.Take(3));
        Assert.Contains("GRANT SELECT, INSERT, UPDATE, DELETE ON segments TO narralytica_app;", statements);
        foreach (var appendOnly in new[] { "layers", "audit_logs", "event_logs" })
            Assert.Contains($"GRANT SELECT, INSERT ON {appendOnly} TO narralytica_app;", statements);
        Assert.Contains(TenantIsolation.GrantAuditTable, statements); // the audit table of cross-tenant reads: SELECT, INSERT
        Assert.Equal(17, statements.Count(s => s.StartsWith("GRANT ", System.StringComparison.Ordinal)));
        Assert.DoesNotContain(statements, s => s.Contains("narralytica_schema_history"));
    }

    [Fact]
    public void Making_a_table_append_only_revokes_update_and_delete_without_a_finding()
    {
        var plan = SchemaDiffer.Diff(Compile(notesAppendOnly: false), Compile(notesAppendOnly: true));
        Assert.Equal(new[] { "REVOKE UPDATE, DELETE ON notes FROM narralytica_app;" }, plan.Statements.Select(s => s.Sql));
        Assert.Contains(plan.Changes, c => c.Description == "revoke UPDATE, DELETE on notes from narralytica_app (the table is append-only now)");
        Assert.Empty(plan.Findings);
    }

    [Fact]
    public void Making_a_table_no_longer_append_only_grants_update_and_delete_as_a_tenancy_finding()
    {
        var plan = SchemaDiffer.Diff(Compile(notesAppendOnly: true), Compile(notesAppendOnly: false));
        Assert.Equal(new[] { "GRANT UPDATE, DELETE ON notes TO narralytica_app;" }, plan.Statements.Select(s => s.Sql));
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
        var old = text.Replace("app_schema_usage: true\n", "").Replace("    app_privileges: [select, insert]\n", "").Replace("    app_privileges: [select, insert, update, delete]\n", "")
            .Replace("tenant_context: true\n", "").Replace("    row_security: true\n", "");
        var before = SnapshotReader.Read(old, "snapshot").Model;
        Assert.False(before.GrantsToApp);
        var plan = SchemaDiffer.Diff(before, model);
        Assert.Equal(DatabaseRoles.CreateIfMissing().Append(DatabaseRoles.GrantSchemaUsage()), plan.Statements.Take(3).Select(s => s.Sql));
        Assert.Equal(new[] { TenantIsolation.GrantAuditTable, "GRANT SELECT, INSERT, UPDATE, DELETE ON tenants TO narralytica_app;", "GRANT SELECT, INSERT ON notes TO narralytica_app;" },
            plan.Statements.Select(s => s.Sql).Where(s => s.StartsWith("GRANT ", System.StringComparison.Ordinal)));
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
