using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Migrations;
using Xunit;

namespace Narralytica.Tests.RowSecurity;

/// <summary>Row-level security in the fresh-database DDL (no database): the tenant context, then each tenant table's policies.</summary>
public sealed class RowSecurityDdlTests
{
    private static SchemaModel Repository => SchemaWorkspace.Compile(RepositoryFiles.SchemaText);

    [Fact]
    public void Schema_yaml_has_the_tenant_context_and_row_security_on_exactly_its_tenant_tables()
    {
        var model = Repository;
        Assert.True(model.TenantContext);
        Assert.True(model.TenantProof);
        Assert.All(model.Tables, t => Assert.Equal(t.IsTenantScoped, t.RowSecurity));
    }

    [Fact]
    public void The_tenant_context_follows_the_roles_and_comes_before_the_enums_and_tables()
    {
        var statements = DdlEmitter.Statements(Repository);
        Assert.Equal(
            new[]
            {
                """
                CREATE TABLE narralytica_cross_tenant_audits (
                    id uuid NOT NULL,
                    justification text NOT NULL,
                    database_user text NOT NULL DEFAULT session_user,
                    created_at timestamp with time zone NOT NULL DEFAULT now(),
                    expires_at timestamp with time zone NOT NULL,
                    CONSTRAINT pk_narralytica_cross_tenant_audits PRIMARY KEY (id),
                    CONSTRAINT ck_narralytica_cross_tenant_audits_justification CHECK (btrim(justification) <> '')
                );
                """.Replace("\r\n", "\n"),
                CallerLanes.CommentOnAuditTable,
                "CREATE PROCEDURE narralytica_set_tenant(tenant uuid) LANGUAGE sql AS $$ SELECT set_config('narralytica.tenant_id', coalesce(tenant::text, ''), true) $$;",
                "CREATE PROCEDURE narralytica_set_cross_tenant_audit(audit uuid) LANGUAGE sql AS $$ SELECT set_config('narralytica.cross_tenant_audit', coalesce(audit::text, ''), true) $$;",
                // plpgsql: it refuses a blank or overlong justification before it writes the row (its text: CallerLanes).
                CallerLanes.CreateFunction(CallerLanes.OpenReadFunction)[0],
                "REVOKE ALL ON FUNCTION narralytica_open_cross_tenant_read(text) FROM PUBLIC;",
                "GRANT EXECUTE ON FUNCTION narralytica_open_cross_tenant_read(text) TO narralytica_reader;",
            },
            statements.Skip(9).Take(7));
        Assert.Contains("LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = %I, pg_temp", statements.Skip(9).ElementAt(4));
        // No lane holds a privilege on the audit table: the readers' functions write and check it.
        Assert.DoesNotContain(statements, s => s.StartsWith("GRANT", System.StringComparison.Ordinal) && s.Contains(" ON narralytica_cross_tenant_audits ", System.StringComparison.Ordinal));
        // Then the signed tenant (the key table, the verifying function), which the tenant policies call.
        Assert.Equal(TenantProof.Create(), statements.Skip(19).Take(TenantProof.Create().Count));
        Assert.StartsWith("CREATE TYPE ", statements[19 + TenantProof.Create().Count]);
    }

    [Fact]
    public void Each_tenant_table_ends_with_row_security_enabled_forced_and_both_policies()
    {
        var statements = DdlEmitter.Statements(Repository).ToList();
        var grant = statements.IndexOf("GRANT SELECT ON segments TO narralytica_reader;");
        Assert.Equal(
            new[]
            {
                "ALTER TABLE segments ENABLE ROW LEVEL SECURITY;",
                "ALTER TABLE segments FORCE ROW LEVEL SECURITY;",
                "CREATE POLICY tenant_isolation ON segments USING (tenant_id = (SELECT narralytica_proven_tenant())) WITH CHECK (tenant_id = (SELECT narralytica_proven_tenant()));",
                "CREATE POLICY reader_cross_tenant_read ON segments FOR SELECT TO narralytica_reader USING ((SELECT narralytica_cross_tenant_read_allowed()));",
            },
            statements.Skip(grant + 1).Take(4));
        // The queue: the owner reads and changes every tenant's jobs inside the queue's functions only; the workers hold no policy of their own.
        Assert.Contains("CREATE POLICY queue_functions ON jobs TO narralytica_owner USING (current_setting('narralytica.queue_function', true) = 'on') " +
                        "WITH CHECK (current_setting('narralytica.queue_function', true) = 'on');", statements);
        Assert.Equal(1, statements.Count(s => s.StartsWith("CREATE POLICY queue_", System.StringComparison.Ordinal)));

        var model = Repository;
        Assert.Equal(model.Tables.Count(t => t.IsTenantScoped), statements.Count(s => s.StartsWith("CREATE POLICY tenant_isolation ", System.StringComparison.Ordinal)));
        Assert.Equal(model.Tables.Count(t => t.IsTenantScoped), statements.Count(s => s.StartsWith("CREATE POLICY reader_cross_tenant_read ", System.StringComparison.Ordinal)));
        Assert.DoesNotContain(statements, s => s.StartsWith("CREATE POLICY cross_tenant_read ", System.StringComparison.Ordinal)); // the application has no cross-tenant policy
        foreach (var global in model.Tables.Where(t => !t.IsTenantScoped))
            Assert.DoesNotContain(statements, s => s.Contains($" ON {global.Name} ", System.StringComparison.Ordinal) && s.Contains("POLICY", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Without_the_tenant_context_a_table_gets_the_tenant_policy_alone()
    {
        var model = Repository with { TenantContext = false, TenantProof = false };
        var statements = DdlEmitter.Statements(model);
        Assert.DoesNotContain(statements, s => s.Contains(TenantIsolation.AuditTable, System.StringComparison.Ordinal));
        Assert.DoesNotContain(statements, s => s.Contains("PROCEDURE", System.StringComparison.Ordinal));
        Assert.Contains(TenantIsolation.CreateTenantPolicy(model.FindTable("segments")!, signedTenant: false), statements);
    }
}
