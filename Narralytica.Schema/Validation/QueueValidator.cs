using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Conventions;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Validation;

/// <summary>
/// Checks a queue table (<c>queue:</c>) against what the runtime's queue SQL (<see cref="QueueSql"/>) does with it: every
/// role names a column of the type the SQL needs, an index serves each probe of the claim, and a uniqueness key has the
/// partial unique index its enqueue's <c>ON CONFLICT</c> names.
/// </summary>
/// <remarks>
/// An index <em>serves</em> the claim when PostgreSQL reads from it only the rows the claim looks at, in the claim's
/// order, stopping after the claim's limit: a btree index whose columns start with <c>tenant_id</c>, then
/// <list type="bullet">
/// <item>the ready jobs (<c>status = 'queued' AND run_after &lt;= now()</c>, a tenant's <c>ORDER BY priority DESC,
/// run_after</c>, and the skip scan that finds the tenants with ready work in <c>tenant_id</c> order):
/// <c>priority DESC, run_after</c> (or both reversed, read backwards) with <c>WHERE status = 'queued'</c>;</item>
/// <item>the expired leases (<c>status = 'running' AND lease_expires_at &lt; now()</c>, every tenant's at once):
/// <c>lease_expires_at</c> with <c>WHERE status = 'running'</c>, so the scan reads the running jobs only.</item>
/// </list>
/// More columns may follow. The predicate is what keeps both scans off the finished jobs, which pile up: an index with
/// the status as a column instead (<c>status, priority DESC, run_after</c>) would have the skip scan walk every finished
/// job of a tenant without ready work, and the expired scan every job. Another predicate, method or order does not
/// count either.
/// </remarks>
internal sealed class QueueValidator
{
    private readonly List<SchemaDiagnostic> _diagnostics;
    private readonly IReadOnlyCollection<string> _enumNames;
    private readonly Dictionary<string, EnumType> _enums;

    public QueueValidator(List<SchemaDiagnostic> diagnostics, IReadOnlyCollection<EnumType> enums)
    {
        _diagnostics = diagnostics;
        _enums = enums.ToDictionary(e => e.Name);
        _enumNames = _enums.Keys.ToList();
    }

    private void Report(DiagnosticRule rule, SourceSpan span, string message) => _diagnostics.Add(rule.At(span, message));

    public void Validate(IEnumerable<Table> tables)
    {
        Table? first = null;
        foreach (var table in tables)
        {
            if (table.QueueColumns is not { } queue)
                continue;
            if (first is not null)
            {
                Report(DiagnosticCatalog.WrongShape, queue.Span,
                    $"table '{table.Name}' is declared a queue, but '{first.Name}' already is; the runtime serves one queue table: keep 'queue' on one of them");
                continue;
            }
            first = table;
            if (!table.PrimaryKey.Columns.SequenceEqual(new[] { TableConventions.TenantColumn, TableConventions.IdColumn }))
            {
                // The queue's statements find a job by (tenant_id, id), the key the conventions give a tenant table.
                Report(DiagnosticCatalog.WrongShape, queue.Span,
                    $"table '{table.Name}' is a queue, whose jobs the workers find by the conventional key (tenant_id, id); remove its 'primary_key' (keep other keys as 'unique:')");
                continue;
            }
            if (!CheckColumns(table, queue))
                continue; // the index checks name the columns: they wait until every column is right
            CheckClaimIndexes(table, queue);
            if (queue.UniqueKey is not null)
                CheckUniqueKeyIndex(table, queue);
        }
    }

    private bool CheckColumns(Table table, QueueDeclaration queue)
    {
        var ok = true;
        var roleOfColumn = new Dictionary<string, string>();
        foreach (var (role, name, span) in queue.Columns.Select(c => (c.Role, c.Column, c.Span)))
        {
            if (roleOfColumn.TryGetValue(name, out var otherRole))
            {
                Report(DiagnosticCatalog.WrongShape, span,
                    $"the queue of table '{table.Name}' names column '{name}' as both its {otherRole} and its {role}; each role needs a column of its own");
                ok = false;
                continue;
            }
            roleOfColumn[name] = role;
            var column = table.FindColumn(name);
            var wanted = Wanted(role);
            if (column is null)
            {
                var named = queue.Span == span
                    ? $"table '{table.Name}' is a queue whose {role} column is '{name}' by convention, but it has no column '{name}'"
                    : $"the queue of table '{table.Name}' names '{name}' as its {role} column, but '{table.Name}' has no column '{name}'";
                Report(DiagnosticCatalog.QueueColumnMissing, span,
                    $"{named}; add it ('{name}: {wanted.Example}') or name the column that holds it ('queue: {{{role}: <column>}}')");
                ok = false;
                continue;
            }
            if (!wanted.Accepts(column))
            {
                Report(DiagnosticCatalog.QueueColumnType, column.Span,
                    $"column '{name}' of table '{table.Name}' is the queue's {role} column, so it must be {wanted.Description}, but it is {Describe(column)}; write '{name}: {wanted.Example}'");
                ok = false;
            }
        }
        return ok;
    }

    private sealed record Requirement(System.Func<Column, bool> Accepts, string Description, string Example);

    private Requirement Wanted(string role)
    {
        static bool IsText(Column c) => !c.Type.IsArray && c.Type.Kind is PgTypeKind.Text or PgTypeKind.Varchar;
        static bool Is(Column c, PgTypeKind kind) => !c.Type.IsArray && c.Type.Kind == kind;
        var statusEnums = string.Join(" or ", _enums.Values.Where(e => QueueRoles.Statuses.All(e.Values.Contains)).Select(e => e.Name).DefaultIfEmpty("text"));
        return role switch
        {
            QueueRoles.Kind => new(c => IsText(c) && !c.Nullable, "text or varchar, not null", "varchar(64)"),
            QueueRoles.Payload => new(c => Is(c, PgTypeKind.Jsonb) && !c.Nullable, "jsonb, not null", "jsonb"),
            QueueRoles.Status => new(c => !c.Nullable && (IsText(c) || Is(c, PgTypeKind.Enum) && _enums.TryGetValue(c.Type.EnumName!, out var e) && QueueRoles.Statuses.All(e.Values.Contains)),
                $"an enum with the labels {string.Join(", ", QueueRoles.Statuses)}, or text, not null", $"{{ type: {statusEnums}, default: \"'queued'\" }}"),
            QueueRoles.Priority => new(c => (Is(c, PgTypeKind.SmallInt) || Is(c, PgTypeKind.Integer)) && !c.Nullable, "smallint or integer, not null", "{ type: smallint, default: \"0\" }"),
            QueueRoles.RunAfter => new(c => Is(c, PgTypeKind.TimestampTz) && !c.Nullable, "timestamptz, not null", "{ type: timestamptz, default: now() }"),
            QueueRoles.Attempts => new(c => Is(c, PgTypeKind.Integer) && !c.Nullable, "integer, not null", "{ type: integer, default: \"0\" }"),
            QueueRoles.MaxAttempts => new(c => Is(c, PgTypeKind.Integer) && !c.Nullable, "integer, not null", "{ type: integer, default: \"5\" }"),
            QueueRoles.LeaseOwner or QueueRoles.LastError => new(c => IsText(c) && c.Nullable, "text or varchar, nullable", "text?"),
            QueueRoles.LeaseExpiresAt or QueueRoles.StartedAt or QueueRoles.FinishedAt => new(c => Is(c, PgTypeKind.TimestampTz) && c.Nullable, "timestamptz, nullable", "timestamptz?"),
            QueueRoles.UniqueKey => new(IsText, "text or varchar (nullable: a job without a key is never a duplicate)", "text?"),
            _ => throw new System.ArgumentOutOfRangeException(nameof(role), role, null),
        };
    }

    private static string Describe(Column column) => column.Type.Sql + (column.Nullable ? ", nullable" : ", not null");

    private void CheckClaimIndexes(Table table, QueueDeclaration queue)
    {
        var status = queue.Required(QueueRoles.Status);
        var priority = queue.Required(QueueRoles.Priority);
        var runAfter = queue.Required(QueueRoles.RunAfter);
        var leaseExpiresAt = queue.Required(QueueRoles.LeaseExpiresAt);
        var queued = SqlExpression.Normalize($"{SqlIdentifier.Quote(status)} = 'queued'", _enumNames);
        var running = SqlExpression.Normalize($"{SqlIdentifier.Quote(status)} = 'running'", _enumNames);

        if (!table.Indexes.Any(i => Serves(i, queued, new[] { (priority, true), (runAfter, false) })))
            Report(DiagnosticCatalog.QueueClaimNotIndexed, queue.Span,
                $"no index of table '{table.Name}' serves the claim of ready jobs (a tenant's queued jobs by {priority} desc, {runAfter}); " +
                $"add to 'indexes:' '- {{ columns: [{priority} desc, {runAfter}], where: \"{status} = 'queued'\" }}'");
        if (!table.Indexes.Any(i => Serves(i, running, new[] { (leaseExpiresAt, false) }, anyDirection: true)))
            Report(DiagnosticCatalog.QueueClaimNotIndexed, queue.Span,
                $"no index of table '{table.Name}' serves the claim of expired leases (the running jobs by {leaseExpiresAt}); " +
                $"add to 'indexes:' '- {{ columns: [{leaseExpiresAt}], where: \"{status} = 'running'\" }}'");
    }

    /// <summary>
    /// Whether <paramref name="index"/> holds only the rows of status <paramref name="statusPredicate"/> (partial on it),
    /// each tenant's in the order <paramref name="order"/> (column, descending).
    /// </summary>
    private static bool Serves(Index index, string statusPredicate, (string Column, bool Descending)[] order, bool anyDirection = false)
    {
        if (index.Method != IndexMethod.Btree || index.Where != statusPredicate || index.Columns.Count < 1 + order.Length
            || index.Columns[0].Name != TableConventions.TenantColumn)
            return false;
        // Read forwards, every column as wanted; or backwards, every column reversed.
        var forwards = true;
        var backwards = true;
        for (var i = 0; i < order.Length; i++)
        {
            var column = index.Columns[1 + i];
            if (column.Name != order[i].Column)
                return false;
            forwards &= column.Descending == order[i].Descending;
            backwards &= column.Descending != order[i].Descending;
        }
        return anyDirection || forwards || backwards;
    }

    private void CheckUniqueKeyIndex(Table table, QueueDeclaration queue)
    {
        var key = queue.UniqueKey!;
        var status = queue.Required(QueueRoles.Status);
        var waiting = QueueSql.UniqueKeyPredicate(status, _enumNames);
        var found = table.Indexes.Any(i => i.Unique && i.Method == IndexMethod.Btree && i.Where == waiting && i.Include.Count == 0
            && i.Columns.Count == 2 && i.Columns[0].Name == TableConventions.TenantColumn && i.Columns[1].Name == key);
        if (!found)
            Report(DiagnosticCatalog.QueueKeyNotIndexed, queue.Columns.First(c => c.Role == QueueRoles.UniqueKey).Span,
                $"the queue of table '{table.Name}' keeps jobs unique by '{key}', which needs the unique index its enqueue relies on; " +
                $"add to 'indexes:' '- {{ columns: [{key}], unique: true, where: \"{status} in ('queued', 'running')\" }}'");
    }
}
