using System.Globalization;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql;

/// <summary>
/// A column's <c>max_bytes:</c> as SQL: a check constraint on the size of the value. What is measured is
/// <c>octet_length</c> of the value's text, in the database's encoding: for text and varchar that is the string
/// itself (read from the stored length, without decompressing it); for jsonb it is the text form PostgreSQL prints
/// (<c>col::text</c>), which is what a client sends and reads back, whatever the storage does with it.
/// <c>pg_column_size</c> is not used: it measures the stored datum, compressed or not depending on how the row
/// was written, so the same value could pass on one path and fail on another.
/// </summary>
public static class MaxBytesCheck
{
    /// <summary>The largest limit PostgreSQL could ever store in one field: 1 GB less one byte.</summary>
    public const int Largest = 1073741823;

    /// <summary>Whether <c>max_bytes</c> applies to columns of <paramref name="type"/>: text, varchar and jsonb, not arrays of them.</summary>
    public static bool AppliesTo(PgType type)
        => !type.IsArray && type.Kind is PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Jsonb;

    /// <summary>
    /// The check's expression, as PostgreSQL prints it back (a varchar is measured through its text, as PostgreSQL's
    /// own implicit cast does), so that a database built from it shows no drift.
    /// </summary>
    public static string Expression(Column column, int maxBytes)
    {
        var name = SqlIdentifier.Quote(column.Name);
        var measured = column.Type.Kind == PgTypeKind.Text ? name : name + "::text";
        return $"octet_length({measured}) <= {maxBytes.ToString(CultureInfo.InvariantCulture)}";
    }
}
