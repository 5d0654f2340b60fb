using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Tests.Attacks;

public static partial class AttackCatalogue
{
    private const string SizeGoal = "exhaust the database through one row";
    private const string StallGoal = "stall every tenant, or the migrations";

    private static IEnumerable<Attack> Limits()
    {
        yield return new Attack("oversized-payload", SizeGoal, Sql,
            "B's transaction writes a layer whose payload is just over 1 MiB, then its segment's text just over 64 KiB, then its video's title and url just over 4 KiB",
            "max_bytes: the checks ck_layers_payload_max_bytes, ck_segments_text_max_bytes, ck_videos_title_max_bytes and ck_videos_url_max_bytes",
            async run =>
            {
                var payload = await AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB,
                    "INSERT INTO layers (tenant_id, id, segment_id, kind, version, producer, payload) " +
                    "VALUES ($1, gen_random_uuid(), $2, 'summary', 99, 'attacker', jsonb_build_object('blob', repeat('x', 1048576)))",
                    run.TenantB, run.B.Segment.Id), PostgresErrorCodes.CheckViolation);
                var text = await AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB,
                    "UPDATE segments SET text = repeat('x', 65537) WHERE id = $1", run.B.Segment.Id), PostgresErrorCodes.CheckViolation);
                var title = await AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB,
                    "UPDATE videos SET title = repeat('x', 4097) WHERE tenant_id = $1", run.TenantB), PostgresErrorCodes.CheckViolation);
                var url = await AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB,
                    "UPDATE videos SET url = repeat('x', 4097) WHERE tenant_id = $1", run.TenantB), PostgresErrorCodes.CheckViolation);
                return $"{payload}; text: {text}; title: {title}; url: {url}";
            });

        yield return new Attack("take-migration-lock", StallGoal, Sql,
            "Hold the advisory lock earlier migrators took (pg_advisory_lock(0x4E415252, hashtext('public'))), try LOCK TABLE on " +
            "narralytica_schema_lock and narralytica_schema_history, then let migrations apply run",
            "the migrator locks narralytica_schema_lock, on which narralytica_app has no privilege (LOCK TABLE needs one)",
            async run =>
            {
                await using var attacker = await run.AppSource.OpenConnectionAsync();
                await AttackRun.ScalarAsync<object>(attacker, "SELECT pg_advisory_lock(1312903762, hashtext('public'))");
                var lockTable = await AttackRun.RefusedAsync(() => run.AsAppAsync<int>(null, connection =>
                    AttackRun.ExecuteAsync(connection, "LOCK TABLE narralytica_schema_lock IN SHARE ROW EXCLUSIVE MODE")), PostgresErrorCodes.InsufficientPrivilege);
                var history = await AttackRun.RefusedAsync(() => run.AsAppAsync<int>(null, connection =>
                    AttackRun.ExecuteAsync(connection, "LOCK TABLE narralytica_schema_history IN ACCESS SHARE MODE")), PostgresErrorCodes.InsufficientPrivilege);

                await using var owner = NpgsqlDataSource.Create(run.AdminConnectionString);
                var apply = new SchemaMigrator(owner).ApplyAsync();
                var finished = await Task.WhenAny(apply, Task.Delay(TimeSpan.FromSeconds(30))) == apply;
                AttackRun.Expect(finished, "migrations apply still waits after 30 s");
                await apply;
                return $"LOCK TABLE narralytica_schema_lock {lockTable}; narralytica_schema_history {history}; apply completed with the advisory lock held";
            });

        yield return new Attack("hold-table-lock", StallGoal, Sql,
            "A transaction of the attacker's login (no tenant needed) takes LOCK TABLE segments IN ACCESS EXCLUSIVE MODE and stays idle; A then reads its segments",
            "the request roles' timeouts (roles create; given to this login too, as it advises for member logins): A's read gives up " +
            "after lock_timeout with lock_not_available, and the idle transaction is ended after idle_in_transaction_session_timeout",
            async run =>
            {
                // Shortened for the test: 300 ms and 1 s. The settings are read at login, so the attacker's sessions start after them.
                var database = new NpgsqlConnectionStringBuilder(run.AdminConnectionString).Database!;
                foreach (var statement in RequestRoleTimeouts.Statements(new[] { AttackDatabase.AttackerLogin },
                             new SessionTimeouts(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1)), database))
                    await run.AdminScalarAsync<object?>(statement);
                var fresh = new NpgsqlConnectionStringBuilder(run.AppConnectionString) { Pooling = false }.ConnectionString;

                await using var holder = new NpgsqlConnection(fresh);
                await holder.OpenAsync();
                var transaction = await holder.BeginTransactionAsync();
                await new NpgsqlCommand("LOCK TABLE segments IN ACCESS EXCLUSIVE MODE", holder, transaction).ExecuteNonQueryAsync();
                var idle = Stopwatch.StartNew();

                await using var victim = new NpgsqlConnection(fresh);
                await victim.OpenAsync();
                var waited = await AttackRun.RefusedAsync(() => AttackRun.ScalarAsync<long>(victim, "SELECT count(*) FROM segments"), PostgresErrorCodes.LockNotAvailable);

                while (await run.AdminScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE relation = 'segments'::regclass AND granted") > 0)
                {
                    AttackRun.Expect(idle.Elapsed < TimeSpan.FromSeconds(30), "the idle transaction still holds its lock after 30 s");
                    await Task.Delay(100);
                }
                var readable = await run.CountAsync(run.TenantA, "SELECT count(*) FROM segments");
                AttackRun.Expect(readable == await run.VictimRowsAsync("segments"), $"A reads {readable} segments after the lock is gone");
                AttackRun.Expect(idle.Elapsed >= TimeSpan.FromMilliseconds(500), // half the timeout: the client may learn of the lock late
                    $"the lock went after {idle.Elapsed}, before the timeout: something else ended it");
                return $"A's read {waited}; the idle transaction was ended, its lock released";
            });

        yield return new Attack("control-hold-tenant-row", StallGoal, Sql,
            "A transaction of the control plane's login takes FOR UPDATE on tenant A's tenants row (which every insert of A's checks through its foreign key) and stays idle; A then inserts a video",
            "the control plane's logins get the lanes' timeouts too (roles create --login NAME=control): the idle transaction is ended after idle_in_transaction_session_timeout, its row lock with it, and A's insert goes through",
            async run =>
            {
                // Shortened for the test (300 ms and 1 s), given as roles create gives them to a control login, then taken back.
                var login = AttackDatabase.LoginOf(DatabaseRoles.Control);
                var database = new NpgsqlConnectionStringBuilder(run.AdminConnectionString).Database!;
                var timeouts = RequestRoleTimeouts.For(DatabaseRoles.Control, new SessionTimeouts(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1)));
                foreach (var statement in RequestRoleTimeouts.Statements(new[] { login }, timeouts, database))
                    await run.AdminScalarAsync<object?>(statement);
                try
                {
                    await using var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(run.LaneConnectionString(DatabaseRoles.Control)) { Pooling = false }.ConnectionString);
                    await holder.OpenAsync();
                    var transaction = await holder.BeginTransactionAsync();
                    await using (var lockRow = new NpgsqlCommand("SELECT id FROM tenants WHERE id = $1 FOR UPDATE", holder, transaction))
                    {
                        lockRow.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = run.TenantA });
                        AttackRun.Expect(await lockRow.ExecuteScalarAsync() is Guid, "the control plane could not lock A's tenants row at all");
                    }
                    var idle = Stopwatch.StartNew();
                    while (await run.AdminScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE relation = 'tenants'::regclass AND mode = 'RowShareLock' AND granted AND pid = $1", holder.ProcessID) > 0)
                    {
                        AttackRun.Expect(idle.Elapsed < TimeSpan.FromSeconds(30), "the control plane's idle transaction still holds A's tenants row after 30 s");
                        await Task.Delay(100);
                    }
                    AttackRun.Expect(idle.Elapsed >= TimeSpan.FromMilliseconds(500), $"the lock went after {idle.Elapsed}, before the timeout: something else ended it");
                    var before = await run.VictimRowsAsync("videos");
                    await run.Db.ForTenant(run.TenantA).InsertAsync(new Video { Source = VideoSource.Upload, ExternalId = "after-control-lock", Title = "t", Metadata = "{}" });
                    AttackRun.Expect(await run.VictimRowsAsync("videos") == before + 1, "A's insert did not land after the lock was gone");
                    return "the control plane's idle transaction was ended after its idle timeout, A's tenants row released; A's insert then went through";
                }
                finally
                {
                    foreach (var (setting, _) in RequestRoleTimeouts.Settings(timeouts))
                        await run.AdminScalarAsync<object?>($"ALTER ROLE {SqlIdentifier.Quote(login)} IN DATABASE {SqlIdentifier.Quote(database)} RESET {setting}");
                }
            });
    }
}
