using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Npgsql;

namespace Narralytica.Tests.Attacks;

/// <summary>
/// The lanes' sessions: an object of the caller's making found before the schema's (a temporary table named like a
/// tenant table shadows the data layer's unqualified SQL), and the bulk insert, which used to need such a table and now
/// takes its tenant from the verified proof inside its one statement. Each is tried as a login that is only a member of
/// the lane's role.
/// </summary>
public static partial class AttackCatalogue
{
    private const string ShadowGoal = "shadow a table with an object of one's own";
    private const string BulkGoal = "bulk-insert rows into another tenant";
    private const string ApiAsWorker = "API as narralytica_worker";

    /// <summary>The statement <c>BulkInsertAsync</c> sends for segments, as the generator writes it.</summary>
    private static readonly string SegmentsBulkInsert =
        BulkInsertSql.Insert(SchemaCompiler.Compile(RepositoryFiles.SchemaText).Model!.FindTable("segments")!);

    private static IEnumerable<Attack> Sessions()
    {
        yield return new Attack("temp-table-app", ShadowGoal, Sql,
            "B's connection creates a temporary table segments (LIKE segments), then the same after RESET ROLE, as its own login",
            "TEMPORARY on the database is taken from PUBLIC and held by narralytica_owner alone",
            async run =>
            {
                // Unpooled: the connection leaves its role behind, and no one else gets it.
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(run.AppConnectionString) { Pooling = false }.ConnectionString);
                await connection.OpenAsync();
                var asRole = await AttackRun.RefusedAsync(() => AttackRun.ExecuteAsync(connection, "CREATE TEMPORARY TABLE segments (LIKE public.segments)"), Denied);
                await AttackRun.ExecuteAsync(connection, "RESET ROLE");
                var asLogin = await AttackRun.RefusedAsync(() => AttackRun.ExecuteAsync(connection, "CREATE TEMPORARY TABLE segments (LIKE public.segments)"), Denied);
                return WithoutDatabaseName(run, $"as narralytica_app {asRole}; as the login itself {asLogin}");
            });

        yield return new Attack("temp-table-other-lanes", ShadowGoal, "SQL as each other lane",
            "Each other lane's login (narralytica_worker, narralytica_control, narralytica_reader) creates a temporary table named like a table of the schema",
            "TEMPORARY on the database is taken from PUBLIC and held by narralytica_owner alone",
            async run =>
            {
                var observed = new List<string>();
                foreach (var role in new[] { DatabaseRoles.Worker, DatabaseRoles.Control, DatabaseRoles.Reader })
                    observed.Add(role + " " + await AttackRun.RefusedAsync(() => run.LaneExecuteAsync(role, null, "CREATE TEMPORARY TABLE jobs (LIKE public.jobs)"), Denied));
                return WithoutDatabaseName(run, string.Join("; ", observed));
            });

        yield return new Attack("shadow-search-path", ShadowGoal, Sql,
            "B's pooled connection puts pg_temp first on its session's search path, tries to create a look-alike segments (temporary table, temporary view, a table in the schema, a schema of its own), then runs the data layer's unqualified read on that session",
            "nothing the lane may create can hold a look-alike (no TEMPORARY, no CREATE on the schema or the database); the data source's search path ends with pg_temp",
            async run =>
            {
                await using var connection = await run.AppSource.OpenConnectionAsync();
                var dataSourcePath = await AttackRun.ScalarAsync<string>(connection, "SHOW search_path");
                AttackRun.Expect(dataSourcePath.EndsWith("pg_temp", StringComparison.Ordinal), $"the data source's search path is {dataSourcePath}");
                await AttackRun.ExecuteAsync(connection, "SET search_path = pg_temp, public");
                var attempts = new[]
                {
                    ("temporary table", "CREATE TEMPORARY TABLE segments (LIKE public.segments)"),
                    ("temporary view", "CREATE TEMPORARY VIEW segments AS SELECT * FROM public.segments WHERE false"),
                    ("table in the schema", "CREATE TABLE public.segments_lookalike (LIKE public.segments)"),
                    ("schema", "CREATE SCHEMA lookalike"),
                };
                var refusals = new List<string>();
                foreach (var (what, sql) in attempts)
                    refusals.Add($"{what} {await AttackRun.RefusedAsync(() => AttackRun.ExecuteAsync(connection, sql), Denied)}");
                // The data layer's own statement on the attacker's session: the only segments it can find are the schema's.
                await using var transaction = await connection.BeginTransactionAsync();
                await AttackRun.ScalarAsync<string>(connection, $"SELECT set_config('{Narralytica.Runtime.TenantContext.TenantProofSetting}', $1, true)", TestTenantKey.Proof(run.TenantB));
                var found = await AttackRun.ScalarAsync<long>(connection, "SELECT count(*) FROM segments WHERE tenant_id = $1 AND id = $2", run.TenantB, run.B.Segment.Id);
                await transaction.CommitAsync();
                AttackRun.Expect(found == 1, $"B's own segment read as {found} rows");
                return WithoutDatabaseName(run, $"data source's path {dataSourcePath}; {string.Join("; ", refusals)}; the unqualified read found B's real segment");
            });

        yield return new Attack("bulk-forged-sql", BulkGoal, Sql,
            "B's transaction sends an INSERT … SELECT FROM unnest(…) naming A's tenant, then the data layer's own bulk statement (tenant_id from the proof) with A's transcript",
            "RLS policy tenant_isolation (WITH CHECK); the bulk statement takes tenant_id from the verified proof, and the tenant-leading foreign key refuses A's transcript under B",
            async run =>
            {
                var forged = await AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB,
                    "INSERT INTO segments (tenant_id, id, transcript_id, ordinal, start_ms, end_ms, text) " +
                    "SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::int[], $6::int[], $7::text[])",
                    new[] { run.TenantA }, new[] { Guid.CreateVersion7() }, new[] { run.A.Transcript.Id }, new[] { 66 }, new[] { 0 }, new[] { 10 }, new[] { "forged" }),
                    Denied);
                var viaProof = await AttackRun.RefusedAsync(() => run.AsAppAsync(run.TenantB, connection => BulkSegmentAsync(connection, run.A.Transcript.Id)),
                    PostgresErrorCodes.ForeignKeyViolation);
                AttackRun.Expect(await run.VictimRowsAsync("segments") == 1, "a forged segment was written");
                return $"tenant_id of A: {forged}; the data layer's statement with A's transcript: {viaProof}";
            });

        yield return new Attack("bulk-without-proof", BulkGoal, Sql,
            "A transaction with no valid proof (none, then one signed with a key of the attacker's) sends the data layer's bulk statement",
            "the statement's tenant is the verified proof's: NULL without one, which the policy (and, where no policy runs, tenant_id's NOT NULL) refuses",
            async run =>
            {
                // PostgreSQL checks the policy before NOT NULL: here the policy refuses; where no policy runs (Citus' COPY into shards), NOT NULL does.
                var none = await AttackRun.RefusedAsync(() => run.AsAppAsync(null, connection => BulkSegmentAsync(connection, run.B.Transcript.Id)), Denied);
                var forgedProof = await AttackRun.RefusedAsync(() => run.AsAppAsync(null, async connection =>
                {
                    await AttackRun.ScalarAsync<string>(connection, $"SELECT set_config('{Narralytica.Runtime.TenantContext.TenantProofSetting}', $1, true)", ForgedProofOfA(run));
                    return await BulkSegmentAsync(connection, run.A.Transcript.Id);
                }), Denied);
                AttackRun.Expect(await run.VictimRowsAsync("segments") == 1, "a segment was written without a proof");
                return $"no proof: {none}; a forged proof of A: {forgedProof}";
            });

        yield return new Attack("bulk-worker-claimed-job", BulkGoal, ApiAsWorker,
            "A worker claims B's job and, in the job's scope, bulk-inserts segments with one row naming A, then B's own rows",
            "the scope's tenant check before anything is sent; the statement's tenant is the claimed job's proven tenant",
            async run =>
            {
                await run.B.Scope.EnqueueAsync(new NewJob("ingest"));
                await using var workers = NarralyticaDb.CreateDataSource(run.LaneConnectionString(DatabaseRoles.Worker), TestTenantKey.Key, lane: DatabaseLane.Worker);
                var queue = new JobQueue(workers, new JobQueueOptions { WorkerId = "attack-worker" });
                // The seed may have queued jobs of A too: B's is the one worked on, the others go back.
                var claimed = await queue.ClaimAsync(100);
                var job = claimed.Single(j => j.TenantId == run.TenantB && j.Kind == "ingest");
                foreach (var other in claimed.Where(j => j != job))
                    await queue.ReleaseAsync(other);
                await using var db = new NarralyticaDb(workers);
                var scope = db.ForTenant(job.TenantId);
                Segment NewSegment(Guid tenant, Guid transcript, int ordinal) => new() { TenantId = tenant, TranscriptId = transcript, Ordinal = ordinal, StartMs = ordinal, EndMs = ordinal + 1, Text = "ingested" };
                var forged = await AttackRun.RefusedAsync(() => scope.BulkInsertAsync(new[]
                {
                    NewSegment(run.TenantB, run.B.Transcript.Id, 100), NewSegment(run.TenantA, run.A.Transcript.Id, 101),
                }), AttackRun.ScopeRefusal);
                var written = await scope.BulkInsertAsync(new[] { NewSegment(run.TenantB, run.B.Transcript.Id, 102), NewSegment(Guid.Empty, run.B.Transcript.Id, 103) });
                await queue.CompleteAsync(scope, job);
                var ofB = await run.AdminScalarAsync<long>("SELECT count(*) FROM segments WHERE tenant_id = $1 AND text = 'ingested'", run.TenantB);
                AttackRun.Expect(job.TenantId == run.TenantB && written == 2 && ofB == 2 && await run.VictimRowsAsync("segments") == 1,
                    $"job of {job.TenantId}, {written} written, {ofB} of B, {await run.VictimRowsAsync("segments")} of A");
                return $"row of A: {forged}; B's 2 rows written in the job's tenant, nothing of A";
            });
    }

    /// <summary><paramref name="observed"/> with the run's own database name (it differs from run to run) written as &lt;database&gt;.</summary>
    private static string WithoutDatabaseName(AttackRun run, string observed)
        => observed.Replace(new NpgsqlConnectionStringBuilder(run.AdminConnectionString).Database!, "<database>", StringComparison.Ordinal);

    /// <summary>One segment of <paramref name="transcript"/> through the data layer's bulk statement for segments.</summary>
    private static Task<int> BulkSegmentAsync(NpgsqlConnection connection, Guid transcript)
    {
        // Every column but tenant_id, in declared order: id, transcript_id, speaker_id, ordinal, start_ms, end_ms, text, confidence, created_at, updated_at.
        var now = DateTimeOffset.UtcNow;
        return AttackRun.ExecuteAsync(connection, SegmentsBulkInsert,
            new[] { Guid.CreateVersion7() }, new[] { transcript }, new Guid?[] { null }, new[] { 66 }, new[] { 0 }, new[] { 10 }, new[] { "forged" },
            new float?[] { null }, new[] { now }, new[] { now });
    }
}
