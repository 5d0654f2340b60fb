using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Narralytica.DevServer;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Roles;

/// <summary>
/// The timeouts <c>roles create</c> gives the member logins of the lanes that serve requests and workers, on a cluster
/// of its own (roles belong to the cluster): present after it runs, overridden option by option, and what they do to a
/// session of a requests' login that holds a table lock in an idle transaction, and to one that waits behind it.
/// </summary>
public sealed class RoleTimeoutTests : IAsyncLifetime
{
    private ThrowawayPostgres _server = null!;

    public async Task InitializeAsync() => _server = await ThrowawayPostgres.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Roles_create_sets_the_request_timeouts_on_each_login_it_names_and_takes_each_override_0_disabling()
    {
        var connection = await _server.CreateDatabaseAsync("timeouts");
        var (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection, "--login", "web_app=requests", "--login", "jobs_app=worker");
        Assert.True(exit == 0, output + errors);
        Assert.Contains("set web_app: statement_timeout 30s, lock_timeout 5s, idle_in_transaction_session_timeout 10s", output);
        Assert.Contains("set jobs_app: statement_timeout 30s, lock_timeout 5s, idle_in_transaction_session_timeout 10s", output);
        Assert.Equal("{statement_timeout=30s,lock_timeout=5s,idle_in_transaction_session_timeout=10s}", await LoginSettingsAsync(connection, "web_app"));
        Assert.Equal("30s 5s 10s", await ScalarAsync(AsApp(connection),
            "SELECT current_setting('statement_timeout') || ' ' || current_setting('lock_timeout') || ' ' || current_setting('idle_in_transaction_session_timeout')"));
        // The lane's role itself has none: nobody logs in as it.
        Assert.Null(await ScalarAsync(connection, "SELECT setconfig::text FROM pg_db_role_setting WHERE setdatabase = 0 AND setrole = 'narralytica_app'::regrole"));

        // A login that is only a member of the role, not named, starts without the timeouts: it is named, with what to run.
        await PostgresFixture.ExecuteAsync(connection, "CREATE ROLE service_login LOGIN IN ROLE narralytica_app");
        (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection, "--login", "web_app=requests",
            "--statement-timeout", "0", "--lock-timeout", "250ms", "--idle-in-transaction-timeout", "2m");
        Assert.True(exit == 0, output + errors);
        Assert.Equal("{statement_timeout=0,lock_timeout=250ms,idle_in_transaction_session_timeout=2min}", await LoginSettingsAsync(connection, "web_app"));
        Assert.Equal("0", await ScalarAsync(AsApp(connection), "SELECT current_setting('statement_timeout')"));
        Assert.Contains("note: service_login logs in as a member of narralytica_app without the lane's timeouts; name it (--login service_login=requests) or run: " +
                        "ALTER ROLE service_login SET statement_timeout = '0';", output);

        (exit, _, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection, "--lock-timeout", "5");
        Assert.Equal(1, exit);
        Assert.Contains("--lock-timeout 5: write 0 (no limit) or a duration such as 500ms, 5s or 2m", errors);
    }

    [Fact]
    public async Task An_idle_transaction_holding_a_table_lock_is_ended_and_a_statement_waiting_behind_it_gives_up_with_lock_not_available()
    {
        var connection = await _server.CreateDatabaseAsync("held");
        await using (var dataSource = NpgsqlDataSource.Create(connection))
            await new SchemaMigrator(dataSource).ApplyAsync();
        var (exit, output, errors) = await CommandLine.RunAsync("roles", "create", "--connection", connection, "--login", "web_app=requests",
            "--lock-timeout", "300ms", "--idle-in-transaction-timeout", "3s");
        Assert.True(exit == 0, output + errors);

        // The waiter connects first: on a loaded machine, connecting after the lock could take longer than the idle
        // timeout, and the lock would be gone before its statement arrives.
        await using var waiter = new NpgsqlConnection(AsApp(connection));
        await waiter.OpenAsync();
        await using var holder = new NpgsqlConnection(AsApp(connection));
        await holder.OpenAsync();
        var transaction = await holder.BeginTransactionAsync();
        await new NpgsqlCommand("LOCK TABLE segments IN ACCESS EXCLUSIVE MODE", holder, transaction).ExecuteNonQueryAsync();
        var idle = Stopwatch.StartNew();

        // Every other session's statement on the table waits, and gives up after lock_timeout rather than queue.
        var clock = Stopwatch.StartNew();
        var waiting = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand("SELECT count(*) FROM segments", waiter).ExecuteScalarAsync());
        Assert.Equal(PostgresErrorCodes.LockNotAvailable, waiting.SqlState);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"gave up after {clock.Elapsed}"); // not the 30 s statement_timeout

        // The holder, idle in its transaction, is ended after idle_in_transaction_session_timeout, and its lock with it.
        while ((long)(await ScalarAsync(connection, "SELECT count(*) FROM pg_locks WHERE relation = 'segments'::regclass AND granted"))! > 0)
        {
            Assert.True(idle.Elapsed < TimeSpan.FromSeconds(30), "the idle transaction still holds its lock");
            await Task.Delay(100);
        }
        // Measured from the client, which may learn of the lock late on a loaded machine: half the timeout is a safe floor.
        Assert.True(idle.Elapsed >= TimeSpan.FromMilliseconds(1500), $"ended after {idle.Elapsed}, before its timeout");
        var ended = await Assert.ThrowsAnyAsync<NpgsqlException>(() => new NpgsqlCommand("SELECT 1", holder, transaction).ExecuteScalarAsync());
        // 25P03 idle_in_transaction_session_timeout, when the server's last message is read before the closed socket.
        Assert.True(ended is PostgresException { SqlState: "25P03" } || holder.State != System.Data.ConnectionState.Open,
            ended.ToString());
        Assert.Equal(0L, await ScalarAsync(AsApp(connection), "SELECT count(*) FROM segments"));
    }

    /// <summary>The same database as web_app, a member login of narralytica_app (trust authentication), unpooled.</summary>
    private static string AsApp(string connection)
        => new NpgsqlConnectionStringBuilder(connection) { Username = "web_app", Pooling = false }.ConnectionString;

    private static async Task<string> LoginSettingsAsync(string connection, string login)
        => (string)(await ScalarAsync(connection,
            $"SELECT setconfig::text FROM pg_db_role_setting WHERE setdatabase = 0 AND setrole = '{login}'::regrole"))!;

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await new NpgsqlCommand(sql, connection).ExecuteScalarAsync();
    }
}
