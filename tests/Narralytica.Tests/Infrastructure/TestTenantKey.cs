using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Tests.Infrastructure;

/// <summary>
/// The tenant key of the test databases: installed in the template (so in every database cloned from it) and in every
/// schema the tests migrate themselves, and given to every data source the tests make, as an application's would be.
/// </summary>
public static class TestTenantKey
{
    public const string Id = "test-key";

    public static byte[] Secret { get; } = SHA256.HashData(Encoding.UTF8.GetBytes("the tenant key of the Narralytica tests"));

    public static TenantKey Key { get; } = new(Id, Secret);

    /// <summary>The owner's INSERT of the key into the current schema's key table, valid for ten years.</summary>
    public static string InstallSql { get; } = TenantProof.InstallKey(Id, Convert.ToBase64String(Secret), 3650);

    /// <summary>A data layer data source that signs its tenants' proofs with the test key.</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, Action<NpgsqlDataSourceBuilder>? configure = null, string? schema = null)
        => NarralyticaDb.CreateDataSource(connectionString, Key, configure, schema);

    /// <summary>
    /// A proof of <paramref name="tenant"/> as the database expects it, minted here independently of the data layer (so the
    /// tests also check that both agree on its form): valid for an hour unless <paramref name="expires"/> says otherwise,
    /// signed with the test key unless another id or secret is given (a forgery).
    /// </summary>
    public static string Proof(Guid tenant, DateTimeOffset? expires = null, string keyId = Id, byte[]? secret = null)
    {
        var until = (expires ?? DateTimeOffset.UtcNow.AddHours(1)).ToUnixTimeSeconds();
        var signed = $"{keyId}.{tenant:D}.{until}";
        return signed + "." + Convert.ToBase64String(HMACSHA256.HashData(secret ?? Secret, Encoding.UTF8.GetBytes(signed)));
    }

    /// <summary>Installs the key in the first schema of <paramref name="connectionString"/>'s search path (as a superuser or the owner).</summary>
    public static Task InstallAsync(string connectionString) => PostgresFixture.ExecuteAsync(connectionString, InstallSql);
}
