using System;
using System.Collections.Generic;
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
            Emit(Phase.Renames, $"ALTER INDEX {Q(before.Name)} RENAME TO {Q(after.Name)};");
            Change($"rename index {before.Name} to {after.Name}", after.Span);
        }
        foreach (var before in match.Dropped)
        {
            Emit(Phase.DropKeysAndIndexes, $"DROP INDEX {Q(before.Name)};");
            if (match.Added.Any(added => SameIndex(added, before)))
                continue; // rebuilt under its new name (a renamed table's index over a converted column)
            Dropped(MigrationRules.DropIndex, before.Name, $"drops index '{before.Name}' of '{table.Name}': queries that use it get slower. Check no hot query relies on it", table.Span);
            Change($"drop index {before.Name}", table.Span);
        }
        foreach (var (before, index) in match.Added.Select(i => ((Index?)null, i)).Concat(match.Changed.Select(c => ((Index?)c.Old, c.New))))
        {
            _createdNames.Add(index.Name);
            Change(before is null ? $"create index {index.Name} on {table.Name}" : $"rebuild index {index.Name} on {table.Name}", index.Span);
            if (index.Unique)
                NewUniqueKey(table, $"unique index '{index.Name}'", index.Span);
            // An old predicate naming a column whose type changes may not parse for the new type: it goes
            // before the conversion, and as the table is rewritten under lock anyway, the new index is built with it.
            var rebuiltWithTable = before is not null && MentionsRewritten(table, before.Where);
            var neededByNewKey = index.Unique && index.Where is null && _to.Tables.Any(t => t.ForeignKeys.Any(k =>
                k.ReferencedTable == table.Name && Key(k.ReferencedColumns) == Key(index.Columns.Select(c => c.Name))));
            if (rebuiltWithTable || neededByNewKey)
            {
                if (before is not null)
                    Emit(Phase.DropKeysAndIndexes, $"DROP INDEX {Q(before.Name)};");
                Emit(Phase.AddIndexes, SqlFragments.CreateIndex(table, index));
                if (neededByNewKey && !rebuiltWithTable)
                    Find(MigrationRules.BlockingIndex,
                        $"unique index '{index.Name}' is the target of a foreign key added in the same migration, so it is built inside the transaction, blocking writes to '{table.Name}'. " +
                        "On a large table, add the index in one migration and the reference in the next", index.Span);
                continue;
            }
            // Replaced next to its rebuild, both without blocking writes; IF EXISTS: a dropped column may have taken it already.
            if (before is not null)
                Emit(Phase.ConcurrentIndexes, $"DROP INDEX CONCURRENTLY IF EXISTS {Q(before.Name)};");
            Emit(Phase.ConcurrentIndexes, SqlFragments.CreateIndex(table, index, concurrently: true));
        }
    }

    private static bool SameIndex(Index a, Index b)
        => a.Columns.SequenceEqual(b.Columns) && a.Unique == b.Unique && a.Method == b.Method && a.Where == b.Where && a.Include.SequenceEqual(b.Include);
}
