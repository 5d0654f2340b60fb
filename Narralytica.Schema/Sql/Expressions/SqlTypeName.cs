using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Parsing;

namespace Narralytica.Schema.Sql.Expressions;

/// <summary>
/// The canonical spelling of a type named in a cast, as PostgreSQL's format_type() prints it:
/// the schema language's own types through <see cref="TypeParser"/>, a few cast-only aliases
/// here, anything else lowercased as written.
/// </summary>
internal static class SqlTypeName
{
    // name → (printed name, time zone part) for types TypeParser does not take (it knows column types only).
    private static readonly Dictionary<string, (string Name, string? Zone)> Aliases = new()
    {
        ["timestamptz"] = ("timestamp", "with time zone"),
        ["timestamp"] = ("timestamp", "without time zone"),
        ["timetz"] = ("time", "with time zone"),
        ["time"] = ("time", "without time zone"),
        ["float"] = ("double precision", null),
        ["varbit"] = ("bit varying", null),
    };

    /// <param name="name">The name parts (schema, type); one part for a built-in type, which may be two words ("double precision").</param>
    /// <param name="quoted">Whether the name was written in double quotes (then it is used exactly).</param>
    /// <param name="modifiers">The numbers in parentheses: varchar(10), numeric(12,2), timestamp(3).</param>
    /// <param name="zone">"with time zone" or "without time zone" when written.</param>
    /// <param name="arrayDimensions">How many [] follow.</param>
    public static string Canonical(IReadOnlyList<string> name, bool quoted, IReadOnlyList<string> modifiers, string? zone, int arrayDimensions, ISet<string> enumNames)
    {
        var brackets = string.Concat(Enumerable.Repeat("[]", arrayDimensions));
        var typmod = modifiers.Count == 0 ? "" : "(" + string.Join(",", modifiers) + ")";
        if (quoted || name.Count > 1)
            return string.Join(".", name.Select(SqlIdentifier.Quote)) + typmod + brackets;

        var written = name[0] + (zone is null ? "" : " " + zone) + typmod;
        if (TypeParser.Parse(written, enumNames, out _) is { } known)
            return known.Sql + brackets;

        var (printed, impliedZone) = Aliases.TryGetValue(name[0], out var alias) ? alias : (name[0], null);
        var printedZone = zone ?? impliedZone;
        return printed + typmod + (printedZone is null ? "" : " " + printedZone) + brackets;
    }
}
