using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Generator.Emitters;

/// <summary>
/// The names through which the data layer tells PostgreSQL a transaction's tenant, written from the schema library's
/// own constants (the ones its DDL creates the objects under), so the runtime and the database cannot name them differently.
/// </summary>
internal static class TenantContextEmitter
{
    public static string Emit(string ns, DeploymentTarget target = DeploymentTarget.Postgres)
    {
        var w = new SourceWriter();
        w.Line(SourceWriter.Header);
        w.Open($"namespace {ns}");
        w.Summary(
            "The names through which the data layer tells PostgreSQL whose rows a transaction may touch. The database's\n" +
            "row-level security policies read the settings; the data layer sets them for one transaction at a time\n" +
            "(set_config(…, true), or the procedures, which call it), never for the session, so a connection\n" +
            "returned to a pool (Npgsql's, or PgBouncer in transaction mode) carries no tenant to its next user.\n" +
            "The tenant is a signed proof (TenantProofSetting), which the database verifies before the\n" +
            "tenant_isolation policies use its tenant. Generated from the definitions the schema's DDL creates the objects under.");
        w.Open("public static class TenantContext");
        Constant(w, "TenantSetting", TenantIsolation.TenantSetting,
            "The plain tenant setting of databases from before signed tenants: their tenant_isolation policies compare\ntenant_id with it. A current database ignores it.");
        Constant(w, "TenantProofSetting", TenantProof.ProofSetting,
            "The setting holding the proof of the transaction's tenant; the tenant_isolation policies read its verified tenant.");
        Constant(w, "SetTenantProofProcedure", TenantProof.SetProofProcedure,
            "CALL " + TenantProof.SetProofProcedure + "(text): sets TenantProofSetting for the current transaction (null clears it).");
        Constant(w, "TenantKeyTable", TenantProof.KeyTable,
            "The keys that sign tenant proofs; only the database owner reads them.");
        Constant(w, "CrossTenantAuditSetting", TenantIsolation.AuditSetting,
            "The setting the readers' " + CallerLanes.ReaderReadPolicy + " policies look up in CrossTenantAuditTable.");
        Constant(w, "SetTenantProcedure", TenantIsolation.SetTenantProcedure,
            "CALL " + TenantIsolation.SetTenantProcedure + "(uuid): sets TenantSetting for the current transaction (null clears it).");
        Constant(w, "SetCrossTenantAuditProcedure", TenantIsolation.SetAuditProcedure,
            "CALL " + TenantIsolation.SetAuditProcedure + "(uuid): sets CrossTenantAuditSetting for the current transaction.");
        Constant(w, "OpenCrossTenantReadFunction", CallerLanes.OpenReadFunction,
            "SELECT " + CallerLanes.OpenReadFunction + "(justification): the readers' audit row, written by the database; returns its id.");
        w.Summary("The longest justification NarralyticaDb.AcrossTenants accepts, in characters (the database's open-read function refuses a longer one too).");
        w.Line($"public const int MaxJustificationLength = {CallerLanes.MaxJustificationLength};");
        w.Line();
        Constant(w, "CrossTenantAuditTable", TenantIsolation.AuditTable,
            "One row per use of the escape hatch (NarralyticaDb.AcrossTenants): its id, justification, database user and time.");
        if (target == DeploymentTarget.Citus)
        {
            w.Summary(
                "The first command of a fast path's batch: the tenant's proof for this transaction only. On Citus, the procedure:\n" +
                "its SET LOCAL reaches the worker that runs the statement, which a set_config does not (the worker would see no\n" +
                "tenant, and every read would be empty).");
            w.Line($"internal const string SetTenantSql = {SourceWriter.Literal("CALL " + TenantProof.SetProofProcedure + "($1)")};");
            w.Line();
            w.Summary("False: a CALL returns no result set, so the statement's rows come first.");
            w.Line("internal static readonly bool SetTenantReturnsRow = false;");
        }
        else
        {
            w.Summary(
                "The first command of a fast path's batch: the tenant's proof for this transaction only. A prepared SELECT of the\n" +
                "built-in function costs a few microseconds; a CALL of the procedure costs ~25 µs more (PostgreSQL plans a\n" +
                "procedure's body on every call), so the fast paths use this and skip its one-row result.");
            w.Line($"internal const string SetTenantSql = {SourceWriter.Literal("SELECT set_config('" + TenantProof.ProofSetting + "', $1, true)")};");
            w.Line();
            w.Summary("True: set_config's one-row result comes before the statement's rows.");
            w.Line("internal static readonly bool SetTenantReturnsRow = true;");
        }
        w.Close();
        w.Close();
        return w.ToString();
    }

    private static void Constant(SourceWriter w, string name, string value, string summary)
    {
        w.Summary(summary);
        w.Line($"public const string {name} = {SourceWriter.Literal(value)};");
        w.Line();
    }
}
