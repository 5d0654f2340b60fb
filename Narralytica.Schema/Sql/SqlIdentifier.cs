using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Narralytica.Schema.Sql;

/// <summary>PostgreSQL identifier rules: what is valid, what is reserved, how to quote and shorten.</summary>
public static class SqlIdentifier
{
    public const int MaxLength = 63;

    private static readonly Regex Simple = new("^[a-z_][a-z0-9_]*$", RegexOptions.CultureInvariant);

    // PostgreSQL 15 keywords marked "reserved" or "reserved (can be function or type)" (Appendix C).
    // Such a name only works quoted, so the language asks for `quote: true` before it uses one.
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
        "binary", "both", "case", "cast", "check", "collate", "collation", "column", "concurrently",
        "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
        "current_schema", "current_time", "current_timestamp", "current_user", "default", "deferrable",
        "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "freeze",
        "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect",
        "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
        "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order",
        "outer", "overlaps", "placing", "primary", "references", "returning", "right", "select",
        "session_user", "similar", "some", "symmetric", "table", "tablesample", "then", "to", "trailing",
        "true", "union", "unique", "user", "using", "variadic", "verbose", "when", "where", "window", "with",
    };

    public static bool IsValid(string name) => Simple.IsMatch(name);

    public static bool IsReserved(string name) => Reserved.Contains(name);

    public static bool FitsLength(string name) => Encoding.UTF8.GetByteCount(name) <= MaxLength;

    /// <summary>The name as it must appear in SQL: bare when that is safe, double-quoted otherwise.</summary>
    public static string Quote(string name)
        => IsValid(name) && !IsReserved(name) ? name : "\"" + name.Replace("\"", "\"\"") + "\"";

    /// <summary>
    /// The name an identifier written in SQL stands for: a quoted one without its quotes (a doubled quote is one),
    /// a bare one folded to lower case, as PostgreSQL reads it.
    /// </summary>
    public static string Unquote(string written)
        => written.StartsWith("\"", StringComparison.Ordinal) ? written.Substring(1, written.Length - 2).Replace("\"\"", "\"") : written.ToLowerInvariant();

    /// <summary>
    /// A generated constraint or index name that fits PostgreSQL's 63 bytes: long names keep a
    /// readable prefix and end in a short hash of the full name, so they stay unique and stable.
    /// </summary>
    public static string Fit(string name)
    {
        if (name.Length <= MaxLength)
            return name;
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(name));
        var suffix = "_" + BitConverter.ToString(hash, 0, 4).Replace("-", "").ToLowerInvariant();
        return name.Substring(0, MaxLength - suffix.Length) + suffix;
    }

    /// <summary>A SQL string literal.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''") + "'";
}
