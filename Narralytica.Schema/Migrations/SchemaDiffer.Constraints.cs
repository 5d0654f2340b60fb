using System;
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
            Emit(Phase.AddKeys, MigrationSql.AddConstraint(table, SqlFragments.PrimaryKey(table, key)));
            _createdNames.Add(key.Name);
            Change(ChangeDescriptions.ChangePrimaryKey(table, key), key.Span);
            Find(SafetyFindings.NewUniqueKey(table, $"primary key ({string.Join(", ", key.Columns)})", key.Span));
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
            Emit(Phase.AddKeys, MigrationSql.AddConstraint(table, SqlFragments.Unique(table, unique)));
            _createdNames.Add(unique.Name);
            Change(ChangeDescriptions.AddUnique(table, unique), unique.Span);
            Find(SafetyFindings.NewUniqueKey(table, $"unique constraint '{unique.Name}'", unique.Span));
        }
    }

    private void DiffChecks(Table original, Table old, Table table)
    {
        // A check over a column whose type changes is added again: PostgreSQL keeps the text it stored for the old
        // type (its casts, an enum's labels), so only a rebuild leaves what a fresh database has.
        var match = ObjectMatch.Of(old.Checks, table.Checks, c => c.Name,
            (a, b) => a.Expression == b.Expression && !MentionsRetyped(table, a.Expression));
        RenameAndDrop(original, table, match, c => c.Name, c => c.Span, "check constraint");
        foreach (var check in match.Added.Concat(match.Changed.Select(c => c.New)))
        {
            foreach (var statement in MigrationSql.AddThenValidate(table, SqlFragments.Check(check), check.Name))
                Emit(Phase.AddKeys, statement);
            _createdNames.Add(check.Name);
            Change(ChangeDescriptions.AddCheck(table, check), check.Span);
            if (SafetyFindings.NewCheck(old, table, check) is { } risk)
                Find(risk);
        }
    }

    private void DiffForeignKeys(Table original, Table old, Table table)
    {
        var match = ObjectMatch.Of(old.ForeignKeys, table.ForeignKeys, k => k.Name, (a, b) => SameForeignKey(a, b) && !MustRebuild(table, b));
        foreach (var (before, after) in match.Renamed)
            RenameConstraint(table, before.Name, after.Name, after.Span);
        foreach (var before in match.Dropped.Concat(match.Changed.Select(c => c.Old)))
        {
            Emit(Phase.DropForeignKeys, MigrationSql.DropConstraint(original.Name, before.Name));
            Dropped(before.Name, SafetyFindings.DropForeignKey(table, before));
            if (match.Dropped.Contains(before))
                Change(ChangeDescriptions.DropForeignKey(table, before), table.Span);
        }
        foreach (var (before, key) in match.Added.Select(k => ((ForeignKey?)null, k)).Concat(match.Changed.Select(c => ((ForeignKey?)c.Old, c.New))))
        {
            foreach (var statement in MigrationSql.AddThenValidate(table, SqlFragments.ForeignKey(table, key), key.Name))
                Emit(Phase.AddForeignKeys, statement);
            _createdNames.Add(key.Name);
            // A key rebuilt around a type change, unchanged in itself, is no change to report.
            if (before is null || !SameForeignKey(before, key))
                Change(ChangeDescriptions.AddForeignKey(table, key), key.Span);
            if (SafetyFindings.NewForeignKey(old, before, key) is { } risk)
                Find(risk);
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
        Emit(Phase.DropKeysAndIndexes, MigrationSql.DropConstraint(original.Name, name));
        Dropped(name, SafetyFindings.DropConstraint(original, what, span));
    }

    private void RenameConstraint(Table table, string from, string to, SourceSpan span)
    {
        Emit(Phase.Renames, MigrationSql.RenameConstraint(table, from, to));
        Change(ChangeDescriptions.RenameConstraint(from, to), span);
    }
}
