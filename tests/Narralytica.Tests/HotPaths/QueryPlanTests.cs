using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Narralytica.Dataset;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.HotPaths;

/// <summary>
/// EXPLAIN of every statement in <see cref="NarralyticaQueries.All"/>, with real arguments, on the analyzed
/// data set: the helper's table is read through an index, and nothing is read by a sequential scan. On the
/// data set's big tables (segments, layers) that is the planner's own choice. Its other tables hold a few
/// rows, which PostgreSQL rightly reads whole; there the plan is taken with <c>enable_seqscan = off</c>, which
/// still shows whether an index can answer the statement (without one, the plan stays a sequential scan).
/// The plans are taken as the application role (<c>narralytica_app</c>), with the tenant of the arguments
/// set, as the data layer runs them, so row-level security's policies are part of every plan. A helper added to schema.yaml without arguments here fails the coverage test.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class QueryPlanTests
{
    private readonly PostgresFixture _postgres;

    public QueryPlanTests(PostgresFixture postgres) => _postgres = postgres;

    public static IEnumerable<object[]> Helpers => NarralyticaQueries.All.Select(q => new object[] { q.Helper });

    /// <summary>The arguments ($1, $2, …) each helper's statement is explained with.</summary>
    private static Dictionary<string, object[]> Arguments(TranscriptDataset data)
    {
        var tenant = data.Tenants[0];
        var content = data.Content(tenant, 5);
        var (from, to) = content.WindowOver(data.Options.SegmentsPerTranscript / 2, 20);
        var segments = content.Segments.Skip(100).Take(20).Select(s => s.Id).ToArray();
        var arguments = new Dictionary<string, object[]>
        {
            ["TenantScope.SegmentsInWindowAsync"] = new object[] { tenant.Id, content.Header.Transcript.Id, from, to },
            ["TenantScope.TranscriptSegmentsAsync"] = new object[] { tenant.Id, content.Header.Transcript.Id },
            ["TenantScope.SpeakerSegmentsAsync"] = new object[] { tenant.Id, content.Segments.First(s => s.SpeakerId is not null).SpeakerId!.Value },
            ["TenantScope.SegmentFeedAsync"] = new object[] { tenant.Id, content.Segments[0].Id, 1000 },
            ["TenantScope.LatestLayersAsync"] = new object[] { tenant.Id, segments, data.Options.LayerKinds[0] },
            ["TenantScope.LayerHistoryAsync"] = new object[] { tenant.Id, segments[0], data.Options.LayerKinds[0] },
        };
        // Find by key: the tenant (tenant-scoped tables) and key values; every key of this schema is uuid.
        foreach (var find in NarralyticaQueries.All.Where(q => q.Helper.Contains(".Find")))
        {
            var keys = find.Sql.Count(c => c == '$');
            arguments[find.Helper] = find.Helper.StartsWith("TenantScope.")
                ? new object[] { tenant.Id }.Concat(Enumerable.Repeat<object>(segments[1], keys - 1)).ToArray()
                : Enumerable.Repeat<object>(tenant.Id, keys).ToArray();
        }
        return arguments;
    }

    [Fact]
    public async Task Every_generated_statement_has_arguments_here()
    {
        var data = (await LoadedDataset.GetAsync(_postgres)).Dataset;
        var missing = NarralyticaQueries.All.Select(q => q.Helper).Except(Arguments(data).Keys).ToList();
        Assert.True(missing.Count == 0, "give EXPLAIN arguments for: " + string.Join(", ", missing));
        Assert.Contains(NarralyticaQueries.All, q => q.Helper == "TenantScope.SegmentsInWindowAsync" && q.Index == "ix_segments_transcript_id_start_ms");
    }

    [Theory]
    [MemberData(nameof(Helpers))]
    public async Task The_statement_is_answered_by_its_index_without_a_sequential_scan(string helper)
    {
        var loaded = await LoadedDataset.GetAsync(_postgres);
        var query = NarralyticaQueries.All.Single(q => q.Helper == helper);
        await using var dataSource = TestTenantKey.CreateDataSource(loaded.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        var arguments = Arguments(loaded.Dataset)[helper];
        await using (var asApplication = new NpgsqlCommand("SET ROLE narralytica_app; SELECT set_config('narralytica.tenant_proof', @proof, false)", connection))
        {
            asApplication.Parameters.AddWithValue("proof", TestTenantKey.Proof((Guid)arguments[0]));
            await asApplication.ExecuteNonQueryAsync();
        }
        await using (var role = new NpgsqlCommand("SELECT current_user", connection))
            Assert.Equal("narralytica_app", (string)(await role.ExecuteScalarAsync())!);
        await using (var size = new NpgsqlCommand("SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)", connection))
        {
            size.Parameters.Add(new NpgsqlParameter { Value = query.Table });
            if ((float)(await size.ExecuteScalarAsync())! < 10_000)
                await new NpgsqlCommand("SET enable_seqscan = off", connection).ExecuteNonQueryAsync();
        }
        await using var command = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + query.Sql, connection);
        foreach (var argument in arguments)
            command.Parameters.Add(new NpgsqlParameter { Value = argument });
        var plan = (string)(await command.ExecuteScalarAsync())!;

        var nodes = new List<JsonElement>();
        Collect(JsonDocument.Parse(plan).RootElement[0].GetProperty("Plan"), nodes);
        var summary = string.Join("; ", nodes.Select(n => n.GetProperty("Node Type").GetString() +
            (n.TryGetProperty("Index Name", out var index) ? " using " + index.GetString() : "") +
            (n.TryGetProperty("Relation Name", out var relation) ? " on " + relation.GetString() : "")));
        // Row-level security adds the escape hatch's policy: one lookup of the audit row the transaction names, an
        // InitPlan run once per statement. The data set's audit table is analyzed and empty, so PostgreSQL rightly
        // reads it whole; with rows in it the lookup is an index scan of its primary key.
        var auditLookups = nodes.Where(n => n.TryGetProperty("Relation Name", out var relation) && relation.GetString() == TenantIsolation.AuditTable).ToList();
        Assert.All(auditLookups, n => Assert.Equal("InitPlan", n.GetProperty("Parent Relationship").GetString()));
        Assert.False(nodes.Except(auditLookups).Any(n => n.GetProperty("Node Type").GetString() == "Seq Scan"), $"{helper}: a sequential scan; the plan is: {summary}");
        var indexScans = new[] { "Index Scan", "Index Only Scan", "Bitmap Heap Scan" }; // a bitmap heap scan reads what its index scan found
        Assert.True(nodes.Any(n => indexScans.Contains(n.GetProperty("Node Type").GetString())
                                   && n.TryGetProperty("Relation Name", out var relation) && relation.GetString() == query.Table),
            $"{helper}: expected an index scan of {query.Table} (schema.yaml's validation names {query.Index}); the plan is: {summary}");
    }

    private static void Collect(JsonElement node, List<JsonElement> nodes)
    {
        nodes.Add(node);
        if (node.TryGetProperty("Plans", out var children))
            foreach (var child in children.EnumerateArray())
                Collect(child, nodes);
    }
}
