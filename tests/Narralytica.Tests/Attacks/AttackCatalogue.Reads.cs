using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Async;
using Narralytica.Model;

namespace Narralytica.Tests.Attacks;

public static partial class AttackCatalogue
{
    private const string ReadGoal = "read another tenant's rows";

    private static IEnumerable<Attack> Reads()
    {
        yield return new Attack("read-by-id", ReadGoal, Sql,
            "B's transaction selects A's segment by its tenant and id",
            "RLS policy tenant_isolation",
            async run =>
            {
                var seen = await run.CountAsync(run.TenantB, "SELECT count(*) FROM segments WHERE tenant_id = $1 AND id = $2", run.TenantA, run.A.Segment.Id);
                AttackRun.Expect(seen == 0 && await run.VictimRowsAsync("segments") > 0, $"{seen} rows");
                return $"{seen} rows";
            });

        yield return new Attack("read-every-table", ReadGoal, Sql,
            "B's transaction selects every row of every tenant table that is not B's",
            "RLS policy tenant_isolation",
            async run =>
            {
                long seen = 0, existing = 0;
                foreach (var table in AttackRun.TenantTables)
                {
                    seen += await run.CountAsync(run.TenantB, $"SELECT count(*) FROM {table} WHERE tenant_id <> $1", run.TenantB);
                    existing += await run.VictimRowsAsync(table);
                }
                AttackRun.Expect(seen == 0 && existing >= AttackRun.TenantTables.Length, $"{seen} of A's {existing} rows");
                return $"0 of A's {existing} rows, in all {AttackRun.TenantTables.Length} tenant tables";
            });

        yield return new Attack("read-find", ReadGoal, Api,
            "B's scope finds A's rows by key (FindSegmentAsync, FindLayerAsync, FindAuditLogAsync, …)",
            "the statement's tenant_id = @tenant; RLS",
            async run =>
            {
                var scope = run.B.Scope;
                var found = new object?[]
                {
                    await scope.FindSegmentAsync(run.A.Segment.Id), await scope.FindVideoAsync(run.A.Video.Id), await scope.FindLayerAsync(run.A.Layer.Id),
                    await scope.FindJobAsync(run.A.Job.Id), await scope.FindAuditLogAsync(run.A.Audit.Id), await scope.FindMembershipAsync(run.A.Membership.Id),
                };
                var hits = found.Count(f => f is not null);
                AttackRun.Expect(hits == 0, $"{hits} of A's rows found");
                return $"null for all {found.Length}";
            });

        yield return new Attack("read-query-forged-tenant", ReadGoal, Api,
            "B's scope queries segments whose tenant_id is A's (LINQ), and A's transcript through TranscriptSegmentsAsync",
            "the scope's tenant_id = @tenant; RLS",
            async run =>
            {
                var linq = await run.B.Scope.Segments.Where(s => s.TenantId == run.TenantA).CountAsync();
                var helper = (await run.B.Scope.TranscriptSegmentsAsync(run.A.Transcript.Id)).Count;
                AttackRun.Expect(linq == 0 && helper == 0, $"{linq} + {helper} rows");
                return "0 rows";
            });

        yield return new Attack("read-escape-hatch-forged", ReadGoal, Sql,
            "B's transaction names a made-up audit row in narralytica.cross_tenant_audit to open the escape hatch",
            "narralytica_app has no cross-tenant policy at all: only tenant_isolation applies to it",
            async run =>
            {
                var seen = await VictimSegmentsSeenWithAuditAsync(run, System.Guid.CreateVersion7());
                AttackRun.Expect(seen == 0, $"{seen} rows");
                return $"{seen} rows";
            });

        yield return new Attack("read-escape-hatch-borrowed", ReadGoal, Sql,
            "B's transaction names a real, unexpired audit row written for its own login",
            "narralytica_app has no cross-tenant policy at all (the readers' policy applies to narralytica_reader only)",
            async run =>
            {
                var borrowed = System.Guid.CreateVersion7();
                await run.AdminScalarAsync<int>(
                    $"WITH a AS (INSERT INTO narralytica_cross_tenant_audits (id, justification, database_user, expires_at) VALUES ($1, 'support ticket', '{AttackDatabase.AttackerLogin}', now() + interval '1 hour') RETURNING 1) SELECT count(*)::int FROM a",
                    borrowed);
                var seen = await VictimSegmentsSeenWithAuditAsync(run, borrowed);
                AttackRun.Expect(seen == 0, $"{seen} rows");
                return $"{seen} rows";
            });
    }

    /// <summary>A's segments as B's transaction sees them when it names <paramref name="audit"/> as its escape-hatch audit row.</summary>
    private static Task<long> VictimSegmentsSeenWithAuditAsync(AttackRun run, System.Guid audit)
        => run.AsAppAsync(run.TenantB, async connection =>
        {
            await AttackRun.ScalarAsync<string>(connection, "SELECT set_config('narralytica.cross_tenant_audit', $1, true)", audit.ToString());
            return await AttackRun.ScalarAsync<long>(connection, "SELECT count(*) FROM segments WHERE tenant_id = $1", run.TenantA);
        });
}
