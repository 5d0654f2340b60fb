using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Schema;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Integration;

/// <summary>
/// Every canonical expression of <see cref="SqlExpressionTests"/> is accepted by PostgreSQL, and
/// PostgreSQL's own re-print of it (pg_get_constraintdef, pg_get_indexdef, pg_get_expr) normalizes
/// back to it: the model of a schema and the catalog of the database it made agree. The cases
/// where that does not hold are pinned down in <see cref="Reprints_that_normalize_to_another_form"/>.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SqlExpressionRoundTripTests
{
    private readonly PostgresFixture _postgres;

    public SqlExpressionRoundTripTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public async Task Canonical_checks_come_back_from_pg_get_constraintdef()
    {
        await using var connection = await ProbeAsync();
        var problems = new List<string>();
        foreach (var (canonical, i) in Canonical(SqlExpressionTests.Checks).Select((c, i) => (c, i)))
            problems.AddRange(await RoundTripAsync(connection, canonical, SqlExpression.Normalize(canonical, SqlExpressionTests.Enums),
                $"ALTER TABLE probe ADD CONSTRAINT ck_{i} CHECK ({canonical})", () => CheckReprintAsync(connection, $"ck_{i}"),
                reprint => SqlExpression.Normalize(reprint, SqlExpressionTests.Enums)));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Canonical_index_predicates_come_back_from_pg_get_indexdef()
    {
        await using var connection = await ProbeAsync();
        var problems = new List<string>();
        foreach (var (canonical, i) in Canonical(SqlExpressionTests.Predicates).Select((c, i) => (c, i)))
            problems.AddRange(await RoundTripAsync(connection, canonical, SqlExpression.Normalize(canonical, SqlExpressionTests.Enums),
                $"CREATE INDEX ix_{i} ON probe (a) WHERE ({canonical})", () => PredicateReprintAsync(connection, $"ix_{i}"),
                reprint => SqlExpression.Normalize(reprint, SqlExpressionTests.Enums)));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Canonical_defaults_come_back_from_pg_get_expr()
    {
        await using var connection = await ProbeAsync();
        var problems = new List<string>();
        var cases = SqlExpressionTests.Defaults.Select(row => ((string)row[0], (string)row[2])).Distinct().ToList();
        foreach (var ((type, canonical), i) in cases.Select((c, i) => (c, i)))
        {
            var columnType = SqlExpressionTests.ColumnType(type);
            problems.AddRange(await RoundTripAsync(connection, canonical, SqlExpression.NormalizeDefault(canonical, columnType, SqlExpressionTests.Enums),
                $"ALTER TABLE probe ADD COLUMN d_{i} {columnType.Sql} DEFAULT {canonical}", () => DefaultReprintAsync(connection, $"d_{i}"),
                reprint => SqlExpression.NormalizeDefault(reprint, columnType, SqlExpressionTests.Enums)));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// Where PostgreSQL's re-print normalizes to another form than the expression given: it prints
    /// a column's implicit cast (varchar compared as text, integer as numeric), reformats a typed
    /// literal's value, or drops a cast that changes nothing for the column's type. Each row is
    /// (what is checked: check, where or a column type for a default; the canonical expression;
    /// what PostgreSQL's re-print of it normalizes to).
    /// </summary>
    [Theory]
    [InlineData("check", "i = 'x'", "i::text = 'x'")]
    [InlineData("check", "i IN ('a', 'b')", "i::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[])")]
    [InlineData("check", "h::character varying(5) <> ''", "h::character varying(5)::text <> ''")]
    [InlineData("check", "m::bigint > 0", "m > 0")]
    [InlineData("check", "f >= '2020-01-01'", "f >= '2020-01-01 00:00:00+00'::timestamp with time zone")]
    [InlineData("check", "f > now() - '1 hour'::interval", "f > now() - '01:00:00'::interval")]
    [InlineData("check", "a ^ 2 > 1", "a::double precision ^ 2::double precision > 1")]
    [InlineData("check", "a > 1.5", "a::numeric > 1.5")]
    [InlineData("check", "a > 1.5e3", "a::numeric > 1500")]
    [InlineData("check", "h || 'x' <> 'y'", "h || 'x'::text <> 'y'")]
    [InlineData("check", "h <> E'a\\\\b'", "h <> 'a\\b'")]
    [InlineData("check", "COALESCE(c, 0) > 0", "COALESCE(c, 0::numeric) > 0")]
    [InlineData("check", "a = ANY ('{1,2}')", "a = ANY ('{1,2}'::integer[])")]
    [InlineData("check", "k <> '{}'", "k <> '{}'::integer[]")]
    [InlineData("jsonb", "'{\"a\":1}'", "'{\"a\": 1}'")]
    [InlineData("double precision", "-2.5e3", "-2500")]
    [InlineData("timestamptz", "'2020-01-01'", "'2020-01-01 00:00:00+00'")]
    public async Task Reprints_that_normalize_to_another_form(string kind, string canonical, string normalizedReprint)
    {
        await using var connection = await ProbeAsync();
        string reprint;
        if (kind == "check")
        {
            Assert.Equal(canonical, SqlExpression.Normalize(canonical, SqlExpressionTests.Enums));
            await ExecuteAsync(connection, $"ALTER TABLE probe ADD CONSTRAINT ck CHECK ({canonical})");
            reprint = SqlExpression.Normalize(await CheckReprintAsync(connection, "ck"), SqlExpressionTests.Enums);
        }
        else
        {
            var columnType = SqlExpressionTests.ColumnType(kind);
            Assert.Equal(canonical, SqlExpression.NormalizeDefault(canonical, columnType, SqlExpressionTests.Enums));
            await ExecuteAsync(connection, $"ALTER TABLE probe ADD COLUMN d_0 {columnType.Sql} DEFAULT {canonical}");
            reprint = SqlExpression.NormalizeDefault(await DefaultReprintAsync(connection, "d_0"), columnType, SqlExpressionTests.Enums);
        }
        Assert.Equal(normalizedReprint, reprint);
        Assert.NotEqual(canonical, reprint);
    }

    /// <summary>The problems with one expression: refused by PostgreSQL, not canonical, or re-printed differently.</summary>
    private static async Task<IEnumerable<string>> RoundTripAsync(NpgsqlConnection connection, string canonical, string normalized,
        string create, Func<Task<string>> reprint, Func<string, string> normalize)
    {
        if (normalized != canonical)
            return new[] { $"{canonical}: not canonical, it normalizes to {normalized}" };
        try
        {
            await ExecuteAsync(connection, create);
        }
        catch (PostgresException e)
        {
            return new[] { $"{canonical}: refused by PostgreSQL: {e.MessageText}" };
        }
        var printed = await reprint();
        var back = normalize(printed);
        return back == canonical ? Array.Empty<string>() : new[] { $"{canonical}: PostgreSQL prints {printed}, which normalizes to {back}" };
    }

    private static IEnumerable<string> Canonical(IEnumerable<object[]> rows) => rows.Select(row => (string)row[1]).Distinct();

    /// <summary>A fresh database holding the probe table; UTC, so re-printed timestamps do not depend on the machine.</summary>
    private async Task<NpgsqlConnection> ProbeAsync()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(await _postgres.CreateEmptyDatabaseAsync()) { Timezone = "UTC" };
        var connection = new NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, SqlExpressionTests.Probe);
        return connection;
    }

    private static async Task<string> CheckReprintAsync(NpgsqlConnection connection, string name)
    {
        var definition = await ScalarAsync(connection, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = $1", name);
        Assert.StartsWith("CHECK (", definition);
        return definition.Substring("CHECK (".Length, definition.Length - "CHECK (".Length - 1);
    }

    private static async Task<string> PredicateReprintAsync(NpgsqlConnection connection, string name)
    {
        var definition = await ScalarAsync(connection, "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indexrelid = $1::regclass", name);
        return definition.Substring(definition.IndexOf(" WHERE ", StringComparison.Ordinal) + " WHERE ".Length);
    }

    private static Task<string> DefaultReprintAsync(NpgsqlConnection connection, string column)
        => ScalarAsync(connection, """
            SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
            JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
            WHERE d.adrelid = 'probe'::regclass AND a.attname = $1
            """, column);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> ScalarAsync(NpgsqlConnection connection, string sql, string parameter)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(parameter);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
