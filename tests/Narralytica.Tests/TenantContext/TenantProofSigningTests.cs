using Xunit;

namespace Narralytica.Tests.TenantContext;

/// <summary>A proof the runtime signs is the HMAC-SHA256 of key id, tenant and expiry that the database verifies, and fits no other tenant.</summary>
public sealed class TenantProofSigningTests
{
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
