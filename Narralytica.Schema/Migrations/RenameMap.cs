using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The renames the target schema asks for with <c>renamed_from:</c>, and the old schema as seen
/// through them. A hint counts only when the old name exists in the old schema and the new one does
/// not (and the old name is gone from the new schema), so a hint left in place after its migration
/// is harmless, and nothing is ever guessed from similarity.
/// </summary>
internal sealed class RenameMap
{
    private readonly Dictionary<string, string> _tables = new();               // old → new
    private readonly Dictionary<string, Dictionary<string, string>> _columns = new(); // new table → (old → new)

    public RenameMap(SchemaModel from, SchemaModel to)
    {
        var fromTables = from.TablesByName();
        foreach (var table in to.Tables)
        {
            // The old name may be taken again by a new table: the rename runs before any creation.
            if (table.RenamedFrom is { } oldName && oldName != table.Name && fromTables.ContainsKey(oldName)
                && !fromTables.ContainsKey(table.Name) && !_tables.ContainsKey(oldName))
                _tables.Add(oldName, table.Name);
        }
        foreach (var table in to.Tables)
        {
            if (!fromTables.TryGetValue(OldTableName(table.Name), out var old))
                continue;
            var columns = new Dictionary<string, string>();
            foreach (var column in table.Columns)
            {
                if (column.RenamedFrom is { } oldName && oldName != column.Name && old.FindColumn(oldName) is not null
                    && old.FindColumn(column.Name) is null && !columns.ContainsKey(oldName))
                    columns.Add(oldName, column.Name);
            }
            _columns.Add(table.Name, columns);
        }
    }

    /// <summary>The name a table of the old schema has in the new one.</summary>
    public string NewTableName(string oldName) => _tables.TryGetValue(oldName, out var name) ? name : oldName;

    /// <summary>The name a table of the new schema had in the old one.</summary>
    public string OldTableName(string newName)
        => _tables.FirstOrDefault(pair => pair.Value == newName).Key ?? newName;

    /// <summary>Whether a name of the new schema is the old name of a table renamed away (so a table of that name is a new one).</summary>
    public bool IsRenamedAway(string name) => _tables.ContainsKey(name) && !_tables.ContainsValue(name);

    public IReadOnlyDictionary<string, string> ColumnRenames(string newTable)
        => _columns.TryGetValue(newTable, out var map) ? map : new Dictionary<string, string>();

    public string NewColumnName(string newTable, string oldColumn)
        => ColumnRenames(newTable).TryGetValue(oldColumn, out var name) ? name : oldColumn;

    /// <summary>
    /// An old table with every table and column name changed to the new names, constraint and
    /// index names left as they are: comparing it with the new table by definition finds what
    /// really changed, and comparing names finds what was renamed.
    /// </summary>
    public Table Translate(Table old)
    {
        var newName = NewTableName(old.Name);
        var renames = ColumnRenames(newName);
        if (newName == old.Name && renames.Count == 0 && old.ForeignKeys.All(k => NewTableName(k.ReferencedTable) == k.ReferencedTable && ColumnRenames(k.ReferencedTable).Count == 0))
            return old;

        string Column(string name) => renames.TryGetValue(name, out var renamed) ? renamed : name;
        string? Expression(string? sql) => sql is null ? null : renames.Aggregate(sql, (text, pair) => SqlExpression.RenameIdentifier(text, pair.Key, pair.Value));
        EquatableArray<string> Columns(EquatableArray<string> names) => names.Select(Column).ToEquatableArray();

        return old with
        {
            Name = newName,
            Columns = old.Columns.Select(c => c with { Name = Column(c.Name), Default = Expression(c.Default) }).ToEquatableArray(),
            PrimaryKey = old.PrimaryKey with { Columns = Columns(old.PrimaryKey.Columns) },
            Uniques = old.Uniques.Select(u => u with { Columns = Columns(u.Columns) }).ToEquatableArray(),
            Checks = old.Checks.Select(c => c with { Expression = Expression(c.Expression)! }).ToEquatableArray(),
            ForeignKeys = old.ForeignKeys.Select(k =>
            {
                var target = NewTableName(k.ReferencedTable);
                return k with
                {
                    Columns = Columns(k.Columns),
                    ReferencedTable = target,
                    ReferencedColumns = k.ReferencedColumns.Select(c => NewColumnName(target, c)).ToEquatableArray(),
                };
            }).ToEquatableArray(),
            Indexes = old.Indexes.Select(i => i with
            {
                Columns = i.Columns.Select(c => c with { Name = Column(c.Name) }).ToEquatableArray(),
                Include = Columns(i.Include),
                Where = Expression(i.Where),
            }).ToEquatableArray(),
        };
    }
}
