using System.Linq;
using Narralytica.Schema.Sql;
using Xunit;

namespace Narralytica.Tests.Schema;

/// <summary>The one SQL lexer, and what reads SQL through it: the script splitter and the volatile-function check.</summary>
public sealed class SqlLexerTests
{
    [Theory]
    [InlineData("SELECT 1; SELECT 'a;b' -- c;\n/* d; /* nested; */ still; */ $f$ x; $f$ \"q;\"\"\" E'it\\'s;' $1 {\\ :=")]
    [InlineData("'unterminated")]
    [InlineData("/* unterminated")]
    [InlineData("$tag$ unterminated")]
    [InlineData("1e+ x..y ::int[] a*-1 <>-")]
    public void Lexemes_cover_the_text_one_after_another(string sql)
    {
        var lexemes = SqlLexer.Lex(sql);
        Assert.Equal(0, lexemes[0].Start);
        for (var i = 1; i < lexemes.Count; i++)
            Assert.Equal(lexemes[i - 1].End, lexemes[i].Start);
        Assert.Equal(sql.Length, lexemes[^1].End);
        Assert.All(lexemes, l => Assert.True(l.Length > 0));
    }

    [Fact]
    public void Operators_stop_where_PostgreSQL_stops_them()
    {
        const string sql = "a*-1 <>-b c--d";
        var operators = SqlLexer.Lex(sql).Where(l => l.Kind == SqlLexemeKind.Operator).Select(l => l.Text(sql)).ToList();
        Assert.Equal(new[] { "*", "-", "<>", "-" }, operators);
        Assert.Equal("--d", SqlLexer.Lex(sql).Single(l => l.Kind == SqlLexemeKind.Comment).Text(sql));
    }

    [Fact]
    public void Scripts_split_only_at_semicolons_outside_literals_names_comments_and_dollar_quotes()
    {
        const string script =
            "CREATE FUNCTION f() RETURNS text AS $body$ SELECT 'a;b'; $body$ LANGUAGE sql;\n" +
            "/* one; /* nested; */ still a comment; */\n" +
            "INSERT INTO t VALUES (E'it\\'s; fine', \"odd;name\");\n" +
            "-- trailing; comment\n";

        var statements = SqlScript.Split(script);

        Assert.Equal(2, statements.Count);
        Assert.Equal("CREATE FUNCTION f() RETURNS text AS $body$ SELECT 'a;b'; $body$ LANGUAGE sql;", statements[0].Sql);
        Assert.Equal((1, 3), (statements[0].Line, statements[1].Line));
        Assert.Equal("INSERT INTO t VALUES (E'it\\'s; fine', \"odd;name\");", statements[1].Sql.Trim());
    }

    [Theory]
    [InlineData("gen_random_uuid()", true)]
    [InlineData("pg_catalog.RANDOM ( )", true)]
    [InlineData("uuid_generate_v4()", true)]
    [InlineData("nextval('s'::regclass)", true)]
    [InlineData("now()", false)]
    [InlineData("my_random()", false)]
    [InlineData("'random()'", false)]
    [InlineData("random /* ( */", false)]
    public void Volatile_calls_are_found_in_code_not_in_literals(string sql, bool expected)
        => Assert.Equal(expected, VolatileFunctions.AnyCalledIn(sql));
}
