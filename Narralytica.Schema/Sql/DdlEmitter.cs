using System.Collections.Generic;
using System.Linq;
using System.Text;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql;

/// <summary>
/// The complete DDL that creates the schema on an empty database: enum types, then tables in
/// dependency order (a table after every table it references), each followed by its indexes and
/// comments. Foreign keys that close a cycle between tables are added at the end.
/// </summary>
public static class DdlEmitter
{
    public static IReadOnlyList<string> Statements(SchemaModel model)
    {
        var statements = new List<string>();
        foreach (var enumType in model.Enums)
        {
            statements.Add(SqlFragments.CreateEnum(enumType));
            if (enumType.Doc is not null)
                statements.Add(SqlFragments.CommentOnType(enumType));
        }

        var created = new HashSet<string>();
        var deferred = new List<(Table Table, ForeignKey Key)>();
        foreach (var table in DependencyOrder(model))
        {
            var inline = table.ForeignKeys.Where(k => k.ReferencedTable == table.Name || created.Contains(k.ReferencedTable)).ToList();
            deferred.AddRange(table.ForeignKeys.Except(inline).Select(k => (table, k)));
            statements.Add(CreateTable(table, inline));
            created.Add(table.Name);
            statements.AddRange(IndexesAndComments(table));
        }
        statements.AddRange(deferred.Select(d => AddForeignKey(d.Table, d.Key)));
        return statements;
    }

    /// <summary>CREATE TABLE with its columns, keys, checks and the given foreign keys (the others are added later).</summary>
    public static string CreateTable(Table table, IEnumerable<ForeignKey> inlineForeignKeys)
    {
        var lines = table.Columns.Select(SqlFragments.ColumnDefinition).ToList();
        lines.Add(SqlFragments.PrimaryKey(table, table.PrimaryKey));
        lines.AddRange(table.Uniques.Select(u => SqlFragments.Unique(table, u)));
        lines.AddRange(table.Checks.Select(SqlFragments.Check));
        lines.AddRange(inlineForeignKeys.Select(k => SqlFragments.ForeignKey(table, k)));
        return $"CREATE TABLE {SqlFragments.Name(table)} (\n    {string.Join(",\n    ", lines)}\n);";
    }

    /// <summary>What follows a new table: its indexes, then the comments on it and its columns.</summary>
    public static IEnumerable<string> IndexesAndComments(Table table)
    {
        foreach (var index in table.Indexes)
            yield return SqlFragments.CreateIndex(table, index);
        if (table.Doc is not null)
            yield return SqlFragments.CommentOnTable(table);
        foreach (var column in table.Columns.Where(c => c.Doc is not null))
            yield return SqlFragments.CommentOnColumn(table, column);
    }

    public static string AddForeignKey(Table table, ForeignKey key)
        => $"ALTER TABLE {SqlFragments.Name(table)} ADD {SqlFragments.ForeignKey(table, key)};";

    public static string Script(SchemaModel model)
    {
        var builder = new StringBuilder();
        builder.Append("-- Narralytica schema: the complete DDL for an empty database, generated from schema.yaml.\n");
        foreach (var statement in Statements(model))
        {
            // A blank line before each type or table; its indexes and comments follow it directly.
            if (statement.StartsWith("CREATE TYPE", System.StringComparison.Ordinal) || statement.StartsWith("CREATE TABLE", System.StringComparison.Ordinal))
                builder.Append('\n');
            builder.Append(statement).Append('\n');
        }
        return builder.ToString();
    }

    /// <summary>
    /// Tables ordered so each comes after the tables it references; ties (and cycles) keep the
    /// order of schema.yaml, so the output is the same every run.
    /// </summary>
    public static IReadOnlyList<Table> DependencyOrder(SchemaModel model)
    {
        var ordered = new List<Table>();
        var placed = new HashSet<string>();
        var remaining = model.Tables.ToList();
        while (remaining.Count > 0)
        {
            var next = remaining.FirstOrDefault(t => t.ForeignKeys.All(k => k.ReferencedTable == t.Name || placed.Contains(k.ReferencedTable)))
                       ?? remaining[0]; // a cycle: break it at the first declared table
            ordered.Add(next);
            placed.Add(next.Name);
            remaining.Remove(next);
        }
        return ordered;
    }
}
