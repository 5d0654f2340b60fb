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
    public Task Without_a_policy_on_the_write_the_bulk_statement_still_writes_only_the_proven_tenant_and_nothing_without_a_proof()
        => ProvenTenantBulkWrites.AssertOnlyTheProvenTenantAsync(_postgres, rowsPerWrite: 1, firstOrdinal: 70, BulkSegmentAsync);

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
