using System;
using LinqToDB;

namespace Narralytica.Runtime;

/// <summary>
/// Every tenant's rows of the tenant-scoped tables, without a tenant filter, read-only. The named escape hatch
/// of the data layer: obtained only through <see cref="NarralyticaDb.AcrossTenants"/>, with a reason, which is
/// recorded in <c>narralytica_cross_tenant_audits</c> before any row is read. Each command made through it names
/// that audit row (<c>CALL narralytica_set_cross_tenant_audit</c>) for its own transaction, and the database's
/// <c>cross_tenant_read</c> policies let it read every tenant's rows; they allow SELECT only, so an update or
/// delete through the hatch changes no row and an insert is refused.
/// </summary>
public sealed partial class CrossTenantAccess
{
    internal CrossTenantAccess(NarralyticaDb db, string justification, Guid auditId)
    {
        Db = db;
        Justification = justification;
        AuditId = auditId;
    }

    /// <summary>Why this code reads across tenants, as its caller wrote it.</summary>
    public string Justification { get; }

    /// <summary>The id of the row in <c>narralytica_cross_tenant_audits</c> that records this access.</summary>
    public Guid AuditId { get; }

    /// <summary>The name linq2db gives the parameter of the hatch's predicate (<see cref="NarralyticaCrossTenantAudit"/>).</summary>
    internal const string AuditMarker = nameof(NarralyticaCrossTenantAudit);

    /// <summary>
    /// The audit id as the hatch's tables read it: every query carries it as a parameter named so, from which
    /// <see cref="TenantCommandInterceptor"/> names the audit for the command's transaction.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public Guid NarralyticaCrossTenantAudit => AuditId;

    /// <summary>The connection underneath; the generated tables read through it.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public NarralyticaDb Db { get; }

    /// <summary>
    /// The hatch's predicate, always true (<c>:NarralyticaCrossTenantAudit IS NOT NULL</c>): it only puts the audit
    /// into the SQL as a parameter. Written in SQL because linq2db would evaluate a C# comparison of two values
    /// itself and drop it.
    /// </summary>
    [Sql.Expression("{0} IS NOT NULL", ServerSideOnly = true, IsPredicate = true)]
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static bool Audited(Guid audit) => throw new InvalidOperationException("Only linq2db translates this predicate, into SQL.");
}
