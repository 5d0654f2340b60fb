using System;
using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The primary key, unique constraints, checks and foreign keys of a table that stays: renamed, dropped, added.
/// </summary>
public sealed partial class SchemaDiffer
{
    private void DiffPrimaryKey(Table original, Table old, Table table)
    {
        var before = old.PrimaryKey;
        var key = table.PrimaryKey;
        if (!before.Columns.SequenceEqual(key.Columns))
        {
            DropConstraint(original, before.Name, $"primary key {before.Name}", table.Span);
            Emit(Phase.AddKeys, $"ALTER TABLE {SqlFragments.Name(table)} ADD {SqlFragments.PrimaryKey(table, key)};");
            _createdNames.Add(key.Name);
            Change($"change the primary key of {table.Name} to ({string.Join(", ", key.Columns)})", key.Span);
            NewUniqueKey(table, $"primary key ({string.Join(", ", key.Columns)})", key.Span);
        }
        else if (before.Name != key.Name)
            RenameConstraint(table, before.Name, key.Name, key.Span);
    }

    private void DiffUniques(Table original, Table old, Table table)
    {
        var match = ObjectMatch.Of(old.Uniques, table.Uniques, u => u.Name, (a, b) => a.Columns.SequenceEqual(b.Columns));
        RenameAndDrop(original, table, match, u => u.Name, u => u.Span, "unique constraint");
        foreach (var unique in match.Added.Concat(match.Changed.Select(c => c.New)))
        {
            Emit(Phase.AddKeys, $"ALTER TABLE {SqlFragments.Name(table)} ADD {SqlFragments.Unique(table, unique)};");
            _createdNames.Add(unique.Name);
            Change($"add unique constraint {unique.Name} on {table.Name} ({string.Join(", ", unique.Columns)})", unique.Span);
            NewUniqueKey(table, $"unique constraint '{unique.Name}'", unique.Span);
        }
    }

    private void NewUniqueKey(Table table, string what, SourceSpan span)
        => Find(MigrationRules.NewUniqueKey,
            $"adding {what} to existing table '{table.Name}' fails if rows already repeat its columns, and builds its index under a lock that blocks writes. " +
            "Remove duplicates first; on a large table build a unique index CONCURRENTLY, then add the constraint USING INDEX", span);

    private void DiffChecks(Table original, Table old, Table table)
    {
        // A check over a column whose type changes is added again: PostgreSQL keeps the text it stored for the old
        // type (its casts, an enum's labels), so only a rebuild leaves what a fresh database has.
        var match = ObjectMatch.Of(old.Checks, table.Checks, c => c.Name,
            (a, b) => a.Expression == b.Expression && !MentionsRetyped(table, a.Expression));
        RenameAndDrop(original, table, match, c => c.Name, c => c.Span, "check constraint");
        foreach (var check in match.Added.Concat(match.Changed.Select(c => c.New)))
        {
            // NOT VALID takes a short lock; VALIDATE then scans without blocking writes.
            Emit(Phase.AddKeys, $"ALTER TABLE {SqlFragments.Name(table)} ADD {SqlFragments.Check(check)} NOT VALID;");
            Emit(Phase.AddKeys, $"ALTER TABLE {SqlFragments.Name(table)} VALIDATE CONSTRAINT {Q(check.Name)};");
            _createdNames.Add(check.Name);
            Change($"add check {check.Name} on {table.Name}: {check.Expression}", check.Span);
            if (HoldsOnNewNullColumns(old, table, check.Expression))
                continue;
            Find(MigrationRules.NewCheck,
                $"check '{check.Name}' on existing table '{table.Name}' fails to validate if any row breaks it ({check.Expression}). " +
                "Fix those rows first; the migration adds it NOT VALID and validates it separately, so writes are not blocked meanwhile", check.Span);
        }
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
               && !System.Text.RegularExpressions.Regex.IsMatch(expression, @"\b(is|coalesce|case|concat|concat_ws|num_nulls|num_nonnulls)\b",
                   System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
    }

    private void DiffForeignKeys(Table original, Table old, Table table)
    {
        var match = ObjectMatch.Of(old.ForeignKeys, table.ForeignKeys, k => k.Name, (a, b) => SameForeignKey(a, b) && !MustRebuild(table, b));
        foreach (var (before, after) in match.Renamed)
            RenameConstraint(table, before.Name, after.Name, after.Span);
        foreach (var before in match.Dropped.Concat(match.Changed.Select(c => c.Old)))
        {
            Emit(Phase.DropForeignKeys, $"ALTER TABLE {Q(original.Name)} DROP CONSTRAINT {Q(before.Name)};");
            Dropped(MigrationRules.DropConstraint, before.Name, $"drops foreign key '{before.Name}' of '{table.Name}': nothing stops rows from pointing at missing rows any more", table.Span);
            if (match.Dropped.Contains(before))
                Change($"drop foreign key {before.Name} of {table.Name}", table.Span);
        }
        foreach (var (before, key) in match.Added.Select(k => ((ForeignKey?)null, k)).Concat(match.Changed.Select(c => ((ForeignKey?)c.Old, c.New))))
        {
            Emit(Phase.AddForeignKeys, $"ALTER TABLE {SqlFragments.Name(table)} ADD {SqlFragments.ForeignKey(table, key)} NOT VALID;");
            Emit(Phase.AddForeignKeys, $"ALTER TABLE {SqlFragments.Name(table)} VALIDATE CONSTRAINT {Q(key.Name)};");
            _createdNames.Add(key.Name);
            if (before is null || !SameForeignKey(before, key))
                Change($"add foreign key {key.Name}: {table.Name} ({string.Join(", ", key.Columns)}) → {key.ReferencedTable}", key.Span);
            var overExistingColumns = key.Columns.All(c => old.FindColumn(c) is not null);
            var sameAsBefore = before is not null && before.Columns.SequenceEqual(key.Columns) && before.ReferencedTable == key.ReferencedTable
                               && before.ReferencedColumns.SequenceEqual(key.ReferencedColumns);
            if (overExistingColumns && !sameAsBefore)
                Find(MigrationRules.NewForeignKey,
                    $"foreign key '{key.Name}' covers columns that already hold data; VALIDATE fails if a row points at a missing '{key.ReferencedTable}' row. " +
                    "Fix or delete those rows first (the key is added NOT VALID and validated separately, so writes go on meanwhile)", key.Span);
        }
    }

    private static bool SameForeignKey(ForeignKey a, ForeignKey b)
        => a.Columns.SequenceEqual(b.Columns) && a.ReferencedTable == b.ReferencedTable
           && a.ReferencedColumns.SequenceEqual(b.ReferencedColumns) && a.OnDelete == b.OnDelete;

    /// <summary>Renames the constraints matched by definition; drops the ones gone or changed (a changed one is added again by the caller).</summary>
    private void RenameAndDrop<T>(Table original, Table table, ObjectMatch<T> match, Func<T, string> name, Func<T, SourceSpan> span, string kind)
    {
        foreach (var (before, after) in match.Renamed)
            RenameConstraint(table, name(before), name(after), span(after));
        foreach (var before in match.Dropped.Concat(match.Changed.Select(c => c.Old)))
            DropConstraint(original, name(before), $"{kind} {name(before)}", table.Span);
    }

    private void DropConstraint(Table original, string name, string what, SourceSpan span)
    {
        Emit(Phase.DropKeysAndIndexes, $"ALTER TABLE {Q(original.Name)} DROP CONSTRAINT {Q(name)};");
        Dropped(MigrationRules.DropConstraint, name, $"drops {what} of '{original.Name}': the rule it enforced no longer holds for new rows", span);
    }

    private void RenameConstraint(Table table, string from, string to, SourceSpan span)
    {
        Emit(Phase.Renames, $"ALTER TABLE {SqlFragments.Name(table)} RENAME CONSTRAINT {Q(from)} TO {Q(to)};");
        Change($"rename constraint {from} to {to}", span);
    }
}
