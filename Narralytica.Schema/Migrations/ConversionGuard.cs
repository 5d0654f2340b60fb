using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// What a column's type change does to the values already stored. PostgreSQL's explicit casts, which a
/// <c>USING</c> conversion runs, truncate and round where an assignment would fail (<c>'abcdef'::varchar(3)</c>
/// is <c>'abc'</c>, <c>1.5::integer</c> is 2), so a narrowing conversion is preceded by a guard that fails
/// the migration, naming how many rows and one value, before any row changes. A change whose result depends
/// on the session (a time zone) is not lossy row by row but reinterprets every value: the differ flags it.
/// </summary>
internal static class ConversionGuard
{
    /// <summary>
    /// The condition true for a stored value the conversion would change or lose, or null when the cast
    /// either keeps every value or fails by itself on the ones it cannot take (text to integer, integer to smallint).
    /// </summary>
    public static string? LossCondition(PgType from, PgType to, string column)
    {
        if (from.IsArray != to.IsArray || from.Kind == PgTypeKind.Enum || to.Kind == PgTypeKind.Enum)
            return null;
        if (to.Kind is PgTypeKind.Varchar or PgTypeKind.Char && to.Length is { } length)
        {
            // An explicit cast to varchar(n) or char(n) cuts longer values at n characters.
            var element = IsString(from.Kind) ? "e" : "e::text";
            return from.IsArray
                ? $"EXISTS (SELECT FROM unnest({column}) AS v(e) WHERE length({element}) > {length})"
                : $"length({(IsString(from.Kind) ? column : column + "::text")}) > {length}";
        }
        if (IsString(from.Kind) && to.Kind == PgTypeKind.Numeric && to.Precision is not null)
            return $"{column}::numeric{(from.IsArray ? "[]" : "")} IS DISTINCT FROM {column}::{to.Sql}"; // rounded to the scale
        if (RoundTrips(from.Kind) && RoundTrips(to.Kind))
            return $"{column}::{to.Sql}::{from.Sql} IS DISTINCT FROM {column}"; // rounded, truncated or cut to a date
        return null;
    }

    /// <summary>What a change does to every stored value regardless of the value, or null when it does nothing of the kind.</summary>
    public static string? Reinterpretation(PgType from, PgType to) => (from.Kind, to.Kind) switch
    {
        (PgTypeKind.Timestamp, PgTypeKind.TimestampTz) =>
            "each stored local time is read as a time in the TimeZone of the session that runs the migration",
        (PgTypeKind.TimestampTz, PgTypeKind.Timestamp or PgTypeKind.Date) =>
            "each stored instant becomes the local time (or date) of the TimeZone of the session that runs the migration, and the instant is lost",
        _ => null,
    };

    /// <summary>
    /// A statement that locks the table (the conversion takes the same lock right after) and fails the migration
    /// when a row holds a value the conversion would change, saying how many and showing one.
    /// </summary>
    public static string Statement(Table table, Column column, PgType from, string condition)
    {
        var name = SqlIdentifier.Quote(column.Name);
        var message = SqlIdentifier.Literal(
            // % is RAISE's placeholder: a name that holds one is doubled.
            $"converting {table.Name.Replace("%", "%%")}.{column.Name.Replace("%", "%%")} from {from.Sql} to {column.Type.Sql} would change or lose the value of % row(s), for example %; nothing was converted");
        var hint = SqlIdentifier.Literal(
            $"Fix those values first (expand and contract: add a {column.Type.Sql} column, backfill it, then switch over), or keep {from.Sql}.");
        return $"""
            DO $guard$
            DECLARE
              changed bigint;
              example text;
            BEGIN
              LOCK TABLE {SqlFragments.Name(table)} IN ACCESS EXCLUSIVE MODE;
              SELECT count(*), min({name}::text) INTO changed, example FROM {SqlFragments.Name(table)} WHERE {condition};
              IF changed > 0 THEN
                RAISE EXCEPTION {message}, changed, example USING ERRCODE = 'data_exception', HINT = {hint};
              END IF;
            END
            $guard$;
            """;
    }

    private static bool IsString(PgTypeKind kind) => kind is PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char;

    /// <summary>Types whose values compare equal after a conversion there and back exactly when nothing was lost.</summary>
    private static bool RoundTrips(PgTypeKind kind)
        => kind is PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt or PgTypeKind.Numeric or PgTypeKind.Real or PgTypeKind.Double
            or PgTypeKind.Boolean or PgTypeKind.Date or PgTypeKind.Timestamp or PgTypeKind.TimestampTz;
}
