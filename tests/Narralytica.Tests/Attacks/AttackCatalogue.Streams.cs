using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime.Streams;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Tests.Attacks;

/// <summary>
/// The change streams' login (<see cref="AttackDatabase.StreamLogin"/>: REPLICATION, a member of
/// <c>narralytica_reader</c> only, as <c>roles create --stream-login</c> makes it) past its lane, and a member of the
/// readers' role without REPLICATION trying to stream at all. Each attempt runs as that login and nothing stronger.
/// </summary>
public static partial class AttackCatalogue
{
    private const string StreamGoal = "reach past the stream login's lane";
    private const string AsStreamLogin = "SQL as the stream login";
    private const string ApiAsStreamLogin = "API as the stream login";

    private static IEnumerable<Attack> StreamLane()
    {
        yield return new Attack("reader-member-streams", StreamGoal, ApiAsReader,
            "A login that is a member of narralytica_reader but has no REPLICATION of its own creates a slot with a snapshot, or by SQL, to stream every tenant",
            "REPLICATION is a role attribute, which members do not inherit; StreamSnapshot checks it first and says so",
            async run =>
            {
                var options = new ChangeStreamOptions(Unpooled(run.LaneConnectionString(DatabaseRoles.Reader)), NarralyticaStreams.SearchChanges, "attack_reader_member");
                string api;
                try
                {
                    await using var snapshot = await StreamSnapshot.CreateSlotAsync(options, "attack test: a reader streams");
                    throw new Xunit.Sdk.XunitException("The attack got through: a member of narralytica_reader without REPLICATION created a slot");
                }
                catch (ChangeStreamException e) when (e.Problem == ChangeStreamProblem.NotAllowed)
                {
                    api = $"{nameof(ChangeStreamException)} ({e.Problem}: no REPLICATION attribute, not inherited)";
                }
                var sql = await AttackRun.RefusedAsync(() => run.LaneExecuteAsync(DatabaseRoles.Reader, null,
                    "SELECT count(*) FROM pg_create_logical_replication_slot('attack_reader_member', 'pgoutput')"), Denied);
                var slots = await run.AdminScalarAsync<long>("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'attack_reader_member'");
                AttackRun.Expect(slots == 0, $"{slots} slots made");
                return $"{api}; SQL {sql}";
            });

        yield return new Attack("stream-login-writes-nothing", StreamGoal, AsStreamLogin,
            "Under an audit row of its own: insert, update, delete and truncate segments, suspend tenant A, write the audit trail",
            "the stream login holds narralytica_reader's privileges only: SELECT",
            async run =>
            {
                var audit = await AsStreamLoginAsync(run, c => AttackRun.ScalarAsync<Guid>(c, "SELECT narralytica_open_cross_tenant_read('attack test: the stream login writes nothing')"));
                var refusals = new List<string>();
                foreach (var sql in new[]
                {
                    "INSERT INTO segments (tenant_id, id, transcript_id, ordinal, start_ms, end_ms, text) SELECT tenant_id, gen_random_uuid(), transcript_id, 99, 0, 1, 'planted' FROM segments WHERE id = $1",
                    "UPDATE segments SET text = 'hijacked' WHERE id = $1",
                    "DELETE FROM segments WHERE id = $1",
                    "TRUNCATE segments",
                    "UPDATE tenants SET suspended_at = now() WHERE id = (SELECT tenant_id FROM segments WHERE id = $1)",
                    "DELETE FROM narralytica_cross_tenant_audits WHERE id = $1",
                })
                    refusals.Add(await AttackRun.RefusedAsync(() => AsStreamLoginAsync(run,
                        connection => AttackRun.ExecuteAsync(connection, sql, sql.Contains("narralytica_cross_tenant_audits") ? audit : run.A.Segment.Id), audit), Denied));
                var victim = await run.VictimRowsAsync("segments");
                AttackRun.Expect(victim == 1, $"A has {victim} segments");
                return refusals.Distinct().Count() == 1 ? refusals[0] : string.Join("; ", refusals.Distinct());
            });

        yield return new Attack("stream-login-reads-without-audit", StreamGoal, AsStreamLogin,
            "Select every tenant's segments by plain SQL with no audit row, then naming a made-up one",
            "RLS policy reader_cross_tenant_read, which binds the stream login as a member of narralytica_reader: REPLICATION does not bypass row-level security in SQL",
            async run =>
            {
                var none = await AsStreamLoginAsync(run, c => AttackRun.ScalarAsync<long>(c, "SELECT count(*) FROM segments"));
                var forged = await AsStreamLoginAsync(run, c => AttackRun.ScalarAsync<long>(c, "SELECT count(*) FROM segments"), Guid.CreateVersion7());
                AttackRun.Expect(none == 0 && forged == 0, $"{none} and {forged} rows");
                return "0 rows, and 0 rows";
            });

        yield return new Attack("stream-login-publishes-more", StreamGoal, AsStreamLogin,
            "Add the signing-key table to the stream's publication, or publish it (or every table) in one of its own, or drop the publication: a slot streams what is published whatever the grants say",
            "CREATE PUBLICATION needs CREATE on the database (FOR ALL TABLES: a superuser); ALTER and DROP PUBLICATION need its owner, the migrations' role",
            async run =>
            {
                var refusals = new List<string>();
                foreach (var sql in new[]
                {
                    $"ALTER PUBLICATION {NarralyticaStreams.SearchChanges.Publication} ADD TABLE narralytica_tenant_keys",
                    "CREATE PUBLICATION attack_keys FOR TABLE narralytica_tenant_keys",
                    "CREATE PUBLICATION attack_all FOR ALL TABLES",
                    $"DROP PUBLICATION {NarralyticaStreams.SearchChanges.Publication}",
                })
                    refusals.Add(await AttackRun.RefusedAsync(() => AsStreamLoginAsync(run, c => AttackRun.ExecuteAsync(c, sql)), Denied));
                var published = await run.AdminScalarAsync<long>("SELECT count(*) FROM pg_publication_tables WHERE tablename = 'narralytica_tenant_keys'");
                AttackRun.Expect(published == 0, $"the key table is in {published} publications");
                // The database's name (a copy per attack) is left out, so the outcome reads the same on every run.
                var reasons = refusals.Select(r => System.Text.RegularExpressions.Regex.Replace(r.Replace("refused: 42501 ", ""), @" for database \S+", " for the database")).Distinct();
                return $"{refusals.Count} of {refusals.Count} refused (42501): {string.Join("; ", reasons)}";
            });

        yield return new Attack("stream-snapshot-without-justification", StreamGoal, ApiAsStreamLogin,
            "Open the stream's snapshot with a blank justification, or open its audit row by SQL with none",
            "StreamSnapshot.CreateSlotAsync refuses a blank justification before any slot or audit row exists; narralytica_open_cross_tenant_read refuses it too (22023)",
            async run =>
            {
                var options = new ChangeStreamOptions(StreamLoginConnectionString(run), NarralyticaStreams.SearchChanges, "attack_unjustified");
                string api;
                try
                {
                    await using var snapshot = await StreamSnapshot.CreateSlotAsync(options, " \t ");
                    throw new Xunit.Sdk.XunitException("The attack got through: a snapshot was opened without a justification");
                }
                catch (ArgumentException)
                {
                    api = $"{nameof(ArgumentException)}";
                }
                var sql = await AttackRun.RefusedAsync(() => AsStreamLoginAsync(run, c => AttackRun.ScalarAsync<Guid>(c, "SELECT narralytica_open_cross_tenant_read('')")),
                    CallerLanes.RefusedJustificationState);
                var left = await run.AdminScalarAsync<long>(
                    $"SELECT (SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'attack_unjustified') + (SELECT count(*) FROM narralytica_cross_tenant_audits WHERE database_user = '{AttackDatabase.StreamLogin}')");
                AttackRun.Expect(left == 0, $"{left} slots or audit rows made");
                return $"{api}, no slot, no audit row; SQL {sql.Split(" (this one")[0]}";
            });
    }

    private static string Unpooled(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    /// <summary>The attack's database as the stream login: no role set at connection start, it acts as itself.</summary>
    private static string StreamLoginConnectionString(AttackRun run)
        => new NpgsqlConnectionStringBuilder(run.AdminConnectionString) { Username = AttackDatabase.StreamLogin, Password = AttackDatabase.AttackerPassword, Pooling = false }.ConnectionString;

    /// <summary><paramref name="work"/> in one transaction as the stream login, naming <paramref name="audit"/> when given; committed when it returns.</summary>
    private static async Task<T> AsStreamLoginAsync<T>(AttackRun run, Func<NpgsqlConnection, Task<T>> work, Guid? audit = null)
    {
        await using var connection = new NpgsqlConnection(StreamLoginConnectionString(run));
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (audit is { } id)
            await AttackRun.ScalarAsync<string>(connection, $"SELECT set_config('{Narralytica.Runtime.TenantContext.CrossTenantAuditSetting}', $1, true)", id.ToString());
        var result = await work(connection);
        await transaction.CommitAsync();
        return result;
    }
}
