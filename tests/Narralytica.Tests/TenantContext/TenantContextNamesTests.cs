using Narralytica.Schema.Sql;
using Xunit;

namespace Narralytica.Tests.TenantContext;

/// <summary>The runtime (which does not reference Narralytica.Schema) names the database objects as the DDL creates them.</summary>
public sealed class TenantContextNamesTests
{
    [Fact]
    public void The_runtime_names_what_the_schema_creates()
    {
        Assert.Equal(TenantIsolation.TenantSetting, Model.TenantContext.TenantSetting);
        Assert.Equal(TenantIsolation.AuditSetting, Model.TenantContext.CrossTenantAuditSetting);
        Assert.Equal(TenantIsolation.SetTenantProcedure, Model.TenantContext.SetTenantProcedure);
        Assert.Equal(TenantIsolation.SetAuditProcedure, Model.TenantContext.SetCrossTenantAuditProcedure);
        Assert.Equal(TenantIsolation.AuditTable, Model.TenantContext.CrossTenantAuditTable);
        Assert.Equal(TenantProof.ProofSetting, Model.TenantContext.TenantProofSetting);
        Assert.Equal(TenantProof.SetProofProcedure, Model.TenantContext.SetTenantProofProcedure);
        Assert.Equal(TenantProof.KeyTable, Model.TenantContext.TenantKeyTable);
    }

    [Fact]
    public void A_proof_of_the_runtime_is_what_the_database_checks_and_no_other_tenant_or_key_fits_it()
    {
        var tenant = System.Guid.CreateVersion7();
        var expires = System.DateTimeOffset.FromUnixTimeSeconds(2_000_000_000);
        var proof = Infrastructure.TestTenantKey.Key.Sign(tenant, expires);
        Assert.Equal(Infrastructure.TestTenantKey.Proof(tenant, expires), proof);
        Assert.StartsWith($"{Infrastructure.TestTenantKey.Id}.{tenant:D}.2000000000.", proof);
        Assert.NotEqual(proof, Infrastructure.TestTenantKey.Key.Sign(System.Guid.CreateVersion7(), expires));
    }
}
