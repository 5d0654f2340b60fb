using System.Collections.Generic;
using System.Text;

namespace Narralytica.Schema.Sql;

/// <summary>One statement of a script and the line (1-based) it starts on, for error messages.</summary>
public sealed record SqlStatement(string Sql, int Line);

/// <summary>
/// Splits a SQL script into statements at semicolons that are outside string literals, quoted
/// identifiers, comments and dollar quotes (as <see cref="SqlLexer"/> reads them). Comments are dropped.
/// </summary>
public static class SqlScript
{
    public static IReadOnlyList<SqlStatement> Split(string script)
    {
        var statements = new List<SqlStatement>();
        var current = new StringBuilder();
        var line = 1;
        var startLine = 0;
        foreach (var lexeme in SqlLexer.Lex(script))
        {
            if (lexeme.Kind == SqlLexemeKind.Semicolon)
            {
                Flush(statements, current, startLine);
                startLine = 0;
            }
            else if (lexeme.Kind != SqlLexemeKind.Comment)
            {
                if (startLine == 0 && lexeme.Kind != SqlLexemeKind.Whitespace)
                    startLine = line;
                current.Append(script, lexeme.Start, lexeme.Length);
            }
            line += Count(script, lexeme.Start, lexeme.End);
        }
        Flush(statements, current, startLine);
        return statements;
    }

    private static int Count(string text, int from, int to)
    {
        var n = 0;
        for (var i = from; i < to; i++)
            if (text[i] == '\n')
                n++;
        return n;
    }

    private static void Flush(List<SqlStatement> statements, StringBuilder current, int startLine)
    {
        var sql = current.ToString().Trim();
        if (sql.Length > 0)
            statements.Add(new SqlStatement(sql + ";", startLine));
        current.Clear();
    }
}
