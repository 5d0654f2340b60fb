using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Conventions;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Validation;

/// <summary>
/// Checks the checkpoints table (<c>checkpoints:</c>) against what the generated checkpoint statements
/// (<see cref="CheckpointSql"/>) do with it: one table holds them, every role names a column of the type the statements
/// need, the table has the conventional key (the first advance writes its id), and a unique key on
/// (tenant_id, pipeline, stage) finds a stage's one row, which the first advance's <c>ON CONFLICT</c> names.
/// </summary>
internal sealed class CheckpointValidator
{
    private readonly List<SchemaDiagnostic> _diagnostics;

    public CheckpointValidator(List<SchemaDiagnostic> diagnostics) => _diagnostics = diagnostics;

    private void Report(DiagnosticRule rule, SourceSpan span, string message) => _diagnostics.Add(rule.At(span, message));

    public void Validate(IEnumerable<Table> tables)
    {
        Table? first = null;
        foreach (var table in tables)
        {
            if (table.CheckpointColumns is not { } checkpoints)
                continue;
            if (first is not null)
            {
                Report(DiagnosticCatalog.WrongShape, checkpoints.Span,
                    $"table '{table.Name}' is declared the pipeline checkpoints, but '{first.Name}' already is; the generated checkpoint API reads one table: keep 'checkpoints' on one of them");
                continue;
            }
            first = table;
            if (!table.PrimaryKey.Columns.SequenceEqual(new[] { TableConventions.TenantColumn, TableConventions.IdColumn }))
            {
                // A stage's first advance inserts its row with a new id: the key the conventions give a tenant table.
                Report(DiagnosticCatalog.WrongShape, checkpoints.Span,
                    $"table '{table.Name}' holds the pipeline checkpoints, whose rows get the conventional key (tenant_id, id); remove its 'primary_key' (keep other keys as 'unique:')");
                continue;
            }
            if (CheckColumns(table, checkpoints))
                CheckStageKey(table, checkpoints);
        }
    }

    private bool CheckColumns(Table table, CheckpointDeclaration checkpoints)
    {
        var ok = true;
        var roleOfColumn = new Dictionary<string, string>();
        foreach (var (role, name, span) in checkpoints.Columns.Select(c => (c.Role, c.Column, c.Span)))
        {
            if (roleOfColumn.TryGetValue(name, out var otherRole))
            {
                Report(DiagnosticCatalog.WrongShape, span,
                    $"the checkpoints of table '{table.Name}' name column '{name}' as both their {otherRole} and their {role}; each role needs a column of its own");
                ok = false;
                continue;
            }
            roleOfColumn[name] = role;
            var column = table.FindColumn(name);
            var wanted = Wanted(role);
            if (column is null)
            {
                var named = checkpoints.Span == span
                    ? $"table '{table.Name}' holds the pipeline checkpoints, whose {role} column is '{name}' by convention, but it has no column '{name}'"
                    : $"the checkpoints of table '{table.Name}' name '{name}' as their {role} column, but '{table.Name}' has no column '{name}'";
                Report(DiagnosticCatalog.CheckpointColumnMissing, span,
                    $"{named}; add it ('{name}: {wanted.Example}') or name the column that holds it ('checkpoints: {{{role}: <column>}}')");
                ok = false;
                continue;
            }
            if (!wanted.Accepts(column))
            {
                Report(DiagnosticCatalog.CheckpointColumnType, column.Span,
                    $"column '{name}' of table '{table.Name}' is the checkpoints' {role} column, so it must be {wanted.Description}, but it is {column.Type.Sql}{(column.Nullable ? ", nullable" : ", not null")}; write '{name}: {wanted.Example}'");
                ok = false;
            }
        }
        return ok;
    }

    private sealed record Requirement(System.Func<Column, bool> Accepts, string Description, string Example);

    private static Requirement Wanted(string role)
    {
        static bool IsText(Column c) => !c.Type.IsArray && c.Type.Kind is PgTypeKind.Text or PgTypeKind.Varchar && !c.Nullable;
        static bool Is(Column c, PgTypeKind kind) => !c.Type.IsArray && c.Type.Kind == kind && !c.Nullable;
        return role switch
        {
            CheckpointRoles.Pipeline or CheckpointRoles.Stage => new(IsText, "text or varchar, not null", "varchar(64)"),
            CheckpointRoles.Position => new(IsText, "text or varchar, not null", "{ type: text, max_bytes: 4096 }"),
            CheckpointRoles.State => new(c => Is(c, PgTypeKind.Jsonb), "jsonb, not null", "{ type: jsonb, default: \"'{}'::jsonb\" }"),
            CheckpointRoles.UpdatedAt => new(c => Is(c, PgTypeKind.TimestampTz), "timestamptz, not null", "{ type: timestamptz, default: now() }"),
            _ => throw new System.ArgumentOutOfRangeException(nameof(role), role, null),
        };
    }

    /// <summary>A unique constraint, or a unique btree index without a predicate, on exactly (tenant_id, pipeline, stage) in any order.</summary>
    private void CheckStageKey(Table table, CheckpointDeclaration checkpoints)
    {
        var pipeline = checkpoints.ColumnOf(CheckpointRoles.Pipeline);
        var stage = checkpoints.ColumnOf(CheckpointRoles.Stage);
        var key = new HashSet<string> { TableConventions.TenantColumn, pipeline, stage };
        bool IsKey(IReadOnlyCollection<string> columns) => columns.Count == key.Count && key.SetEquals(columns);
        var found = table.Uniques.Any(u => IsKey(u.Columns))
            || table.Indexes.Any(i => i.Unique && i.Method == IndexMethod.Btree && i.Where is null && IsKey(i.Columns.Select(c => c.Name).ToList()));
        if (!found)
            Report(DiagnosticCatalog.CheckpointKeyMissing, checkpoints.Span,
                $"table '{table.Name}' holds the pipeline checkpoints, one row per stage of a tenant's pipeline, which needs a unique key on ({TableConventions.TenantColumn}, {pipeline}, {stage}) for a stage's first advance; add to 'unique:' '- [{pipeline}, {stage}]'");
    }
}
