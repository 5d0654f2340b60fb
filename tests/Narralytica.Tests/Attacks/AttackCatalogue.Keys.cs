using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Tests.Attacks;

public static partial class AttackCatalogue
{
    private static IEnumerable<Attack> ReferencesAndKeys()
    {
        yield return new Attack("reference-sql", "point a row at another tenant's row", Sql,
            "B's transaction inserts a B segment whose transcript_id is A's transcript",
            "the composite foreign key (tenant_id, transcript_id)",
            run => AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB,
                "INSERT INTO segments (tenant_id, id, transcript_id, ordinal, start_ms, end_ms, text) VALUES ($1, $2, $3, 7, 0, 10, 'x')",
                run.TenantB, Guid.CreateVersion7(), run.A.Transcript.Id), PostgresErrorCodes.ForeignKeyViolation));

        yield return new Attack("reference-api", "point a row at another tenant's row", Api,
            "B's scope inserts a segment of A's transcript, and repoints its own segment there (UpdateAsync)",
            "the composite foreign key (tenant_id, transcript_id)",
            async run =>
            {
                var insert = await AttackRun.RefusedAsync(() => run.B.Scope.InsertAsync(new Segment { TranscriptId = run.A.Transcript.Id, Ordinal = 1, StartMs = 0, EndMs = 100, Text = "cross" }), PostgresErrorCodes.ForeignKeyViolation);
                run.B.Segment.TranscriptId = run.A.Transcript.Id;
                var update = await AttackRun.RefusedAsync(() => run.B.Scope.UpdateAsync(run.B.Segment), PostgresErrorCodes.ForeignKeyViolation);
                return insert == update ? insert : $"{insert}; update: {update}";
            });

        yield return new Attack("reference-probe", "learn whether another tenant's row exists", Sql,
            "B references A's real transcript id, then a made-up id, and compares the errors",
            "the composite key: (B, A's id) does not exist either way",
            async run =>
            {
                async Task<string> Reference(Guid transcript) => await AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB,
                    "INSERT INTO segments (tenant_id, id, transcript_id, ordinal, start_ms, end_ms, text) VALUES ($1, $2, $3, 8, 0, 10, 'x')",
                    run.TenantB, Guid.CreateVersion7(), transcript), PostgresErrorCodes.ForeignKeyViolation);
                var real = await Reference(run.A.Transcript.Id);
                var madeUp = await Reference(Guid.CreateVersion7());
                AttackRun.Expect(real == madeUp, $"'{real}' differs from '{madeUp}'");
                return "the same error for both: " + real;
            });

        yield return new Attack("unique-side-channel", "learn whether another tenant's row exists", Api,
            "B inserts a video with A's (source, external_id) and a segment with A's segment id, watching for a unique violation",
            "every unique key and primary key leads with tenant_id",
            async run =>
            {
                var twin = new Video { Source = run.A.Video.Source, ExternalId = run.A.Video.ExternalId, Title = "B's twin", Metadata = "{}" };
                await run.B.Scope.InsertAsync(twin);
                await run.B.Scope.InsertAsync(new Segment { Id = run.A.Segment.Id, TranscriptId = run.B.Transcript.Id, Ordinal = 3, StartMs = 0, EndMs = 10, Text = "same id" });
                // The keys still work inside one tenant: B's own duplicate is refused.
                var own = await AttackRun.RefusedAsync(() => run.B.Scope.InsertAsync(new Video { Source = twin.Source, ExternalId = twin.ExternalId, Title = "again", Metadata = "{}" }), PostgresErrorCodes.UniqueViolation);
                var leading = await run.AdminScalarAsync<long>("""
                    SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
                    WHERE i.indisunique AND c.relname = ANY($1) AND (SELECT attname FROM pg_attribute WHERE attrelid = c.oid AND attnum = i.indkey[0]) <> 'tenant_id'
                    """, new object[] { AttackRun.TenantTables });
                AttackRun.Expect(leading == 0, $"{leading} unique keys do not lead with tenant_id; own duplicate: {own}");
                return $"both accepted, no 23505 for A's keys (B's own duplicate: {own})";
            });
    }
}
