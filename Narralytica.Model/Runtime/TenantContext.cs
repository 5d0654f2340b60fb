namespace Narralytica.Model;

/// <summary>
/// The names through which the data layer tells PostgreSQL whose rows a transaction may touch. The database's
/// row-level security policies read the settings; the data layer sets them for one transaction at a time
/// (<c>set_config(…, true)</c>, or the procedures, which call it), never for the session, so a connection
/// returned to a pool (Npgsql's, or PgBouncer in transaction mode) carries no tenant to its next user.
/// The tenant is a signed proof (<see cref="TenantProofSetting"/>), which the database verifies before the
/// <c>tenant_isolation</c> policies use its tenant. The schema's DDL (<c>Narralytica.Schema</c>) creates the objects
/// under the same names.
/// </summary>
public static class TenantContext
{
    /// <summary>
    /// The plain tenant setting of databases from before signed tenants: their <c>tenant_isolation</c> policies compare
    /// <c>tenant_id</c> with it. A current database ignores it.
    /// </summary>
    public const string TenantSetting = "narralytica.tenant_id";

    /// <summary>The setting holding the proof of the transaction's tenant; the <c>tenant_isolation</c> policies read its verified tenant.</summary>
    public const string TenantProofSetting = "narralytica.tenant_proof";

    /// <summary><c>CALL narralytica_set_tenant_proof(text)</c>: sets <see cref="TenantProofSetting"/> for the current transaction (null clears it).</summary>
    public const string SetTenantProofProcedure = "narralytica_set_tenant_proof";

    /// <summary>The keys that sign tenant proofs; only the database owner reads them.</summary>
    public const string TenantKeyTable = "narralytica_tenant_keys";

    /// <summary>The setting the readers' <c>reader_cross_tenant_read</c> policies look up in <see cref="CrossTenantAuditTable"/>.</summary>
    public const string CrossTenantAuditSetting = "narralytica.cross_tenant_audit";

    /// <summary><c>CALL narralytica_set_tenant(uuid)</c>: sets <see cref="TenantSetting"/> for the current transaction (null clears it).</summary>
    public const string SetTenantProcedure = "narralytica_set_tenant";

    /// <summary><c>CALL narralytica_set_cross_tenant_audit(uuid)</c>: sets <see cref="CrossTenantAuditSetting"/> for the current transaction.</summary>
    public const string SetCrossTenantAuditProcedure = "narralytica_set_cross_tenant_audit";

    /// <summary><c>SELECT narralytica_open_cross_tenant_read(justification)</c>: the readers' audit row, written by the database; returns its id.</summary>
    public const string OpenCrossTenantReadFunction = "narralytica_open_cross_tenant_read";

    /// <summary>The longest justification <see cref="NarralyticaDb.AcrossTenants"/> accepts, in characters (the database's open-read function refuses a longer one too).</summary>
    public const int MaxJustificationLength = 500;

    /// <summary>One row per use of the escape hatch (<see cref="NarralyticaDb.AcrossTenants"/>): its id, justification, database user and time.</summary>
    public const string CrossTenantAuditTable = "narralytica_cross_tenant_audits";

    /// <summary>
    /// The first command of a fast path's batch: the tenant's proof for this transaction only. A prepared SELECT of the
    /// built-in function costs a few microseconds; a CALL of the procedure costs ~25 µs more (PostgreSQL plans a
    /// procedure's body on every call), so the fast paths use this and skip its one-row result.
    /// </summary>
    internal const string SetTenantSql = "SELECT set_config('" + TenantProofSetting + "', $1, true)";
}
