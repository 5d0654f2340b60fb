using System.Threading.Tasks;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.RowSecurity;

/// <summary>`drift` knows the signed tenant's objects: the key table, its (absent) grants, the verifying function and the proof procedure.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TenantProofDriftTests : System.IDisposable
{
    private readonly PostgresFixture _postgres;
    private readonly RepositoryCopy _copy = new();

    public TenantProofDriftTests(PostgresFixture postgres) => _postgres = postgres;

    public void Dispose() => _copy.Dispose();

    [Fact]
    public async Task A_weakened_verifying_function_and_a_readable_key_table_are_drift_and_the_printed_sql_restores_them()
    {
        var connection = await DriftSql.MigratedAsync(_postgres, _copy);
        await PostgresFixture.ExecuteAsync(connection, """
            CREATE OR REPLACE FUNCTION narralytica_proven_tenant() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('narralytica.tenant_proof', true), '')::uuid $$;
            GRANT SELECT ON narralytica_tenant_keys TO narralytica_app;
            DROP PROCEDURE narralytica_set_tenant_proof(text);
            """);

        var output = await DriftSql.ReportAsync(_copy, connection);
        Assert.Contains("changed  function narralytica_proven_tenant: its definition differs from schema.yaml's", output);
        Assert.Contains("extra    privilege SELECT on narralytica_tenant_keys held by narralytica_app (only the owner may read the keys)", output);
        Assert.Contains("missing  procedure narralytica_set_tenant_proof", output);
        Assert.Contains("differs from schema.yaml in 3 way(s)", output);

        var sql = await DriftSql.ReadAsync(_copy, connection);
        Assert.Contains("REVOKE SELECT ON narralytica_tenant_keys FROM narralytica_app;", sql);
        await DriftSql.ReconcileAsync(_copy, connection, sql);
    }

    [Fact]
    public async Task A_missing_key_table_is_created_empty_before_the_function_that_reads_it()
    {
        var connection = await DriftSql.MigratedAsync(_postgres, _copy);
        await PostgresFixture.ExecuteAsync(connection, "DROP TABLE narralytica_tenant_keys");

        var output = await DriftSql.ReportAsync(_copy, connection);
        Assert.Contains("missing  table narralytica_tenant_keys", output);
        var sql = await DriftSql.ReadAsync(_copy, connection);
        Assert.StartsWith("CREATE TABLE narralytica_tenant_keys (", sql[0]);
        await DriftSql.ReconcileAsync(_copy, connection, sql);
    }
}
