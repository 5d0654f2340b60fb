using System.Collections.Generic;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The ALTER, CREATE and DROP statements of each change the differ finds. What an object is (a column's
/// definition, a constraint, an index) is written by <see cref="SqlFragments"/>, as in a fresh database;
/// this class only writes how a migration changes it. Which statements a change needs, and in which
/// phase they run, is the differ's business, not this class's.
/// </summary>
internal static class MigrationSql
{
    // ── tables ──

    public static string RenameTable(string oldName, Table table) => $"ALTER TABLE {Q(oldName)} RENAME TO {Q(table.Name)};";

    public static string DropTable(Table table) => $"DROP TABLE {Q(table.Name)};";

    // ── columns ──

    public static string AddColumn(Table table, Column column) => $"ALTER TABLE {Q(table.Name)} ADD COLUMN {SqlFragments.ColumnDefinition(column)};";

    public static string RenameColumn(Table table, string from, string to) => $"ALTER TABLE {Q(table.Name)} RENAME COLUMN {Q(from)} TO {Q(to)};";

    public static string DropColumn(string table, string column) => $"ALTER TABLE {Q(table)} DROP COLUMN {Q(column)};";

    public static string DropDefault(Table table, Column column) => AlterColumn(table, column, "DROP DEFAULT");

    public static string SetDefault(Table table, Column column, string defaultSql) => AlterColumn(table, column, $"SET DEFAULT {defaultSql}");

    public static string DropNotNull(Table table, Column column) => AlterColumn(table, column, "DROP NOT NULL");

    /// <summary>
    /// SET NOT NULL behind a validated CHECK: the check lets SET NOT NULL skip its full-table scan under the
    /// exclusive lock, and is itself validated under a lock that lets reads and writes go on.
    /// </summary>
    public static IEnumerable<string> SetNotNull(Table table, Column column)
    {
        var check = SqlIdentifier.Fit($"ck_{table.Name}_{column.Name}_not_null");
        yield return $"ALTER TABLE {Q(table.Name)} ADD CONSTRAINT {Q(check)} CHECK ({Q(column.Name)} IS NOT NULL) NOT VALID;";
        yield return ValidateConstraint(table, check);
        yield return AlterColumn(table, column, "SET NOT NULL");
        yield return DropConstraint(table.Name, check);
    }

    /// <summary>
    /// ALTER COLUMN … TYPE. A conversion that may fail (<paramref name="convertsValues"/>) says how with USING,
    /// through text when an enum is involved: PostgreSQL has no direct cast between enum types.
    /// </summary>
    public static string ChangeType(Table table, Column before, Column column, bool convertsValues)
    {
        var sql = $"TYPE {column.Type.Sql}";
        if (convertsValues)
        {
            var viaText = before.Type.Kind == PgTypeKind.Enum || column.Type.Kind == PgTypeKind.Enum;
            var textType = before.Type.IsArray ? "text[]" : "text";
            sql += $" USING {Q(column.Name)}{(viaText ? "::" + textType : "")}::{column.Type.Sql}";
        }
        return AlterColumn(table, column, sql);
    }

    private static string AlterColumn(Table table, Column column, string action) => $"ALTER TABLE {Q(table.Name)} ALTER COLUMN {Q(column.Name)} {action};";

    // ── constraints ──

    /// <summary>A primary key or unique constraint (<see cref="SqlFragments"/>), added with its index in one statement.</summary>
    public static string AddConstraint(Table table, string constraint) => $"ALTER TABLE {Q(table.Name)} ADD {constraint};";

    /// <summary>A check or foreign key added NOT VALID, which takes a short lock, then validated by a scan that does not block writes.</summary>
    public static IEnumerable<string> AddThenValidate(Table table, string constraint, string name)
    {
        yield return $"ALTER TABLE {Q(table.Name)} ADD {constraint} NOT VALID;";
        yield return ValidateConstraint(table, name);
    }

    public static string RenameConstraint(Table table, string from, string to) => $"ALTER TABLE {Q(table.Name)} RENAME CONSTRAINT {Q(from)} TO {Q(to)};";

    public static string DropConstraint(string table, string name) => $"ALTER TABLE {Q(table)} DROP CONSTRAINT {Q(name)};";

    private static string ValidateConstraint(Table table, string name) => $"ALTER TABLE {Q(table.Name)} VALIDATE CONSTRAINT {Q(name)};";

    // ── indexes ──

    public static string RenameIndex(string from, string to) => $"ALTER INDEX {Q(from)} RENAME TO {Q(to)};";

    public static string DropIndex(string name) => $"DROP INDEX {Q(name)};";

    /// <summary>Without blocking writes; IF EXISTS: a dropped column may have taken the index with it already.</summary>
    public static string DropIndexConcurrently(string name) => $"DROP INDEX CONCURRENTLY IF EXISTS {Q(name)};";

    // ── enum types ──

    /// <summary>ALTER TYPE … ADD VALUE, placed before the first old value that follows it (<paramref name="next"/>), else at the end.</summary>
    public static string AddEnumValue(EnumType enumType, string value, string? next)
        => $"ALTER TYPE {Q(enumType.Name)} ADD VALUE {SqlIdentifier.Literal(value)}{(next is null ? "" : " BEFORE " + SqlIdentifier.Literal(next))};";

    public static string RenameType(string from, string to) => $"ALTER TYPE {Q(from)} RENAME TO {Q(to)};";

    public static string DropType(string name) => $"DROP TYPE {Q(name)};";

    private static string Q(string name) => SqlIdentifier.Quote(name);
}
