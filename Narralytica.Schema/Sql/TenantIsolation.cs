using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql;

/// <summary>
/// Row-level security, the database's own tenant isolation, as SQL. Every tenant-scoped table has row-level
/// security enabled and forced (its owner is bound too) and two policies: <see cref="TenantPolicy"/>, which
/// shows and accepts only the rows of the tenant the current transaction names in <see cref="TenantSetting"/>
/// (no tenant set: no row visible, every write refused), and <see cref="CrossTenantReadPolicy"/>, the
/// escape hatch, which lets a transaction read (only read) every tenant's rows when <see cref="AuditSetting"/>
/// names a row of <see cref="AuditTable"/> written by the same login.
/// The data layer sets both per transaction with the two procedures (<see cref="SetTenantCall"/>,
/// <see cref="SetAuditCall"/>), sent in the same batch as its statement: outside an explicit transaction the
/// batch is one implicit transaction, so the setting ends with it and never reaches the next command on a
/// pooled connection. The texts here are the only spelling of these objects: the DDL, the migrations, drift
/// and the runtime compare with them.
/// </summary>
public static class TenantIsolation
{
    /// <summary>The transaction-local setting that names the current tenant (a uuid; empty or unset: none).</summary>
    public const string TenantSetting = "narralytica.tenant_id";

    /// <summary>The transaction-local setting that names the audit row of a cross-tenant read (a uuid; empty or unset: none).</summary>
    public const string AuditSetting = "narralytica.cross_tenant_audit";

    /// <summary>The record of cross-tenant reads: a fixed system table, not declared in schema.yaml.</summary>
    public const string AuditTable = "narralytica_cross_tenant_audits";

    public const string SetTenantProcedure = "narralytica_set_tenant";
    public const string SetAuditProcedure = "narralytica_set_cross_tenant_audit";

    /// <summary>The policy every tenant-scoped table has: reads and writes of the current tenant's rows only.</summary>
    public const string TenantPolicy = "tenant_isolation";

    /// <summary>The escape hatch's policy: SELECT of every tenant's rows under an audit row of the same login.</summary>
    public const string CrossTenantReadPolicy = "cross_tenant_read";

    /// <summary>The statement prefix that sets the transaction's tenant (parameter: a uuid, or NULL for none). Returns no result set.</summary>
    public const string SetTenantCall = "CALL " + SetTenantProcedure + "($1)";

    /// <summary>The statement prefix that names the transaction's cross-tenant audit row (parameter: its id, or NULL for none). Returns no result set.</summary>
    public const string SetAuditCall = "CALL " + SetAuditProcedure + "($1)";

    /// <summary>
    /// The current transaction's tenant, NULL when none is set (an unset setting reads NULL, a reset one ''). A scalar
    /// subquery, so PostgreSQL computes it once per statement (an InitPlan) instead of reading and casting the
    /// setting for every row the policy filters; it can still serve as an index condition.
    /// </summary>
    public const string CurrentTenant = "(SELECT nullif(current_setting('" + TenantSetting + "', true), '')::uuid)";

    /// <summary>The audit row the current transaction names, NULL when none.</summary>
    public const string CurrentAudit = "nullif(current_setting('" + AuditSetting + "', true), '')::uuid";

    /// <summary>The condition of <see cref="TenantPolicy"/>, for reads (USING) and writes (WITH CHECK) alike.</summary>
    public const string TenantCondition = "tenant_id = " + CurrentTenant;

    /// <summary>The condition of <see cref="CrossTenantReadPolicy"/>: the named audit row exists and was written by this login.</summary>
    public const string CrossTenantReadCondition =
        "EXISTS (SELECT FROM " + AuditTable + " a WHERE a.id = " + CurrentAudit + " AND a.database_user = session_user)";

    public const string CreateAuditTable = "CREATE TABLE " + AuditTable + " (\n" +
                                           "    id uuid NOT NULL,\n" +
                                           "    justification text NOT NULL,\n" +
                                           "    database_user text NOT NULL DEFAULT session_user,\n" +
                                           "    created_at timestamp with time zone NOT NULL DEFAULT now(),\n" +
                                           "    CONSTRAINT pk_" + AuditTable + " PRIMARY KEY (id),\n" +
                                           "    CONSTRAINT ck_" + AuditTable + "_justification CHECK (btrim(justification) <> '')\n" +
                                           ");";

    public const string CommentOnAuditTable = "COMMENT ON TABLE " + AuditTable + " IS 'Cross-tenant reads: one row per use of the escape hatch, " +
                                              "with its justification and the login that wrote it. Append-only for " + DatabaseRoles.App + ".';";

    /// <summary>Append-only by privileges: the application records and reads, never rewrites the trail.</summary>
    public const string GrantAuditTable = "GRANT SELECT, INSERT ON " + AuditTable + " TO " + DatabaseRoles.App + ";";

    public const string CreateSetTenant = "CREATE PROCEDURE " + SetTenantProcedure + "(tenant uuid) LANGUAGE sql AS $$ SELECT set_config('" +
                                          TenantSetting + "', coalesce(tenant::text, ''), true) $$;";

    public const string CreateSetAudit = "CREATE PROCEDURE " + SetAuditProcedure + "(audit uuid) LANGUAGE sql AS $$ SELECT set_config('" +
                                         AuditSetting + "', coalesce(audit::text, ''), true) $$;";

    /// <summary>The CREATE PROCEDURE of one of the two procedures by its name; null for any other name.</summary>
    public static string? CreateProcedure(string procedure) => procedure switch
    {
        SetTenantProcedure => CreateSetTenant,
        SetAuditProcedure => CreateSetAudit,
        _ => null,
    };

    public const string DropSetTenant = "DROP PROCEDURE " + SetTenantProcedure + "(uuid);";
    public const string DropSetAudit = "DROP PROCEDURE " + SetAuditProcedure + "(uuid);";
    public const string DropAuditTable = "DROP TABLE " + AuditTable + ";";

    /// <summary>
    /// The objects every tenant's isolation relies on, created once per schema before any policy names them:
    /// the audit table and the two procedures. EXECUTE on procedures is PUBLIC's by default, and stays so. Without the
    /// lanes (a snapshot from before them), the application role records and reads the audit table itself (when the
    /// model grants to it at all; the roles must exist then); with them, the audit table has its expiry, no lane holds
    /// a privilege on it, and the readers' functions write and check it (<see cref="CallerLanes"/>).
    /// </summary>
    public static IReadOnlyList<string> CreateContext(bool grantToApp, bool lanes)
    {
        var statements = new List<string>();
        if (lanes)
        {
            statements.Add(CallerLanes.CreateAuditTable);
            statements.Add(CallerLanes.CommentOnAuditTable);
        }
        else
        {
            statements.Add(CreateAuditTable);
            statements.Add(CommentOnAuditTable);
            if (grantToApp)
                statements.Add(GrantAuditTable);
        }
        statements.Add(CreateSetTenant);
        statements.Add(CreateSetAudit);
        if (lanes)
            statements.AddRange(CallerLanes.CreateFunctions());
        return statements;
    }

    /// <summary>What <see cref="CreateContext"/> made, routines first; every policy naming the audit table must be gone.</summary>
    public static IReadOnlyList<string> DropContext(bool lanes)
    {
        var statements = new List<string>();
        if (lanes)
            statements.AddRange(CallerLanes.DropFunctions());
        statements.AddRange(new[] { DropSetTenant, DropSetAudit, DropAuditTable });
        return statements;
    }

    /// <summary>
    /// The policies of a tenant-scoped table, in the order they are created: <see cref="TenantPolicy"/> always; the
    /// cross-tenant read, which needs the tenant context (it reads the audit table) and belongs to the application without
    /// the lanes (<see cref="CrossTenantReadPolicy"/>) or to the readers with them (<see cref="CallerLanes.ReaderReadPolicy"/>);
    /// on a queue table with the lanes, the owner's passage for the queue's functions (<see cref="CallerLanes.QueueFunctionsPolicy"/>),
    /// or, in a schema from before them, the workers' own claim and finish.
    /// </summary>
    public static IReadOnlyList<string> Policies(Table table, bool tenantContext, bool lanes)
    {
        var policies = new List<string> { TenantPolicy };
        if (tenantContext)
            policies.Add(lanes ? CallerLanes.ReaderReadPolicy : CrossTenantReadPolicy);
        if (lanes && table.Queue && table.QueueFunctions.Length > 0)
            policies.Add(CallerLanes.QueueFunctionsPolicy);
        else if (lanes && table.Queue)
        {
            policies.Add(CallerLanes.QueueClaimPolicy);
            policies.Add(CallerLanes.QueueFinishPolicy);
        }
        return policies;
    }

    /// <summary>Row-level security on a tenant-scoped table: enabled, forced (the owner is bound too), and its policies (<see cref="Policies"/>);
    /// <paramref name="signedTenant"/>: the tenant policy takes its tenant from a verified proof (<see cref="TenantProof"/>).</summary>
    public static IReadOnlyList<string> Enable(Table table, bool tenantContext, bool lanes, bool signedTenant)
    {
        var statements = new List<string> { EnableRowSecurity(table), ForceRowSecurity(table) };
        foreach (var policy in Policies(table, tenantContext, lanes))
            statements.Add(CreatePolicy(table, policy, signedTenant)!);
        return statements;
    }

    /// <summary>The reverse of <see cref="Enable"/>: policies first, then NO FORCE and DISABLE.</summary>
    public static IReadOnlyList<string> Disable(Table table, bool tenantContext, bool lanes)
    {
        var statements = new List<string>();
        foreach (var policy in Policies(table, tenantContext, lanes).Reverse())
            statements.Add(DropPolicy(table, policy));
        statements.Add(NoForceRowSecurity(table));
        statements.Add(DisableRowSecurity(table));
        return statements;
    }

    public static string EnableRowSecurity(Table table) => $"ALTER TABLE {SqlFragments.Name(table)} ENABLE ROW LEVEL SECURITY;";

    public static string ForceRowSecurity(Table table) => $"ALTER TABLE {SqlFragments.Name(table)} FORCE ROW LEVEL SECURITY;";

    public static string NoForceRowSecurity(Table table) => $"ALTER TABLE {SqlFragments.Name(table)} NO FORCE ROW LEVEL SECURITY;";

    public static string DisableRowSecurity(Table table) => $"ALTER TABLE {SqlFragments.Name(table)} DISABLE ROW LEVEL SECURITY;";

    /// <summary>The CREATE POLICY of one of the policies of <see cref="Policies"/> by its name; null for any other name.</summary>
    public static string? CreatePolicy(Table table, string policy, bool signedTenant) => policy switch
    {
        TenantPolicy => CreateTenantPolicy(table, signedTenant),
        CrossTenantReadPolicy => CreateCrossTenantReadPolicy(table),
        CallerLanes.ReaderReadPolicy => CallerLanes.CreateReaderReadPolicy(table),
        CallerLanes.QueueClaimPolicy => CallerLanes.CreateQueueClaimPolicy(table),
        CallerLanes.QueueFinishPolicy => CallerLanes.CreateQueueFinishPolicy(table),
        CallerLanes.QueueFunctionsPolicy => CallerLanes.CreateQueueFunctionsPolicy(table),
        _ => null,
    };

    /// <summary>
    /// The tenant policy; <paramref name="signedTenant"/>: its tenant is the one a valid proof names (<see cref="TenantProof"/>),
    /// else the plain setting of a schema from before signed tenants.
    /// </summary>
    public static string CreateTenantPolicy(Table table, bool signedTenant)
    {
        var condition = TenantConditionOf(signedTenant);
        return $"CREATE POLICY {TenantPolicy} ON {SqlFragments.Name(table)} USING ({condition}) WITH CHECK ({condition});";
    }

    private static string TenantConditionOf(bool signedTenant) => signedTenant ? TenantProof.TenantCondition : TenantCondition;

    public static string CreateCrossTenantReadPolicy(Table table)
        => $"CREATE POLICY {CrossTenantReadPolicy} ON {SqlFragments.Name(table)} FOR SELECT USING ({CrossTenantReadCondition});";

    public static string DropPolicy(Table table, string policy) => $"DROP POLICY {SqlIdentifier.Quote(policy)} ON {SqlFragments.Name(table)};";
}
