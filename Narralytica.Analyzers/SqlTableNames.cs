using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;
using Narralytica.Schema.Sql;

namespace Narralytica.Analyzers;

/// <summary>
/// Finds the tables a SQL text names after FROM, JOIN, INTO, UPDATE, TABLE, COPY and TRUNCATE. A reading, not
/// a parser: string literals and comments (read by the shared SQL lexer) are skipped, a name may be schema-qualified or double-quoted.
/// </summary>
internal static class SqlTableNames
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private static readonly Regex TableAfterKeyword = new(
        @"\b(?:FROM|JOIN|INTO|UPDATE|TABLE|COPY|TRUNCATE)\s+"
        + @"(?:ONLY\s+|IF\s+(?:NOT\s+)?EXISTS\s+)?"
        + @"(?:(?:""(?:[^""]|"""")+""|[A-Za-z_][A-Za-z0-9_$]*)\s*\.\s*)?"
        + @"(?:""(?<quoted>(?:[^""]|"""")+)""|(?<plain>[A-Za-z_][A-Za-z0-9_$]*))",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout);

    public static IEnumerable<SqlTableName> In(string sql)
    {
        MatchCollection matches;
        try
        {
            matches = TableAfterKeyword.Matches(WithoutLiteralsAndComments(sql));
            _ = matches.Count; // evaluates every match now, inside the try
        }
        catch (RegexMatchTimeoutException)
        {
            yield break; // pathological text: report nothing rather than stall the build
        }
        foreach (Match match in matches)
        {
            var quoted = match.Groups["quoted"];
            yield return quoted.Success
                ? new SqlTableName(quoted.Value.Replace("\"\"", "\""), quoted: true)
                : new SqlTableName(match.Groups["plain"].Value, quoted: false);
        }
    }

    /// <summary>The text with every literal (quoted, E'…', $tag$…$tag$) and comment replaced by a space, as the lexer reads them.</summary>
    private static string WithoutLiteralsAndComments(string sql)
    {
        var code = new StringBuilder(sql.Length);
        foreach (var lexeme in SqlLexer.Lex(sql))
        {
            if (lexeme.Kind is SqlLexemeKind.String or SqlLexemeKind.DollarString or SqlLexemeKind.Comment)
                code.Append(' ');
            else
                code.Append(sql, lexeme.Start, lexeme.Length);
        }
        return code.ToString();
    }
}
