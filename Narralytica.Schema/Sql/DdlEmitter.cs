using System.Collections.Generic;
using System.Linq;
using System.Text;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql;

/// <summary>
/// The complete DDL that creates the schema on an empty database: enum types, then tables in
/// dependency order (a table after every table it references), each followed by its indexes and
/// comments and its grants to the callers' roles. Foreign keys that close a cycle between tables are
/// added at the end. The roles are created first where missing, and the callers' roles get USAGE on
/// the schema; then the tenant context (<see cref="TenantIsolation"/>): the audit table of cross-tenant reads
/// and the procedures that set a transaction's tenant, and the signed tenant (<see cref="TenantProof"/>): the key
/// table and the function that verifies a proof, which every table's policies rely on. Each
/// tenant-scoped table ends with its row-level security: enabled, forced, and its policies. The publications of the
/// change streams come next, once their tables exist, and the lanes' session guards last (<see cref="SessionGuards"/>).
/// </summary>
public static class DdlEmitter
{
    public static IReadOnlyList<string> Statements(SchemaModel model)
    {
        var statements = new List<string>();
        if (model.GrantsToApp)
            statements.AddRange(DatabaseRoles.CreateIfMissing());
        if (model.Lanes)
            statements.AddRange(DatabaseRoles.CreateLanesIfMissing());
        if (model.AppSchemaUsage)
            statements.Add(DatabaseRoles.GrantSchemaUsage());
        if (model.AppSchemaUsage && model.Lanes)
            foreach (var role in DatabaseRoles.Lanes.Skip(1))
                statements.Add(DatabaseRoles.GrantSchemaUsage(role));
        if (model.TenantContext)
            statements.AddRange(TenantIsolation.CreateContext(model.GrantsToApp, model.Lanes));
        if (model.TenantProof)
            statements.AddRange(TenantProof.Create());
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
            statements.AddRange(AfterCreateTable(table, model.TenantContext, model.Lanes, model.TenantProof));
        }
        statements.AddRange(deferred.Select(d => AddForeignKey(d.Table, d.Key)));
        statements.AddRange(model.Streams.Select(StreamSql.Create));
        // The database's own settings last: they are not objects of the schema, and nothing above depends on them.
        if (model.Lanes && model.GuardedSessions)
            statements.AddRange(SessionGuards.Create());
        if (model.Lanes && model.GuardedLargeObjects)
            statements.Add(LargeObjectGuards.Revoke());
        if (model.Lanes && model.GuardedSchemaCreate)
            statements.Add(SchemaCreateGuards.Revoke());
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

    /// <summary>
    /// What follows a new table: its indexes, the comments on it and its columns, its grant to the application
    /// role, then its row-level security. The escape hatch's policy comes with the tenant context only
    /// (<paramref name="tenantContext"/>), because it reads the audit table: a model with row-level security
    /// and no tenant context (a hand-made one; schema.yaml always has both) gets the tenant policy alone. With
    /// <paramref name="signedTenant"/> the tenant policy takes its tenant from a verified proof (<see cref="TenantProof"/>).
    /// </summary>
    public static IEnumerable<string> AfterCreateTable(Table table, bool tenantContext, bool lanes, bool signedTenant)
    {
        foreach (var index in table.Indexes)
            yield return SqlFragments.CreateIndex(table, index);
        if (table.Doc is not null)
            yield return SqlFragments.CommentOnTable(table);
        foreach (var column in table.Columns.Where(c => c.Doc is not null))
            yield return SqlFragments.CommentOnColumn(table, column);
        foreach (var grant in DatabaseRoles.GrantAll(table))
            yield return grant;
        if (table.RowSecurity)
            foreach (var statement in TenantIsolation.Enable(table, tenantContext, lanes, signedTenant))
                yield return statement;
        if (lanes && table.QueueFunctions.Length > 0)
            foreach (var statement in QueueFunctions.Create(table))
                yield return statement;
    }

    public static string AddForeignKey(Table table, ForeignKey key)
        => $"ALTER TABLE {SqlFragments.Name(table)} ADD {SqlFragments.ForeignKey(table, key)};";

    public static string Script(SchemaModel model)
    {
        var builder = new StringBuilder();
        builder.Append("-- Narralytica schema: the complete DDL for an empty database, generated from schema.yaml.\n");
        var first = true;
        foreach (var statement in Statements(model))
        {
            // A blank line before the roles, each type and each table; what belongs to them follows directly.
            if (first || statement.StartsWith("CREATE TYPE", System.StringComparison.Ordinal) || statement.StartsWith("CREATE TABLE", System.StringComparison.Ordinal))
                builder.Append('\n');
            first = false;
            builder.Append(statement).Append('\n');
        }
        return builder.ToString();
    }

    /// <summary>
    /// Tables ordered so each comes after the tables it references; ties (and cycles) keep the
    /// order of schema.yaml, so the output is the same every run. Each step takes the first declared
    /// table whose references are all placed, or, when none is (a cycle), the first declared table
    /// not placed yet. Each table counts the references it still waits for, so a step costs a
    /// lookup, not a scan of the remaining tables.
    /// </summary>
    public static IReadOnlyList<Table> DependencyOrder(SchemaModel model)
    {
        var tables = model.Tables;
        var waiting = new int[tables.Count];
        var referencedBy = new Dictionary<string, List<int>>();
        for (var i = 0; i < tables.Count; i++)
        {
            foreach (var key in tables[i].ForeignKeys.Where(k => k.ReferencedTable != tables[i].Name))
            {
                waiting[i]++;
                if (!referencedBy.TryGetValue(key.ReferencedTable, out var referencing))
                    referencedBy.Add(key.ReferencedTable, referencing = new List<int>());
                referencing.Add(i);
            }
        }

        var ready = new SortedSet<int>(Enumerable.Range(0, tables.Count).Where(i => waiting[i] == 0));
        var placed = new bool[tables.Count];
        var firstNotPlaced = 0;
        var ordered = new List<Table>(tables.Count);
        while (ordered.Count < tables.Count)
        {
            while (placed[firstNotPlaced])
                firstNotPlaced++;
            var next = ready.Count > 0 ? ready.Min : firstNotPlaced; // a cycle: break it at the first declared table
            ready.Remove(next);
            placed[next] = true;
            ordered.Add(tables[next]);
            // Placing a name satisfies every reference to it, once.
            if (referencedBy.TryGetValue(tables[next].Name, out var referencing))
            {
                referencedBy.Remove(tables[next].Name);
                foreach (var i in referencing)
                    if (--waiting[i] == 0 && !placed[i])
                        ready.Add(i);
            }
        }
        return ordered;
    }
}
