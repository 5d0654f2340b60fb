using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Schema.Sql.Citus;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Integration;
using Narralytica.Tests.Migrations;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Citus;

/// <summary>
/// The read paths of the Citus target: every statement it generates has the shape Citus routes to one shard in a
/// generic plan too (one table in FROM, <c>tenant_id = $1</c> at the top of WHERE), and the forms that differ from the
/// plain target's (the latest versions of a set, the feed's page) return the same rows, in custom and generic plans.
/// </summary>
public class CitusReadPathTests : DatabaseTest
{
    public CitusReadPathTests(PostgresFixture postgres) : base(postgres) { }

    private static readonly SchemaModel Plain = SchemaWorkspace.Compile(RepositoryFiles.SchemaText);
    private static readonly SchemaModel Citus = SchemaWorkspace.Compile("target: citus\n" + RepositoryFiles.SchemaText);

    private static Table Segments => Plain.FindTable("segments")!;
    private static Table Layers => Plain.FindTable("layers")!;
    private static Feed SegmentFeed => Segments.Feeds.Single(f => f.Name == "segment_feed");
    private static NamedQuery LatestLayers => Layers.Queries.Single(q => q.Name == "latest_layers");

    /// <summary>Every statement the generated data layer of the Citus target sends for its read paths, by name.</summary>
    private static IEnumerable<(string Name, Table Table, string Sql)> CitusStatements()
    {
        foreach (var table in Citus.Tables)
        {
            yield return ($"{table.Name}: find", table, ReadPathSql.Find(table).Sql);
            foreach (var query in table.Queries)
                yield return ($"{table.Name}.{query.Name}", table, ReadPathSql.Query(table, query, DeploymentTarget.Citus).Sql);
            foreach (var feed in table.Feeds)
            {
                var versioned = Citus.FindTable(feed.LatestOf)!;
                yield return ($"{table.Name}.{feed.Name}: rows", table, CitusReadPaths.FeedRows(table).Sql);
                yield return ($"{table.Name}.{feed.Name}: latest", versioned, CitusReadPaths.FeedLatest(feed, versioned).Sql);
            }
        }
    }

    /// <summary>
    /// What Citus plans without the parameters' values (its fast path): one table and nothing else in FROM, no subquery,
    /// CTE, join or set operation, and on a distributed table <c>tenant_id = $1</c> ANDed at the top of WHERE, the
    /// distribution column named nowhere else.
    /// </summary>
    private static string? FastPathProblem(Table table, string sql)
    {
        var from = $" FROM {SqlFragments.Name(table)}";
        if (!sql.StartsWith("SELECT ", StringComparison.Ordinal) || sql.Split(new[] { " FROM " }, StringSplitOptions.None).Length != 2)
            return "is not one SELECT with one FROM";
        foreach (var refused in new[] { "(SELECT", " JOIN ", "LATERAL", "unnest(", "WITH ", " UNION ", " EXISTS" })
            if (sql.Contains(refused, StringComparison.OrdinalIgnoreCase))
                return $"holds {refused.Trim()}";
        if (!table.IsTenantScoped)
            return sql.Contains(from + " WHERE ", StringComparison.Ordinal) || sql.EndsWith(from, StringComparison.Ordinal) ? null : "does not read its table alone";
        if (!sql.Contains(from + " WHERE tenant_id = $1", StringComparison.Ordinal))
            return "does not start its WHERE with tenant_id = $1";
        var where = sql.Substring(sql.IndexOf(from + " WHERE ", StringComparison.Ordinal));
        if (Regex.Matches(where, @"\btenant_id\b").Count != 1 || Regex.IsMatch(where, @"\b(OR|NOT)\b"))
            return "names tenant_id again, or outside the top-level AND, in its WHERE";
        return null;
    }

    [Fact]
    public void Every_read_path_of_the_citus_target_has_the_shape_citus_routes_in_a_generic_plan()
    {
        var statements = CitusStatements().ToList();
        Assert.Contains(statements, s => s.Name == "layers.latest_layers");
        Assert.Contains(statements, s => s.Name == "segments.segment_feed: latest");
        var problems = statements.Select(s => (s.Name, Problem: FastPathProblem(s.Table, s.Sql), s.Sql)).Where(s => s.Problem is not null).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Select(p => $"{p.Name} {p.Problem}: {p.Sql}")));
    }

    [Fact]
    public void The_plain_target_keeps_its_lateral_forms_and_the_check_sees_them()
    {
        // The plain forms stay (they are faster on one server); the shape check above would catch them on Citus.
        var latest = ReadPathSql.Query(Layers, LatestLayers).Sql;
        var feed = ReadPathSql.FeedPage(Segments, SegmentFeed, Layers).Sql;
        Assert.NotNull(FastPathProblem(Layers, latest));
        Assert.NotNull(FastPathProblem(Segments, feed));
        Assert.Contains("LATERAL", latest + feed, StringComparison.Ordinal);
        Assert.DoesNotContain("LATERAL", ReadPathSql.Query(Citus.FindTable("layers")!, LatestLayers, DeploymentTarget.Citus).Sql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_latest_layers_of_the_citus_target_are_the_plain_ones_in_custom_and_generic_plans()
    {
        var (tenant, segments) = await SeedAsync();
        // In an order of their own, with a segment that has no "summary" and an id that is no segment.
        var ids = segments.Select(s => s.Id).Reverse().Where((_, i) => i % 2 == 0).Append(Guid.NewGuid()).ToArray();
        await using var connection = await OpenAsync();

        var expected = await ReadAsync(connection, ReadPathSql.Query(Layers, LatestLayers).Sql, "force_custom_plan", tenant, ids, "summary");
        Assert.True(expected.Count >= 4, "the seed gives most segments a summary");
        foreach (var mode in new[] { "force_custom_plan", "force_generic_plan" })
        {
            Assert.Equal(expected, await ReadAsync(connection, ReadPathSql.Query(Layers, LatestLayers, DeploymentTarget.Citus).Sql, mode, tenant, ids, "summary"));
            Assert.Equal(expected, await ReadAsync(connection, ReadPathSql.Query(Layers, LatestLayers).Sql, mode, tenant, ids, "summary"));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(100)]
    public async Task The_feed_pages_of_the_citus_target_are_the_plain_ones_in_custom_and_generic_plans(int pageSize)
    {
        var (tenant, _) = await SeedAsync();
        await using var connection = await OpenAsync();

        foreach (var mode in new[] { "force_custom_plan", "force_generic_plan" })
        {
            var after = Guid.Empty;
            var pages = 0;
            while (true)
            {
                var plain = await ReadAsync(connection, ReadPathSql.FeedPage(Segments, SegmentFeed, Layers).Sql, mode, tenant, after, pageSize);
                var citus = await CitusFeedPageAsync(connection, mode, tenant, after, pageSize);
                Assert.Equal(plain, citus);
                pages++;
                var rows = await ReadAsync(connection, CitusReadPaths.FeedRows(Segments).Sql, mode, tenant, after, pageSize);
                if (rows.Count < pageSize)
                    break;
                after = Guid.Parse(rows[^1][1]!);
            }
            Assert.True(pages >= 24 / pageSize, $"the feed read every page ({pages})");
        }
    }

    /// <summary>The Citus target's page as the generated helper reads it (rows, then their latest layers), flattened as the plain page is.</summary>
    private static async Task<List<string?[]>> CitusFeedPageAsync(NpgsqlConnection connection, string mode, Guid tenant, Guid after, int pageSize)
    {
        var rows = await ReadAsync(connection, CitusReadPaths.FeedRows(Segments).Sql, mode, tenant, after, pageSize);
        var ids = rows.Select(r => Guid.Parse(r[1]!)).ToArray();
        var latest = await ReadAsync(connection, CitusReadPaths.FeedLatest(SegmentFeed, Layers).Sql, mode, tenant, ids);
        var segmentIdOrdinal = Layers.Columns.ToList().FindIndex(c => c.Name == "segment_id");
        var page = new List<string?[]>();
        foreach (var row in rows)
        {
            var versions = latest.Where(l => l[segmentIdOrdinal] == row[1]).ToList();
            if (versions.Count == 0)
                page.Add(row.Concat(new string?[Layers.Columns.Count]).ToArray());
            page.AddRange(versions.Select(v => row.Concat(v).ToArray()));
        }
        return page;
    }

    /// <summary>A tenant of 24 segments; segment i has versions 1..(i % 3) of "summary" and version 1 of "topics" when i is even. Another tenant has the same.</summary>
    private async Task<(Guid Tenant, List<Segment> Segments)> SeedAsync()
    {
        (Guid, List<Segment>) result = default;
        foreach (var slug in new[] { "citus-read-a", "citus-read-b" })
        {
            var graph = await TenantGraph.CreateAsync(Db, await NewTenantAsync(slug));
            var (segments, _) = await LayeredSegments.AddAsync(graph);
            if (slug.EndsWith("-a", StringComparison.Ordinal))
                result = (graph.Scope.TenantId, segments);
        }
        return result;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>
    /// The rows of a prepared statement run five times under <paramref name="mode"/> (PostgreSQL's plan cache makes its
    /// choice on the sixth run at the latest), every run's rows the same, each row's values as text.
    /// </summary>
    private static async Task<List<string?[]>> ReadAsync(NpgsqlConnection connection, string sql, string mode, params object[] values)
    {
        await using (var set = new NpgsqlCommand($"SET plan_cache_mode = {mode}", connection))
            await set.ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.PrepareAsync();
        List<string?[]>? first = null;
        for (var run = 0; run < 6; run++)
        {
            var rows = new List<string?[]>();
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync())
                    rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).ToArray());
            if (first is null)
                first = rows;
            else
                Assert.Equal(first, rows);
        }
        return first!;
    }
}
