using System;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Attacks;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Migrations;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Citus;

/// <summary>
/// The bulk insert under the Citus forms, and its statement's own guarantee: Citus runs an <c>INSERT … SELECT</c> from a
/// non-distributed source (the unnest of the parameters) by pulling the rows to the coordinator and copying them into the
/// shards, a path on which the policies are not what decides (on the cluster tried, the workers refuse that COPY under
/// row-level security: docs/citus.md). So the statement must be tenant-safe by itself: here a database with the Citus forms
/// has row-level security turned off on <c>segments</c>, and the data layer's statement, run as a login that is only a
/// member of <c>narralytica_app</c>, still writes only the proven tenant, and nothing without a valid proof.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CitusBulkInsertTests
{
    private static readonly SchemaModel Model = SchemaWorkspace.Compile(RepositoryFiles.SchemaText);
    private static readonly string SegmentsBulkInsert = BulkInsertSql.Insert(Model.FindTable("segments")!);

    private readonly PostgresFixture _postgres;

    public CitusBulkInsertTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public async Task Without_a_policy_on_the_write_the_bulk_statement_still_writes_only_the_proven_tenant_and_nothing_without_a_proof()
    {
        await using var run = await AttackRun.StartAsync(await CitusFormAttackTests.CreateAsync(_postgres));
        await using (var admin = new NpgsqlConnection(run.AdminConnectionString))
        {
            await admin.OpenAsync();
            await AttackRun.ExecuteAsync(admin, "ALTER TABLE segments DISABLE ROW LEVEL SECURITY");
        }
        var victimBefore = await run.VictimRowsAsync("segments");

        // B's proof: the row is B's, whatever the caller meant; A's transcript does not exist under B.
        var written = await run.AsAppAsync(run.TenantB, connection => BulkSegmentAsync(connection, run.B.Transcript.Id, 70));
        var ofB = await run.AdminScalarAsync<long>("SELECT count(*) FROM segments WHERE tenant_id = $1 AND ordinal = 70", run.TenantB);
        var crossing = await AttackRun.RefusedAsync(() => run.AsAppAsync(run.TenantB, connection => BulkSegmentAsync(connection, run.A.Transcript.Id, 71)),
            PostgresErrorCodes.ForeignKeyViolation);

        // No proof, or one signed with a key of the caller's own: no tenant, and tenant_id's NOT NULL refuses every row.
        var none = await AttackRun.RefusedAsync(() => run.AsAppAsync(null, connection => BulkSegmentAsync(connection, run.A.Transcript.Id, 72)),
            PostgresErrorCodes.NotNullViolation);
        var forged = await AttackRun.RefusedAsync(() => run.AsAppAsync(null, async connection =>
        {
            var proof = TestTenantKey.Proof(run.TenantA, secret: System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            await AttackRun.ScalarAsync<string>(connection, $"SELECT set_config('{Narralytica.Runtime.TenantContext.TenantProofSetting}', $1, true)", proof);
            return await BulkSegmentAsync(connection, run.A.Transcript.Id, 73);
        }), PostgresErrorCodes.NotNullViolation);

        Assert.Equal(1, written);
        Assert.Equal(1, ofB);
        Assert.Equal(victimBefore, await run.VictimRowsAsync("segments"));
        Assert.Contains("23503", crossing);
        Assert.Contains("23502", none);
        Assert.Contains("23502", forged);
    }

    [Fact]
    public async Task The_generated_BulkInsertAsync_works_under_the_Citus_forms()
    {
        await using var run = await AttackRun.StartAsync(await CitusFormAttackTests.CreateAsync(_postgres));
        var rows = Enumerable.Range(200, 25)
            .Select(i => new Segment { TranscriptId = run.B.Transcript.Id, Ordinal = i, StartMs = i, EndMs = i + 1, Text = "citus form " + i })
            .ToArray();
        Assert.Equal(25UL, await run.B.Scope.BulkInsertAsync(rows));
        Assert.Equal(25L, await run.AdminScalarAsync<long>("SELECT count(*) FROM segments WHERE tenant_id = $1 AND text LIKE 'citus form %'", run.TenantB));
    }

    /// <summary>One segment through the data layer's bulk statement for segments (every column but tenant_id, in declared order).</summary>
    private static Task<int> BulkSegmentAsync(NpgsqlConnection connection, Guid transcript, int ordinal)
    {
        var now = DateTimeOffset.UtcNow;
        return AttackRun.ExecuteAsync(connection, SegmentsBulkInsert,
            new[] { Guid.CreateVersion7() }, new[] { transcript }, new Guid?[] { null }, new[] { ordinal }, new[] { 0 }, new[] { 10 }, new[] { "bulk" },
            new float?[] { null }, new[] { now }, new[] { now });
    }
}
