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
    public static List<string> SearchPathNames(string searchPath)
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

    /// <summary>
    /// The search path of a connection to <paramref name="schema"/>: the schema (quoted, so that any name reads back as
    /// itself), then the catalog, then pg_temp, named explicitly last. Unnamed, pg_temp would be searched first, and a
    /// temporary table called like a table of the schema would stand in for it in the data layer's unqualified SQL.
    /// </summary>
    public static string AsSearchPath(string schema) => PgIdentifier.Quote(schema) + ", " + TemporaryLast;

    /// <summary>What follows the schema in a connection's search path.</summary>
    public const string TemporaryLast = "pg_catalog, pg_temp";

    /// <summary>
    /// A search path the application wrote, with pg_temp named last when it does not name it; one that names pg_temp
    /// before another schema is refused, since that is the order that lets a temporary table shadow a table.
    /// </summary>
    public static string WithTemporaryLast(string searchPath)
    {
        var names = SearchPathNames(searchPath);
        var temporary = names.IndexOf("pg_temp");
        if (temporary < 0)
            return searchPath + ", pg_temp";
        if (temporary != names.Count - 1)
            throw new ArgumentException(
                $"The connection string's Search Path ({searchPath}) names pg_temp before another schema: a temporary table would then be found before the table it is named like. Put pg_temp last, or leave it out (the data source puts it last).");
        return searchPath;
    }
}
