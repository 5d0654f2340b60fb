using System.Collections.Generic;
using System.Text.RegularExpressions;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Parsing;

/// <summary>Reads a column type as written in schema.yaml (any PostgreSQL alias) into its canonical form.</summary>
public static class TypeParser
{
    private static readonly Dictionary<string, PgTypeKind> SimpleTypes = new()
    {
        ["uuid"] = PgTypeKind.Uuid,
        ["text"] = PgTypeKind.Text,
        ["smallint"] = PgTypeKind.SmallInt,
        ["int2"] = PgTypeKind.SmallInt,
        ["int"] = PgTypeKind.Integer,
        ["integer"] = PgTypeKind.Integer,
        ["int4"] = PgTypeKind.Integer,
        ["bigint"] = PgTypeKind.BigInt,
        ["int8"] = PgTypeKind.BigInt,
        ["boolean"] = PgTypeKind.Boolean,
        ["bool"] = PgTypeKind.Boolean,
        ["real"] = PgTypeKind.Real,
        ["float4"] = PgTypeKind.Real,
        ["double"] = PgTypeKind.Double,
        ["double precision"] = PgTypeKind.Double,
        ["float8"] = PgTypeKind.Double,
        ["timestamptz"] = PgTypeKind.TimestampTz,
        ["timestamp with time zone"] = PgTypeKind.TimestampTz,
        ["timestamp"] = PgTypeKind.Timestamp,
        ["timestamp without time zone"] = PgTypeKind.Timestamp,
        ["date"] = PgTypeKind.Date,
        ["jsonb"] = PgTypeKind.Jsonb,
        ["bytea"] = PgTypeKind.Bytea,
        ["numeric"] = PgTypeKind.Numeric,
        ["decimal"] = PgTypeKind.Numeric,
        ["varchar"] = PgTypeKind.Varchar,
        ["character varying"] = PgTypeKind.Varchar,
        ["char"] = PgTypeKind.Char,
        ["character"] = PgTypeKind.Char,
    };

    // name, then optional (a) or (a,b), then optional []
    private static readonly Regex Shape = new(
        @"^(?<name>[a-z_][a-z0-9_]*(?: [a-z]+)*)\s*(?:\(\s*(?<a>\d+)\s*(?:,\s*(?<b>\d+)\s*)?\))?(?<array>\s*\[\])?$",
        RegexOptions.CultureInvariant);

    public const string KnownTypesText =
        "uuid, text, varchar(n), char(n), smallint, integer, bigint, boolean, numeric(p,s), real, double precision, " +
        "timestamptz, timestamp, date, jsonb, bytea, a declared enum, or any of these followed by [] for an array";

    /// <summary>Parses <paramref name="written"/>; on failure returns null and an error message.</summary>
    public static PgType? Parse(string written, ISet<string> enumNames, out string? error)
    {
        error = null;
        var text = Regex.Replace(written.Trim().ToLowerInvariant(), @"\s+", " ");
        var match = Shape.Match(text);
        if (!match.Success)
        {
            error = $"'{written}' is not a column type. Write one of: {KnownTypesText}";
            return null;
        }

        var name = match.Groups["name"].Value;
        int? a = match.Groups["a"].Success ? int.Parse(match.Groups["a"].Value) : null;
        int? b = match.Groups["b"].Success ? int.Parse(match.Groups["b"].Value) : null;
        var isArray = match.Groups["array"].Success;

        if (!SimpleTypes.TryGetValue(name, out var kind))
        {
            if (enumNames.Contains(name) && a is null)
                return new PgType(PgTypeKind.Enum, null, null, null, name, isArray);
            error = $"unknown type '{written}'. Write one of: {KnownTypesText}";
            return null;
        }

        switch (kind)
        {
            case PgTypeKind.Varchar:
            case PgTypeKind.Char:
                if (b is not null || a is 0 || a > 10485760)
                {
                    error = $"'{written}': a length is one number from 1 to 10485760, as in varchar(200)";
                    return null;
                }
                if (kind == PgTypeKind.Char && a is null)
                    a = 1;
                return new PgType(kind, a, null, null, null, isArray);
            case PgTypeKind.Numeric:
                if (a is 0 or > 1000 || (b is not null && b > a))
                {
                    error = $"'{written}': numeric takes a precision from 1 to 1000 and a scale no larger than it, as in numeric(12,2)";
                    return null;
                }
                return new PgType(kind, null, a, a is null ? null : b ?? 0, null, isArray);
            default:
                if (a is not null)
                {
                    error = $"'{written}': type {name} takes no length or precision; write '{name}'";
                    return null;
                }
                return new PgType(kind, null, null, null, null, isArray);
        }
    }
}
