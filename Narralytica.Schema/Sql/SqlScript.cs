using System.Collections.Generic;
using System.Text;

namespace Narralytica.Schema.Sql;

/// <summary>One statement of a script and the line (1-based) it starts on, for error messages.</summary>
public sealed record SqlStatement(string Sql, int Line);

/// <summary>
/// Splits a SQL script into statements at semicolons that are outside string literals, quoted
/// identifiers, comments and dollar quotes. Comment-only text between statements is dropped.
/// </summary>
public static class SqlScript
{
    public static IReadOnlyList<SqlStatement> Split(string script)
    {
        var statements = new List<SqlStatement>();
        var current = new StringBuilder();
        var line = 1;
        var startLine = 0;
        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            if (c == '-' && Next(script, i) == '-')
            {
                var end = script.IndexOf('\n', i);
                i = end < 0 ? script.Length : end;
                continue;
            }
            if (c == '/' && Next(script, i) == '*')
            {
                var end = script.IndexOf("*/", i + 2, System.StringComparison.Ordinal);
                var stop = end < 0 ? script.Length : end + 2;
                line += Count(script, i, stop);
                i = stop;
                continue;
            }
            if (c == ';')
            {
                Flush(statements, current, startLine);
                startLine = 0;
                i++;
                continue;
            }
            var quoteEnd = c switch
            {
                '\'' or '"' => QuotedEnd(script, i, c),
                '$' => DollarQuotedEnd(script, i),
                _ => -1,
            };
            var stopAt = quoteEnd >= 0 ? quoteEnd : i + 1;
            if (startLine == 0 && !char.IsWhiteSpace(c))
                startLine = line;
            current.Append(script, i, stopAt - i);
            line += Count(script, i, stopAt);
            i = stopAt;
        }
        Flush(statements, current, startLine);
        return statements;
    }

    private static char Next(string text, int i) => i + 1 < text.Length ? text[i + 1] : '\0';

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

    /// <summary>The index after a '…' or "…" starting at <paramref name="start"/> (a doubled quote escapes it).</summary>
    private static int QuotedEnd(string text, int start, char quote)
    {
        var i = start + 1;
        while (i < text.Length)
        {
            if (text[i] == quote)
            {
                if (Next(text, i) != quote)
                    return i + 1;
                i++;
            }
            i++;
        }
        return text.Length;
    }

    /// <summary>The index after a $tag$…$tag$ body, or -1 when the '$' does not open one (a $1 parameter, say).</summary>
    private static int DollarQuotedEnd(string text, int start)
    {
        var close = text.IndexOf('$', start + 1);
        if (close < 0)
            return -1;
        var tag = text.Substring(start, close - start + 1);
        for (var k = 1; k < tag.Length - 1; k++)
            if (!(char.IsLetterOrDigit(tag[k]) || tag[k] == '_') || k == 1 && char.IsDigit(tag[k]))
                return -1;
        var end = text.IndexOf(tag, close + 1, System.StringComparison.Ordinal);
        return end < 0 ? text.Length : end + tag.Length;
    }
}
