using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Conventions;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Narralytica.Schema.Naming;
using Narralytica.Schema.Parsing;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Validation;

/// <summary>
/// The checks that need every table at once: references (target, column, type, key), the tenancy
/// invariants of DESIGN.md, and names that must be unique across the schema. Turns drafts into
/// the final <see cref="Table"/> records.
/// </summary>
internal sealed class SchemaValidator
{
    private readonly List<SchemaDiagnostic> _diagnostics;

    public SchemaValidator(List<SchemaDiagnostic> diagnostics) => _diagnostics = diagnostics;

    private void Report(DiagnosticRule rule, SourceSpan span, string message) => _diagnostics.Add(rule.At(span, message));

    public List<Table> Validate(List<EnumType> enums, List<TableDraft> drafts)
    {
        var byName = drafts.ToDictionary(t => t.Name);
        CheckTenantsTable(drafts, byName);
        var tables = new List<Table>();
        foreach (var draft in drafts)
        {
            if (draft.Scope is null || draft.PrimaryKey is null)
                continue; // already reported; no half tables
            if (!draft.IsTenantScoped && draft.Columns.FirstOrDefault(c => c.Name == TableConventions.TenantColumn) is { } tenantColumn)
                Report(DiagnosticCatalog.TenantColumnOnGlobal, tenantColumn.Span,
                    $"global table '{draft.Name}' has a tenant_id column; if its rows belong to a tenant write 'scope: tenant' (tenant_id is then added for you), otherwise rename the column");
            var queue = draft.Queue is not null;
            if (queue && !draft.IsTenantScoped)
                Report(DiagnosticCatalog.QueueOnGlobal, draft.Queue!.Span,
                    $"global table '{draft.Name}' is declared a queue; a queue holds tenants' work, claimed fairly by tenant: write 'scope: tenant', or drop 'queue'");
            if (draft.Checkpoints is not null && !draft.IsTenantScoped)
                Report(DiagnosticCatalog.CheckpointsOnGlobal, draft.Checkpoints.Span,
                    $"global table '{draft.Name}' is declared the pipeline checkpoints; a checkpoint is a tenant's, read and advanced in its tenant scope: write 'scope: tenant', or drop 'checkpoints'");
            tables.Add(new Table(draft.Name, draft.Scope.Value, draft.Doc, draft.EntityName, draft.AppendOnly, draft.Quoted,
                draft.Columns.ToEquatableArray(), draft.PrimaryKey, draft.Uniques.ToEquatableArray(), draft.Checks.ToEquatableArray(),
                ForeignKeys(draft, byName).ToEquatableArray(), draft.Indexes.ToEquatableArray(), draft.Span)
            {
                RenamedFrom = draft.RenamedFrom,
                Versions = draft.Versions,
                Queries = draft.Queries.ToEquatableArray(),
                Feeds = draft.Feeds.ToEquatableArray(),
                AppPrivileges = LanePrivileges.App(draft.Scope.Value, draft.AppendOnly),
                ControlPrivileges = LanePrivileges.Control(draft.Scope.Value, draft.AppendOnly),
                WorkerPrivileges = LanePrivileges.Worker(draft.Scope.Value, draft.AppendOnly),
                ReaderPrivileges = LanePrivileges.Reader(draft.Scope.Value, draft.AppendOnly),
                Queue = queue && draft.IsTenantScoped,
                QueueColumns = draft.IsTenantScoped ? draft.Queue : null,
                CheckpointColumns = draft.IsTenantScoped ? draft.Checkpoints : null,
                RowSecurity = draft.IsTenantScoped,
            });
        }
        CheckNames(enums, tables);
        foreach (var table in tables)
            CheckRepeatedKeys(table);
        return tables;
    }

    private void CheckTenantsTable(List<TableDraft> drafts, Dictionary<string, TableDraft> byName)
    {
        var firstTenantTable = drafts.FirstOrDefault(t => t.IsTenantScoped);
        if (firstTenantTable is null)
            return;
        if (!byName.TryGetValue(TableConventions.TenantsTable, out var tenants))
        {
            Report(DiagnosticCatalog.TenantsTableMissing, firstTenantTable.Span,
                $"table '{firstTenantTable.Name}' is tenant-scoped, so its tenant_id references 'tenants'(id), but there is no 'tenants' table; declare one with 'scope: global'");
            return;
        }
        var idOk = tenants.PrimaryKey is { } pk && pk.Columns.Count == 1 && pk.Columns[0] == TableConventions.IdColumn
            && tenants.Columns.Any(c => c.Name == TableConventions.IdColumn && c.Type == PgType.Uuid);
        if (tenants.Scope == TableScope.Tenant || !idOk)
            Report(DiagnosticCatalog.TenantsTableShape, tenants.Span,
                "table 'tenants' is what every tenant_id references, so it must be 'scope: global' with the conventional uuid 'id' primary key (remove 'primary_key' and any 'id' column)");
    }

    private List<ForeignKey> ForeignKeys(TableDraft table, Dictionary<string, TableDraft> byName)
    {
        var keys = new List<ForeignKey>();
        if (table.IsTenantScoped)
            keys.Add(new ForeignKey(SqlIdentifier.Fit($"fk_{table.Name}_tenant"), EquatableArray.Of(TableConventions.TenantColumn),
                TableConventions.TenantsTable, EquatableArray.Of(TableConventions.IdColumn), OnDelete.Restrict, table.Span));

        foreach (var reference in table.References)
        {
            var where = $"'references' of column '{table.Name}.{reference.Column}'";
            if (!byName.TryGetValue(reference.Table, out var target))
            {
                var closest = NodeReader.Closest(reference.Table, byName.Keys);
                Report(DiagnosticCatalog.ForeignKeyMissingTable, reference.Span,
                    $"{where} names table '{reference.Table}', which is not declared.{(closest is null ? " Declare it, or reference an existing table." : $" Did you mean '{closest}'?")}");
                continue;
            }
            var targetColumnName = reference.TargetColumn ?? SingleKeyColumn(target);
            if (targetColumnName is null)
            {
                Report(DiagnosticCatalog.ForeignKeyTargetNotUnique, reference.Span,
                    $"{where}: table '{target.Name}' has a composite primary key, so name the referenced column: references: {target.Name}.<column>");
                continue;
            }
            var targetColumn = target.Columns.FirstOrDefault(c => c.Name == targetColumnName);
            if (targetColumn is null)
            {
                Report(DiagnosticCatalog.ForeignKeyMissingColumn, reference.Span,
                    $"{where} names column '{target.Name}.{targetColumnName}', which does not exist. Columns of '{target.Name}': {string.Join(", ", target.Columns.Select(c => c.Name))}");
                continue;
            }
            var column = table.Columns.First(c => c.Name == reference.Column);
            if (column.Type != targetColumn.Type)
            {
                Report(DiagnosticCatalog.ForeignKeyTypeMismatch, reference.Span,
                    $"{where}: column '{reference.Column}' is {column.Type.Sql} but '{target.Name}.{targetColumnName}' is {targetColumn.Type.Sql}; declare '{reference.Column}' as {targetColumn.Type.Sql}");
                continue;
            }
            if (!table.IsTenantScoped && target.IsTenantScoped)
            {
                Report(DiagnosticCatalog.GlobalReferencesTenant, reference.Span,
                    $"{where}: global table '{table.Name}' may not reference tenant-scoped table '{target.Name}' (a shared row would point into one tenant). Make '{table.Name}' tenant-scoped, or drop the reference");
                continue;
            }

            var composite = table.IsTenantScoped && target.IsTenantScoped;
            var columns = composite ? new[] { TableConventions.TenantColumn, reference.Column } : new[] { reference.Column };
            var targetColumns = composite ? new[] { TableConventions.TenantColumn, targetColumnName } : new[] { targetColumnName };
            if (composite && reference.OnDelete is OnDelete.SetNull or OnDelete.SetDefault)
            {
                Report(DiagnosticCatalog.NullingTenantReference, reference.Span,
                    $"{where}: on_delete {(reference.OnDelete == OnDelete.SetNull ? "set_null" : "set_default")} would also change tenant_id, which is part of this foreign key; use 'on_delete: restrict' (delete the referencing rows first) or 'on_delete: cascade'");
                continue;
            }
            if (!IsKey(target, targetColumns))
            {
                Report(DiagnosticCatalog.ForeignKeyTargetNotUnique, reference.Span,
                    $"{where}: ({string.Join(", ", targetColumns)}) is neither the primary key nor a unique constraint of '{target.Name}'; reference its key, or add 'unique: true' to '{target.Name}.{targetColumnName}'");
                continue;
            }
            keys.Add(new ForeignKey(SqlIdentifier.Fit($"fk_{table.Name}_{reference.Column}"), columns.ToEquatableArray(),
                target.Name, targetColumns.ToEquatableArray(), reference.OnDelete, reference.Span));
        }
        return keys;
    }

    private static string? SingleKeyColumn(TableDraft target)
    {
        if (target.PrimaryKey is null)
            return null;
        var key = target.PrimaryKey.Columns.Where(c => !(target.IsTenantScoped && c == TableConventions.TenantColumn)).ToList();
        return key.Count == 1 ? key[0] : null;
    }

    private static bool IsKey(TableDraft target, string[] columns)
        => target.PrimaryKey is { } pk && pk.Columns.SequenceEqual(columns)
           || target.Uniques.Any(u => u.Columns.SequenceEqual(columns))
           || target.Indexes.Any(i => i.Unique && i.Where is null && i.Columns.Select(c => c.Name).SequenceEqual(columns));

    /// <summary>
    /// A unique constraint over the primary key's columns (or another unique constraint's) adds
    /// nothing, and PostgreSQL quietly drops it from CREATE TABLE but keeps it from ALTER TABLE, so a
    /// fresh database and a migrated one would differ. Refused, with the constraint to remove.
    /// </summary>
    private void CheckRepeatedKeys(Table table)
    {
        var keys = new Dictionary<string, string> { [string.Join(",", table.PrimaryKey.Columns)] = "the primary key" };
        foreach (var unique in table.Uniques)
        {
            var columns = string.Join(",", unique.Columns);
            if (keys.TryGetValue(columns, out var owner))
                Report(DiagnosticCatalog.RepeatedKey, unique.Span,
                    $"unique constraint '{unique.Name}' of table '{table.Name}' covers the same columns as {owner} ({string.Join(", ", unique.Columns)}), so it adds nothing; remove it");
            else
                keys.Add(columns, $"unique constraint '{unique.Name}'");
        }
    }

    private void CheckNames(List<EnumType> enums, List<Table> tables)
    {
        // Index names share one namespace per schema with tables and constraint-backed indexes.
        var relationNames = new Dictionary<string, string>();
        foreach (var table in tables)
            relationNames[table.Name] = $"table '{table.Name}'";
        foreach (var enumType in enums)
            if (relationNames.TryGetValue(enumType.Name, out var owner))
                Report(DiagnosticCatalog.BadEnum, enumType.Span, $"enum '{enumType.Name}' has the name of {owner}; PostgreSQL gives every table a type of its name, so rename the enum");
        foreach (var table in tables)
        {
            var perTable = new HashSet<string>();
            IEnumerable<(string Name, SourceSpan Span, bool Relation)> names =
                new[] { (table.PrimaryKey.Name, table.PrimaryKey.Span, true) }
                .Concat(table.Uniques.Select(u => (u.Name, u.Span, true)))
                .Concat(table.Indexes.Select(i => (i.Name, i.Span, true)))
                .Concat(table.Checks.Select(c => (c.Name, c.Span, false)))
                .Concat(table.ForeignKeys.Select(f => (f.Name, f.Span, false)));
            foreach (var (name, span, relation) in names)
            {
                if (!perTable.Add(name))
                {
                    Report(DiagnosticCatalog.DuplicateName, span, $"table '{table.Name}' has two constraints or indexes named '{name}'; give one of them another 'name' or remove the repeat");
                    continue;
                }
                if (!relation)
                    continue;
                if (relationNames.TryGetValue(name, out var owner))
                    Report(DiagnosticCatalog.DuplicateName, span, $"the name '{name}' is already used by {owner}; index and key names are unique across the schema, so name this one differently");
                else
                    relationNames[name] = $"an index or key of table '{table.Name}'";
            }
        }

        var entities = new Dictionary<string, Table>();
        foreach (var table in tables)
        {
            var entity = table.EntityName ?? ClrNaming.Entity(table.Name);
            if (entities.TryGetValue(entity, out var other))
                Report(DiagnosticCatalog.DuplicateEntityName, table.Span,
                    $"tables '{other.Name}' and '{table.Name}' would both become the C# type '{entity}'; give one an 'entity: <Name>'");
            else
                entities[entity] = table;
        }
    }
}
