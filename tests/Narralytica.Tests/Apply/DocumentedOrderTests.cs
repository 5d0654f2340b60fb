using System.Threading.Tasks;
using Narralytica.DevServer;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Apply;

/// <summary>
/// The order docs/tenant-safety.md gives for a new server: a superuser runs `roles create` (which takes EXECUTE on the
/// large-object functions from PUBLIC), then `migrations apply` runs as narralytica_owner, which is no superuser. The
/// roles belong to the whole server, so the test starts one of its own.
/// </summary>
public sealed class DocumentedOrderTests : IAsyncLifetime
{
    private const string OwnerPassword = "owner-secret";

    private ThrowawayPostgres _server = null!;

    public async Task InitializeAsync() => _server = await ThrowawayPostgres.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Roles_create_by_a_superuser_then_every_migration_applies_as_the_owner_and_no_lane_may_store_a_large_object()
    {
        var superuser = await _server.CreateDatabaseAsync("app");
        var (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", superuser, "--owner-password", OwnerPassword,
            "--login", "web_app=requests");
        Assert.True(exit == 0, output + errors);
        Assert.Contains("large objects in this database: EXECUTE on the functions that create or write one taken from PUBLIC", output);
        // The database is the owner's, as the documentation asks (PostgreSQL 15 makes its owner the owner of public).
        await PostgresFixture.ExecuteAsync(superuser, "ALTER DATABASE app OWNER TO narralytica_owner");

        var owner = new NpgsqlConnectionStringBuilder(superuser) { Username = "narralytica_owner", Password = OwnerPassword }.ConnectionString;
        Assert.Equal(false, await ScalarAsync(owner, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
        (exit, output, errors) = await CommandLine.RunAsync("migrations", "apply", "--connection", owner, "--schema", RepositoryFiles.SchemaPath);
        Assert.True(exit == 0, output + errors);
        Assert.Matches(@"0015_guard_large_objects\.sql … done in \d+ ms", output);
        Assert.Equal(true, await ScalarAsync(owner, "SELECT bool_and(applied_by = 'narralytica_owner') AND count(*) > 0 FROM narralytica_schema_history"));

        (exit, output, errors) = await CommandLine.RunAsync("migrations", "status", "--connection", owner, "--schema", RepositoryFiles.SchemaPath);
        Assert.True(exit == 0, output + errors);
        Assert.Contains("Up to date", output);

        // The guard holds: no lane may execute a large-object function, and the weakest login that could try, a member
        // of the requests' lane only, is refused.
        Assert.Equal(false, await ScalarAsync(superuser, $"SELECT {LargeObjectGuards.LaneMayExecuteCondition()}"));
        var webApp = new NpgsqlConnectionStringBuilder(superuser) { Username = "web_app", Pooling = false }.ConnectionString;
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(webApp, "SELECT lo_from_bytea(0, 'x')"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Equal(0L, await ScalarAsync(superuser, "SELECT count(*) FROM pg_largeobject_metadata"));
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return await new NpgsqlCommand(sql, connection).ExecuteScalarAsync();
    }
}
