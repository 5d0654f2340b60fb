using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Async;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Sql;
using Npgsql;
using Xunit.Sdk;

namespace Narralytica.Tests.Attacks;

/// <summary>
/// The callers' lanes: a request (<c>narralytica_app</c>) against global rows and the audit trail, the workers
/// (<c>narralytica_worker</c>) and the readers (<c>narralytica_reader</c>) past their lanes, and any login changing lanes.
/// Each is tried as a login that is only a member of the lane's role.
/// </summary>
public static partial class AttackCatalogue
{
    private const string GlobalGoal = "write another tenant's global rows";
    private const string AuditGoal = "forge, reuse or read the audit trail";
    private const string WorkerGoal = "reach past the workers' lane";
    private const string ReaderGoal = "reach past the readers' lane";
    private const string LaneGoal = "change lanes";

    private const string AsWorker = "SQL as narralytica_worker";
    private const string AsReader = "SQL as narralytica_reader";
    private const string ApiAsReader = "API as narralytica_reader";
    private const string Denied = PostgresErrorCodes.InsufficientPrivilege;

    private static IEnumerable<Attack> GlobalRows()
    {
        yield return new Attack("delete-user-of-other-tenant", GlobalGoal, Sql,
            "B's transaction deletes A's user, whose membership of A the foreign key would delete (cascades run as the tables' owner)",
            "narralytica_app holds only SELECT on users",
            async run =>
            {
                var refused = await AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB, "DELETE FROM users WHERE id = $1", run.A.User.Id), Denied);
                var memberships = await run.VictimRowsAsync("memberships");
                AttackRun.Expect(memberships == 1, $"{memberships} memberships of A left");
                return refused + "; A's membership stays";
            });

        yield return new Attack("suspend-other-tenant", GlobalGoal, Sql,
            "B's transaction sets suspended_at on tenant A's row",
            "narralytica_app holds only SELECT on tenants",
            run => AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB, "UPDATE tenants SET suspended_at = now() WHERE id = $1", run.TenantA), Denied));

        yield return new Attack("steal-slug", GlobalGoal, Sql,
            "B's transaction renames A's slug to take it, or signs up a tenant of its own",
            "narralytica_app holds only SELECT on tenants",
            async run =>
            {
                var rename = await AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB, "UPDATE tenants SET slug = slug || '-old' WHERE id = $1", run.TenantA), Denied);
                var signUp = await AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB, "INSERT INTO tenants (id, slug, name) VALUES ($1, 'squatted', 'squatted')", Guid.CreateVersion7()), Denied);
                return rename == signUp ? rename : $"{rename}; INSERT {signUp}";
            });

        yield return new Attack("repoint-admin-identity", GlobalGoal, Sql,
            "B's transaction points A's admin user at the attacker's e-mail and identity-provider subject",
            "narralytica_app holds only SELECT on users",
            run => AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB,
                "UPDATE users SET email = 'attacker@evil.test', auth_subject = 'attacker' WHERE id = $1", run.A.User.Id), Denied));

        yield return new Attack("grant-permission-globally", GlobalGoal, Sql,
            "B's transaction defines a permission and adds it to A's role, which every tenant's members of that role would get",
            "narralytica_app holds only SELECT on permissions and role_permissions",
            async run =>
            {
                var permission = Guid.CreateVersion7();
                var define = await AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB,
                    "INSERT INTO permissions (id, action, resource) VALUES ($1, 'export', 'everything')", permission), Denied);
                var grant = await AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB,
                    "INSERT INTO role_permissions (role_id, permission_id) VALUES ($1, $2)", run.A.Role.Id, permission), Denied);
                return define == grant ? define : $"{define}; {grant}";
            });

        yield return new Attack("lock-other-tenant-row", GlobalGoal, Sql,
            "B's transaction locks tenant A's row (SELECT … FOR UPDATE, FOR KEY SHARE), which would block A's inserts",
            "row locks need the UPDATE privilege, which narralytica_app does not hold on tenants",
            async run =>
            {
                var update = await AttackRun.RefusedAsync(() => run.CountAsync(run.TenantB, "SELECT count(*) FROM (SELECT id FROM tenants WHERE id = $1 FOR UPDATE) t", run.TenantA), Denied);
                var keyShare = await AttackRun.RefusedAsync(() => run.CountAsync(run.TenantB, "SELECT count(*) FROM (SELECT id FROM tenants WHERE id = $1 FOR KEY SHARE) t", run.TenantA), Denied);
                return update == keyShare ? update : $"{update}; FOR KEY SHARE {keyShare}";
            });

        yield return new Attack("global-writes-through-api", GlobalGoal, Api,
            "Request code asks its connection for db.ControlPlane to update tenant A",
            "the data layer offers global writes on the control plane's lane only (NarralyticaDb has no Insert/Update/Delete of global rows)",
            run => DataLayerRefusedAsync(() => run.Db.ControlPlane.UpdateAsync(new Tenant { Id = run.TenantA, Slug = "taken", Name = "taken" })));

        yield return new Attack("global-writes-through-linq2db", GlobalGoal, Api,
            "Request code goes around the generated API with linq2db's generic Update of a tenants row and Delete of a users row",
            "narralytica_app holds only SELECT on global tables, whatever builds the SQL",
            async run =>
            {
                var victim = await run.Db.Tenants.SingleAsync(t => t.Id == run.TenantA);
                victim.SuspendedAt = RowClock.Now();
                var update = await AttackRun.RefusedAsync(() => DataExtensions.UpdateAsync(run.Db, victim), Denied);
                var delete = await AttackRun.RefusedAsync(() => DataExtensions.DeleteAsync(run.Db, run.A.User), Denied);
                return update == delete ? update : $"{update}; {delete}";
            });
    }

    private static IEnumerable<Attack> AuditTrail()
    {
        yield return new Attack("forge-audit-row", AuditGoal, Sql,
            "Insert an audit row of cross-tenant reads with another login, a past time and a far expiry",
            "no privilege on narralytica_cross_tenant_audits for any lane",
            run => AttackRun.RefusedAsync(() => run.ExecuteAsync(null,
                "INSERT INTO narralytica_cross_tenant_audits (id, justification, database_user, created_at, expires_at) VALUES ($1, 'x', 'someone_else', '2020-01-01', '2100-01-01')",
                Guid.CreateVersion7()), Denied));

        yield return new Attack("read-audit-trail", AuditGoal, Sql,
            "Read every row of narralytica_cross_tenant_audits (who read what, and why)",
            "no privilege on narralytica_cross_tenant_audits for any lane; its owner reads it",
            run => AttackRun.RefusedAsync(() => run.CountAsync(null, "SELECT count(*) FROM narralytica_cross_tenant_audits"), Denied));

        yield return new Attack("open-audit-as-app", AuditGoal, Sql,
            "Open a cross-tenant read as the application: SELECT narralytica_open_cross_tenant_read('…')",
            "EXECUTE on the function is the readers' only",
            run => AttackRun.RefusedAsync(() => run.CountAsync(null, "SELECT count(*) FROM (SELECT narralytica_open_cross_tenant_read('support')) t"), Denied));

        yield return new Attack("across-tenants-as-app", AuditGoal, Api,
            "Request code calls db.AcrossTenants(\"…\")",
            "the data layer opens cross-tenant reads on the readers' lane only (and the database would refuse the function)",
            run => DataLayerRefusedAsync(() => run.Db.AcrossTenantsAsync("attack test: requests do not read across tenants")));
    }

    private static IEnumerable<Attack> WorkerLane()
    {
        yield return new Attack("worker-claim-then-read", WorkerGoal, AsWorker,
            "Claim the queued jobs of every tenant through the queue's claim function, then read segments in the same transaction without a tenant",
            "the queue's functions hand a worker the jobs it claims and nothing else; every tenant table keeps tenant_isolation",
            async run =>
            {
                var (claimed, tenants, segments) = await run.AsLaneAsync(DatabaseRoles.Worker, null, async connection =>
                {
                    var owners = new List<Guid>();
                    await using (var command = new NpgsqlCommand($"SELECT job_tenant FROM {QueueFunctions.Claim}(10, '00000000-0000-0000-0000-000000000000', 'worker-1', 30)", connection))
                    await using (var reader = await command.ExecuteReaderAsync())
                        while (await reader.ReadAsync())
                            owners.Add(reader.GetGuid(0));
                    var seen = await AttackRun.ScalarAsync<long>(connection, "SELECT count(*) FROM segments");
                    return (owners.Count, owners.Distinct().Count(), seen);
                });
                AttackRun.Expect(claimed == 2 && tenants == 2 && segments == 0, $"claimed {claimed} jobs of {tenants} tenants, then saw {segments} segments");
                return $"claimed {claimed} jobs of {tenants} tenants; segments without a tenant: {segments} rows";
            });

        yield return new Attack("worker-read-other-tenant", WorkerGoal, AsWorker,
            "Inside B's tenant, select A's rows from every tenant table, the queue's jobs included",
            "RLS policy tenant_isolation, as for requests: the workers hold no policy of their own on the queue",
            async run =>
            {
                var seen = new List<string>();
                foreach (var table in AttackRun.TenantTables)
                {
                    var rows = await run.LaneCountAsync(DatabaseRoles.Worker, run.TenantB, null, $"SELECT count(*) FROM {table} WHERE tenant_id = $1", run.TenantA);
                    if (rows != 0)
                        seen.Add($"{table}: {rows}");
                }
                AttackRun.Expect(seen.Count == 0, string.Join(", ", seen));
                return $"0 rows in each of {AttackRun.TenantTables.Length} tables";
            });

        yield return new Attack("worker-enqueue-other-tenant", WorkerGoal, AsWorker,
            "Inside B's tenant, insert a job for tenant A and delete A's jobs",
            "RLS policy tenant_isolation: a worker writes jobs in the tenant it works in only",
            async run =>
            {
                var insert = await AttackRun.RefusedAsync(() => run.LaneExecuteAsync(DatabaseRoles.Worker, run.TenantB,
                    "INSERT INTO jobs (tenant_id, id, kind) VALUES ($1, $2, 'planted')", run.TenantA, Guid.CreateVersion7()), Denied);
                var deleted = await run.LaneExecuteAsync(DatabaseRoles.Worker, run.TenantB, "DELETE FROM jobs WHERE tenant_id = $1", run.TenantA);
                var jobs = await run.VictimRowsAsync("jobs");
                AttackRun.Expect(deleted == 0 && jobs == 1, $"{deleted} deleted, {jobs} of A's jobs left");
                return $"INSERT {insert}; DELETE: 0 rows";
            });

        yield return new Attack("worker-move-job-to-other-tenant", WorkerGoal, AsWorker,
            "Without a tenant and inside B's tenant, move A's job to tenant B (SET tenant_id), give it another key, or set its state (finished, delayed, an error of the attacker's)",
            "the workers' UPDATE of the queue table is tenant_isolation's, as requests': A's jobs are not there to update outside A's tenant",
            async run =>
            {
                var changed = 0;
                foreach (var tenant in new Guid?[] { null, run.TenantB })
                {
                    changed += await run.LaneExecuteAsync(DatabaseRoles.Worker, tenant, "UPDATE jobs SET tenant_id = $2 WHERE tenant_id = $1", run.TenantA, run.TenantB);
                    changed += await run.LaneExecuteAsync(DatabaseRoles.Worker, tenant, "UPDATE jobs SET id = gen_random_uuid() WHERE tenant_id = $1", run.TenantA);
                    changed += await run.LaneExecuteAsync(DatabaseRoles.Worker, tenant,
                        "UPDATE jobs SET status = 'failed', attempts = attempts + 1, run_after = now() + interval '100 years', lease_owner = 'worker-1', " +
                        "finished_at = now(), last_error = 'boom' WHERE tenant_id = $1", run.TenantA);
                }
                var untouched = await run.AdminScalarAsync<long>("SELECT count(*) FROM jobs WHERE tenant_id = $1 AND status = 'queued' AND last_error IS NULL AND run_after < now() + interval '1 day'", run.TenantA);
                AttackRun.Expect(changed == 0 && untouched == 1, $"{changed} rows changed, {untouched} of A's jobs as they were");
                return "0 rows changed by each of 6 UPDATEs; A's job stays A's, queued, as it was";
            });

        yield return new Attack("worker-plant-job-in-tenant", WorkerGoal, AsWorker,
            "Turn A's job into work of the attacker's choosing from outside A's tenant: rewrite its kind, payload, priority, max_attempts or uniqueness key",
            "the workers' UPDATE of the queue table is tenant_isolation's; the queue's functions change a job's state only, never the work itself",
            async run =>
            {
                var changed = 0;
                foreach (var set in new[] { "kind = 'delete_everything'", "payload = '{\"url\": \"https://attacker.example\"}'::jsonb", "priority = 1000", "max_attempts = 1000", "dedupe_key = 'squatted'" })
                    changed += await run.LaneExecuteAsync(DatabaseRoles.Worker, run.TenantB, $"UPDATE jobs SET {set} WHERE tenant_id = $1", run.TenantA);
                var kinds = await run.AdminScalarAsync<long>("SELECT count(*) FROM jobs WHERE tenant_id = $1 AND kind <> 'delete_everything' AND priority <> 1000", run.TenantA);
                AttackRun.Expect(changed == 0 && kinds == 1, $"{changed} rows changed");
                return "kind, payload, priority, max_attempts, dedupe_key: 0 rows changed each";
            });

        yield return new Attack("worker-finish-unclaimed-job", WorkerGoal, AsWorker,
            "Knowing the id of A's queued job, call every finishing function of the queue on it (complete, complete many, cancel, fail, release, heartbeat) with guessed owners and attempts",
            "each function changes a job only while it holds the claim named: tenant, id, owner and attempt of a running job",
            async run =>
            {
                var job = await run.AdminScalarAsync<Guid>("SELECT id FROM jobs WHERE tenant_id = $1", run.TenantA);
                var changed = await run.AsLaneAsync(DatabaseRoles.Worker, null, async connection =>
                {
                    var count = 0L;
                    foreach (var (owner, attempt) in new[] { ("worker-1", 0), ("worker-1", 1), ("", 1) })
                    {
                        object[] claim = { run.TenantA, job, owner, attempt };
                        count += await AttackRun.ScalarAsync<bool>(connection, $"SELECT {QueueFunctions.Complete}($1, $2, $3, $4)", claim) ? 1 : 0;
                        count += await AttackRun.ScalarAsync<bool>(connection, $"SELECT {QueueFunctions.Cancel}($1, $2, $3, $4, 'cancelled by an attacker')", claim) ? 1 : 0;
                        count += await AttackRun.ScalarAsync<bool>(connection, $"SELECT {QueueFunctions.Release}($1, $2, $3, $4)", claim) ? 1 : 0;
                        count += await AttackRun.ScalarAsync<long>(connection, $"SELECT count(*) FROM {QueueFunctions.Fail}($1, $2, $3, $4, 'boom', 0)", claim);
                        count += await AttackRun.ScalarAsync<long>(connection, $"SELECT count(*) FROM {QueueFunctions.Heartbeat}($1, $2, $3, $4, 86400)", claim);
                        count += await AttackRun.ScalarAsync<long>(connection, $"SELECT count(*) FROM {QueueFunctions.CompleteMany}($1, $2, $3, $4)",
                            new[] { run.TenantA }, new[] { job }, new[] { owner }, new[] { attempt });
                    }
                    return count;
                });
                var untouched = await run.AdminScalarAsync<long>("SELECT count(*) FROM jobs WHERE tenant_id = $1 AND status = 'queued' AND last_error IS NULL AND lease_owner IS NULL", run.TenantA);
                AttackRun.Expect(changed == 0 && untouched == 1, $"{changed} changes, {untouched} of A's jobs as they were");
                return "18 calls: none changed A's job (it is no running claim of theirs)";
            });

        yield return new Attack("worker-queue-function-bounds", WorkerGoal, AsWorker,
            "Call the queue's functions past their bounds: a claim of a million jobs, a lease of ten years, a blank worker name, a retry in ten years",
            "the functions refuse (22023) what no worker asks: 1 to 1,000 jobs, a lease of 1 s to a day, a name of 1 to 200 characters, a retry within 30 days",
            async run =>
            {
                var zero = Guid.Empty.ToString();
                var outcomes = new List<string>();
                foreach (var call in new[]
                {
                    $"SELECT count(*) FROM {QueueFunctions.Claim}(1000000, '{zero}', 'worker-1', 30)",
                    $"SELECT count(*) FROM {QueueFunctions.Claim}(10, '{zero}', 'worker-1', 315360000)",
                    $"SELECT count(*) FROM {QueueFunctions.Claim}(10, '{zero}', '', 30)",
                    $"SELECT count(*) FROM {QueueFunctions.Fail}('{zero}', '{zero}', 'worker-1', 1, 'boom', 315360000)",
                })
                    outcomes.Add(await AttackRun.RefusedAsync(() => run.LaneCountAsync(DatabaseRoles.Worker, null, null, call), PostgresErrorCodes.InvalidParameterValue));
                var running = await run.AdminScalarAsync<long>("SELECT count(*) FROM jobs WHERE status <> 'queued'");
                AttackRun.Expect(running == 0, $"{running} jobs left their queued state");
                return $"4 calls refused: {PostgresErrorCodes.InvalidParameterValue}; no job claimed";
            });

        yield return new Attack("worker-queue-function-setting", WorkerGoal, AsWorker,
            "Turn on the setting the queue's functions run with (narralytica.queue_function), then read and finish every tenant's jobs directly",
            "the policy that reads the setting is the owner's (queue_functions TO narralytica_owner): it gives the workers' role nothing",
            async run =>
            {
                var (seen, changed) = await run.AsLaneAsync(DatabaseRoles.Worker, null, async connection =>
                {
                    await AttackRun.ScalarAsync<string>(connection, $"SELECT set_config('{QueueFunctions.Setting}', 'on', true)");
                    var rows = await AttackRun.ScalarAsync<long>(connection, "SELECT count(*) FROM jobs");
                    var updated = await AttackRun.ExecuteAsync(connection, "UPDATE jobs SET status = 'succeeded'");
                    return (rows, updated);
                });
                AttackRun.Expect(seen == 0 && changed == 0, $"saw {seen} jobs, changed {changed}");
                return "0 jobs seen, 0 changed";
            });

        yield return new Attack("worker-global-writes", WorkerGoal, AsWorker,
            "Suspend tenant A and delete A's user",
            "narralytica_worker holds only SELECT on global tables",
            async run =>
            {
                var suspend = await AttackRun.RefusedAsync(() => run.LaneExecuteAsync(DatabaseRoles.Worker, null, "UPDATE tenants SET suspended_at = now() WHERE id = $1", run.TenantA), Denied);
                var delete = await AttackRun.RefusedAsync(() => run.LaneExecuteAsync(DatabaseRoles.Worker, null, "DELETE FROM users WHERE id = $1", run.A.User.Id), Denied);
                return suspend == delete ? suspend : $"{suspend}; {delete}";
            });

        yield return new Attack("worker-open-audit", WorkerGoal, AsWorker,
            "Open a cross-tenant read: SELECT narralytica_open_cross_tenant_read('…')",
            "EXECUTE on the function is the readers' only",
            run => AttackRun.RefusedAsync(() => run.LaneCountAsync(DatabaseRoles.Worker, null, null, "SELECT count(*) FROM (SELECT narralytica_open_cross_tenant_read('rebuild')) t"), Denied));
    }

    private static IEnumerable<Attack> ReaderLane()
    {
        yield return new Attack("reader-writes-nothing", ReaderGoal, AsReader,
            "Under an open audit row and inside A's tenant: insert, update and delete A's segments, suspend tenant A",
            "narralytica_reader holds only SELECT, on every table",
            async run =>
            {
                var audit = await run.OpenReaderAuditAsync("attack test: readers write nothing");
                var refusals = new List<string>();
                foreach (var sql in new[]
                {
                    "INSERT INTO segments (tenant_id, id, transcript_id, ordinal, start_ms, end_ms, text) SELECT tenant_id, gen_random_uuid(), transcript_id, 99, 0, 1, 'planted' FROM segments WHERE id = $1",
                    "UPDATE segments SET text = 'hijacked' WHERE id = $1",
                    "DELETE FROM segments WHERE id = $1",
                    "UPDATE tenants SET suspended_at = now() WHERE id = (SELECT tenant_id FROM segments WHERE id = $1)",
                })
                    refusals.Add(await AttackRun.RefusedAsync(() => run.AsLaneAsync(DatabaseRoles.Reader, run.TenantA,
                        connection => AttackRun.ExecuteAsync(connection, sql, run.A.Segment.Id), audit), Denied));
                return refusals.Distinct().Count() == 1 ? refusals[0] : string.Join("; ", refusals.Distinct());
            });

        yield return new Attack("reader-without-audit", ReaderGoal, AsReader,
            "Select every tenant's segments with no audit row, then with a made-up one",
            "RLS policy reader_cross_tenant_read: only an existing, unexpired audit row of the same login opens it",
            async run =>
            {
                var none = await run.LaneCountAsync(DatabaseRoles.Reader, null, null, "SELECT count(*) FROM segments");
                var forged = await run.LaneCountAsync(DatabaseRoles.Reader, null, Guid.CreateVersion7(), "SELECT count(*) FROM segments");
                AttackRun.Expect(none == 0 && forged == 0, $"{none} and {forged} rows");
                return "0 rows, and 0 rows";
            });

        yield return new Attack("reader-borrowed-audit", ReaderGoal, AsReader,
            "Name an unexpired audit row written for another login (planted by the superuser)",
            "RLS policy reader_cross_tenant_read: database_user = session_user",
            async run =>
            {
                var borrowed = Guid.CreateVersion7();
                await run.AdminScalarAsync<int>(
                    "WITH a AS (INSERT INTO narralytica_cross_tenant_audits (id, justification, database_user, expires_at) VALUES ($1, 'support ticket', 'another_login', now() + interval '1 hour') RETURNING 1) SELECT count(*)::int FROM a",
                    borrowed);
                var seen = await run.LaneCountAsync(DatabaseRoles.Reader, null, borrowed, "SELECT count(*) FROM segments");
                AttackRun.Expect(seen == 0, $"{seen} rows");
                return $"{seen} rows";
            });

        yield return new Attack("reader-unrecorded-read", ReaderGoal, AsReader,
            "Open the hatch and read in the same transaction, so that a rollback would leave no audit row",
            "RLS policy reader_cross_tenant_read: an audit row opens reads only from the transactions after the one that wrote it",
            async run =>
            {
                var seen = await run.AsLaneAsync(DatabaseRoles.Reader, null, async connection =>
                {
                    await AttackRun.ScalarAsync<string>(connection,
                        $"SELECT set_config('{Narralytica.Runtime.TenantContext.CrossTenantAuditSetting}', narralytica_open_cross_tenant_read('no trace')::text, true)");
                    return await AttackRun.ScalarAsync<long>(connection, "SELECT count(*) FROM segments");
                });
                AttackRun.Expect(seen == 0, $"{seen} rows");
                return $"{seen} rows";
            });

        yield return new Attack("reader-expired-audit", ReaderGoal, AsReader,
            "Reuse its own audit row after it expired (its expiry moved to the past, as ten minutes later)",
            $"RLS policy reader_cross_tenant_read: expires_at > statement_timestamp(); a row opens reads for {CallerLanes.AuditLifetime}",
            async run =>
            {
                var audit = await run.OpenReaderAuditAsync("attack test: an audit row expires");
                var before = await run.LaneCountAsync(DatabaseRoles.Reader, null, audit, "SELECT count(DISTINCT tenant_id) FROM segments");
                await run.AdminScalarAsync<int>("WITH a AS (UPDATE narralytica_cross_tenant_audits SET expires_at = now() - interval '1 second' WHERE id = $1 RETURNING 1) SELECT count(*)::int FROM a", audit);
                var after = await run.LaneCountAsync(DatabaseRoles.Reader, null, audit, "SELECT count(*) FROM segments");
                AttackRun.Expect(before == 2 && after == 0, $"{before} tenants before expiry, {after} rows after");
                return $"before expiry: {before} tenants; after: {after} rows";
            });

        yield return new Attack("reader-outlast-audit-in-transaction", ReaderGoal, AsReader,
            "Begin a transaction while its audit row is open (its expiry moved to a few seconds ahead, as near the end of ten minutes), " +
            "read, stay in the transaction until the row has expired, and read again",
            "narralytica_cross_tenant_read_allowed compares the expiry with statement_timestamp(), not the transaction's start: each statement checks the window",
            async run =>
            {
                var audit = await run.OpenReaderAuditAsync("attack test: the window is checked per statement");
                var (before, after, begunInside) = await run.AsLaneAsync(DatabaseRoles.Reader, null, async connection =>
                {
                    // The transaction has begun (the audit is set in it); only now does the row come near its end.
                    var expiry = await run.AdminScalarAsync<DateTime>(
                        "UPDATE narralytica_cross_tenant_audits SET expires_at = clock_timestamp() + interval '5 seconds' WHERE id = $1 RETURNING expires_at", audit);
                    var tenants = await AttackRun.ScalarAsync<long>(connection, "SELECT count(DISTINCT tenant_id) FROM segments");
                    await WaitUntilStatementsPassAsync(connection, expiry);
                    var rows = await AttackRun.ScalarAsync<long>(connection, "SELECT count(*) FROM segments");
                    var inside = await AttackRun.ScalarAsync<bool>(connection, "SELECT now() < $1", expiry);
                    return (tenants, rows, inside);
                }, audit);
                AttackRun.Expect(begunInside, "the transaction did not begin before the row expired, so it proves nothing");
                AttackRun.Expect(before == 2 && after == 0, $"{before} tenants before expiry, {after} rows after, in the same transaction");
                return $"the same transaction: {before} tenants before the expiry, {after} rows after";
            });

        yield return new Attack("reader-flood-audit-trail", ReaderGoal, AsReader,
            "Flood the trail: SELECT count(narralytica_open_cross_tenant_read(repeat('y', 500))) FROM generate_series(1, 20000), " +
            $"then open exactly {CallerLanes.MaxOpenAuditsPerLogin} rows and one more",
            $"narralytica_open_cross_tenant_read refuses a login that holds {CallerLanes.MaxOpenAuditsPerLogin} unexpired rows (SQLSTATE {CallerLanes.TooManyOpenReadsState}); opens are counted one at a time",
            async run =>
            {
                const string flood = "SELECT count(narralytica_open_cross_tenant_read(repeat('y', 500))) FROM generate_series(1, $1)";
                const string trailOfReader = "SELECT count(*) FROM narralytica_cross_tenant_audits WHERE database_user = $1 AND expires_at > now()";
                var refused = await AttackRun.RefusedAsync(() => run.LaneCountAsync(DatabaseRoles.Reader, null, null, flood, 20000), CallerLanes.TooManyOpenReadsState);
                var afterFlood = await run.AdminScalarAsync<long>(trailOfReader, AttackDatabase.LoginOf(DatabaseRoles.Reader));
                AttackRun.Expect(afterFlood == 0, $"{afterFlood} audit rows left by the refused flood");
                var opened = await run.LaneCountAsync(DatabaseRoles.Reader, null, null, flood, CallerLanes.MaxOpenAuditsPerLogin);
                var oneMore = await AttackRun.RefusedAsync(() => run.OpenReaderAuditAsync("attack test: one past the bound"), CallerLanes.TooManyOpenReadsState);
                var trail = await run.AdminScalarAsync<long>(trailOfReader, AttackDatabase.LoginOf(DatabaseRoles.Reader));
                AttackRun.Expect(opened == CallerLanes.MaxOpenAuditsPerLogin && trail == CallerLanes.MaxOpenAuditsPerLogin,
                    $"{opened} opened, {trail} unexpired audit rows of the reader");
                return $"20,000 at once: {refused}, nothing written; {opened} opened; one more: the same; the trail holds {trail} unexpired rows of the login";
            });

        yield return new Attack("reader-forge-audit-fields", ReaderGoal, AsReader,
            "Write its own audit row (another login, an older time, no expiry), read the trail, or pass who and when to the function",
            "no privilege on the audit table; narralytica_open_cross_tenant_read takes a justification only and fills session_user, now() and the expiry",
            async run =>
            {
                var insert = await AttackRun.RefusedAsync(() => run.LaneExecuteAsync(DatabaseRoles.Reader, null,
                    "INSERT INTO narralytica_cross_tenant_audits (id, justification, database_user, created_at, expires_at) VALUES ($1, 'x', 'someone_else', '2020-01-01', '2100-01-01')", Guid.CreateVersion7()), Denied);
                var read = await AttackRun.RefusedAsync(() => run.LaneCountAsync(DatabaseRoles.Reader, null, null, "SELECT count(*) FROM narralytica_cross_tenant_audits"), Denied);
                var extra = await AttackRun.RefusedAsync(() => run.LaneCountAsync(DatabaseRoles.Reader, null, null,
                    "SELECT count(*) FROM (SELECT narralytica_open_cross_tenant_read('x', 'someone_else', '2020-01-01'::timestamptz)) t"), PostgresErrorCodes.UndefinedFunction);
                var audit = await run.OpenReaderAuditAsync("attack test: the database fills the audit row");
                var filled = await run.AdminScalarAsync<bool>(
                    "SELECT database_user = $2 AND created_at > now() - interval '1 minute' AND expires_at = created_at + interval '" + CallerLanes.AuditLifetime + "' FROM narralytica_cross_tenant_audits WHERE id = $1",
                    audit, AttackDatabase.LoginOf(DatabaseRoles.Reader));
                AttackRun.Expect(filled, "the audit row's login, time or expiry is not the database's");
                return $"INSERT {insert}; SELECT {read}; extra arguments: {extra}; the row holds the reader's login, now() and now() + {CallerLanes.AuditLifetime}";
            });

        yield return new Attack("reader-blank-or-long-justification", ReaderGoal, AsReader,
            "Open a cross-tenant read whose justification is whitespace only (tab, newline, no-break and ideographic spaces) or " +
            $"{CallerLanes.MaxJustificationLength + 1} characters long, calling narralytica_open_cross_tenant_read directly",
            $"narralytica_open_cross_tenant_read refuses a blank or overlong (over {CallerLanes.MaxJustificationLength} characters) justification before writing its row",
            async run =>
            {
                var before = await run.AdminScalarAsync<long>("SELECT count(*) FROM narralytica_cross_tenant_audits");
                const string open = "SELECT count(*) FROM (SELECT narralytica_open_cross_tenant_read($1)) t";
                var blank = await AttackRun.RefusedAsync(() => run.LaneCountAsync(DatabaseRoles.Reader, null, null, open, "\t\n\r \u00a0\u2003\u3000"),
                    CallerLanes.RefusedJustificationState);
                var overlong = await AttackRun.RefusedAsync(() => run.LaneCountAsync(DatabaseRoles.Reader, null, null, open, "because " + new string('x', CallerLanes.MaxJustificationLength - 7)),
                    CallerLanes.RefusedJustificationState);
                var after = await run.AdminScalarAsync<long>("SELECT count(*) FROM narralytica_cross_tenant_audits");
                AttackRun.Expect(after == before, $"{after - before} audit rows written");
                return $"blank: {blank}; {CallerLanes.MaxJustificationLength + 1} characters: {overlong}; no audit row written";
            });

        yield return new Attack("reader-api-blank-justification", ReaderGoal, ApiAsReader,
            $"db.AcrossTenants(…) with a justification of whitespace only, then one of {CallerLanes.MaxJustificationLength + 1} characters",
            "AcrossTenants refuses both before it opens a connection (ArgumentException); the database would refuse them too",
            async run =>
            {
                await using var source = NarralyticaDb.CreateDataSource(run.LaneConnectionString(DatabaseRoles.Reader), lane: DatabaseLane.Reader);
                await using var reader = new NarralyticaDb(source);
                var refusals = new List<string>();
                foreach (var justification in new[] { "\t\u00a0\n\u3000", new string('x', CallerLanes.MaxJustificationLength + 1) })
                    try
                    {
                        await reader.AcrossTenantsAsync(justification);
                        AttackRun.Expect(false, $"a justification of {justification.Length} characters opened a cross-tenant read");
                    }
                    catch (ArgumentException e)
                    {
                        refusals.Add($"{nameof(ArgumentException)} ({e.Message.Split(';', '(')[0].Trim()})");
                    }
                var trail = await run.AdminScalarAsync<long>("SELECT count(*) FROM narralytica_cross_tenant_audits WHERE database_user = $1", AttackDatabase.LoginOf(DatabaseRoles.Reader));
                AttackRun.Expect(trail == 0, $"{trail} audit rows of the reader");
                return $"refused: {string.Join("; ", refusals)}";
            });

        yield return new Attack("reader-hatch-writes", ReaderGoal, ApiAsReader,
            "db.AcrossTenants(\"…\") on the readers' lane reads every tenant, then its audit id is used to UPDATE and DELETE A's segment",
            "narralytica_reader holds only SELECT; the audit row stays",
            async run =>
            {
                await using var source = NarralyticaDb.CreateDataSource(run.LaneConnectionString(DatabaseRoles.Reader), lane: DatabaseLane.Reader);
                await using var reader = new NarralyticaDb(source);
                var access = await reader.AcrossTenantsAsync("attack test: the hatch is read-only");
                var tenants = await access.Segments.Select(s => s.TenantId).Distinct().CountAsync();
                var update = await AttackRun.RefusedAsync(() => run.AsLaneAsync(DatabaseRoles.Reader, null,
                    connection => AttackRun.ExecuteAsync(connection, "UPDATE segments SET text = 'hijacked' WHERE id = $1", run.A.Segment.Id), access.AuditId), Denied);
                var delete = await AttackRun.RefusedAsync(() => run.AsLaneAsync(DatabaseRoles.Reader, null,
                    connection => AttackRun.ExecuteAsync(connection, "DELETE FROM segments WHERE id = $1", run.A.Segment.Id), access.AuditId), Denied);
                var trail = await run.AdminScalarAsync<long>("SELECT count(*) FROM narralytica_cross_tenant_audits WHERE id = $1 AND justification = $2", access.AuditId, access.Justification);
                AttackRun.Expect(tenants == 2 && trail == 1, $"{tenants} tenants read, {trail} audit rows");
                return $"reads both tenants and leaves its audit row; UPDATE {update}; DELETE {(delete == update ? "the same" : delete)}";
            });
    }

    private static IEnumerable<Attack> Memberships()
    {
        yield return new Attack("set-role-between-lanes", LaneGoal, "SQL as each lane",
            "Each lane's login (app, control, worker, reader) runs SET ROLE to each of the other four roles, the owner's included",
            "no role of the data layer is a member of another (pg_auth_members holds no row between them)",
            async run =>
            {
                var roles = DatabaseRoles.Lanes.Prepend(DatabaseRoles.Owner).ToArray();
                var outcomes = new List<string>();
                foreach (var lane in DatabaseRoles.Lanes)
                    foreach (var other in roles.Where(r => r != lane))
                        outcomes.Add(await AttackRun.RefusedAsync(() => run.LaneExecuteAsync(lane, null, $"SET ROLE {other}"), Denied));
                var memberships = await run.AdminScalarAsync<long>(
                    "SELECT count(*) FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = ANY($1) AND m.rolname = ANY($1)", new object[] { roles });
                AttackRun.Expect(memberships == 0, $"{memberships} memberships between the roles");
                return $"{outcomes.Count} of {outcomes.Count} refused (42501 permission denied to set role); 0 memberships between the five roles";
            });
    }

    /// <summary>
    /// Waits, in the transaction of <paramref name="connection"/>, until a statement starts after <paramref name="moment"/>:
    /// asked of the server's clock, so a slow machine only waits longer.
    /// </summary>
    private static async Task WaitUntilStatementsPassAsync(NpgsqlConnection connection, DateTime moment)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!await AttackRun.ScalarAsync<bool>(connection, "SELECT statement_timestamp() > $1", moment))
        {
            if (DateTime.UtcNow > deadline)
                throw new XunitException($"the server's clock did not pass {moment:O} within two minutes");
            await Task.Delay(250);
        }
    }

    /// <summary>The data layer's own refusal: what request code gets when it asks for another lane's API.</summary>
    private static async Task<string> DataLayerRefusedAsync(Func<Task> attempt)
    {
        try
        {
            await attempt();
        }
        catch (InvalidOperationException e)
        {
            return $"refused by the data layer: {nameof(InvalidOperationException)} ({e.Message.Split(':')[0]})";
        }
        throw new XunitException("The attempt was not refused.");
    }
}
