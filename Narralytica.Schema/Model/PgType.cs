namespace Narralytica.Schema.Model;

/// <summary>The kinds of column type the language knows; each maps to one PostgreSQL type.</summary>
public enum PgTypeKind
{
    Uuid,
    Text,
    Varchar,
    Char,
    SmallInt,
    Integer,
    BigInt,
    Boolean,
    Numeric,
    Real,
    Double,
    TimestampTz,
    Timestamp,
    Date,
    Jsonb,
    Bytea,
    Enum,
}

/// <summary>
/// A column type in canonical form. <see cref="Sql"/> is what PostgreSQL's format_type() prints,
/// so aliases (int4, integer, int) compare equal everywhere, the catalog included.
/// </summary>
public sealed record PgType(PgTypeKind Kind, int? Length, int? Precision, int? Scale, string? EnumName, bool IsArray)
{
    public string Sql
    {
        get
        {
            var element = Kind switch
            {
                PgTypeKind.Uuid => "uuid",
                PgTypeKind.Text => "text",
                PgTypeKind.Varchar => Length is { } n ? $"character varying({n})" : "character varying",
                PgTypeKind.Char => $"character({Length ?? 1})",
                PgTypeKind.SmallInt => "smallint",
                PgTypeKind.Integer => "integer",
                PgTypeKind.BigInt => "bigint",
                PgTypeKind.Boolean => "boolean",
                PgTypeKind.Numeric => Precision is { } p ? $"numeric({p},{Scale ?? 0})" : "numeric",
                PgTypeKind.Real => "real",
                PgTypeKind.Double => "double precision",
                PgTypeKind.TimestampTz => "timestamp with time zone",
                PgTypeKind.Timestamp => "timestamp without time zone",
                PgTypeKind.Date => "date",
                PgTypeKind.Jsonb => "jsonb",
                PgTypeKind.Bytea => "bytea",
                PgTypeKind.Enum => EnumName!,
                _ => throw new System.ArgumentOutOfRangeException(nameof(Kind), Kind, null),
            };
            return IsArray ? element + "[]" : element;
        }
    }

    /// <summary>The type as schema.yaml authors write it, for messages.</summary>
    public override string ToString() => Sql;

    public static readonly PgType Uuid = new(PgTypeKind.Uuid, null, null, null, null, false);
    public static readonly PgType TimestampTz = new(PgTypeKind.TimestampTz, null, null, null, null, false);
}
