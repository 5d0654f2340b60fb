using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql.Citus;

/// <summary>
/// The tenant isolation of the Citus target: the same policies and procedures as <see cref="TenantIsolation"/>,
/// <see cref="TenantProof"/> and <see cref="CallerLanes"/>, by the same names, in the forms Citus accepts and carries to
/// the node where each shard is.
/// <para>
/// Policies: Citus refuses a policy holding a subquery on a distributed table, so the policies call the functions
/// directly (<c>tenant_id = narralytica_proven_tenant()</c>). The function is STABLE, and every generated statement
/// names its tenant (<c>tenant_id = $1</c>): PostgreSQL puts both in one equivalence class and checks
/// <c>narralytica_proven_tenant() = $1</c> once per statement, as a one-time filter, where the plain target's scalar
/// subquery makes an InitPlan. A statement that names no tenant evaluates the function per row it filters: slower, never
/// wider. The worker evaluates the policy of its shard itself, with the proof the transaction carries there.
/// </para>
/// <para>
/// Procedures: <c>set_config</c> stays on the coordinator, while a <c>SET LOCAL</c> run with
/// <see cref="PropagateSetting"/> set to <c>'local'</c> is sent to every worker the transaction uses. The procedures keep
/// their names and parameters, so the data layer sends the same <c>CALL</c> on either target; on plain PostgreSQL the
/// Citus setting is an inert placeholder.
/// </para>
/// </summary>
public static class CitusForms
{
    /// <summary>Citus' setting that sends the transaction's <c>SET LOCAL</c> commands to the workers it uses.</summary>
    public const string PropagateSetting = "citus.propagate_set_commands";

    /// <summary>
    /// Citus' setting that lets a statement running on a shard read a reference table: the verifying functions read the
    /// key table and the audit table (reference tables) where the worker evaluates the policy. The read is of the
    /// worker's own copy of the reference table, so it sees what the coordinator wrote.
    /// </summary>
    public const string NestedExecutionSetting = "citus.allow_nested_distributed_execution";

    /// <summary>The tenant policy's condition under signed tenants, without a subquery.</summary>
    public const string SignedTenantCondition = "tenant_id = " + TenantProof.VerifyFunction + "()";

    /// <summary>The tenant policy's condition under the plain setting, without a subquery.</summary>
    public const string PlainTenantCondition = "tenant_id = nullif(current_setting('" + TenantIsolation.TenantSetting + "', true), '')::uuid";

    /// <summary>The readers' cross-tenant read, without a subquery.</summary>
    public const string ReaderReadCondition = CallerLanes.ReadAllowedFunction + "()";

    public static string CreateTenantPolicy(Table table, bool signedTenant)
    {
        var condition = signedTenant ? SignedTenantCondition : PlainTenantCondition;
        return $"CREATE POLICY {TenantIsolation.TenantPolicy} ON {SqlFragments.Name(table)} USING ({condition}) WITH CHECK ({condition});";
    }

    public static string CreateReaderReadPolicy(Table table)
        => $"CREATE POLICY {CallerLanes.ReaderReadPolicy} ON {SqlFragments.Name(table)} FOR SELECT TO {DatabaseRoles.Reader} USING ({ReaderReadCondition});";

    /// <summary>
    /// The CREATE POLICY of a policy in its Citus form; the policies that hold no subquery (the workers' claim) are
    /// the plain target's own.
    /// </summary>
    public static string? CreatePolicy(Table table, string policy, bool signedTenant) => policy switch
    {
        TenantIsolation.TenantPolicy => CreateTenantPolicy(table, signedTenant),
        CallerLanes.ReaderReadPolicy => CreateReaderReadPolicy(table),
        _ => TenantIsolation.CreatePolicy(table, policy, signedTenant),
    };

    /// <summary>
    /// How PostgreSQL prints a policy's condition (<c>pg_policies.qual</c>, <c>with_check</c>) when it is in its Citus
    /// form; null when that is not known (the condition of the plain setting), and the step that installs it then always runs.
    /// </summary>
    public static string? PrintedCondition(string policy, bool signedTenant) => policy switch
    {
        TenantIsolation.TenantPolicy when signedTenant => "(" + SignedTenantCondition + ")",
        CallerLanes.ReaderReadPolicy => ReaderReadCondition,
        _ => null,
    };

    /// <summary>A procedure that sets a setting for the transaction, on the coordinator and every worker it uses.</summary>
    public sealed record SetLocalProcedure(string Name, string Parameter, string Type, string Value, string Setting)
    {
        /// <summary>The body, as <c>pg_proc.prosrc</c> holds it.</summary>
        public string Body => $" BEGIN SET LOCAL {PropagateSetting} = 'local'; EXECUTE format('SET LOCAL {Setting} = %L', {Value}); END ";

        /// <summary>Its signature, as <c>to_regprocedure</c> reads it.</summary>
        public string Signature => $"{Name}({Type})";

        public string Create => $"CREATE OR REPLACE PROCEDURE {Name}({Parameter} {Type}) LANGUAGE plpgsql AS $${Body}$$;";
    }

    public static SetLocalProcedure SetTenant { get; } =
        new(TenantIsolation.SetTenantProcedure, "tenant", "uuid", "coalesce(tenant::text, '')", TenantIsolation.TenantSetting);

    public static SetLocalProcedure SetAudit { get; } =
        new(TenantIsolation.SetAuditProcedure, "audit", "uuid", "coalesce(audit::text, '')", TenantIsolation.AuditSetting);

    public static SetLocalProcedure SetProof { get; } =
        new(TenantProof.SetProofProcedure, "proof", "text", "coalesce(proof, '')", TenantProof.ProofSetting);
}
