using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Schema.Sql.Citus;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The bounded readers' audit (<see cref="SchemaModel.BoundedReaderAudit"/>): a schema whose lanes predate it gets both
/// audit functions replaced in place (their grants stay). Lanes created by the same migration come with it already.
/// On the Citus target the replacement would drop the read function's <see cref="CitusForms.NestedExecutionSetting"/>
/// (CREATE OR REPLACE sets a function's settings anew), which the policies that call it need, so the setting follows at once.
/// </summary>
public sealed partial class SchemaDiffer
{
    private void DiffReaderAudit()
    {
        if (!_from.Lanes || !_from.TenantContext || !_to.Lanes || !_to.TenantContext || _from.BoundedReaderAudit || !_to.BoundedReaderAudit)
            return;
        foreach (var statement in CallerLanes.ReplaceWithBoundedAudit())
            Emit(Phase.CreateTenantContext, statement);
        if (_to.Target == DeploymentTarget.Citus)
            Emit(Phase.CreateTenantContext, CitusDistribution.NestedExecution(CallerLanes.ReadAllowedFunction + "()"));
        Change(ChangeDescriptions.BoundReaderAudit(), new SourceSpan(1, 1));
    }
}
