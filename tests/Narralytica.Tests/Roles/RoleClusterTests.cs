using System.Threading.Tasks;
using Narralytica.DevServer;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Roles;

/// <summary>
/// Roles belong to the whole cluster, and the shared test cluster has them from its first schema on. These
/// tests need a cluster without them, so each starts one of its own: the migrations create the roles where
/// they are missing and leave existing ones alone, and `roles create` makes them LOGIN roles, idempotently.
/// </summary>
public sealed class RoleClusterTests : IAsyncLifetime
{
    private ThrowawayPostgres _server = null!;

    public async Task InitializeAsync() => _server = await ThrowawayPostgres.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Migrations_create_missing_roles_then_roles_create_gives_them_login_once()
    {
        Assert.Equal(0L, await ScalarAsync(_server.ConnectionString(), "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'narralytica_%'"));
        foreach (var database in new[] { "without_roles", "with_roles" })
        {
            await using var dataSource = NpgsqlDataSource.Create(await _server.CreateDatabaseAsync(database));
            await new SchemaMigrator(dataSource).ApplyAsync();
        }
        var connection = _server.ConnectionString("with_roles");
        Assert.Equal(2L, await ScalarAsync(connection, "SELECT count(*) FROM pg_roles WHERE rolname IN ('narralytica_owner', 'narralytica_app') AND NOT rolcanlogin"));
        Assert.Equal(true, await ScalarAsync(connection, "SELECT has_table_privilege('narralytica_app', 'segments', 'DELETE') AND NOT has_table_privilege('narralytica_app', 'layers', 'DELETE')"));

        var (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection);
        Assert.True(exit == 0, output + errors);
        Assert.Contains("updated narralytica_owner: LOGIN, BYPASSRLS", output); // a superuser runs it
        Assert.Contains("updated narralytica_app: LOGIN", output);

        (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection);
        Assert.True(exit == 0, output + errors);
        Assert.Contains("narralytica_owner exists with LOGIN, BYPASSRLS and none of SUPERUSER: unchanged", output);
        Assert.Contains("narralytica_app exists with LOGIN and none of SUPERUSER, BYPASSRLS, CREATEDB, CREATEROLE, REPLICATION: unchanged", output);
        await AssertRoleAttributesAsync(connection);
    }

    [Fact]
    public async Task Roles_create_makes_login_roles_with_passwords_and_refuses_a_user_without_createrole()
    {
        var connection = await _server.CreateDatabaseAsync("roles");
        await PostgresFixture.ExecuteAsync(connection, "CREATE ROLE powerless LOGIN");
        var (exit, _, errors) = await CommandLine.RunAsync("roles", "create", "--connection", new NpgsqlConnectionStringBuilder(connection) { Username = "powerless" }.ConnectionString);
        Assert.Equal(1, exit);
        Assert.Contains("User 'powerless' may not create roles (it has neither CREATEROLE nor SUPERUSER)", errors);

        (exit, var output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection, "--app-password", "app-secret");
        Assert.True(exit == 0, output + errors);
        Assert.Contains("created narralytica_owner: LOGIN NOSUPERUSER BYPASSRLS", output);
        Assert.Contains("created narralytica_app: LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION, password set", output);
        Assert.Contains("granted narralytica_owner CREATE on database roles, USAGE and CREATE on schema public", output);
        await AssertRoleAttributesAsync(connection);

        // Trust authentication: the new LOGIN role connects as itself.
        Assert.Equal("narralytica_app", await ScalarAsync(new NpgsqlConnectionStringBuilder(connection) { Username = "narralytica_app" }.ConnectionString, "SELECT current_user::text"));
    }

    [Fact]
    public async Task Without_a_superuser_the_owner_stays_bound_by_row_level_security_and_roles_create_says_so()
    {
        var connection = await _server.CreateDatabaseAsync("no_superuser");
        await PostgresFixture.ExecuteAsync(connection, "CREATE ROLE role_maker LOGIN CREATEROLE");
        var (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", new NpgsqlConnectionStringBuilder(connection) { Username = "role_maker" }.ConnectionString);
        Assert.True(exit == 0, output + errors);
        Assert.Contains("created narralytica_owner: LOGIN NOSUPERUSER\n", output.Replace("\r\n", "\n"));
        Assert.Contains("note: narralytica_owner is bound by row-level security (only a superuser can give it BYPASSRLS): data migrations that read or change " +
                        "tenant rows should set a signed proof of each tenant in narralytica.tenant_proof (TenantKey.Sign), or run as a superuser", output);
        Assert.Equal(false, await ScalarAsync(connection, "SELECT rolbypassrls FROM pg_roles WHERE rolname = 'narralytica_owner'"));
        Assert.Equal(false, await ScalarAsync(connection, "SELECT rolbypassrls FROM pg_roles WHERE rolname = 'narralytica_app'"));

        // A superuser later gives the owner BYPASSRLS; the application role never gets it.
        (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection);
        Assert.True(exit == 0, output + errors);
        Assert.Contains("updated narralytica_owner: BYPASSRLS", output);
        Assert.DoesNotContain("note:", output);
        await AssertRoleAttributesAsync(connection);
    }

    private static async Task AssertRoleAttributesAsync(string connection)
    {
        Assert.Equal(true, await ScalarAsync(connection,
            "SELECT rolcanlogin AND NOT (rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb) FROM pg_roles WHERE rolname = 'narralytica_app'"));
        Assert.Equal(true, await ScalarAsync(connection, "SELECT rolcanlogin AND NOT rolsuper AND rolbypassrls FROM pg_roles WHERE rolname = 'narralytica_owner'"));
        Assert.Equal(true, await ScalarAsync(connection, "SELECT has_database_privilege('narralytica_owner', current_database(), 'CREATE')"));
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await new NpgsqlCommand(sql, connection).ExecuteScalarAsync();
    }
}
