using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Schema.Model;

/// <summary>
/// What each caller's role may do with a table's rows, from the table's scope, <c>append_only</c> and <c>queue</c>
/// (the roles: <see cref="Narralytica.Schema.Sql.DatabaseRoles"/>). Rows may change only where history is not kept
/// (<see cref="Writer"/>); global tables are written by the control plane alone; every other lane reads them.
/// </summary>
public static class LanePrivileges
{
    /// <summary>What a role that writes a table gets: every row operation, without UPDATE and DELETE where the table is append-only.</summary>
    public static TablePrivileges Writer(bool appendOnly) => TablePrivilegeNames.ForApplication(appendOnly);

    /// <summary>Tenant requests: their tenant's rows (row-level security keeps them to it); global tables read-only.</summary>
    public static TablePrivileges App(TableScope scope, bool appendOnly)
        => scope == TableScope.Tenant ? Writer(appendOnly) : TablePrivileges.Select;

    /// <summary>
    /// The control plane (sign-up, tenant lifecycle, role definitions): writes the global tables and nothing of a
    /// tenant's. Deleting a tenant or a user cascades into tenant rows through foreign keys, which run as the owner.
    /// </summary>
    public static TablePrivileges Control(TableScope scope, bool appendOnly)
        => scope == TableScope.Global ? Writer(appendOnly) : TablePrivileges.None;

    /// <summary>
    /// Workers: like a request inside the tenant of the job they claimed. On a queue table, which the queue's own policies
    /// let them update across tenants, UPDATE is not the table's but that of <see cref="CrossTenantUpdatableColumns"/>.
    /// </summary>
    public static TablePrivileges Worker(TableScope scope, bool appendOnly, bool queue = false)
        => queue && scope == TableScope.Tenant ? App(scope, appendOnly) & ~TablePrivileges.Update : App(scope, appendOnly);

    /// <summary>
    /// The columns a lane that updates rows across tenants (the workers on a queue table) may change: the job's state only
    /// (status, run_after, attempts, the lease, started_at, finished_at, last_error, and updated_at where the table has it),
    /// never <c>tenant_id</c>, the key or the work itself (kind, payload, priority, max_attempts, the uniqueness key). So no
    /// such lane can move a row to another tenant, plant one there by rewriting a key, or turn a tenant's finished job into
    /// work of its own choosing. A column-level grant (<c>GRANT UPDATE (status, …)</c>): PostgreSQL refuses any other column
    /// (42501) whatever the policies allow. Empty where the lane updates nothing (an append-only or global table).
    /// </summary>
    public static EquatableArray<string> CrossTenantUpdatableColumns(TableScope scope, bool appendOnly, QueueDeclaration? queue, IEnumerable<Column> columns)
    {
        if (queue is null || scope != TableScope.Tenant || appendOnly)
            return EquatableArray<string>.Empty;
        var state = new HashSet<string>(QueueStateRoles.Select(queue.ColumnOf).OfType<string>()) { Conventions.TableConventions.UpdatedAtColumn };
        return columns.Select(c => c.Name).Where(state.Contains).ToEquatableArray();
    }

    /// <summary>The roles of a queue's columns that the workers' statements change (claim, heartbeat, complete, cancel, fail, release).</summary>
    private static readonly string[] QueueStateRoles =
    {
        QueueRoles.Status, QueueRoles.RunAfter, QueueRoles.Attempts, QueueRoles.LeaseOwner, QueueRoles.LeaseExpiresAt,
        QueueRoles.StartedAt, QueueRoles.FinishedAt, QueueRoles.LastError,
    };

    /// <summary>Derived systems: read every table, write none (reads across tenants need an audit row).</summary>
    public static TablePrivileges Reader(TableScope scope, bool appendOnly) => TablePrivileges.Select;

    /// <summary>Whether a live table is append-only, from what its writer holds: the control plane on a global table, the application on a tenant table.</summary>
    public static bool LooksAppendOnly(Table live)
        => (live.IsTenantScoped ? live.AppPrivileges : live.ControlPrivileges) == Writer(appendOnly: true);
}
