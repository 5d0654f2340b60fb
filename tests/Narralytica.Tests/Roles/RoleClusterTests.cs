using System;
using System.Linq;
using System.Threading.Tasks;
using LinqToDB.Async;
using Narralytica.Database.Drift;
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
/// they are missing and leave existing ones alone, and `roles create` makes the owner a LOGIN role and the lanes'
/// roles NOLOGIN (a lane that could log in is turned back, and drift reports it), idempotently, and makes the member
/// logins applications connect as.
/// </summary>
public sealed class RoleClusterTests : IAsyncLifetime
{
    private ThrowawayPostgres _server = null!;

    public async Task InitializeAsync() => _server = await ThrowawayPostgres.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Migrations_create_missing_roles_then_roles_create_gives_the_owner_login_and_turns_a_lane_that_could_log_in_back_to_nologin()
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
        Assert.Contains("narralytica_app exists with NOLOGIN and none of SUPERUSER, BYPASSRLS, CREATEDB, CREATEROLE, REPLICATION: unchanged", output);
        Assert.Contains("give each application a login of its own in its lane: roles create --login NAME=LANE (requests, control, worker, reader)", output);

        // A deployment from when the lanes were logged in as: drift names the lane, roles create turns it back.
        await PostgresFixture.ExecuteAsync(connection, "ALTER ROLE narralytica_worker LOGIN PASSWORD 'old-secret'");
        Assert.Equal(new[]
        {
            "attribute LOGIN on the role narralytica_worker: any member login may SET ROLE to it and change its password and the settings every session logging in as it starts with; " +
            "connect through member logins (narralytica roles create --login NAME=worker) and run narralytica roles create, which makes the lane roles NOLOGIN (or ALTER ROLE narralytica_worker NOLOGIN PASSWORD NULL)",
        }, await LaneLoginDriftAsync(connection));
        (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection);
        Assert.True(exit == 0, output + errors);
        Assert.Contains("updated narralytica_worker: NOLOGIN (password removed: a member could change a lane role's password and the settings of every session logging in as it; " +
                        "connect through member logins, roles create --login NAME=worker)", output);
        Assert.Empty(await LaneLoginDriftAsync(connection));

        (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection);
        Assert.True(exit == 0, output + errors);
        Assert.Contains("narralytica_owner exists with LOGIN, BYPASSRLS and none of SUPERUSER: unchanged", output);
        Assert.Contains("narralytica_worker exists with NOLOGIN and none of SUPERUSER, BYPASSRLS, CREATEDB, CREATEROLE, REPLICATION: unchanged", output);
        await AssertRoleAttributesAsync(connection);
    }

    [Fact]
    public async Task Roles_create_makes_member_logins_that_start_with_their_lanes_settings_and_connect_as_their_lane()
    {
        var connection = _server.ConnectionString(await CreateMigratedDatabaseAsync("logins"));
        await TestTenantKey.InstallAsync(connection);
        // A login that was in two lanes is brought back to one.
        await PostgresFixture.ExecuteAsync(connection, "CREATE ROLE web_app LOGIN IN ROLE narralytica_app, narralytica_reader");
        var (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection,
            "--login", "web_app=requests", "--login", "search_reader=reader", "--login", "ops=control", "--statement-timeout", "20s");
        Assert.True(exit == 0, output + errors);
        Assert.Contains("login web_app exists with LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT: unchanged", output);
        Assert.Contains("revoked membership of web_app in narralytica_reader: a member login belongs to one lane only", output);
        Assert.Contains("created login search_reader: LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT", output);
        Assert.Contains("granted narralytica_reader to search_reader: it connects as the reader lane", output);
        Assert.Contains("set web_app: statement_timeout 20s, lock_timeout 5s, idle_in_transaction_session_timeout 10s; search path in logins public, pg_catalog, pg_temp", output);
        // Every lane's logins get a bound on locks and idle transactions (a control plane's row lock on tenants, or a
        // reader's table lock, would otherwise stall every tenant or a migration); readers' statements stay unbounded.
        Assert.Contains("set search_reader: statement_timeout 0, lock_timeout 5s, idle_in_transaction_session_timeout 1min; search path in logins public, pg_catalog, pg_temp", output);
        Assert.Contains("set ops: statement_timeout 20s, lock_timeout 5s, idle_in_transaction_session_timeout 10s; search path in logins public, pg_catalog, pg_temp", output);
        Assert.Contains("connect each application as its login: web_app (requests), search_reader (reader), ops (control)", output);

        // Trust authentication: the login connects as itself, with its lane's settings; the lane's role cannot log in.
        var webApp = new NpgsqlConnectionStringBuilder(connection) { Username = "web_app", Pooling = false }.ConnectionString;
        Assert.Equal("20s 5s 10s public, pg_catalog, pg_temp narralytica_app", await ScalarAsync(webApp,
            "SELECT current_setting('statement_timeout') || ' ' || current_setting('lock_timeout') || ' ' || current_setting('idle_in_transaction_session_timeout') || ' ' || " +
            "current_setting('search_path') || ' ' || (SELECT string_agg(r.rolname, ',') FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid WHERE a.member = 'web_app'::regrole)"));
        Assert.Equal("0 5s 1min", await ScalarAsync(new NpgsqlConnectionStringBuilder(connection) { Username = "search_reader", Pooling = false }.ConnectionString,
            "SELECT current_setting('statement_timeout') || ' ' || current_setting('lock_timeout') || ' ' || current_setting('idle_in_transaction_session_timeout')"));
        Assert.Equal("20s 5s 10s", await ScalarAsync(new NpgsqlConnectionStringBuilder(connection) { Username = "ops", Pooling = false }.ConnectionString,
            "SELECT current_setting('statement_timeout') || ' ' || current_setting('lock_timeout') || ' ' || current_setting('idle_in_transaction_session_timeout')"));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(new NpgsqlConnectionStringBuilder(connection) { Username = "narralytica_app", Pooling = false }.ConnectionString, "SELECT 1"));
        Assert.Equal("28000", refused.SqlState); // role "narralytica_app" is not permitted to log in

        // The data layer's lanes run on member logins: the requests' lane reads under its tenant's proof.
        await using (var source = TestTenantKey.CreateDataSource(webApp))
        await using (var db = new NarralyticaDb(source))
            Assert.Empty(await db.ForTenant(Guid.CreateVersion7()).Videos.ToListAsync());

        (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection, "--login", "web_app=requests", "--login", "search_reader=reader", "--login", "ops=control", "--statement-timeout", "20s");
        Assert.True(exit == 0, output + errors);
        Assert.Contains("login search_reader exists with LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT: unchanged", output);
        Assert.DoesNotContain("granted", output.Replace("granted narralytica_owner CREATE", ""));

        // A login of the requests' lane nobody named is pointed out with what to run.
        await PostgresFixture.ExecuteAsync(connection, "CREATE ROLE batch_app LOGIN IN ROLE narralytica_app");
        (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection);
        Assert.True(exit == 0, output + errors);
        Assert.Contains("note: batch_app logs in as a member of narralytica_app without the lane's timeouts; name it (--login batch_app=requests) or run: " +
                        "ALTER ROLE batch_app SET statement_timeout = '30s';", output);
        Assert.DoesNotContain("note: web_app", output); // its own timeouts (20s) are its operator's choice

        foreach (var (option, message) in new[]
                 {
                     ("web_app", "--login web_app: write NAME=LANE, LANE one of requests, control, worker, reader"),
                     ("narralytica_app=requests", "a member login is a login of its own, not one of the data layer's roles"),
                 })
        {
            (exit, _, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection, "--login", option);
            Assert.Equal(1, exit);
            Assert.Contains(message, errors);
        }
    }

    [Fact]
    public async Task Roles_create_takes_large_objects_from_the_lanes_and_without_a_superuser_says_what_to_run()
    {
        var connection = _server.ConnectionString(await CreateMigratedDatabaseAsync("large_objects"));
        // A database where the migration could not: PUBLIC may create large objects again.
        await PostgresFixture.ExecuteAsync(connection, "GRANT EXECUTE ON FUNCTION lo_from_bytea(oid, bytea) TO PUBLIC");
        Assert.Contains(await DriftAsync(connection), d => d.Contains("large-object functions", StringComparison.Ordinal));
        await PostgresFixture.ExecuteAsync(connection, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'role_maker') THEN CREATE ROLE role_maker LOGIN CREATEROLE; END IF; END $$");
        var (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", new NpgsqlConnectionStringBuilder(connection) { Username = "role_maker" }.ConnectionString);
        Assert.True(exit == 0, output + errors);
        Assert.Contains("warning: the lanes may still create and write large objects in this database", output);
        Assert.Contains("REVOKE EXECUTE ON FUNCTION pg_catalog.lo_create(oid), pg_catalog.lo_creat(integer), pg_catalog.lo_from_bytea(oid,bytea)", output);

        (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection);
        Assert.True(exit == 0, output + errors);
        Assert.Contains("large objects in this database: EXECUTE on the functions that create or write one taken from PUBLIC; no lane may store one", output);
        Assert.DoesNotContain(await DriftAsync(connection), d => d.Contains("large-object functions", StringComparison.Ordinal));
        // The owner keeps what the migrations need: they create no large object, and the owner holds its grants as before.
        Assert.Equal(false, await ScalarAsync(connection, "SELECT has_function_privilege('narralytica_app', 'lo_from_bytea(oid, bytea)', 'EXECUTE')"));
    }

    private async Task<string> CreateMigratedDatabaseAsync(string name)
    {
        await using var dataSource = NpgsqlDataSource.Create(await _server.CreateDatabaseAsync(name));
        await new SchemaMigrator(dataSource).ApplyAsync();
        return name;
    }

    private static async Task<string[]> LaneLoginDriftAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return (await LaneLoginDrift.CompareAsync(connection)).Select(d => d.What).ToArray();
    }

    private static async Task<string[]> DriftAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var model = Narralytica.Schema.SchemaCompiler.Compile(RepositoryFiles.SchemaText).Model!;
        return (await SchemaDrift.CompareAsync(connection, model)).Differences.Select(d => d.What).ToArray();
    }

    private static async Task AssertRoleAttributesAsync(string connection)
    {
        Assert.Equal(4L, await ScalarAsync(connection,
            "SELECT count(*) FROM pg_roles WHERE rolname IN ('narralytica_app', 'narralytica_control', 'narralytica_worker', 'narralytica_reader') " +
            "AND NOT (rolcanlogin OR rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb OR rolreplication)"));
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
