using System;
using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Schema.Sql;

/// <summary>
/// The functions whose value changes on every call: a column added with a default calling one makes PostgreSQL
/// rewrite the whole table to fill it. The differ and the migration lint both ask here.
/// </summary>
public static class VolatileFunctions
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "random", "gen_random_uuid", "clock_timestamp", "timeofday", "nextval", "statement_timestamp",
    };

    /// <summary>uuid-ossp's generators: uuid_generate_v1, v1mc, v4 …</summary>
    private const string UuidOsspPrefix = "uuid_generate_v";

    /// <summary>Whether <paramref name="sql"/> calls one of them (a name followed by a parenthesis; not inside a literal or a comment).</summary>
    public static bool AnyCalledIn(string sql)
    {
        var code = SqlLexer.Lex(sql).Where(l => l.Kind is not (SqlLexemeKind.Whitespace or SqlLexemeKind.Comment)).ToList();
        for (var i = 0; i + 1 < code.Count; i++)
        {
            if (code[i].Kind != SqlLexemeKind.Word || code[i + 1].Kind != SqlLexemeKind.Punctuation || sql[code[i + 1].Start] != '(' || code[i + 1].Length != 1)
                continue;
            var name = code[i].Text(sql).ToLowerInvariant();
            if (Names.Contains(name) || name.StartsWith(UuidOsspPrefix, StringComparison.Ordinal))
                return true;
        }
        return false;
    }
}
