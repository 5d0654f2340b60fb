using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Schema.Sql.Citus;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The signature-first verifier (<see cref="SchemaModel.SignatureFirstProof"/>): a schema whose signed tenant predates it
/// gets the verifying function replaced in place (the policies that call it stay; the proofs it accepts are the same).
/// A signed tenant created by the same migration comes with it already. On the Citus target the replacement would drop
/// the function's <see cref="CitusForms.NestedExecutionSetting"/> (CREATE OR REPLACE sets a function's settings anew),
/// without which a worker refuses the policies that call it, so the setting follows at once.
/// </summary>
public sealed partial class SchemaDiffer
{
    private void DiffProofVerifier()
    {
        if (!_from.TenantProof || !_to.TenantProof || _from.SignatureFirstProof || !_to.SignatureFirstProof)
            return;
        Emit(Phase.CreateTenantContext, TenantProof.CreateVerifyFunction);
        if (_to.Target == DeploymentTarget.Citus)
            Emit(Phase.CreateTenantContext, CitusDistribution.NestedExecution(TenantProof.VerifyFunction + "()"));
        Change(ChangeDescriptions.CheckProofSignatureFirst(), new SourceSpan(1, 1));
    }
}
