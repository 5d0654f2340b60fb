using Narralytica.Schema.Model;

namespace Narralytica.Schema.Migrations;

/// <summary>What changing a column's type costs in PostgreSQL.</summary>
public enum TypeChangeKind
{
    /// <summary>Binary-compatible: no rewrite, cannot fail (varchar(10) → varchar(20), varchar → text).</summary>
    InPlace,

    /// <summary>Every value converts, but the table is rewritten under an exclusive lock (integer → bigint).</summary>
    Widening,

    /// <summary>Values may not convert (text → integer, bigint → integer, a shorter varchar): the change can fail on data.</summary>
    Narrowing,
}

internal static class TypeChange
{
    public static TypeChangeKind Classify(PgType from, PgType to)
    {
        if (from.IsArray != to.IsArray)
            return TypeChangeKind.Narrowing;
        if (IsInPlace(from, to))
            return TypeChangeKind.InPlace;
        return IsWidening(from, to) ? TypeChangeKind.Widening : TypeChangeKind.Narrowing;
    }

    private static bool IsInPlace(PgType from, PgType to) => (from.Kind, to.Kind) switch
    {
        (PgTypeKind.Varchar, PgTypeKind.Varchar) => to.Length is null || from.Length is { } n && to.Length >= n,
        (PgTypeKind.Varchar, PgTypeKind.Text) => true,
        (PgTypeKind.Text, PgTypeKind.Varchar) => to.Length is null,
        (PgTypeKind.Numeric, PgTypeKind.Numeric) => to.Precision is null || from.Precision is { } p && to.Precision >= p && to.Scale == from.Scale,
        _ => false,
    };

    private static bool IsWidening(PgType from, PgType to) => (from.Kind, to.Kind) switch
    {
        (_, PgTypeKind.Text) => true, // every type has a text form
        (PgTypeKind.SmallInt, PgTypeKind.Integer or PgTypeKind.BigInt) => true,
        (PgTypeKind.Integer, PgTypeKind.BigInt) => true,
        (PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt, PgTypeKind.Numeric) => to.Precision is null,
        (PgTypeKind.Real, PgTypeKind.Double) => true,
        (PgTypeKind.Timestamp, PgTypeKind.TimestampTz) => true,
        (PgTypeKind.Date, PgTypeKind.Timestamp or PgTypeKind.TimestampTz) => true,
        (PgTypeKind.Char, PgTypeKind.Varchar) => to.Length is null || to.Length >= (from.Length ?? 1),
        _ => false,
    };
}
