using System.Linq;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Migrations;
using Xunit;

namespace Narralytica.Tests.RowSecurity;

/// <summary>Row-level security in the differ, the snapshot and the statement lint (no database).</summary>
public sealed class RowSecurityDifferTests
{
    private static readonly string Schema = NotesSchema.Text();

    private static readonly SchemaModel Model = NotesSchema.Compile();

    private static Table Notes => Model.FindTable("notes")!;

    private static readonly string[] EnableNotes =
    {
        "ALTER TABLE notes ENABLE ROW LEVEL SECURITY;",
        "ALTER TABLE notes FORCE ROW LEVEL SECURITY;",
        "CREATE POLICY tenant_isolation ON notes USING (tenant_id = (SELECT narralytica_proven_tenant())) WITH CHECK (tenant_id = (SELECT narralytica_proven_tenant()));",
        "CREATE POLICY reader_cross_tenant_read ON notes FOR SELECT TO narralytica_reader USING ((SELECT narralytica_cross_tenant_read_allowed()));",
    };

    /// <summary>The tenant policy of a schema from before signed tenants: the plain setting.</summary>
    private const string PlainTenantPolicy =
        "CREATE POLICY tenant_isolation ON notes USING (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid));";

    private static SchemaModel WithRowSecurity(SchemaModel model, string table, bool on)
        => model with { Tables = model.Tables.Select(t => t.Name == table ? t with { RowSecurity = on } : t).ToEquatableArray() };

    private static SchemaModel WithoutIsolation(SchemaModel model)
        => model with { TenantContext = false, TenantProof = false, Tables = model.Tables.Select(t => t with { RowSecurity = false }).ToEquatableArray() };

    private static string Render(MigrationPlan plan)
        => MigrationFile.Render("0002_x.sql", plan.Changes, plan.StatementsOf(MigrationStage.Main), true, plan.Findings.ToList());

    [Fact]
    public void Adding_row_security_creates_the_tenant_context_first_and_enables_each_tenant_table_last()
    {
        var plan = SchemaDiffer.Diff(WithoutIsolation(Model), Model);
        Assert.Equal(TenantIsolation.CreateContext(grantToApp: true, lanes: true).Concat(TenantProof.Create()).Concat(EnableNotes), plan.Statements.Select(s => s.Sql));
        Assert.Equal(new[]
        {
            "create the tenant context: table narralytica_cross_tenant_audits, procedures narralytica_set_tenant and narralytica_set_cross_tenant_audit, " +
            "functions narralytica_open_cross_tenant_read and narralytica_cross_tenant_read_allowed",
            "create the signed tenant: table narralytica_tenant_keys, function narralytica_proven_tenant, procedure narralytica_set_tenant_proof (extension pgcrypto)",
            "enable row-level security on notes (policies tenant_isolation, reader_cross_tenant_read)",
        }, plan.Changes.Select(c => c.Description));
        Assert.Empty(plan.Findings);
        Assert.Empty(StatementLint.Lint(MigrationFile.Read("0002_x.sql", Render(plan))));
    }

    [Fact]
    public void Turning_row_security_off_drops_the_policies_then_unforces_and_disables_as_a_tenancy_finding()
    {
        var plan = SchemaDiffer.Diff(Model, WithRowSecurity(Model, "notes", on: false));
        Assert.Equal(new[]
        {
            "DROP POLICY reader_cross_tenant_read ON notes;",
            "DROP POLICY tenant_isolation ON notes;",
            "ALTER TABLE notes NO FORCE ROW LEVEL SECURITY;",
            "ALTER TABLE notes DISABLE ROW LEVEL SECURITY;",
        }, plan.Statements.Select(s => s.Sql));
        var finding = Assert.Single(plan.Findings);
        Assert.Equal("NARR3032", finding.Rule.Id);
        Assert.Equal(LintCategory.Tenancy, finding.Category);
        Assert.Contains("row-level security is turned off on 'notes'", finding.Message);

        var text = Render(plan);
        Assert.Contains("--   disable row-level security on notes (drop its policies)", text);
        Assert.Contains("-- narralytica:allow tenancy", text);
        var file = MigrationFile.Read("0002_x.sql", text);
        var lint = StatementLint.Lint(file);
        Assert.Equal(new[] { "NARR3032", "NARR3032" }, lint.Select(f => f.Rule.Id)); // NO FORCE and DISABLE; dropping a permissive policy only narrows
        Assert.All(lint, f => Assert.Contains(f.Rule.Category, file.Allowed));

        var back = SchemaDiffer.Diff(WithRowSecurity(Model, "notes", on: false), Model);
        Assert.Equal(EnableNotes, back.Statements.Select(s => s.Sql));
        Assert.Empty(back.Findings);
    }

    [Fact]
    public void Dropping_the_tenant_context_drops_the_escape_hatch_policies_first_and_the_audit_table_as_destructive()
    {
        var plan = SchemaDiffer.Diff(Model, Model with { TenantContext = false });
        Assert.Equal(new[]
        {
            "DROP POLICY reader_cross_tenant_read ON notes;",
            "DROP FUNCTION narralytica_open_cross_tenant_read(text);",
            "DROP FUNCTION narralytica_cross_tenant_read_allowed();",
            "DROP PROCEDURE narralytica_set_tenant(uuid);",
            "DROP PROCEDURE narralytica_set_cross_tenant_audit(uuid);",
            "DROP TABLE narralytica_cross_tenant_audits;",
        }, plan.Statements.Select(s => s.Sql));
        var finding = Assert.Single(plan.Findings);
        Assert.Equal("NARR3001", finding.Rule.Id);
        Assert.Contains("narralytica_cross_tenant_audits", finding.Message);
        var file = MigrationFile.Read("0002_x.sql", Render(plan));
        Assert.Equal(new[] { LintCategory.Destructive }, file.Allowed);
        Assert.All(StatementLint.Lint(file), f => Assert.Equal(LintCategory.Destructive, f.Rule.Category));

        // And back: the context before anything, the escape hatch's policy after everything.
        var back = SchemaDiffer.Diff(Model with { TenantContext = false }, Model).Statements.Select(s => s.Sql).ToList();
        Assert.Equal(TenantIsolation.CreateContext(grantToApp: true, lanes: true).Append(CallerLanes.CreateReaderReadPolicy(Notes)), back);
    }

    [Fact]
    public void A_new_tenant_table_gets_row_security_with_its_creation_and_a_dropped_one_needs_no_drop_policy()
    {
        var withoutNotes = NotesSchema.WithoutNotes();
        var added = SchemaDiffer.Diff(withoutNotes, Model);
        var statements = added.Statements.Select(s => s.Sql).ToList();
        var grant = statements.IndexOf("GRANT SELECT ON notes TO narralytica_reader;");
        Assert.Equal(EnableNotes, statements.Skip(grant + 1).Take(4));
        Assert.DoesNotContain(statements, s => s.Contains(TenantIsolation.AuditTable + " (", System.StringComparison.Ordinal)); // the context exists already
        Assert.DoesNotContain(added.Changes, c => c.Description.StartsWith("enable row-level security", System.StringComparison.Ordinal));

        Assert.Equal(new[] { "DROP TABLE notes;" }, SchemaDiffer.Diff(Model, withoutNotes).Statements.Select(s => s.Sql));
    }

    [Fact]
    public void A_renamed_table_keeps_its_policies_and_a_table_made_global_loses_them_before_its_tenant_id()
    {
        var renamed = SchemaWorkspace.Compile(Schema.Replace("  notes:\n", "  memos:\n    renamed_from: notes\n"));
        Assert.Equal(new[] { "ALTER TABLE notes RENAME TO memos;" }, SchemaDiffer.Diff(Model, renamed).Statements.Select(s => s.Sql).Where(s => !s.Contains("CONSTRAINT") && !s.StartsWith("ALTER INDEX", System.StringComparison.Ordinal)));

        var global = SchemaDiffer.Diff(Model, SchemaWorkspace.Compile(Schema.Replace("scope: tenant", "scope: global")));
        var statements = global.Statements.Select(s => s.Sql).ToList();
        var disabled = statements.IndexOf("ALTER TABLE notes DISABLE ROW LEVEL SECURITY;");
        Assert.True(disabled >= 0 && disabled < statements.IndexOf("ALTER TABLE notes DROP COLUMN tenant_id;"), string.Join("\n", statements));
        Assert.Contains(global.Findings, f => f.Rule.Id == "NARR3030");
        Assert.DoesNotContain(global.Findings, f => f.Rule.Id == "NARR3032"); // the scope change says it

        var tenant = SchemaDiffer.Diff(SchemaWorkspace.Compile(Schema.Replace("scope: tenant", "scope: global")), Model).Statements.Select(s => s.Sql).ToList();
        Assert.True(tenant.IndexOf(EnableNotes[0]) > tenant.FindIndex(s => s.StartsWith("ALTER TABLE notes ADD COLUMN tenant_id", System.StringComparison.Ordinal)), string.Join("\n", tenant));
    }

    [Fact]
    public void Row_security_on_a_model_without_the_tenant_context_has_the_tenant_policy_alone()
    {
        var tenantOnly = Model with { TenantContext = false, TenantProof = false, GuardedSessions = false, GuardedLargeObjects = false, GuardedSchemaCreate = false };
        var plan = SchemaDiffer.Diff(WithoutIsolation(Model), tenantOnly);
        Assert.Equal(EnableNotes.Take(2).Append(PlainTenantPolicy), plan.Statements.Select(s => s.Sql));
        Assert.Equal("enable row-level security on notes (policies tenant_isolation)", Assert.Single(plan.Changes).Description);
        Assert.Equal(EnableNotes.Take(2).Append(PlainTenantPolicy), DdlEmitter.Statements(tenantOnly).SkipWhile(s => !s.StartsWith("ALTER TABLE notes", System.StringComparison.Ordinal)));
    }

    [Fact]
    public void The_snapshot_records_the_flags_and_an_old_snapshot_without_them_means_no_row_security()
    {
        var text = SnapshotWriter.Write(Model, new SnapshotHeader("0001_a.sql", new string('0', 64)));
        Assert.Contains("\ntenant_context: true\n", text);
        Assert.Contains("\ntenant_proof: true\n", text);
        Assert.Contains("    reader_privileges: [select]\n    row_security: true\n", text);
        Assert.Equal(1, text.Split('\n').Count(l => l.Trim() == "row_security: true")); // tenants is global
        var read = SnapshotReader.Read(text, "snapshot").Model;
        Assert.True(read.TenantContext);
        Assert.Equal(Model.Tables.Select(t => t.RowSecurity), read.Tables.Select(t => t.RowSecurity));
        Assert.True(SchemaDiffer.Diff(read, Model).IsEmpty);

        var old = SnapshotReader.Read(text.Replace("tenant_context: true\n", "").Replace("tenant_proof: true\n", "").Replace("    row_security: true\n", ""), "snapshot").Model;
        Assert.False(old.TenantContext);
        Assert.False(old.TenantProof);
        Assert.All(old.Tables, t => Assert.False(t.RowSecurity));
        Assert.Equal(TenantIsolation.CreateContext(grantToApp: true, lanes: true).Concat(TenantProof.Create()).Concat(EnableNotes), SchemaDiffer.Diff(old, Model).Statements.Select(s => s.Sql));

        // A snapshot from before signed tenants: its tenant policies are made again with the proven tenant.
        var unsigned = SnapshotReader.Read(text.Replace("tenant_proof: true\n", ""), "snapshot").Model;
        Assert.False(unsigned.TenantProof);
        Assert.Equal(TenantProof.Create().Append("DROP POLICY tenant_isolation ON notes;").Append(EnableNotes[2]), SchemaDiffer.Diff(unsigned, Model).Statements.Select(s => s.Sql));
    }

    [Theory]
    [InlineData("DROP POLICY tenant_isolation ON notes;", null)]
    [InlineData("DROP POLICY IF EXISTS cross_tenant_read ON notes;", null)]
    [InlineData("CREATE POLICY tenant_isolation ON notes USING (true);", null)]
    [InlineData("DROP POLICY handmade ON notes;", "NARR3001")]
    [InlineData("CREATE POLICY everyone ON notes USING (true);", "NARR3032")]
    [InlineData("ALTER POLICY tenant_isolation ON notes USING (true);", "NARR3032")]
    [InlineData("ALTER TABLE notes DISABLE ROW LEVEL SECURITY;", "NARR3032")]
    [InlineData("ALTER TABLE notes NO FORCE ROW LEVEL SECURITY;", "NARR3032")]
    [InlineData("ALTER TABLE notes ENABLE ROW LEVEL SECURITY;", null)]
    [InlineData("DROP PROCEDURE narralytica_set_tenant(uuid);", "NARR3001")]
    [InlineData("CREATE POLICY queue_claim ON notes FOR SELECT TO narralytica_worker USING (true);", null)]
    public void The_statement_lint_knows_which_row_security_statements_weaken_isolation(string sql, string? rule)
    {
        var findings = StatementLint.Lint(MigrationFile.Read("0002_x.sql", "-- hand-written\n\n" + sql + "\n"));
        Assert.Equal(rule is null ? System.Array.Empty<string>() : new[] { rule }, findings.Select(f => f.Rule.Id));
    }
}
