using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The indexes of a table that stays: renamed, dropped, created in the transaction or CONCURRENTLY after it.
/// </summary>
public sealed partial class SchemaDiffer
{
    private void DiffIndexes(Table original, Table old, Table table)
    {
        var match = ObjectMatch.Of(old.Indexes, table.Indexes, i => i.Name, (a, b) => SameIndex(a, b) && !MentionsRetyped(table, a.Where));
        foreach (var (before, after) in match.Renamed)
        {
            Emit(Phase.Renames, MigrationSql.RenameIndex(before.Name, after.Name));
            Change(ChangeDescriptions.RenameIndex(before.Name, after.Name), after.Span);
        }
        foreach (var before in match.Dropped)
        {
            Emit(Phase.DropKeysAndIndexes, MigrationSql.DropIndex(before.Name));
            if (match.Added.Any(added => SameIndex(added, before)))
                continue; // rebuilt under its new name (a renamed table's index over a converted column)
            Dropped(before.Name, SafetyFindings.DropIndex(table, before));
            Change(ChangeDescriptions.DropIndex(before), table.Span);
        }
        foreach (var (before, index) in match.Added.Select(i => ((Index?)null, i)).Concat(match.Changed.Select(c => ((Index?)c.Old, c.New))))
        {
            _createdNames.Add(index.Name);
            Change(before is null ? ChangeDescriptions.CreateIndex(table, index) : ChangeDescriptions.RebuildIndex(table, index), index.Span);
            if (index.Unique)
                Find(SafetyFindings.NewUniqueKey(table, $"unique index '{index.Name}'", index.Span));
            // An old predicate naming a column whose type changes may not parse for the new type: it goes
            // before the conversion, and as the table is rewritten under lock anyway, the new index is built with it.
            var rebuiltWithTable = before is not null && MentionsRewritten(table, before.Where);
            var neededByNewKey = index.Unique && index.Where is null && _to.Tables.Any(t => t.ForeignKeys.Any(k =>
                k.ReferencedTable == table.Name && Key(k.ReferencedColumns) == Key(index.Columns.Select(c => c.Name))));
            if (rebuiltWithTable || neededByNewKey)
            {
                if (before is not null)
                    Emit(Phase.DropKeysAndIndexes, MigrationSql.DropIndex(before.Name));
                Emit(Phase.AddIndexes, SqlFragments.CreateIndex(table, index));
                if (neededByNewKey && !rebuiltWithTable)
                    Find(SafetyFindings.BlockingIndex(table, index));
                continue;
            }
            // Replaced next to its rebuild, both without blocking writes.
            if (before is not null)
                Emit(Phase.ConcurrentIndexes, MigrationSql.DropIndexConcurrently(before.Name));
            Emit(Phase.ConcurrentIndexes, SqlFragments.CreateIndex(table, index, concurrently: true));
        }
    }

    private static bool SameIndex(Index a, Index b)
        => a.Columns.SequenceEqual(b.Columns) && a.Unique == b.Unique && a.Method == b.Method && a.Where == b.Where && a.Include.SequenceEqual(b.Include);
}
