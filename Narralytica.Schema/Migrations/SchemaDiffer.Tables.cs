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
                Emit(Phase.DropTables, MigrationSql.DropConstraint(other.Name, key.Name));
            Emit(Phase.DropTables, MigrationSql.DropTable(table));
            gone.Add(table.Name);
            Change(ChangeDescriptions.DropTable(table), new SourceSpan(1, 1));
            Find(SafetyFindings.DropTable(table));
        }
    }

    private void CreateTable(Table table, HashSet<string> created)
    {
        if (_to.Target == DeploymentTarget.Citus)
        {
            CreateTableOnCitus(table, created);
            return;
        }
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
        Change(ChangeDescriptions.CreateTable(table), table.Span);
    }

    private void DiffTable(Table original, Table old, Table table)
    {
        if (original.Scope != table.Scope)
        {
            Change(ChangeDescriptions.ChangeScope(original, table), table.Span);
            Find(SafetyFindings.TenancyChange(original, table));
        }
        if (original.Name != table.Name)
        {
            Emit(Phase.Renames, MigrationSql.RenameTable(original.Name, table));
            Change(ChangeDescriptions.RenameTable(original.Name, table), table.Span);
        }
        foreach (var pair in _renames.ColumnRenames(table.Name))
        {
            Emit(Phase.Renames, MigrationSql.RenameColumn(table, pair.Key, pair.Value));
            Change(ChangeDescriptions.RenameColumn(table, pair.Key, pair.Value), table.FindColumn(pair.Value)!.Span);
        }

        foreach (var column in old.Columns.Where(c => table.FindColumn(c.Name) is null))
        {
            Emit(Phase.DropColumns, MigrationSql.DropColumn(original.Name, column.Name));
            Change(ChangeDescriptions.DropColumn(table, column), table.Span);
            Find(SafetyFindings.DropColumn(table, column));
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
            Change(ChangeDescriptions.ChangeTableDoc(table), table.Span);
        }
        DiffPrivileges(old, table);
        DiffRowSecurity(original, old, table);
    }
}
