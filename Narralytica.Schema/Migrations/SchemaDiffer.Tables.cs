using System;
using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// Tables: dropped, created, and the changes of a table that stays (renames, columns, keys, docs, grants, policies).
/// </summary>
public sealed partial class SchemaDiffer
{
    private void DropTables(IEnumerable<string> survivingOldNames)
    {
        var surviving = new HashSet<string>(survivingOldNames, StringComparer.Ordinal);
        var dropped = DdlEmitter.DependencyOrder(_from).Where(t => !surviving.Contains(t.Name)).Reverse().ToList();
        var referencing = dropped.SelectMany(other => other.ForeignKeys.Select(key => (Other: other, Key: key))).ToLookup(r => r.Key.ReferencedTable);
        var gone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in dropped)
        {
            // A foreign key closing a cycle between dropped tables would block the drop: remove it first.
            foreach (var (other, key) in referencing[table.Name].Where(r => r.Other != table && !gone.Contains(r.Other.Name)))
                Emit(Phase.DropTables, $"ALTER TABLE {SqlFragments.Name(other)} DROP CONSTRAINT {Q(key.Name)};");
            Emit(Phase.DropTables, $"DROP TABLE {SqlFragments.Name(table)};");
            gone.Add(table.Name);
            Change($"drop table {table.Name}", new SourceSpan(1, 1));
            Find(MigrationRules.DropTable,
                $"drops table '{table.Name}' and every row in it. If it was renamed, write 'renamed_from: {table.Name}' on the new table; " +
                "otherwise stop using it in one release and drop it in the next", new SourceSpan(1, 1));
        }
    }

    private void CreateTable(Table table, HashSet<string> created)
    {
        var inline = table.ForeignKeys.Where(k => k.ReferencedTable == table.Name || created.Contains(k.ReferencedTable)).ToList();
        Emit(Phase.CreateTables, DdlEmitter.CreateTable(table, inline));
        foreach (var statement in DdlEmitter.AfterCreateTable(table, _to.TenantContext, _to.Lanes, _to.TenantProof))
            Emit(Phase.CreateTables, statement);
        // References to tables that already exist (or come later) are added once every column is in place.
        foreach (var key in table.ForeignKeys.Except(inline))
            Emit(Phase.AddForeignKeys, DdlEmitter.AddForeignKey(table, key));
        created.Add(table.Name);
        _createdNames.Add(table.PrimaryKey.Name);
        foreach (var name in table.Uniques.Select(u => u.Name).Concat(table.Checks.Select(c => c.Name)).Concat(table.ForeignKeys.Select(k => k.Name)).Concat(table.Indexes.Select(i => i.Name)))
            _createdNames.Add(name);
        Change($"create table {table.Name}", table.Span);
    }

    private void DiffTable(Table original, Table old, Table table)
    {
        if (original.Scope != table.Scope)
        {
            Change($"change the scope of table {table.Name} from {Scope(original)} to {Scope(table)}", table.Span);
            Find(MigrationRules.TenancyChange,
                $"table '{table.Name}' changes from {Scope(original)} to {Scope(table)}: tenant_id, its key and every reference to the table change with it, " +
                "and existing rows have no tenant to take. Create a new table with the new scope, copy the rows with their tenant, then drop the old one", table.Span);
        }
        if (original.Name != table.Name)
        {
            Emit(Phase.Renames, $"ALTER TABLE {Q(original.Name)} RENAME TO {SqlFragments.Name(table)};");
            Change($"rename table {original.Name} to {table.Name}", table.Span);
        }
        foreach (var pair in _renames.ColumnRenames(table.Name))
        {
            Emit(Phase.Renames, $"ALTER TABLE {SqlFragments.Name(table)} RENAME COLUMN {Q(pair.Key)} TO {Q(pair.Value)};");
            Change($"rename column {table.Name}.{pair.Key} to {pair.Value}", table.FindColumn(pair.Value)!.Span);
        }

        foreach (var column in old.Columns.Where(c => table.FindColumn(c.Name) is null))
        {
            Emit(Phase.DropColumns, $"ALTER TABLE {Q(original.Name)} DROP COLUMN {Q(column.Name)};");
            Change($"drop column {table.Name}.{column.Name}", table.Span);
            Find(MigrationRules.DropColumn,
                $"drops column '{table.Name}.{column.Name}' and its data. If it was renamed, write 'renamed_from: {column.Name}' on the new column; " +
                "otherwise stop reading and writing it in one release and drop it in the next", table.Span);
        }
        foreach (var column in table.Columns)
        {
            if (old.FindColumn(column.Name) is { } before)
                DiffColumn(table, before, column);
            else
                AddColumn(table, column);
        }

        DiffPrimaryKey(original, old, table);
        DiffUniques(original, old, table);
        DiffChecks(original, old, table);
        DiffForeignKeys(original, old, table);
        DiffIndexes(original, old, table);

        if (old.Doc != table.Doc)
        {
            Emit(Phase.Comments, SqlFragments.CommentOnTable(table));
            Change($"change the doc of table {table.Name}", table.Span);
        }
        DiffPrivileges(old, table);
        DiffRowSecurity(original, old, table);
    }

    private static string Scope(Table table) => table.IsTenantScoped ? "tenant-scoped" : "global";
}
