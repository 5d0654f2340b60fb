using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// Which changes put data, availability or tenant isolation at risk, under which rule (<see cref="MigrationRules"/>),
/// and what to do instead. <c>migrations add</c> refuses a change with a finding unless its category is accepted
/// (<c>--allow destructive</c>). Where a rule holds only in some cases (a new check that cannot fail, a foreign key
/// over new columns), the method decides and returns null when it does not apply.
/// </summary>
internal static class SafetyFindings
{
    private static readonly SourceSpan WholeSchema = new(1, 1);

    // ── destructive: data or a rule is lost ──

    public static LintFinding DropTable(Table table)
        => new(MigrationRules.DropTable,
            $"drops table '{table.Name}' and every row in it. If it was renamed, write 'renamed_from: {table.Name}' on the new table; " +
            "otherwise stop using it in one release and drop it in the next", WholeSchema);

    public static LintFinding DropColumn(Table table, Column column)
        => new(MigrationRules.DropColumn,
            $"drops column '{table.Name}.{column.Name}' and its data. If it was renamed, write 'renamed_from: {column.Name}' on the new column; " +
            "otherwise stop reading and writing it in one release and drop it in the next", table.Span);

    public static LintFinding DropConstraint(Table original, string what, SourceSpan span)
        => new(MigrationRules.DropConstraint, $"drops {what} of '{original.Name}': the rule it enforced no longer holds for new rows", span);

    public static LintFinding DropForeignKey(Table table, ForeignKey key)
        => new(MigrationRules.DropConstraint, $"drops foreign key '{key.Name}' of '{table.Name}': nothing stops rows from pointing at missing rows any more", table.Span);

    public static LintFinding DropIndex(Table table, Index index)
        => new(MigrationRules.DropIndex, $"drops index '{index.Name}' of '{table.Name}': queries that use it get slower. Check no hot query relies on it", table.Span);

    public static LintFinding DropEnum(EnumType enumType)
        => new(MigrationRules.DropEnumValue, $"drops enum type '{enumType.Name}' (no longer in schema.yaml). Drop it in a later release, once no code writes it", WholeSchema);

    /// <summary>Values removed from an enum, or reordered: the type is recreated and its columns converted.</summary>
    public static LintFinding RecreateEnum(EnumType old, EnumType enumType)
    {
        var removed = old.Values.Where(v => !enumType.Values.Contains(v)).ToList();
        var what = removed.Count > 0
            ? $"removes value{(removed.Count > 1 ? "s" : "")} {string.Join(", ", removed.Select(v => $"'{v}'"))} from enum '{enumType.Name}'"
            : $"reorders the values of enum '{enumType.Name}'";
        return new(MigrationRules.DropEnumValue,
            $"{what}: PostgreSQL cannot do this in place, so the type is recreated and every column of it converted, which fails if a row still holds a removed value. " +
            "Safer: stop writing the value, update the rows that hold it, and only then remove it", enumType.Span);
    }

    public static LintFinding DropTenantContext()
        => new(MigrationRules.DropTable,
            $"drops table '{TenantIsolation.AuditTable}', the record of every cross-tenant read (who read across tenants, when and why), " +
            "and the procedures the data layer sets a transaction's tenant with. Keep them; if the record must go, export it first", WholeSchema);

    public static LintFinding DropSignedTenant()
        => new(MigrationRules.DropTable,
            $"drops table '{TenantProof.KeyTable}' and the function that verifies tenant proofs: the policies go back to trusting a setting any SQL of the " +
            "application may change. Keep them", WholeSchema);

    // ── columns: data-dependent, locking, reinterpreting ──

    /// <summary>A new column that fails on a table with rows (NOT NULL, no default), or rewrites it (a volatile default).</summary>
    public static LintFinding? AddColumn(Table table, Column column)
    {
        if (!column.Nullable && column.Default is null)
            return new(MigrationRules.NotNullWithoutDefault,
                $"column '{table.Name}.{column.Name}' is NOT NULL without a default, so adding it fails on a table that has rows. " +
                "Add it nullable, fill it, then make it NOT NULL in a later migration; or give it a default", column.Span);
        if (column.Default is { } sql && VolatileFunctions.AnyCalledIn(sql))
            return new(MigrationRules.VolatileDefault,
                $"the default of '{table.Name}.{column.Name}' ({sql}) is volatile, so PostgreSQL rewrites the whole table under an exclusive lock to fill it. " +
                "Add the column without a default, backfill it in batches, then set the default", column.Span);
        return null;
    }

    public static LintFinding SetNotNull(Table table, Column column)
        => new(MigrationRules.SetNotNull,
            $"making '{table.Name}.{column.Name}' NOT NULL fails if any row holds NULL. Backfill the NULLs first (in an earlier migration or a job), " +
            "or accept it with --allow data-dependent once you know there are none", column.Span);

    /// <summary>
    /// A column's type change: one that can fail on data (<paramref name="guarded"/> when a guard checks every row
    /// first), one that changes what every value means, one that rewrites the table. A conversion to a recreated
    /// enum (<paramref name="recreatedEnum"/>) keeps the type's name, so it reinterprets nothing.
    /// </summary>
    public static IEnumerable<LintFinding> ChangeType(Table table, Column before, Column column, TypeChangeKind kind, bool guarded, bool recreatedEnum)
    {
        var name = $"{table.Name}.{column.Name}";
        if (kind == TypeChangeKind.Narrowing)
            yield return new(MigrationRules.NarrowingType,
                $"converting '{name}' from {before.Type.Sql} to {column.Type.Sql} fails if any row holds a value the new type cannot take" +
                (guarded ? " or would change (cut, rounded or truncated): the migration checks every row first and stops, converting nothing" : "") + ". " +
                "Expand and contract instead: add a new column, backfill it, switch readers and writers, then drop the old one", column.Span);
        if (!recreatedEnum && ConversionGuard.Reinterpretation(before.Type, column.Type) is { } happens)
            yield return new(MigrationRules.ReinterpretingType,
                $"converting '{name}' from {before.Type.Sql} to {column.Type.Sql} changes what every stored value means: {happens}. " +
                "Run the migration with the TimeZone the values were written in, or convert explicitly in an expand-and-contract migration; accept it with --allow destructive", column.Span);
        if (kind != TypeChangeKind.InPlace)
            yield return new(MigrationRules.RewritesTable,
                $"changing '{name}' from {before.Type.Sql} to {column.Type.Sql} rewrites table '{table.Name}' and its indexes under an exclusive lock, blocking reads and writes. " +
                "On a large table, expand and contract: add a column of the new type, backfill it in batches, then switch over", column.Span);
    }

    // ── keys, checks, indexes: data-dependent, locking ──

    /// <summary>A primary key, unique constraint or unique index added to a table that stays (<paramref name="what"/> names it).</summary>
    public static LintFinding NewUniqueKey(Table table, string what, SourceSpan span)
        => new(MigrationRules.NewUniqueKey,
            $"adding {what} to existing table '{table.Name}' fails if rows already repeat its columns, and builds its index under a lock that blocks writes. " +
            "Remove duplicates first; on a large table build a unique index CONCURRENTLY, then add the constraint USING INDEX", span);

    /// <summary>A check added to a table that stays, unless it cannot fail on the rows already there.</summary>
    public static LintFinding? NewCheck(Table old, Table table, CheckConstraint check)
        => HoldsOnNewNullColumns(old, table, check.Expression)
            ? null
            : new(MigrationRules.NewCheck,
                $"check '{check.Name}' on existing table '{table.Name}' fails to validate if any row breaks it ({check.Expression}). " +
                "Fix those rows first; the migration adds it NOT VALID and validates it separately, so writes are not blocked meanwhile", check.Span);

    /// <summary>A foreign key over columns that already hold data, unless it only comes back as it was (<paramref name="before"/>).</summary>
    public static LintFinding? NewForeignKey(Table old, ForeignKey? before, ForeignKey key)
    {
        var overExistingColumns = key.Columns.All(c => old.FindColumn(c) is not null);
        var sameAsBefore = before is not null && before.Columns.SequenceEqual(key.Columns) && before.ReferencedTable == key.ReferencedTable
                           && before.ReferencedColumns.SequenceEqual(key.ReferencedColumns);
        if (!overExistingColumns || sameAsBefore)
            return null;
        return new(MigrationRules.NewForeignKey,
            $"foreign key '{key.Name}' covers columns that already hold data; VALIDATE fails if a row points at a missing '{key.ReferencedTable}' row. " +
            "Fix or delete those rows first (the key is added NOT VALID and validated separately, so writes go on meanwhile)", key.Span);
    }

    public static LintFinding BlockingIndex(Table table, Index index)
        => new(MigrationRules.BlockingIndex,
            $"unique index '{index.Name}' is the target of a foreign key added in the same migration, so it is built inside the transaction, blocking writes to '{table.Name}'. " +
            "On a large table, add the index in one migration and the reference in the next", index.Span);

    // ── tenancy ──

    public static LintFinding TenancyChange(Table original, Table table)
        => new(MigrationRules.TenancyChange,
            $"table '{table.Name}' changes from {ChangeDescriptions.Scope(original)} to {ChangeDescriptions.Scope(table)}: tenant_id, its key and every reference to the table change with it, " +
            "and existing rows have no tenant to take. Create a new table with the new scope, copy the rows with their tenant, then drop the old one", table.Span);

    /// <summary>Row-level security turned off on a table that keeps its scope (a change of scope is <see cref="TenancyChange"/>'s finding).</summary>
    public static LintFinding? RowSecurityDisabled(Table original, Table table)
        => original.Scope != table.Scope
            ? null
            : new(MigrationRules.RowSecurityDisabled,
                $"row-level security is turned off on '{table.Name}': PostgreSQL no longer keeps its rows to the transaction's tenant, so SQL that forgets " +
                "tenant_id reads and changes every tenant's rows. Keep it on; if the table must really go without it, accept it with --allow tenancy", table.Span);

    /// <summary>An append-only table whose lane now gets UPDATE or DELETE on it: its history can be rewritten.</summary>
    public static LintFinding? AppendOnlyReopened(Table old, Table table, string role, TablePrivileges granted)
    {
        const TablePrivileges rewrites = TablePrivileges.Update | TablePrivileges.Delete;
        if (!(old.AppendOnly && !table.AppendOnly) || (granted & rewrites) == TablePrivileges.None)
            return null;
        return new(MigrationRules.AppendOnlyReopened,
            $"table '{table.Name}' is no longer append-only: {role} gets {ChangeDescriptions.Keywords(granted & rewrites)} on it, so the application can change or remove rows " +
            "that were history until now. To correct a row, append a new version instead; if rows must really change, accept it with --allow tenancy", table.Span);
    }

    /// <summary>
    /// Whether a check names only columns this change adds, nullable and without a default: every existing row
    /// holds NULL in them, so a condition that is NULL whenever its columns are (a comparison, a function of them,
    /// AND, OR, NOT) passes on every row, whatever the data. IS [NOT] NULL, IS DISTINCT FROM, COALESCE and CASE
    /// are not NULL on NULL, so a check using one keeps its finding.
    /// </summary>
    private static bool HoldsOnNewNullColumns(Table old, Table table, string expression)
    {
        var named = table.Columns.Where(c => SqlExpression.MentionsIdentifier(expression, c.Name)).ToList();
        return named.Count > 0
               && named.All(c => old.FindColumn(c.Name) is null && c.Nullable && c.Default is null)
               && !Regex.IsMatch(expression, @"\b(is|coalesce|case|concat|concat_ws|num_nulls|num_nonnulls)\b",
                   RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }
}
