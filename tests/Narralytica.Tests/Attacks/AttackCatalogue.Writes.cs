using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LinqToDB;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Tests.Attacks;

public static partial class AttackCatalogue
{
    private static IEnumerable<Attack> Writes()
    {
        yield return new Attack("update-sql", "change another tenant's rows", Sql,
            "B's transaction updates A's segment by id",
            "RLS policy tenant_isolation (USING)",
            async run =>
            {
                var changed = await run.ExecuteAsync(run.TenantB, "UPDATE segments SET text = 'hijacked' WHERE id = $1", run.A.Segment.Id);
                var intact = await run.AdminScalarAsync<string>("SELECT text FROM segments WHERE id = $1", run.A.Segment.Id) == run.A.Segment.Text;
                AttackRun.Expect(changed == 0 && intact, $"{changed} rows");
                return $"{changed} rows updated";
            });

        yield return new Attack("update-api", "change another tenant's rows", Api,
            "B's scope updates A's segment (UpdateAsync), a copy relabelled with B's tenant, and a set-based update",
            "the scope's tenant check; the key includes tenant_id; RLS",
            async run =>
            {
                var refused = await AttackRun.RefusedAsync(() => run.B.Scope.UpdateAsync(run.A.Segment), AttackRun.ScopeRefusal);
                var disguised = new Segment { TenantId = run.TenantB, Id = run.A.Segment.Id, TranscriptId = run.B.Transcript.Id, Ordinal = 9, StartMs = 0, EndMs = 10, Text = "hijacked" };
                var changed = await run.B.Scope.UpdateAsync(disguised)
                    + await run.B.Scope.Segments.Where(s => s.Id == run.A.Segment.Id).Set(s => s.Text, "hijacked").UpdateAsync();
                AttackRun.Expect(changed == 0, $"{changed} rows");
                return $"{refused}; relabelled copy and set-based update: 0 rows";
            });

        yield return new Attack("delete-sql", "delete another tenant's rows", Sql,
            "B's transaction deletes A's video (and with it, by cascade, its transcripts)",
            "RLS policy tenant_isolation (USING)",
            async run =>
            {
                var deleted = await run.ExecuteAsync(run.TenantB, "DELETE FROM videos WHERE id = $1", run.A.Video.Id);
                var still = await run.AdminScalarAsync<long>("SELECT count(*) FROM videos WHERE id = $1", run.A.Video.Id);
                AttackRun.Expect(deleted == 0 && still == 1, $"{deleted} rows");
                return $"{deleted} rows deleted";
            });

        yield return new Attack("delete-api", "delete another tenant's rows", Api,
            "B's scope deletes A's job (DeleteAsync) and A's jobs by a set-based delete",
            "the scope's tenant check; its tenant_id = @tenant; RLS",
            async run =>
            {
                var refused = await AttackRun.RefusedAsync(() => run.B.Scope.DeleteAsync(run.A.Job), AttackRun.ScopeRefusal);
                var deleted = await run.B.Scope.Jobs.Where(j => j.Id == run.A.Job.Id).DeleteAsync();
                AttackRun.Expect(deleted == 0 && await run.VictimRowsAsync("jobs") == 1, $"{deleted} rows");
                return $"{refused}; set-based: 0 rows";
            });

        yield return new Attack("insert-sql", "write rows into another tenant", Sql,
            "B's transaction inserts a speaker stamped with A's tenant",
            "RLS policy tenant_isolation (WITH CHECK)",
            run => AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB,
                "INSERT INTO speakers (tenant_id, id, video_id, label) VALUES ($1, $2, $3, 'SPEAKER_66')", run.TenantA, Guid.CreateVersion7(), run.A.Video.Id), PostgresErrorCodes.InsufficientPrivilege));

        yield return new Attack("insert-api", "write rows into another tenant", Api,
            "B's scope inserts a speaker whose TenantId is A's (InsertAsync), and a segment of A by BulkInsertAsync",
            "the scope's tenant check; RLS",
            async run =>
            {
                var insert = await AttackRun.RefusedAsync(() => run.B.Scope.InsertAsync(new Speaker { TenantId = run.TenantA, VideoId = run.A.Video.Id, Label = "SPEAKER_66", Metadata = "{}" }), AttackRun.ScopeRefusal);
                var bulk = await AttackRun.RefusedAsync(() => run.B.Scope.BulkInsertAsync(new[]
                {
                    new Segment { TenantId = run.TenantA, TranscriptId = run.A.Transcript.Id, Ordinal = 66, StartMs = 0, EndMs = 10, Text = "forged" },
                }), AttackRun.ScopeRefusal);
                AttackRun.Expect(await run.VictimRowsAsync("speakers") == 1 && await run.VictimRowsAsync("segments") == 1, "a forged row was written");
                return insert == bulk ? insert : $"{insert}; bulk: {bulk}";
            });

        yield return new Attack("move-row-sql", "write rows into another tenant", Sql,
            "B's transaction rewrites the tenant_id of its own segment to A's",
            "RLS policy tenant_isolation (WITH CHECK)",
            run => AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB, "UPDATE segments SET tenant_id = $1 WHERE id = $2", run.TenantA, run.B.Segment.Id), PostgresErrorCodes.InsufficientPrivilege));

        yield return new Attack("checkpoint-api", "read or move another tenant's pipeline checkpoint", Api,
            "B's scope reads the stage A's checkpoint is at, and advances it from the checkpoint A read (scope.Checkpoints)",
            "the checkpoint statements' tenant_id = $1, the scope's tenant; RLS",
            async run =>
            {
                var victim = await run.A.Scope.Checkpoints.AdvanceAsync("ingest", "private", null,
                    new StageProgress<string, Dictionary<string, int>>("a-7", new() { ["secret"] = 7 }));
                var seen = await run.B.Scope.Checkpoints.ReadAsync<string, Dictionary<string, int>>("ingest", "private");
                string moved;
                try
                {
                    await run.B.Scope.Checkpoints.AdvanceAsync("ingest", "private", victim, new StageProgress<string, Dictionary<string, int>>("b-0", new()));
                    moved = "advanced";
                }
                catch (CheckpointConflictException)
                {
                    moved = "refused: " + nameof(CheckpointConflictException) + " (B's tenant has no such checkpoint)";
                }
                var intact = await run.AdminScalarAsync<string>("SELECT position FROM pipeline_checkpoints WHERE tenant_id = $1 AND stage = 'private'", run.TenantA) == "a-7";
                AttackRun.Expect(seen is null && moved != "advanced" && intact, $"read: {seen?.Position ?? "nothing"}; advance: {moved}; A's intact: {intact}");
                return $"read: nothing; advance {moved}";
            });
    }
}
