using System.Linq;
using System.Threading.Tasks;
using Narralytica.Database.Drift;
using Narralytica.DevServer;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Roles;

/// <summary>
/// <c>roles create --stream-login</c> on a cluster of its own (roles are the cluster's): a login with REPLICATION that
/// is a member of narralytica_reader and of nothing else, made idempotently, and REPLICATION kept off the lanes' roles.
/// </summary>
public sealed class StreamLoginRolesTests : IAsyncLifetime
{
    private ThrowawayPostgres _server = null!;

    public async Task InitializeAsync() => _server = await ThrowawayPostgres.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Roles_create_makes_a_stream_login_with_replication_that_is_a_member_of_the_readers_role_only()
    {
        var connection = await _server.CreateDatabaseAsync("streams");
        await using (var dataSource = NpgsqlDataSource.Create(connection))
            await new SchemaMigrator(dataSource).ApplyAsync();
        // What a hand-made setup might have done: REPLICATION on the readers' role itself, the login in another lane too.
        await PostgresFixture.ExecuteAsync(connection, "ALTER ROLE narralytica_reader REPLICATION; CREATE ROLE search_stream LOGIN IN ROLE narralytica_app; " +
                                                       "CREATE ROLE leaky_worker LOGIN REPLICATION IN ROLE narralytica_worker");
        // Drift knows where REPLICATION does not belong.
        Assert.Equal(new[]
        {
            "attribute REPLICATION on the login leaky_worker, which acts as narralytica_worker: only the stream login, a member of narralytica_reader and of nothing else, holds it (ALTER ROLE leaky_worker NOREPLICATION, or take narralytica_worker from it)",
            "attribute REPLICATION on the role narralytica_reader: a lane's role never streams (its member logins do not inherit the attribute); give it to a stream login instead (narralytica roles create --stream-login NAME, which also takes it off the role)",
        }, await ReplicationDriftAsync(connection));

        var (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection, "--stream-login", "search_stream", "--stream-password", "s3cret");
        Assert.True(exit == 0, output + errors);
        Assert.Contains("updated narralytica_reader: NOREPLICATION", output);
        Assert.Contains("updated stream login search_stream: REPLICATION, password set", output);
        Assert.Contains("revoked membership of search_stream in narralytica_app: the stream login is a member of narralytica_reader only", output);
        Assert.Contains("granted narralytica_reader to search_stream", output);
        Assert.Contains("; change streams as search_stream.", output);
        // A reader's bounds: an idle snapshot transaction cannot keep a migration waiting for longer than a minute.
        Assert.Contains("set search_stream: statement_timeout 0, lock_timeout 5s, idle_in_transaction_session_timeout 1min", output);
        Assert.Equal("{statement_timeout=0,lock_timeout=5s,idle_in_transaction_session_timeout=1min}", await ScalarAsync(connection,
            "SELECT setconfig::text FROM pg_db_role_setting WHERE setdatabase = 0 AND setrole = 'search_stream'::regrole"));
        Assert.Equal(true, await ScalarAsync(connection,
            "SELECT rolcanlogin AND rolreplication AND NOT (rolsuper OR rolbypassrls OR rolcreatedb OR rolcreaterole) FROM pg_roles WHERE rolname = 'search_stream'"));
        Assert.Equal("narralytica_reader", await ScalarAsync(connection,
            "SELECT string_agg(r.rolname, ',') FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid WHERE a.member = 'search_stream'::regrole"));
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'narralytica_%' AND rolreplication"));
        // The stream login is where REPLICATION belongs: drift names only the worker's login now.
        Assert.Equal(new[] { "leaky_worker" }, (await ReplicationDriftAsync(connection)).Select(d => d.Split(' ')[5].TrimEnd(',')));

        (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection, "--stream-login", "search_stream");
        Assert.True(exit == 0, output + errors);
        Assert.Contains("stream login search_stream exists with LOGIN REPLICATION NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE: unchanged", output);
        Assert.DoesNotContain("granted narralytica_reader", output);
    }

    [Fact]
    public async Task The_stream_login_is_not_a_lane_role_and_needs_a_superuser()
    {
        var connection = await _server.CreateDatabaseAsync("refusals");
        var (exit, _, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection, "--stream-login", "narralytica_reader");
        Assert.Equal(1, exit);
        Assert.Contains("--stream-login narralytica_reader: the stream login is a login of its own, not one of the data layer's roles", errors);

        await PostgresFixture.ExecuteAsync(connection, "CREATE ROLE role_maker LOGIN CREATEROLE");
        var roleMaker = new NpgsqlConnectionStringBuilder(connection) { Username = "role_maker" }.ConnectionString;
        (exit, _, errors) = await CommandLine.RunAsync("roles", "create", "--connection", roleMaker, "--stream-login", "search_stream");
        Assert.Equal(1, exit);
        Assert.Contains("only a superuser may give a role REPLICATION on PostgreSQL 15", errors);
        Assert.Contains("rds_replication", errors);
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM pg_roles WHERE rolname = 'search_stream'"));
    }

    private static async Task<string[]> ReplicationDriftAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return (await ReplicationDrift.CompareAsync(connection)).Select(d => d.What).ToArray();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await new NpgsqlCommand(sql, connection).ExecuteScalarAsync();
    }
}
