using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Schema.Model;

/// <summary>
/// What each caller's role may do with a table's rows, from the table's scope and <c>append_only</c>
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
    /// Workers: like a request inside the tenant of the job they claimed. A queue table is no exception: across tenants,
    /// workers claim and finish jobs through the queue's functions (<see cref="Narralytica.Schema.Sql.QueueFunctions"/>), not with privileges of their own.
    /// </summary>
    public static TablePrivileges Worker(TableScope scope, bool appendOnly) => App(scope, appendOnly);

    /// <summary>Derived systems: read every table, write none (reads across tenants need an audit row).</summary>
    public static TablePrivileges Reader(TableScope scope, bool appendOnly) => TablePrivileges.Select;

    /// <summary>Whether a live table is append-only, from what its writer holds: the control plane on a global table, the application on a tenant table.</summary>
    public static bool LooksAppendOnly(Table live)
        => (live.IsTenantScoped ? live.AppPrivileges : live.ControlPrivileges) == Writer(appendOnly: true);
}
