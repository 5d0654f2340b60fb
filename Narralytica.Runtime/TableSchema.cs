using System;
using System.Collections.Generic;
using System.Text;

namespace Narralytica.Runtime;

/// <summary>
/// The PostgreSQL schema that holds the tables (and their enum types) for a data source. Enum types are mapped by
/// their schema-qualified name: a bare name is ambiguous, and every write fails, as soon as the database holds
/// the schema twice (staging and public, one schema per branch, the demo's own schema).
/// </summary>
internal static class TableSchema
{
    /// <summary>PostgreSQL's own default: the schema tables land in when the search path names none.</summary>
    public const string Default = "public";

    /// <summary>
    /// The schema named by the application (<paramref name="configured"/>), else the first schema of the connection's
    /// <paramref name="searchPath"/> (<c>$user</c> aside), else <see cref="Default"/>.
    /// </summary>
    public static string Resolve(string? configured, string? searchPath)
    {
        if (configured is not null)
        {
            if (configured.Length == 0)
                throw new ArgumentException("The schema name is empty; name the PostgreSQL schema that holds the tables, e.g. \"public\".", nameof(configured));
            return configured;
        }
        foreach (var name in SearchPathNames(searchPath ?? ""))
            if (name != "$user")
                return name;
        return Default;
    }

    /// <summary>The schema names of a search path as PostgreSQL reads them: unquoted names fold to lower case, quoted ones stay as written.</summary>
    public static IReadOnlyList<string> SearchPathNames(string searchPath)
    {
        var names = new List<string>();
        var i = 0;
        while (i < searchPath.Length)
        {
            while (i < searchPath.Length && (searchPath[i] == ',' || char.IsWhiteSpace(searchPath[i]))) i++;
            if (i >= searchPath.Length) break;
            var name = new StringBuilder();
            if (searchPath[i] == '"')
            {
                for (i++; i < searchPath.Length; i++)
                {
                    if (searchPath[i] != '"') { name.Append(searchPath[i]); continue; }
                    if (i + 1 < searchPath.Length && searchPath[i + 1] == '"') { name.Append('"'); i++; continue; }
                    i++;
                    break;
                }
            }
            else
            {
                for (; i < searchPath.Length && searchPath[i] != ',' && !char.IsWhiteSpace(searchPath[i]); i++)
                    name.Append(char.ToLowerInvariant(searchPath[i]));
            }
            while (i < searchPath.Length && searchPath[i] != ',') i++;
            names.Add(name.ToString());
        }
        return names;
    }

    /// <summary><paramref name="schema"/> as a search path entry, quoted so that any name reads back as itself.</summary>
    public static string AsSearchPath(string schema) => PgIdentifier.Quote(schema);
}
