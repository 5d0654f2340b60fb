namespace Narralytica.Model;

/// <summary>
/// Every tenant's rows of the tenant-scoped tables, without a tenant filter. The named escape hatch
/// of the data layer: obtained only through <see cref="NarralyticaDb.AcrossTenants"/>, with a reason.
/// </summary>
public sealed partial class CrossTenantAccess
{
    internal CrossTenantAccess(NarralyticaDb db, string justification)
    {
        Db = db;
        Justification = justification;
    }

    /// <summary>Why this code reads across tenants, as its caller wrote it.</summary>
    public string Justification { get; }

    private NarralyticaDb Db { get; }
}
