using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The tenant context, the signed tenant, and the row-level security and policies of a table that stays.
/// </summary>
public sealed partial class SchemaDiffer
{
    /// <summary>
    /// The objects every policy relies on: the audit table of cross-tenant reads and the procedures that set a
    /// transaction's tenant. Created before any policy names them; dropped after every policy that does, which
    /// destroys the record of cross-tenant reads. Without the lanes the audit table is granted to the application role
    /// with its creation when the model grants to the role at all; with them, it gets its expiry, the application loses
    /// its grant on it, and the readers' functions are created (<see cref="CallerLanes"/>).
    /// </summary>
    private void DiffTenantContext()
    {
        if (!_from.TenantContext && _to.TenantContext)
        {
            foreach (var statement in TenantIsolation.CreateContext(_to.GrantsToApp, _to.Lanes))
                Emit(Phase.CreateTenantContext, statement);
            Change(ChangeDescriptions.CreateTenantContext(_to.Lanes), new SourceSpan(1, 1));
        }
        else if (_from.TenantContext && !_to.TenantContext)
        {
            foreach (var statement in TenantIsolation.DropContext(_from.Lanes))
                Emit(Phase.DropTenantContext, statement);
            Change(ChangeDescriptions.DropTenantContext(), new SourceSpan(1, 1));
            Find(SafetyFindings.DropTenantContext());
        }
        else if (_from.TenantContext && !_from.Lanes && _to.Lanes)
        {
            foreach (var statement in CallerLanes.AddExpiry())
                Emit(Phase.CreateTenantContext, statement);
            if (_from.GrantsToApp)
                Emit(Phase.CreateTenantContext, DatabaseRoles.Revoke(TenantIsolation.AuditTable, TablePrivileges.Select | TablePrivileges.Insert));
            foreach (var statement in CallerLanes.CreateFunctions())
                Emit(Phase.CreateTenantContext, statement);
            Change(ChangeDescriptions.MoveCrossTenantReadsToReader(), new SourceSpan(1, 1));
        }
        else if (_from.TenantContext && _from.Lanes && !_to.Lanes)
        {
            foreach (var statement in CallerLanes.DropFunctions())
                Emit(Phase.DropTenantContext, statement);
            foreach (var statement in CallerLanes.DropExpiry())
                Emit(Phase.DropTenantContext, statement);
            if (_to.GrantsToApp)
                Emit(Phase.DropTenantContext, TenantIsolation.GrantAuditTable);
            Change(ChangeDescriptions.GiveCrossTenantReadsBack(), new SourceSpan(1, 1));
        }
    }

    /// <summary>
    /// The signed tenant (<see cref="TenantProof"/>): the key table, the procedure that sets a proof and the function
    /// that verifies it, created with the tenant context (before any policy names them) and dropped with it (after
    /// the policies stop naming them, see <see cref="DiffRowSecurity"/>). Dropping them also drops the installed keys
    /// and lets any SQL name any tenant again, so it is reported.
    /// </summary>
    private void DiffTenantProof()
    {
        if (!_from.TenantProof && _to.TenantProof)
        {
            foreach (var statement in TenantProof.Create())
                Emit(Phase.CreateTenantContext, statement);
            Change(ChangeDescriptions.CreateSignedTenant(), new SourceSpan(1, 1));
        }
        else if (_from.TenantProof && !_to.TenantProof)
        {
            foreach (var statement in TenantProof.Drop())
                Emit(Phase.DropTenantContext, statement);
            Change(ChangeDescriptions.DropSignedTenant(), new SourceSpan(1, 1));
            Find(SafetyFindings.DropSignedTenant());
        }
    }

    /// <summary>
    /// Row-level security of a table that stays. Turning it off drops the policies first (on the table's old
    /// name, before anything they name goes), then NO FORCE and DISABLE, which weakens tenant isolation
    /// (NARR3032, unless the table stops being tenant-scoped, which NARR3030 reports). Turning it on comes
    /// last, once tenant_id exists. Otherwise the policies follow the tenant context, the lanes and <c>queue:</c>
    /// (<see cref="TenantIsolation.Policies"/>): those that go are dropped first, those that come created last.
    /// </summary>
    private void DiffRowSecurity(Table original, Table old, Table table)
    {
        if (old.RowSecurity && !table.RowSecurity)
        {
            foreach (var statement in TenantIsolation.Disable(original, _from.TenantContext, _from.Lanes))
                Emit(Phase.DropPolicies, statement);
            Change(ChangeDescriptions.DisableRowSecurity(table), table.Span);
            if (SafetyFindings.RowSecurityDisabled(original, table) is { } disabled)
                Find(disabled);
        }
        else if (!old.RowSecurity && table.RowSecurity)
        {
            foreach (var statement in TenantIsolation.Enable(table, _to.TenantContext, _to.Lanes, _to.TenantProof))
                Emit(Phase.RowSecurity, statement);
            Change(ChangeDescriptions.EnableRowSecurity(table, TenantIsolation.Policies(table, _to.TenantContext, _to.Lanes)), table.Span);
        }
        else if (old.RowSecurity && table.RowSecurity)
        {
            var before = TenantIsolation.Policies(old, _from.TenantContext, _from.Lanes);
            var after = TenantIsolation.Policies(table, _to.TenantContext, _to.Lanes);
            foreach (var policy in before.Except(after))
            {
                Emit(Phase.DropPolicies, TenantIsolation.DropPolicy(original, policy));
                Change(ChangeDescriptions.DropPolicy(table, policy), table.Span);
            }
            foreach (var policy in after.Except(before))
            {
                Emit(Phase.RowSecurity, TenantIsolation.CreatePolicy(table, policy, _to.TenantProof)!);
                Change(ChangeDescriptions.CreatePolicy(table, policy), table.Span);
            }
        }
        // A tenant policy kept across the move to (or from) signed tenants is dropped with the other policies (before
        // the function can go) and created again with the new condition (after the function exists): a drop and a
        // create of a tenant policy, which the migration lint knows cannot widen access, unlike an ALTER POLICY.
        if (old.RowSecurity && table.RowSecurity && _from.TenantProof != _to.TenantProof)
        {
            Emit(Phase.DropPolicies, TenantIsolation.DropPolicy(original, TenantIsolation.TenantPolicy));
            Emit(Phase.RowSecurity, TenantIsolation.CreateTenantPolicy(table, _to.TenantProof));
            Change(ChangeDescriptions.TenantPolicyCondition(table, _to.TenantProof), table.Span);
        }
    }
}
