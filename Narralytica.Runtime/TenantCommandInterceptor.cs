using System;
using System.Data.Common;
using LinqToDB.Interceptors;
using Npgsql;

namespace Narralytica.Runtime;

/// <summary>
/// Gives each linq2db command of a tenant scope its tenant, and each command through the escape hatch its audit,
/// for that command's transaction only: it prepends <c>CALL narralytica_set_tenant_proof(:narralytica_tenant_proof);</c>,
/// the tenant's signed proof (the hatch: <c>CALL narralytica_set_tenant_proof(NULL); CALL narralytica_set_cross_tenant_audit(:narralytica_audit);</c>)
/// with parameters of its own. Npgsql sends the calls and the statement in one round trip and one transaction (the
/// caller's, or an implicit one that ends with the statement). A CALL returns no result set, so linq2db reads the
/// statement's rows, scalar and row count as before.
/// </summary>
/// <remarks>
/// How a command's tenant is known, long after the query was built: a query on <c>scope.Segments</c> reads the
/// scope's <see cref="TenantScope.TenantMarker"/> member, and linq2db names that parameter after the member (with
/// <c>_1</c>, <c>_2</c>… when a query holds several); a row written by the scope (<c>Insert</c>, <c>Update</c>,
/// <c>Delete</c>) names its tenant through <see cref="NarralyticaDb.WritingFor"/>; the escape hatch's queries carry
/// <see cref="CrossTenantAccess.AuditMarker"/> the same way. A command with none of them (global tables, or a
/// parameter linq2db inlined) is left as it is. A wrong guess cannot widen access: the SQL keeps its own
/// <c>tenant_id</c> predicate, and without a setting RLS shows no tenant rows at all.
/// </remarks>
internal sealed class TenantCommandInterceptor : CommandInterceptor
{
    public static TenantCommandInterceptor Instance { get; } = new();

    private const string TenantParameter = "narralytica_tenant_proof";
    private const string AuditParameter = "narralytica_audit";
    private const string SetTenant = "CALL " + TenantContext.SetTenantProofProcedure + "(:" + TenantParameter + ");\n";
    // The hatch reads only: with no tenant proof, the tenant_isolation policies let it write nothing, even inside
    // a transaction where a scope set one before.
    private const string ClearTenant = "CALL " + TenantContext.SetTenantProofProcedure + "(NULL);\n";
    private const string SetAudit = "CALL " + TenantContext.SetCrossTenantAuditProcedure + "(:" + AuditParameter + ");\n";

    private TenantCommandInterceptor()
    {
    }

    public override DbCommand CommandInitialized(CommandEventData eventData, DbCommand command)
    {
        var db = eventData.DataConnection as NarralyticaDb;
        var tenant = db?.RowWriteTenant;
        Guid? audit = null;
        foreach (DbParameter parameter in command.Parameters)
        {
            if (parameter.Value is not Guid value)
                continue;
            if (IsMarker(parameter.ParameterName, TenantScope.TenantMarker))
                tenant = tenant is null || tenant == value ? value : throw TwoTenants(tenant.Value, value);
            else if (IsMarker(parameter.ParameterName, CrossTenantAccess.AuditMarker))
                audit = audit is null || audit == value ? value : throw TwoAudits(audit.Value, value);
        }
        if (tenant is null && audit is null)
            return command;
        EnsureTransactionWhereRequired(SchemaBindings.Current.SetsTenantByProcedure, eventData.DataConnection?.Transaction is not null);

        // linq2db keeps one command per connection and sets its text and parameters anew for each statement.
        var parameters = ((NpgsqlCommand)command).Parameters;
        if (tenant is not null)
        {
            var proof = db?.ProofFor(tenant.Value) ?? throw new InvalidOperationException("A tenant scope's command ran on a connection that is not a NarralyticaDb.");
            parameters.Add(new NpgsqlParameter<string>(TenantParameter, proof));
        }
        if (audit is not null)
            parameters.Add(new NpgsqlParameter<Guid>(AuditParameter, audit.Value));
        command.CommandText = audit is null
            ? SetTenant + command.CommandText
            : (tenant is null ? ClearTenant : SetTenant) + SetAudit + command.CommandText;
        return command;
    }

    /// <summary>
    /// On Citus the tenant's <c>CALL</c> reaches the shard's node only inside a transaction block: outside one, the node
    /// sees no tenant and the query silently reads and changes no row. Refuse it before it is sent instead.
    /// </summary>
    internal static void EnsureTransactionWhereRequired(bool setsTenantByProcedure, bool inTransaction)
    {
        if (setsTenantByProcedure && !inTransaction)
            throw new InvalidOperationException(
                "A linq2db query of a tenant scope (or of db.AcrossTenants) ran outside a transaction on the Citus target. Citus carries the " +
                "tenant to the node holding the shard only inside a transaction, so outside one the query would see and change no row. " +
                "Run it inside one: `await using var tx = await db.BeginTransactionAsync(); … await tx.CommitAsync();` or scope.InTransactionAsync(…). " +
                "(The generated helpers, row writes and BulkInsertAsync open their own.)");
    }

    /// <summary>The marker itself, or linq2db's numbered copy of it (<c>TenantScopeTenant_1</c>).</summary>
    private static bool IsMarker(string parameterName, string marker)
    {
        var name = parameterName.TrimStart(':', '@');
        return name.StartsWith(marker, StringComparison.Ordinal)
               && (name.Length == marker.Length || name[marker.Length] == '_');
    }

    private static InvalidOperationException TwoTenants(Guid first, Guid second) => new(
        $"One linq2db command reads the tables of two tenant scopes (tenants {first} and {second}); a command runs for one tenant. " +
        "Query each scope on its own, or read across tenants through db.AcrossTenants(\"why\").");

    private static InvalidOperationException TwoAudits(Guid first, Guid second) => new(
        $"One linq2db command reads through two escape hatches (audits {first} and {second}); take every table of the query from one db.AcrossTenants(\"why\").");
}
