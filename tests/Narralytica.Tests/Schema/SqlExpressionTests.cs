using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema;
using Narralytica.Schema.Model;
using Narralytica.Schema.Parsing;
using Narralytica.Schema.Sql;
using Xunit;

namespace Narralytica.Tests.Schema;

/// <summary>
/// The canonical form of SQL expressions: each rewrite, idempotence, the equivalences a migration
/// differ relies on, and renaming. The expressions are over the columns of
/// <see cref="Probe"/>, so the PostgreSQL round-trip tests can run every canonical form here.
/// </summary>
public sealed class SqlExpressionTests
{
    public static readonly string[] Enums = { "job_status" };

    /// <summary>The table every check and predicate below is written against.</summary>
    public const string Probe = """
        CREATE TYPE job_status AS ENUM ('queued', 'running', 'succeeded', 'failed');
        CREATE TABLE probe (
            a integer, b integer, m bigint, c numeric(10,2), r real, h text, i character varying(10),
            ch character(3), k integer[], d jsonb, f timestamp with time zone, flag boolean, status job_status
        );
        """;

    /// <summary>Checks as written, and their canonical form.</summary>
    public static readonly TheoryData<string, string> Checks = new()
    {
        // Whitespace and case; comments are dropped.
        { "  a>0   AND   b >a ", "a > 0 AND b > a" },
        { "A > 0 and B is not null", "a > 0 AND b IS NOT NULL" },
        { "length( h )<=10", "length(h) <= 10" },
        { "FLAG = TRUE", "flag = true" },
        { "k[ 1 ] > 0", "k[1] > 0" },
        { "\"h\" <> 'X'", "h <> 'X'" },
        { "a > 0 -- must be positive", "a > 0" },
        { "a>-1", "a > -1" },
        // now()
        { "f <= current_timestamp", "f <= now()" },
        { "f <= TRANSACTION_TIMESTAMP()", "f <= now()" },
        // Cast types
        { "m::int4 > 0", "m::integer > 0" },
        { "M :: INT < 9", "m::integer < 9" },
                { "a::bool", "a::boolean" },
        { "h::int4[] <> '{}'", "h::integer[] <> '{}'" },
        { "CAST(a AS int8) > 0", "a::bigint > 0" },
        { "f::date >= '2020-01-01'::date", "f::date >= '2020-01-01'" },
        // IN lists and ANY/ALL
        { "status IN ('queued','running')", "status IN ('queued', 'running')" },
        { "status = ANY (ARRAY['queued'::job_status, 'running'::job_status])", "status IN ('queued', 'running')" },
        { "status NOT IN ('failed')", "status <> 'failed'" },
        { "h <> ALL (ARRAY['a'::text, 'b'::text])", "h NOT IN ('a', 'b')" },
        { "a IN (b, 1, 2)", "a IN (1, 2) OR a = b" },
        { "a != b", "a <> b" },
        // Parentheses
        { "((a > 0) AND (b > a))", "a > 0 AND b > a" },
        { "(((a + (b * 2)) > 3))", "a + b * 2 > 3" },
        { "a - (b - 1) > 0", "a - (b - 1) > 0" },
        { "(a > 0 OR b > 0) AND a < 5", "(a > 0 OR b > 0) AND a < 5" },
        { "a > 0 OR b > 0 AND a < 5", "a > 0 OR (b > 0 AND a < 5)" },
        { "NOT (a > 1 AND b > 2)", "NOT (a > 1 AND b > 2)" },
        { "((a > 0)) = true", "(a > 0) = true" },
        { "a > 0 AND (b > 0 AND c > 0)", "a > 0 AND b > 0 AND c > 0" },
        // Casts PostgreSQL adds to literals
        { "h <> 'x'::text", "h <> 'x'" },
        { "status = 'queued'::job_status", "status = 'queued'" },
        { "ch = 'a'::bpchar", "ch = 'a'" },
        { "date_trunc('day'::text, f) = f", "date_trunc('day', f) = f" },
        { "COALESCE(h, 'x'::text) <> ''::text", "COALESCE(h, 'x') <> ''" },
        { "(d ->> 'a'::text) = 'x'::text", "d ->> 'a' = 'x'" },
        // Numbers PostgreSQL prints with a cast
        { "a > '-1'::integer", "a > -1" },
        { "c > ('-1'::integer)::numeric", "c > -1" },
        { "m > '3000000000'::bigint", "m > 3000000000" },
        { "c >= (0)::numeric", "c >= 0" },
        { "r > (0.5)::double precision", "r > 0.5" },
        // Syntax PostgreSQL stores in another form
        { "r BETWEEN 0 AND 1", "r >= 0 AND r <= 1" },
        { "a NOT BETWEEN 1 AND 5", "a < 1 OR a > 5" },
        { "h ~~ 'a%'::text", "h LIKE 'a%'" },
        { "h NOT ILIKE 'A%'", "h NOT ILIKE 'A%'" },
        { "h LIKE 'a#%' ESCAPE '#'", "h LIKE like_escape('a#%', '#')" },
        { "h SIMILAR TO 'a%'", "h ~ similar_to_escape('a%')" },
        { "h ISNULL", "h IS NULL" },
        { "NOT (h IS DISTINCT FROM 'x'::text)", "h IS NOT DISTINCT FROM 'x'" },
        { "trim(h) <> ''", "TRIM(BOTH FROM h) <> ''" },
        { "extract(year from f) > 2000", "EXTRACT(year FROM f) > 2000" },
        { "substring(h for 2) <> 'zz'", "SUBSTRING(h FROM 1 FOR 2) <> 'zz'" },
        { "position('a' in h) > 0", "POSITION('a' IN h) > 0" },
        { "left(h, 1) <> 'x'", "\"left\"(h, 1) <> 'x'" },
        { "f > now() - interval '1 day'", "f > now() - '1 day'::interval" },
        // Kept as written, spacing aside
        { "h ~ '^[a-z0-9][a-z0-9-]*$'", "h ~ '^[a-z0-9][a-z0-9-]*$'" },
        { "CASE WHEN a > 0 THEN 'pos' ELSE h END <> ''", "CASE WHEN a > 0 THEN 'pos' ELSE h END <> ''" },
        { "h COLLATE \"C\" > 'a'", "h COLLATE \"C\" > 'a'" },
        { "flag IS TRUE AND NOT flag", "flag IS TRUE AND NOT flag" },
        { "-a < 0 AND a % 2 = 0", "-a < 0 AND a % 2 = 0" },
        { "d ? 'x' AND k @> ARRAY[1]", "d ? 'x' AND k @> ARRAY[1]" },
        { "'it''s' <> h", "'it''s' <> h" },
        { "k[1:2] IS NOT NULL AND cardinality(k) > 0", "k[1:2] IS NOT NULL AND cardinality(k) > 0" },
        { "m IN (1, 2)", "m IN (1, 2)" },
    };

    /// <summary>Partial-index predicates (immutable, as PostgreSQL requires there).</summary>
    public static readonly TheoryData<string, string> Predicates = new()
    {
        { "status = 'queued'", "status = 'queued'" },
        { "Status IN ('queued', 'running')", "status IN ('queued', 'running')" },
        { "a IS NOT NULL AND (b > 0 OR c < 1)", "a IS NOT NULL AND (b > 0 OR c < 1)" },
        { "h <> '' AND NOT flag", "h <> '' AND NOT flag" },
        { "h LIKE 'a%' OR lower(h) = 'x'", "h LIKE 'a%' OR lower(h) = 'x'" },
        { "R between 0 and 1", "r >= 0 AND r <= 1" },
        { "d ? 'x' AND k[1] > 0", "d ? 'x' AND k[1] > 0" },
        { "a IN (1, b, 2)", "a IN (1, 2) OR a = b" },
        { "ch = 'a' AND m > 3000000000", "ch = 'a' AND m > 3000000000" },
    };

    /// <summary>Column defaults (schema.yaml type, as written, canonical form).</summary>
    public static readonly TheoryData<string, string, string> Defaults = new()
    {
        { "jsonb", "'{}'::jsonb", "'{}'" },
        { "jsonb", "'{}'", "'{}'" },
        { "job_status", "'queued'", "'queued'" },
        { "job_status", "'queued'::job_status", "'queued'" },
        { "integer", "-1", "-1" },
        { "integer", "'-1'::integer", "-1" },
        { "bigint", "'-1'::integer", "-1" },
        { "integer", " 0 ", "0" },
        { "smallint", "5", "5" },
        { "numeric(10,2)", "-0.5", "-0.5" },
        { "numeric", "'-1.5'::numeric", "-1.5" },
        { "double precision", "'-2500'::numeric", "-2500" },
        { "timestamptz", "CURRENT_TIMESTAMP", "now()" },
        { "timestamptz", "transaction_timestamp()", "now()" },
        { "timestamptz", "(now())", "now()" },
        { "timestamptz", "now() + interval '1 day'", "now() + '1 day'::interval" },
        { "varchar(10)", "'y'::character varying", "'y'" },
        { "char(3)", "'a'::bpchar", "'a'" },
        { "text", "'x'::text", "'x'" },
        { "text", "lower('X'::text)", "lower('X')" },
        { "text", "('a'::text || 'b'::text)", "'a' || 'b'" },
        { "text", "current_user", "CURRENT_USER" },
        { "boolean", "TRUE", "true" },
        { "boolean", "1 > 0 AND true", "(1 > 0 AND true)" },
        { "text[]", "'{}'::text[]", "'{}'" },
        { "text[]", "ARRAY[]::text[]", "ARRAY[]::text[]" },
        { "integer[]", "'{1,2}'", "'{1,2}'" },
        { "date", "'2020-01-01'::date", "'2020-01-01'" },
        { "date", "current_date", "CURRENT_DATE" },
        { "uuid", "gen_random_uuid()", "gen_random_uuid()" },
        { "integer", "2147483648 - 1", "2147483648 - 1" },
    };

    [Theory]
    [MemberData(nameof(Checks))]
    [MemberData(nameof(Predicates))]
    public void Normalize_rewrites_to_the_canonical_form_and_is_idempotent(string written, string canonical)
    {
        Assert.Equal(canonical, SqlExpression.Normalize(written, Enums));
        Assert.Equal(canonical, SqlExpression.Normalize(canonical, Enums));
    }

    [Theory]
    [MemberData(nameof(Defaults))]
    public void NormalizeDefault_rewrites_to_the_canonical_form_and_is_idempotent(string type, string written, string canonical)
    {
        var columnType = ColumnType(type);
        Assert.Equal(canonical, SqlExpression.NormalizeDefault(written, columnType, Enums));
        Assert.Equal(canonical, SqlExpression.NormalizeDefault(canonical, columnType, Enums));
    }

    [Theory]
    [InlineData("f < now()", "f < CURRENT_TIMESTAMP")]
    [InlineData("a::int4 > 0", "a::integer > 0")]
    [InlineData("status IN ('queued','running')", "(status = ANY (ARRAY['queued'::job_status, 'running'::job_status]))")]
    [InlineData("((a > 0) AND (b > a))", "a > 0 AND b > a")]
    [InlineData("r BETWEEN 0 AND 1", "((r >= (0)::double precision) AND (r <= (1)::double precision))")]
    [InlineData("h NOT IN ('a', 'b')", "(h <> ALL (ARRAY['a'::text, 'b'::text]))")]
    [InlineData("h LIKE 'a%'", "(h ~~ 'a%'::text)")]
    [InlineData("h IS NOT DISTINCT FROM 'x'", "(NOT (h IS DISTINCT FROM 'x'::text))")]
    [InlineData("a IN (b, 1, 2)", "((a = ANY (ARRAY[1, 2])) OR (a = b))")]
    [InlineData("CASE WHEN a > 0 THEN b > 0 ELSE true END", "\nCASE\n    WHEN (a > 0) THEN (b > 0)\n    ELSE true\nEND")]
    public void Equivalent_spellings_normalize_alike(string one, string other)
        => Assert.Equal(SqlExpression.Normalize(one, Enums), SqlExpression.Normalize(other, Enums));

    [Theory]
    [InlineData("timestamptz", "now()", "CURRENT_TIMESTAMP")]
    [InlineData("jsonb", "'{}'::jsonb", "'{}'")]
    [InlineData("job_status", "'queued'", "'queued'::job_status")]
    [InlineData("integer", "-1", "'-1'::integer")]
    public void Equivalent_defaults_normalize_alike(string type, string one, string other)
        => Assert.Equal(SqlExpression.NormalizeDefault(one, ColumnType(type), Enums), SqlExpression.NormalizeDefault(other, ColumnType(type), Enums));

    [Theory]
    [InlineData("h = 'x'", "h = 'X'")]               // a literal keeps its case
    [InlineData("a + (b + c) > 0", "a + b + c > 0")] // integer overflow makes + not associative
    public void Different_expressions_stay_different(string one, string other)
        => Assert.NotEqual(SqlExpression.Normalize(one, Enums), SqlExpression.Normalize(other, Enums));

    [Theory]
    [InlineData("a > 'unterminated", "a > 'unterminated")]
    [InlineData("  $1 > 0  ", "$1 > 0")]
    [InlineData("a IN (select  B from T)", "a IN (SELECT b FROM t)")]
    [InlineData("(a, b) = (1, 2)", "(a, b) = (1, 2)")]
    [InlineData("", "")]
    public void Input_it_does_not_parse_keeps_its_tokens(string written, string expected)
    {
        Assert.Equal(expected, SqlExpression.Normalize(written, Enums));
        Assert.Equal(expected, SqlExpression.Normalize(expected, Enums));
    }

    [Theory]
    [InlineData("a > 0 AND h <> 'a'", "a", "x", "x > 0 AND h <> 'a'")]
    [InlineData("status = 'status'", "status", "state", "state = 'status'")]
    [InlineData("h = 'h'", "x", "y", "h = 'h'")]
    [InlineData("a > 0", "a", "order", "\"order\" > 0")]
    [InlineData("a > 0", "a", "Weird", "\"Weird\" > 0")]
    [InlineData("\"Weird\" > 0", "Weird", "w", "w > 0")]
    [InlineData("lower(h) = h", "lower", "x", "lower(h) = h")]
    [InlineData("date > '2020-01-01'::date", "date", "day", "day > '2020-01-01'::date")]
    [InlineData("probe.a > 0", "a", "x", "probe.x > 0")]
    [InlineData("a IN (SELECT a FROM t WHERE h = 'a')", "a", "b", "b IN (SELECT b FROM t WHERE h = 'a')")]
    public void RenameIdentifier_renames_column_references_only(string canonical, string oldName, string newName, string expected)
        => Assert.Equal(expected, SqlExpression.RenameIdentifier(canonical, oldName, newName));

    [Theory]
    [InlineData("h = 'a'", "h", true)]
    [InlineData("h = 'a'", "a", false)]
    [InlineData("lower(h) = h", "lower", false)]
    [InlineData("a::integer > 0", "integer", false)]
    [InlineData("\"Weird\" > 0", "Weird", true)]
    [InlineData("\"Weird\" > 0", "weird", false)]
    public void MentionsIdentifier_finds_column_references(string canonical, string name, bool expected)
        => Assert.Equal(expected, SqlExpression.MentionsIdentifier(canonical, name));

    [Fact]
    public void The_schema_parser_stores_canonical_expressions()
    {
        const string yaml = """
            enums:
              job_status: [queued, running]
            tables:
              jobs:
                scope: global
                columns:
                  status:
                    type: job_status
                    default: "'queued'::job_status"
                  run_after:
                    type: timestamptz
                    default: CURRENT_TIMESTAMP
                  payload:
                    type: jsonb
                    default: "'{}'::jsonb"
                  attempts:
                    type: int4
                    check: (attempts >= 0)
                checks:
                  known: status = ANY (ARRAY['queued'::job_status, 'running'::job_status])
                indexes:
                  - columns: [run_after]
                    where: STATUS = 'queued'::job_status
            """;
        var compilation = SchemaCompiler.Compile(yaml);
        Assert.Empty(compilation.Diagnostics);
        var jobs = compilation.Model!.FindTable("jobs")!;
        Assert.Equal("'queued'", jobs.FindColumn("status")!.Default);
        Assert.Equal("now()", jobs.FindColumn("run_after")!.Default);
        Assert.Equal("'{}'", jobs.FindColumn("payload")!.Default);
        Assert.Equal("now()", jobs.FindColumn("created_at")!.Default);
        Assert.Equal(new[] { "attempts >= 0", "status IN ('queued', 'running')" }, jobs.Checks.Select(c => c.Expression));
        Assert.Equal("status = 'queued'", Assert.Single(jobs.Indexes).Where);
    }

    public static PgType ColumnType(string written) => TypeParser.Parse(written, new HashSet<string>(Enums), out _)!;
}
