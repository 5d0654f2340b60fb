using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The signature-first verifier (<see cref="SchemaModel.SignatureFirstProof"/>): a schema whose signed tenant predates it
/// gets the verifying function replaced in place (the policies that call it stay; the proofs it accepts are the same).
/// A signed tenant created by the same migration comes with it already.
/// </summary>
public sealed partial class SchemaDiffer
{
    private void DiffProofVerifier()
    {
        if (!_from.TenantProof || !_to.TenantProof || _from.SignatureFirstProof || !_to.SignatureFirstProof)
            return;
        Emit(Phase.CreateTenantContext, TenantProof.CreateVerifyFunction);
        Change(ChangeDescriptions.CheckProofSignatureFirst(), new SourceSpan(1, 1));
    }
}
