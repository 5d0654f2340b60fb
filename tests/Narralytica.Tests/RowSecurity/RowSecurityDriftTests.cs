using System.Threading.Tasks;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.RowSecurity;

/// <summary>`drift` compares row-level security, the policies and the tenant context piece by piece, and its SQL puts them back.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RowSecurityDriftTests : System.IDisposable
{
    private readonly PostgresFixture _postgres;
    private readonly RepositoryCopy _copy = new();

    public RowSecurityDriftTests(PostgresFixture postgres) => _postgres = postgres;

    public void Dispose() => _copy.Dispose();

    private Task<string> MigratedAsync() => DriftSql.MigratedAsync(_postgres, _copy);

    [Fact]
    public async Task Disabled_row_security_and_a_dropped_policy_are_drift_and_the_printed_sql_restores_exactly_them()
    {
        var connection = await MigratedAsync();
        await PostgresFixture.ExecuteAsync(connection,
            "ALTER TABLE videos DISABLE ROW LEVEL SECURITY; DROP POLICY tenant_isolation ON segments; ALTER TABLE speakers NO FORCE ROW LEVEL SECURITY");

        var output = await DriftSql.ReportAsync(_copy, connection);
        Assert.Contains("missing  row-level security on videos", output);
        Assert.Contains("missing  policy tenant_isolation on segments", output);
        Assert.Contains("missing  forced row-level security on speakers", output);
        Assert.Contains("differs from schema.yaml in 3 way(s)", output);

        var sql = await DriftSql.ReadAsync(_copy, connection);
        Assert.Equal(new[]
        {
            "CREATE POLICY tenant_isolation ON segments USING (tenant_id = (SELECT narralytica_proven_tenant())) WITH CHECK (tenant_id = (SELECT narralytica_proven_tenant()));",
            "ALTER TABLE speakers FORCE ROW LEVEL SECURITY;",
            "ALTER TABLE videos ENABLE ROW LEVEL SECURITY;",
        }, sql);
        await DriftSql.ReconcileAsync(_copy, connection, sql);
    }

    [Fact]
    public async Task A_policy_changed_or_made_by_hand_and_a_tampered_tenant_context_are_drift()
    {
        var connection = await MigratedAsync();
        await PostgresFixture.ExecuteAsync(connection, """
            ALTER POLICY reader_cross_tenant_read ON layers USING (true);
            CREATE POLICY everyone ON jobs USING (true);
            GRANT UPDATE, DELETE ON narralytica_cross_tenant_audits TO narralytica_app;
            GRANT INSERT ON tenants TO narralytica_app;
            GRANT EXECUTE ON FUNCTION narralytica_open_cross_tenant_read(text) TO narralytica_app;
            REVOKE USAGE ON SCHEMA public FROM narralytica_worker;
            CREATE OR REPLACE PROCEDURE narralytica_set_tenant(tenant uuid) LANGUAGE sql AS $$ SELECT set_config('narralytica.tenant_id', '', true) $$;
            DROP PROCEDURE narralytica_set_cross_tenant_audit(uuid);
            """);

        var output = await DriftSql.ReportAsync(_copy, connection);
        Assert.Contains("changed  policy reader_cross_tenant_read on layers: its USING condition differs from schema.yaml's", output);
        Assert.Contains("extra    privilege INSERT on tenants held by narralytica_app", output);
        Assert.Contains("changed  function narralytica_open_cross_tenant_read: its definition differs from schema.yaml's", output);
        Assert.Contains("missing  privilege USAGE on the schema for narralytica_worker", output);
        Assert.Contains("extra    policy everyone on jobs", output);
        Assert.Contains("extra    privilege UPDATE, DELETE on narralytica_cross_tenant_audits held by narralytica_app", output);
        Assert.Contains("changed  procedure narralytica_set_tenant: its definition differs from schema.yaml's", output);
        Assert.Contains("missing  procedure narralytica_set_cross_tenant_audit", output);

        var sql = await DriftSql.ReadAsync(_copy, connection);
        Assert.Contains("DROP POLICY everyone ON jobs;", sql);
        Assert.Contains("REVOKE UPDATE, DELETE ON narralytica_cross_tenant_audits FROM narralytica_app;", sql);
        // The changed policy is dropped before and created after the rest.
        Assert.True(sql.IndexOf("DROP POLICY reader_cross_tenant_read ON layers;") < sql.FindIndex(s => s.StartsWith("CREATE POLICY reader_cross_tenant_read ON layers ", System.StringComparison.Ordinal)));
        Assert.Contains("REVOKE INSERT ON tenants FROM narralytica_app;", sql);
        await DriftSql.ReconcileAsync(_copy, connection, sql);
    }

    [Fact]
    public async Task A_database_without_the_tenant_context_gets_it_before_the_policies_that_read_it()
    {
        var connection = await MigratedAsync();
        await PostgresFixture.ExecuteAsync(connection, "DROP TABLE narralytica_cross_tenant_audits CASCADE; DROP TABLE pipeline_checkpoints");

        var output = await DriftSql.ReportAsync(_copy, connection);
        Assert.Contains("missing  table narralytica_cross_tenant_audits (the record of cross-tenant reads)", output);
        Assert.DoesNotContain("privilege SELECT, INSERT on narralytica_cross_tenant_audits", output); // no lane holds any
        Assert.DoesNotContain("policy reader_cross_tenant_read", output); // it calls the readers' function, which stays
        Assert.Contains("missing  table pipeline_checkpoints", output);

        var sql = await DriftSql.ReadAsync(_copy, connection);
        Assert.StartsWith("CREATE TABLE narralytica_cross_tenant_audits (", sql[0]);
        await DriftSql.ReconcileAsync(_copy, connection, sql);
    }
}
