namespace Narralytica.Runtime;

/// <summary>
/// The global tables (users, roles, permissions, tenants, …) to write: sign-up, tenant lifecycle, role definitions.
/// Only a connection of a data source created for <see cref="DatabaseLane.ControlPlane"/> has one
/// (<see cref="NarralyticaDb.ControlPlane"/>), and only the <c>narralytica_control</c> role may write these tables:
/// the application role reads them and nothing more, so a request cannot suspend a tenant or take its slug, whatever
/// SQL it sends. Deleting a tenant or a user cascades into tenant rows (foreign keys run as the tables' owner).
/// </summary>
public sealed partial class ControlPlane
{
    internal ControlPlane(NarralyticaDb db) => Db = db;

    /// <summary>The connection underneath, for transactions (<c>BeginTransactionAsync</c>).</summary>
    public NarralyticaDb Db { get; }
}
