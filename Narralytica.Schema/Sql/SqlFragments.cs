using System.Linq;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql;

/// <summary>
/// The SQL text of each schema object, one function per object kind. The fresh-database DDL and
/// migrations are both assembled from these, so they cannot disagree on how an object is written.
/// </summary>
public static class SqlFragments
{
    public static string Name(Table table) => SqlIdentifier.Quote(table.Name);

    public static string ColumnList(System.Collections.Generic.IEnumerable<string> columns)
        => string.Join(", ", columns.Select(c => SqlIdentifier.Quote(c)));

    public static string ColumnDefinition(Column column)
    {
        var sql = $"{SqlIdentifier.Quote(column.Name)} {column.Type.Sql}";
        if (!column.Nullable)
            sql += " NOT NULL";
        if (column.Default is not null)
            sql += " DEFAULT " + column.Default;
        return sql;
    }

    public static string PrimaryKey(Table table, PrimaryKey key)
        => $"CONSTRAINT {SqlIdentifier.Quote(key.Name)} PRIMARY KEY ({ColumnList(key.Columns)})";

    public static string Unique(Table table, UniqueConstraint unique)
        => $"CONSTRAINT {SqlIdentifier.Quote(unique.Name)} UNIQUE ({ColumnList(unique.Columns)})";

    public static string Check(CheckConstraint check)
        => $"CONSTRAINT {SqlIdentifier.Quote(check.Name)} CHECK ({check.Expression})";

    public static string ForeignKey(Table table, ForeignKey key)
    {
        var sql = $"CONSTRAINT {SqlIdentifier.Quote(key.Name)} FOREIGN KEY ({ColumnList(key.Columns)}) " +
                  $"REFERENCES {SqlIdentifier.Quote(key.ReferencedTable)} ({ColumnList(key.ReferencedColumns)})";
        var action = OnDeleteSql(key.OnDelete);
        return action is null ? sql : sql + " ON DELETE " + action;
    }

    public static string? OnDeleteSql(OnDelete onDelete) => onDelete switch
    {
        OnDelete.Restrict => "RESTRICT",
        OnDelete.Cascade => "CASCADE",
        OnDelete.SetNull => "SET NULL",
        OnDelete.SetDefault => "SET DEFAULT",
        _ => null, // NO ACTION is PostgreSQL's default and is left unwritten
    };

    public static string CreateIndex(Table table, Index index, bool concurrently = false)
    {
        var columns = string.Join(", ", index.Columns.Select(c =>
            SqlIdentifier.Quote(c.Name)
            + (c.Descending ? " DESC" : "")
            + (c.Nulls switch { NullsOrder.First => " NULLS FIRST", NullsOrder.Last => " NULLS LAST", _ => "" })));
        // A concurrent build runs outside a transaction and may be interrupted: IF NOT EXISTS makes it re-runnable.
        var sql = $"CREATE {(index.Unique ? "UNIQUE " : "")}INDEX {(concurrently ? "CONCURRENTLY IF NOT EXISTS " : "")}{SqlIdentifier.Quote(index.Name)} ON {Name(table)}";
        if (index.Method != IndexMethod.Btree)
            sql += " USING " + index.Method.ToString().ToLowerInvariant();
        sql += $" ({columns})";
        if (index.Include.Count > 0)
            sql += $" INCLUDE ({ColumnList(index.Include)})";
        if (index.Where is not null)
            sql += $" WHERE ({index.Where})";
        return sql + ";";
    }

    public static string CreateEnum(EnumType enumType)
        => $"CREATE TYPE {SqlIdentifier.Quote(enumType.Name)} AS ENUM ({string.Join(", ", enumType.Values.Select(SqlIdentifier.Literal))});";

    public static string CommentOnTable(Table table)
        => $"COMMENT ON TABLE {Name(table)} IS {CommentText(table.Doc)};";

    public static string CommentOnColumn(Table table, Column column)
        => $"COMMENT ON COLUMN {Name(table)}.{SqlIdentifier.Quote(column.Name)} IS {CommentText(column.Doc)};";

    public static string CommentOnType(EnumType enumType)
        => $"COMMENT ON TYPE {SqlIdentifier.Quote(enumType.Name)} IS {CommentText(enumType.Doc)};";

    private static string CommentText(string? doc) => doc is null ? "NULL" : SqlIdentifier.Literal(doc.Trim());
}
