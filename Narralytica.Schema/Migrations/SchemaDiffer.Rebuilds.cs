using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// What a type change forces to be rebuilt: the columns whose values are converted, and the keys that are
/// dropped and added again. A check, index or foreign key over them is rebuilt too.
/// </summary>
public sealed partial class SchemaDiffer
{
    private readonly HashSet<(string Table, string Column)> _retypedColumns = new();
    private readonly HashSet<(string Table, string Column)> _rewrittenColumns = new();
    private readonly HashSet<(string Table, string Columns)> _unstableKeys = new();

    /// <summary>
    /// Before any table is diffed: which columns change type and which keys are rebuilt, since a
    /// foreign key on either must be dropped before and added after, whatever table it is on.
    /// </summary>
    private void FindUnstableObjects(Table old, Table table)
    {
        foreach (var column in table.Columns)
        {
            if (old.FindColumn(column.Name) is not { } before || !NeedsRetype(before, column))
                continue;
            _retypedColumns.Add((table.Name, column.Name));
            var enumInvolved = before.Type.Kind == PgTypeKind.Enum || column.Type.Kind == PgTypeKind.Enum;
            if (enumInvolved || TypeChange.Classify(before.Type, column.Type) != TypeChangeKind.InPlace)
                _rewrittenColumns.Add((table.Name, column.Name));
        }
        if (!old.PrimaryKey.Columns.SequenceEqual(table.PrimaryKey.Columns))
            _unstableKeys.Add((table.Name, Key(old.PrimaryKey.Columns)));
        foreach (var unique in old.Uniques.Where(u => !table.Uniques.Any(n => n.Name == u.Name && n.Columns.SequenceEqual(u.Columns))))
            _unstableKeys.Add((table.Name, Key(unique.Columns)));
        foreach (var index in old.Indexes.Where(i => i.Unique && !table.Indexes.Any(n => n.Name == i.Name && SameIndex(n, i))))
            _unstableKeys.Add((table.Name, Key(index.Columns.Select(c => c.Name))));
    }

    private static string Key(IEnumerable<string> columns) => string.Join(",", columns);

    private bool NeedsRetype(Column before, Column after)
        => before.Type != after.Type || IsRecreatedEnum(after.Type);

    /// <summary>A column whose values are converted (not a binary-compatible change).</summary>
    private bool IsConverted(string table, string column)
        => _retypedColumns.Contains((table, column));

    /// <summary>
    /// Whether a check or index predicate names a column whose type changes: PostgreSQL keeps the expression it
    /// parsed for the old type (casts such as (x)::numeric, an enum's literals 'x'::status), which a fresh build of
    /// the new type does not have, and which may not even parse for the new type.
    /// </summary>
    private bool MentionsRetyped(Table table, string? expression) => Mentions(table, expression, _retypedColumns);

    /// <summary>Whether an expression names a column whose values are rewritten to another type.</summary>
    private bool MentionsRewritten(Table table, string? expression) => Mentions(table, expression, _rewrittenColumns);

    private static bool Mentions(Table table, string? expression, HashSet<(string Table, string Column)> columns)
        => expression is not null && table.Columns.Any(c => columns.Contains((table.Name, c.Name)) && SqlExpression.MentionsIdentifier(expression, c.Name));

    /// <summary>A foreign key over a converted column, or onto a key that is rebuilt, is dropped and added again around the change.</summary>
    private bool MustRebuild(Table table, ForeignKey key)
        => key.Columns.Any(c => IsConverted(table.Name, c))
           || key.ReferencedColumns.Any(c => IsConverted(key.ReferencedTable, c))
           || _unstableKeys.Contains((key.ReferencedTable, Key(key.ReferencedColumns)));
}
