using System.Threading.Tasks;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Roles;

/// <summary>`drift` compares the application role's privileges too, and its SQL puts them back.</summary>
[Collection(PostgresCollection.Name)]
public sealed class GrantDriftTests : System.IDisposable
{
    private readonly PostgresFixture _postgres;
    private readonly RepositoryCopy _copy = new();

    public GrantDriftTests(PostgresFixture postgres) => _postgres = postgres;

    public void Dispose() => _copy.Dispose();

    [Fact]
    public async Task A_revoked_or_extra_grant_is_drift_and_the_printed_sql_reconciles_it()
    {
        var connection = await DriftSql.MigratedAsync(_postgres, _copy);
        await PostgresFixture.ExecuteAsync(connection,
            "REVOKE INSERT ON videos FROM narralytica_app; GRANT UPDATE, TRUNCATE ON layers TO narralytica_app; REVOKE USAGE ON SCHEMA public FROM narralytica_app");

        var output = await DriftSql.ReportAsync(_copy, connection);
        Assert.Contains("missing  privilege INSERT on videos for narralytica_app", output);
        Assert.Contains("extra    privilege UPDATE, TRUNCATE on layers held by narralytica_app", output);
        Assert.Contains("missing  privilege USAGE on the schema for narralytica_app", output);

        var sql = await DriftSql.ReadAsync(_copy, connection);
        Assert.Contains("GRANT INSERT ON videos TO narralytica_app;", sql);
        Assert.Contains("REVOKE UPDATE, TRUNCATE ON layers FROM narralytica_app;", sql);

        await DriftSql.ReconcileAsync(_copy, connection, sql);
    }

    [Fact]
    public async Task Column_grants_on_the_queue_are_compared_too()
    {
        var connection = await DriftSql.MigratedAsync(_postgres, _copy);
        // The workers' UPDATE of the queue table (in their job's tenant) taken away, a column of it handed back on its
        // own, and a column grant to a lane that schema.yaml never grants one to.
        await PostgresFixture.ExecuteAsync(connection,
            "REVOKE UPDATE ON jobs FROM narralytica_worker; GRANT UPDATE (status) ON jobs TO narralytica_worker; GRANT UPDATE (tenant_id) ON videos TO narralytica_reader");

        var output = await DriftSql.ReportAsync(_copy, connection);
        Assert.Contains("missing  privilege UPDATE on jobs for narralytica_worker", output);
        Assert.Contains("extra    privilege UPDATE (status) on jobs held by narralytica_worker", output);
        Assert.Contains("column privilege UPDATE on videos.tenant_id held by narralytica_reader", output);

        var sql = await DriftSql.ReadAsync(_copy, connection);
        Assert.Contains("GRANT UPDATE ON jobs TO narralytica_worker;", sql);
        Assert.Contains("REVOKE UPDATE (status) ON jobs FROM narralytica_worker;", sql);
    }
}
