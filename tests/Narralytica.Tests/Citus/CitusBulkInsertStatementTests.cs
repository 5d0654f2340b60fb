using System;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql.Citus;
using Narralytica.Tests.Attacks;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Migrations;
using Npgsql;
using NpgsqlTypes;
using Xunit;

namespace Narralytica.Tests.Citus;

/// <summary>
/// The Citus target's bulk statement (<see cref="CitusBulkInsert"/>): a multi-row <c>INSERT … VALUES</c> whose every row
/// takes its tenant from the verified proof, which Citus routes to the tenant's shard where the plain target's
/// <c>INSERT … SELECT … FROM unnest(…)</c> becomes a COPY the workers refuse (docs/citus.md). Here on plain PostgreSQL
/// with the Citus forms, run as a login that is only a member of <c>narralytica_app</c>: with row-level security off on
/// <c>segments</c> (a write no policy checks) it still writes only the proven tenant, and nothing without a valid proof;
/// and the runtime's <c>CitusBulkInsertAsync</c> writes a large input all or nothing, in statements of bounded sizes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CitusBulkInsertStatementTests
{
    private static readonly Table Segments = SchemaWorkspace.Compile(RepositoryFiles.SchemaText).FindTable("segments")!;

    private readonly PostgresFixture _postgres;

    public CitusBulkInsertStatementTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public void Every_row_names_the_verifying_function_and_every_value_is_a_parameter_of_its_own()
    {
        Assert.Equal(
            "INSERT INTO segments (tenant_id, id, transcript_id, speaker_id, ordinal, start_ms, end_ms, text, confidence, created_at, updated_at) VALUES " +
            "(narralytica_proven_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10), (narralytica_proven_tenant(), $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
            CitusBulkInsert.Statement(Segments, 2));
        // The runtime writes the same text from the generated head.
        Assert.Equal(CitusBulkInsert.Statement(Segments, 3),
            NarralyticaDb.MultiRowInsert(CitusBulkInsert.Head(Segments), CitusBulkInsert.RowTenant, CitusBulkInsert.ParametersPerRow(Segments), 3));
        Assert.Equal(1000, CitusBulkInsert.RowsPerStatement(Segments));
        Assert.DoesNotContain("SELECT", CitusBulkInsert.Statement(Segments, 2), StringComparison.Ordinal);
    }

    [Fact]
    public Task Without_a_policy_on_the_write_the_multi_row_statement_still_writes_only_the_proven_tenant_and_nothing_without_a_proof()
        => ProvenTenantBulkWrites.AssertOnlyTheProvenTenantAsync(_postgres, rowsPerWrite: 2, firstOrdinal: 80, TwoSegmentsAsync);

    [Fact]
    public async Task CitusBulkInsertAsync_writes_a_large_input_for_the_scope_s_tenant_all_or_nothing()
    {
        await using var run = await AttackRun.StartAsync(await CitusFormAttackTests.CreateAsync(_postgres));
        var scope = run.B.Scope;
        // 2,345 rows: two statements of 1,000, then 256, 64, 16, 8 and 1.
        var rows = Enumerable.Range(1_000, 2_345).Select(i => Segment(run.B.Transcript.Id, i)).ToArray();
        Assert.Equal(2_345UL, await InsertAsync(scope, rows));
        Assert.Equal(2_345L, await run.AdminScalarAsync<long>("SELECT count(*) FROM segments WHERE tenant_id = $1 AND text = 'citus bulk'", run.TenantB));

        // A row naming another tenant is refused by the scope before anything is sent.
        var foreign = Segment(run.B.Transcript.Id, 5_000);
        foreign.TenantId = run.TenantA;
        await Assert.ThrowsAsync<TenantMismatchException>(() => InsertAsync(scope, new[] { Segment(run.B.Transcript.Id, 5_001), foreign }));

        // A row the database refuses in the last statement (a duplicate ordinal): nothing of the call remains.
        var failing = Enumerable.Range(6_000, 1_200).Select(i => Segment(run.B.Transcript.Id, i)).Append(Segment(run.B.Transcript.Id, 6_000)).ToArray();
        var refused = await Assert.ThrowsAsync<PostgresException>(() => InsertAsync(scope, failing));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, refused.SqlState);
        Assert.Equal(0L, await run.AdminScalarAsync<long>("SELECT count(*) FROM segments WHERE tenant_id = $1 AND ordinal >= 5000", run.TenantB));
    }

    private static Segment Segment(Guid transcript, int ordinal)
        => new() { TranscriptId = transcript, Ordinal = ordinal, StartMs = ordinal, EndMs = ordinal + 1, Text = "citus bulk" };

    /// <summary>What the layer generated for the Citus target does for segments (its <c>SegmentRows</c> members), written out here.</summary>
    private static Task<ulong> InsertAsync(TenantScope scope, Segment[] rows)
    {
        var perRow = CitusBulkInsert.ParametersPerRow(Segments);
        var head = CitusBulkInsert.Head(Segments);
        return scope.Db.CitusBulkInsertAsync(scope.TenantId, count => NarralyticaDb.MultiRowInsert(head, CitusBulkInsert.RowTenant, perRow, count),
            CitusBulkInsert.RowsPerStatement(Segments), rows,
            row =>
            {
                row.TenantId = scope.ClaimTenant(row.TenantId, "segments");
                row.Id = Guid.CreateVersion7();
                row.CreatedAt = row.UpdatedAt = DateTimeOffset.UtcNow;
            },
            (parameters, count) =>
            {
                for (var i = 0; i < count; i++)
                {
                    parameters.Add(new NpgsqlParameter<Guid> { NpgsqlDbType = NpgsqlDbType.Uuid });
                    parameters.Add(new NpgsqlParameter<Guid> { NpgsqlDbType = NpgsqlDbType.Uuid });
                    parameters.Add(new NpgsqlParameter<Guid?> { NpgsqlDbType = NpgsqlDbType.Uuid });
                    parameters.Add(new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer });
                    parameters.Add(new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer });
                    parameters.Add(new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer });
                    parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
                    parameters.Add(new NpgsqlParameter<float?> { NpgsqlDbType = NpgsqlDbType.Real });
                    parameters.Add(new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz });
                    parameters.Add(new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz });
                }
            },
            (parameters, chunk, start, count) =>
            {
                for (var i = 0; i < count; i++)
                {
                    var row = chunk[start + i];
                    var first = i * perRow;
                    ((NpgsqlParameter<Guid>)parameters[first]).TypedValue = row.Id;
                    ((NpgsqlParameter<Guid>)parameters[first + 1]).TypedValue = row.TranscriptId;
                    ((NpgsqlParameter<Guid?>)parameters[first + 2]).TypedValue = row.SpeakerId;
                    ((NpgsqlParameter<int>)parameters[first + 3]).TypedValue = row.Ordinal;
                    ((NpgsqlParameter<int>)parameters[first + 4]).TypedValue = row.StartMs;
                    ((NpgsqlParameter<int>)parameters[first + 5]).TypedValue = row.EndMs;
                    ((NpgsqlParameter<string>)parameters[first + 6]).TypedValue = row.Text;
                    ((NpgsqlParameter<float?>)parameters[first + 7]).TypedValue = row.Confidence;
                    ((NpgsqlParameter<DateTimeOffset>)parameters[first + 8]).TypedValue = row.CreatedAt;
                    ((NpgsqlParameter<DateTimeOffset>)parameters[first + 9]).TypedValue = row.UpdatedAt;
                }
            }, default);
    }

    /// <summary>Two segments through the Citus target's statement for segments (every column but tenant_id, in declared order, per row).</summary>
    private static Task<int> TwoSegmentsAsync(NpgsqlConnection connection, Guid transcript, int ordinal)
    {
        var now = DateTimeOffset.UtcNow;
        object Row(int offset, int column) => column switch
        {
            0 => Guid.CreateVersion7(), 1 => transcript, 2 => DBNull.Value, 3 => ordinal + offset, 4 => 0, 5 => 10, 6 => "bulk",
            7 => DBNull.Value, _ => now,
        };
        var values = Enumerable.Range(0, 2).SelectMany(row => Enumerable.Range(0, 10).Select(column => Row(row, column))).ToArray();
        return AttackRun.ExecuteAsync(connection, CitusBulkInsert.Statement(Segments, 2), values);
    }
}
