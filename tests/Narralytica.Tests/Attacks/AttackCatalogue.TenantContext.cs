using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;
using Narralytica.Tests.Infrastructure;

namespace Narralytica.Tests.Attacks;

public static partial class AttackCatalogue
{
    private const string ContextGoal = "act without a tenant, or with a stale one";

    private static IEnumerable<Attack> TenantContext()
    {
        yield return new Attack("no-tenant-read", ContextGoal, Sql,
            "A transaction with no tenant set selects every tenant table",
            "RLS: the policy compares with NULL",
            async run =>
            {
                long seen = 0;
                foreach (var table in AttackRun.TenantTables)
                    seen += await run.CountAsync(null, $"SELECT count(*) FROM {table}");
                AttackRun.Expect(seen == 0, $"{seen} rows");
                return $"0 rows in all {AttackRun.TenantTables.Length} tenant tables";
            });

        yield return new Attack("no-tenant-write", ContextGoal, Sql,
            "A transaction with no tenant set inserts a B speaker, updates and deletes every segment",
            "RLS policy tenant_isolation",
            async run =>
            {
                var insert = await AttackRun.RefusedAsync(() => run.ExecuteAsync(null,
                    "INSERT INTO speakers (tenant_id, id, video_id, label) VALUES ($1, $2, $3, 'SPEAKER_67')", run.TenantB, Guid.CreateVersion7(), run.B.Video.Id), PostgresErrorCodes.InsufficientPrivilege);
                var changed = await run.ExecuteAsync(null, "UPDATE segments SET text = 'x'") + await run.ExecuteAsync(null, "DELETE FROM segments");
                AttackRun.Expect(changed == 0, $"{changed} rows changed");
                return $"insert {insert}; UPDATE, DELETE: 0 rows";
            });

        yield return new Attack("garbage-tenant", ContextGoal, Sql,
            "The tenant proof setting holds SQL instead of a proof ('x'' OR true --'); the plain tenant setting of older databases holds A's id",
            "the policy's tenant comes from a verified proof only",
            async run =>
            {
                var seen = await run.AsAppAsync<long>(null, async connection =>
                {
                    await AttackRun.ScalarAsync<string>(connection, "SELECT set_config('narralytica.tenant_proof', $1, true)", "x' OR true --");
                    await AttackRun.ScalarAsync<string>(connection, "SELECT set_config('narralytica.tenant_id', $1, true)", run.TenantA.ToString());
                    return await AttackRun.ScalarAsync<long>(connection, "SELECT count(*) FROM segments");
                });
                AttackRun.Expect(seen == 0, $"{seen} rows");
                return "0 rows";
            });

        yield return new Attack("leak-after-api", ContextGoal, Sql,
            "After the data layer served A (a helper, a LINQ query, an insert), the next user of the same pooled connection selects segments",
            "the data layer sets the tenant per transaction, never per session",
            run => NextUserSeesAsync(run, async source =>
            {
                await using var db = new NarralyticaDb(source);
                var scope = db.ForTenant(run.TenantA);
                await scope.TranscriptSegmentsAsync(run.A.Transcript.Id);
                await LinqToDB.Async.AsyncExtensions.ToListAsync(scope.Videos);
                await scope.InsertAsync(new Speaker { VideoId = run.A.Video.Id, Label = "SPEAKER_02", Metadata = "{}" });
            }));

        yield return new Attack("leak-after-transaction", ContextGoal, Sql,
            "After a committed transaction of A's scope (InTransactionAsync), the next user of the same pooled connection selects segments",
            "set_config(…, true) ends with the transaction",
            run => NextUserSeesAsync(run, async source =>
            {
                await using var db = new NarralyticaDb(source);
                await db.ForTenant(run.TenantA).InTransactionAsync(scope => scope.SpeakerSegmentsAsync(run.A.Speaker.Id));
            }));

        yield return new Attack("leak-session-setting", ContextGoal, Sql,
            "Hand-written code sets A's tenant for the whole session (set_config(…, false)) and returns the connection to the pool",
            "Npgsql resets a pooled connection's session state (DISCARD ALL) before the next user",
            run => NextUserSeesAsync(run, async source =>
            {
                await using var connection = await source.OpenConnectionAsync();
                await AttackRun.ScalarAsync<string>(connection, "SELECT set_config('narralytica.tenant_proof', $1, false)", TestTenantKey.Proof(run.TenantA));
            }));
    }

    /// <summary>
    /// Runs <paramref name="firstUser"/> on a pool of one connection, then lets a second user of that same physical
    /// connection count segments without setting any tenant. Any row seen is a tenant leaked from the first user.
    /// </summary>
    private static async Task<string> NextUserSeesAsync(AttackRun run, Func<NpgsqlDataSource, Task> firstUser)
    {
        var single = new NpgsqlConnectionStringBuilder(run.AppConnectionString) { MaxPoolSize = 1 }.ConnectionString;
        await using var source = TestTenantKey.CreateDataSource(single);
        int firstProcess;
        await using (var connection = await source.OpenConnectionAsync())
            firstProcess = connection.ProcessID;
        await firstUser(source);
        await using var next = await source.OpenConnectionAsync();
        var seen = await AttackRun.ScalarAsync<long>(next, "SELECT count(*) FROM segments");
        var setting = await AttackRun.ScalarAsync<object>(next, "SELECT coalesce(current_setting('narralytica.tenant_proof', true), '')");
        AttackRun.Expect(next.ProcessID == firstProcess && seen == 0 && (string)setting == "", $"{seen} rows, tenant proof setting '{setting}' (process {next.ProcessID} after {firstProcess})");
        return "same server process, tenant proof setting empty, 0 rows";
    }
}
