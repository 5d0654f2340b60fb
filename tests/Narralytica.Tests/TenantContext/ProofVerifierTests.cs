using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Narralytica.Runtime;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Integration;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.TenantContext;

/// <summary>
/// What <c>narralytica_proven_tenant()</c> answers, called as <c>narralytica_app</c>: the tenant of a valid proof under
/// either of two installed keys; NULL, never an error, for any text signed without the key (the attacks of
/// docs/security.md try them on the policies); and for a text a key's holder signed in a shape other than
/// <see cref="TenantKey.Sign"/>'s, never a tenant.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProofVerifierTests : DatabaseTest
{
    public ProofVerifierTests(PostgresFixture postgres) : base(postgres) { }

    private static readonly Guid Tenant = Guid.Parse("0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b");

    private static long InAnHour => DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();

    /// <summary>Signs any text with the test key, as only a key's holder can.</summary>
    private static string Signed(string text, byte[]? secret = null)
        => text + "." + Convert.ToBase64String(HMACSHA256.HashData(secret ?? TestTenantKey.Secret, Encoding.UTF8.GetBytes(text)));

    /// <summary>The function's answer under <paramref name="proof"/>, in a transaction of the application's login.</summary>
    private async Task<Guid?> VerifiedAsync(string? proof)
    {
        await using var connection = new NpgsqlConnection(AppRoleTest.AsApp(ConnectionString));
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var set = new NpgsqlCommand($"SELECT set_config('{TenantProof.ProofSetting}', $1, true)", connection, transaction))
        {
            set.Parameters.Add(new NpgsqlParameter { Value = (object?)proof ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await set.ExecuteScalarAsync();
        }
        await using var verify = new NpgsqlCommand($"SELECT {TenantProof.CurrentTenant}", connection, transaction);
        return await verify.ExecuteScalarAsync() is Guid tenant ? tenant : null;
    }

    [Fact]
    public async Task A_valid_proof_names_its_tenant_under_either_of_two_installed_keys_until_its_key_is_retired()
    {
        Assert.Equal(Tenant, await VerifiedAsync(TestTenantKey.Key.Sign(Tenant, DateTimeOffset.UtcNow.AddMinutes(10))));

        var secret = RandomNumberGenerator.GetBytes(32);
        var second = new TenantKey("rotation-key", secret);
        await PostgresFixture.ExecuteAsync(ConnectionString, TenantProof.InstallKey(second.Id, Convert.ToBase64String(secret), 1));
        var proof = second.Sign(Tenant, DateTimeOffset.UtcNow.AddMinutes(10));
        Assert.Equal(Tenant, await VerifiedAsync(proof));
        Assert.Equal(Tenant, await VerifiedAsync(TestTenantKey.Key.Sign(Tenant, DateTimeOffset.UtcNow.AddMinutes(10))));

        await PostgresFixture.ExecuteAsync(ConnectionString, TenantProof.RetireKey(second.Id));
        Assert.Null(await VerifiedAsync(proof));
    }

    [Fact]
    public async Task Any_text_signed_without_the_key_is_no_tenant_and_no_error()
    {
        var valid = TestTenantKey.Proof(Tenant);
        var signature = valid[^44..];
        var texts = new List<string?>
        {
            null, "", ".", "....", "garbage", new string('.', 200), valid[..^1], valid + "=", valid + "A", valid[..^45], valid[..^44],
            valid[..^44] + new string('*', 43) + "=", // a signature that is not base64
            valid[..^44] + "%%%%" + signature[4..], // one that is not base64, of the right length
            valid[..^45] + ":" + signature, // no dot before the signature
            TestTenantKey.Proof(Tenant, secret: RandomNumberGenerator.GetBytes(32)),
            $"{TestTenantKey.Id}.{Tenant}.{InAnHour}.{Convert.ToBase64String(RandomNumberGenerator.GetBytes(64))}", // a signature of 64 bytes
            $"{TestTenantKey.Id}.{Tenant}.{InAnHour}.x.{signature}", // an extra dot
            $"{TestTenantKey.Id}.not-a-tenant.{InAnHour}.{signature}",
            $"{TestTenantKey.Id}.{Tenant}.99999999999999999999999999.{signature}", // an expiry past bigint
            $"{TestTenantKey.Id}.{Tenant}.{InAnHour}.{signature}".Replace(TestTenantKey.Id, "no-such-key", StringComparison.Ordinal),
            $"{TestTenantKey.Id}.{Tenant}.{InAnHour}.ü€𝄞.{signature}", // text beyond ASCII
            TestTenantKey.Id + "." + new string('A', 1_000_000) + "." + signature, // a huge text under a key id that exists
            new string('x', 45),
        };
        foreach (var text in texts)
            Assert.Null(await VerifiedAsync(text));
    }

    [Fact]
    public async Task A_text_a_key_holder_signed_in_another_shape_than_tenant_key_signs_is_no_tenant()
    {
        var expiry = InAnHour.ToString(CultureInfo.InvariantCulture);
        var shapes = new[]
        {
            $"{TestTenantKey.Id}.{Tenant}.{expiry}.extra", // a fourth part
            $"{TestTenantKey.Id}.{Tenant}.{expiry}.", // a trailing dot
            $"{TestTenantKey.Id}.{Tenant.ToString("D").ToUpperInvariant()}.{expiry}", // the tenant spelled otherwise
            $"{TestTenantKey.Id}.{Tenant:N}.{expiry}",
            $"{TestTenantKey.Id}.{{{Tenant}}}.{expiry}",
            $"{TestTenantKey.Id}.{Tenant}.0{expiry}", // the expiry spelled otherwise
            $"{TestTenantKey.Id}.{Tenant}.+{expiry}",
            $"{TestTenantKey.Id}.{Tenant}. {expiry}",
            $"{TestTenantKey.Id}.{Tenant}.{expiry}.{Tenant}",
            $"{TestTenantKey.Id}.not-a-tenant.{expiry}", // not a uuid at all
            $"{TestTenantKey.Id}.{Tenant}.soon", // not a number
            $"{TestTenantKey.Id}.{Tenant}.99999999999999999999", // past bigint
            $"{TestTenantKey.Id}.{Tenant}", // no expiry
            $"{TestTenantKey.Id}..{expiry}",
        };
        foreach (var shape in shapes)
        {
            // The shape's signature is valid, so only now is the text read: refused (NULL), or a cast that fails, an
            // error only a key's holder can cause.
            try
            {
                Assert.Null(await VerifiedAsync(Signed(shape)));
            }
            catch (PostgresException error) when (error.SqlState is PostgresErrorCodes.InvalidTextRepresentation or PostgresErrorCodes.NumericValueOutOfRange)
            {
            }
        }
        Assert.Equal(Tenant, await VerifiedAsync(Signed($"{TestTenantKey.Id}.{Tenant}.{expiry}"))); // the shape TenantKey.Sign writes
    }
}
