using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Narralytica.Analyzers;

/// <summary>
/// Finds the tables a SQL text names after FROM, JOIN, INTO, UPDATE, TABLE, COPY and TRUNCATE. A reading, not
/// a parser: string literals and comments are skipped, a name may be schema-qualified or double-quoted.
/// </summary>
internal static class SqlTableNames
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private static readonly Regex LiteralsAndComments = new(
        @"'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/",
        RegexOptions.Singleline | RegexOptions.CultureInvariant, MatchTimeout);

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
            matches = TableAfterKeyword.Matches(LiteralsAndComments.Replace(sql, " "));
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
}
