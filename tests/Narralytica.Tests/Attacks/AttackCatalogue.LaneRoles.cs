using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Tests.Attacks;

/// <summary>
/// What PostgreSQL 15 lets a member of a lane role do to the role and to the sessions of other logins: SET ROLE to the
/// lane and ALTER ROLE it (session defaults, a password), alter another login, and store large objects outside every
/// table. The lane roles are NOLOGIN and what a session must start with is set on each member login, so none of it
/// reaches another login's session; large objects are no lane's. Each is tried as a login that is only a member of the
/// lane's role; the other login is one that <c>roles create --login</c> makes (<see cref="MemberLogins"/>).
/// </summary>
public static partial class AttackCatalogue
{
    private const string SettingsGoal = "change what other logins' sessions start with";
    private const string StorageGoal = "store data outside every table";
    private const string OwnerCodeGoal = "run code of one's own as the owner";

    /// <summary>Another application's login of the requests' lane: the sessions the attacker would like to change.</summary>
    private const string PeerLogin = AttackDatabase.AttackerLogin + "_peer";

    private static IEnumerable<Attack> LaneRoles()
    {
        yield return new Attack("lane-role-session-defaults", SettingsGoal, Sql,
            "B's login, as narralytica_app, runs ALTER ROLE narralytica_app IN DATABASE … SET statement_timeout = 0, lock_timeout = 0, idle_in_transaction_session_timeout = 0, " +
            "default_transaction_read_only = on and search_path = pg_temp, public; then, as itself, the same on its own login (ALTER ROLE CURRENT_USER …); then another login of the lane opens a new session",
            "the lane roles are NOLOGIN: a role's settings reach only sessions that log in as it, and the lane's timeouts and search path are set on each member login, which only that login's own sessions can change",
            async run =>
            {
                var database = await PreparePeerAsync(run);
                var altered = new List<string>();
                await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(run.AppConnectionString) { Pooling = false }.ConnectionString))
                {
                    await connection.OpenAsync();
                    foreach (var target in new[] { DatabaseRoles.App, "CURRENT_USER" })
                    {
                        foreach (var setting in new[] { "statement_timeout = 0", "lock_timeout = 0", "idle_in_transaction_session_timeout = 0", "default_transaction_read_only = on", "search_path = pg_temp, public" })
                            await AttackRun.ExecuteAsync(connection, $"ALTER ROLE {target} IN DATABASE {SqlIdentifier.Quote(database)} SET {setting}");
                        altered.Add(target == DatabaseRoles.App ? DatabaseRoles.App : "its own login");
                        await AttackRun.ExecuteAsync(connection, "RESET ROLE");
                    }
                }
                var peer = await PeerSessionAsync(run);
                AttackRun.Expect(peer == "30s 5s 10s off public, pg_catalog, pg_temp", $"the other login's new session starts with {peer}");
                return $"accepted on {string.Join(" and ", altered)}; the other login's new session: statement_timeout, lock_timeout, idle_in_transaction_session_timeout, " +
                       $"read only, search path = {peer}";
            });

        yield return new Attack("lane-role-password", SettingsGoal, "SQL as each lane",
            "Each lane's login, as its lane role, sets the role's password (ALTER ROLE narralytica_… PASSWORD …), then logs in as the role with it",
            "the lane roles are NOLOGIN: a password gives no way in",
            async run =>
            {
                var outcomes = new List<string>();
                foreach (var lane in DatabaseRoles.Lanes)
                {
                    await run.LaneExecuteAsync(lane, null, $"ALTER ROLE {lane} PASSWORD 'taken-over'");
                    var asLane = new NpgsqlConnectionStringBuilder(run.AdminConnectionString) { Username = lane, Password = "taken-over", Pooling = false }.ConnectionString;
                    outcomes.Add($"{lane} {await AttackRun.RefusedAsync(() => ConnectAsync(asLane), PostgresErrorCodes.InvalidAuthorizationSpecification)}");
                }
                // Roles are the cluster's: the password set above is taken back for the other tests' sake (it opens nothing either way).
                foreach (var lane in DatabaseRoles.Lanes)
                    await PostgresExecuteAsync(run, $"ALTER ROLE {lane} PASSWORD NULL");
                return "password accepted; logging in with it: " + string.Join("; ", outcomes);
            });

        yield return new Attack("alter-other-login", SettingsGoal, Sql,
            "B's login, as narralytica_app and then as itself, alters another login of the lane: ALTER ROLE … SET statement_timeout = 0, then ALTER ROLE … PASSWORD …",
            "altering another role's settings or password needs CREATEROLE (no login of the data layer has it)",
            async run =>
            {
                await PreparePeerAsync(run);
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(run.AppConnectionString) { Pooling = false }.ConnectionString);
                await connection.OpenAsync();
                var outcomes = new List<string>();
                foreach (var who in new[] { DatabaseRoles.App, "the login" })
                {
                    outcomes.Add($"as {who}: settings {await AttackRun.RefusedAsync(() => AttackRun.ExecuteAsync(connection, $"ALTER ROLE {PeerLogin} SET statement_timeout = 0"), Denied)}");
                    outcomes.Add($"password {await AttackRun.RefusedAsync(() => AttackRun.ExecuteAsync(connection, $"ALTER ROLE {PeerLogin} PASSWORD 'taken-over'"), Denied)}");
                    await AttackRun.ExecuteAsync(connection, "RESET ROLE");
                }
                var peer = await PeerSessionAsync(run);
                AttackRun.Expect(peer == "30s 5s 10s off public, pg_catalog, pg_temp", $"the other login's new session starts with {peer}");
                return string.Join("; ", outcomes);
            });

        yield return new Attack("large-objects-each-lane", StorageGoal, "SQL as each lane",
            "Each lane's login creates a large object (lo_from_bytea(0, …), lo_create(0), lo_creat(-1)), which no table's grants, row-level security or max_bytes would see",
            "EXECUTE on PostgreSQL's functions that create or write a large object is taken from PUBLIC (migration, roles create)",
            async run =>
            {
                var outcomes = new List<string>();
                foreach (var lane in DatabaseRoles.Lanes)
                    foreach (var call in new[] { "lo_from_bytea(0, 'x')", "lo_create(0)", "lo_creat(-1)" })
                        outcomes.Add(await AttackRun.RefusedAsync(() => run.LaneExecuteAsync(lane, null, $"SELECT {call}"), Denied));
                var stored = await run.AdminScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata");
                AttackRun.Expect(stored == 0, $"{stored} large objects stored");
                return $"{outcomes.Count} of {outcomes.Count} refused (42501 permission denied for function); 0 large objects";
            });

        yield return new Attack("shadow-operator-each-lane", OwnerCodeGoal, "SQL as each lane",
            "Each lane's login creates, in the schema, an = on the schema's enum job_status and a function, which the functions that run as the owner (search path: the schema) would pick over pg_catalog's and run as the owner",
            "only the schema's owner may create in it: CREATE on the schema taken from PUBLIC and every lane (migration 0018, the fresh DDL; drift reports it)",
            async run =>
            {
                var outcomes = new List<string>();
                foreach (var lane in DatabaseRoles.Lanes)
                {
                    outcomes.Add(await AttackRun.RefusedAsync(() => run.LaneExecuteAsync(lane, null,
                        "CREATE FUNCTION public.shadow_eq(job_status, job_status) RETURNS boolean LANGUAGE sql AS 'SELECT true'"), Denied));
                    outcomes.Add(await AttackRun.RefusedAsync(() => run.LaneExecuteAsync(lane, null,
                        "CREATE OPERATOR public.= (leftarg = job_status, rightarg = job_status, function = pg_catalog.enum_eq)"), Denied));
                }
                var created = await run.AdminScalarAsync<long>("SELECT count(*) FROM pg_operator WHERE oprnamespace = 'public'::regnamespace");
                AttackRun.Expect(created == 0, $"{created} operators created in the schema");
                return $"{outcomes.Count} of {outcomes.Count} refused (42501 permission denied for schema public); no operator in the schema";
            });
    }

    /// <summary>
    /// The other login of the requests' lane, as <c>roles create --login</c> makes it: created once for the cluster, its
    /// settings (the search path is the database's) set in this run's database. Returns the database's name.
    /// </summary>
    private static async Task<string> PreparePeerAsync(AttackRun run)
    {
        var database = new NpgsqlConnectionStringBuilder(run.AdminConnectionString).Database!;
        await PostgresExecuteAsync(run, $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PeerLogin}') THEN " +
                                        $"CREATE ROLE {PeerLogin} {MemberLogins.Attributes} PASSWORD '{AttackDatabase.AttackerPassword}' IN ROLE {DatabaseRoles.App}; END IF; END $$");
        foreach (var statement in MemberLogins.Settings(PeerLogin, DatabaseRoles.App, SessionTimeouts.RequestDefaults, database, "public"))
            await PostgresExecuteAsync(run, statement);
        return database;
    }

    /// <summary>What a new session of the other login starts with: its three timeouts, read only, search path.</summary>
    private static async Task<string> PeerSessionAsync(AttackRun run)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(run.AdminConnectionString)
            { Username = PeerLogin, Password = AttackDatabase.AttackerPassword, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return await AttackRun.ScalarAsync<string>(connection,
            "SELECT concat_ws(' ', current_setting('statement_timeout'), current_setting('lock_timeout'), current_setting('idle_in_transaction_session_timeout'), " +
            "current_setting('default_transaction_read_only'), current_setting('search_path'))");
    }

    private static async Task ConnectAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
    }

    private static async Task PostgresExecuteAsync(AttackRun run, string sql)
    {
        await using var connection = new NpgsqlConnection(run.AdminConnectionString);
        await connection.OpenAsync();
        await AttackRun.ExecuteAsync(connection, sql);
    }
}
