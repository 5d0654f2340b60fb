using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Narralytica.Runtime;

/// <summary>
/// A key that signs tenant proofs (HMAC-SHA256): the id and secret <c>narralytica tenant-key new</c> printed, installed
/// in the database's <c>narralytica_tenant_keys</c> by its owner. The application holds it in its configuration (a secret
/// store); it never reads it from the database, which does not let it.
/// </summary>
public sealed class TenantKey
{
    /// <param name="id">The key id, as installed (letters, digits, '_' and '-', at most 64).</param>
    /// <param name="secret">The secret, at least 32 bytes.</param>
    /// <param name="activeFrom">
    /// When the data layer starts signing with this key (null: now). For a rotation, give the data source the old key and
    /// the new one with a time after which the new one is installed in every database; it switches by itself.
    /// </param>
    public TenantKey(string id, byte[] secret, DateTimeOffset? activeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(secret);
        if (!IsValidId(id))
            throw new ArgumentException($"The tenant key id '{id}' is not one the database accepts: use 1 to 64 letters, digits, '_' or '-' (as `narralytica tenant-key new` prints).", nameof(id));
        if (secret.Length < 32)
            throw new ArgumentException($"The secret of tenant key '{id}' has {secret.Length} bytes; it needs at least 32 (`narralytica tenant-key new` makes one).", nameof(secret));
        Id = id;
        Secret = (byte[])secret.Clone();
        ActiveFrom = activeFrom;
    }

    /// <summary>The key id, which every proof it signs names.</summary>
    public string Id { get; }

    internal byte[] Secret { get; }

    /// <summary>When the data layer starts signing with this key; null: at once.</summary>
    public DateTimeOffset? ActiveFrom { get; }

    /// <summary>A key from its id and its base64 secret, as <c>narralytica tenant-key new</c> prints them.</summary>
    public static TenantKey FromBase64(string id, string secretBase64, DateTimeOffset? activeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(secretBase64);
        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(secretBase64);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"The secret of tenant key '{id}' is not base64; give it as `narralytica tenant-key new` printed it.", nameof(secretBase64));
        }
        return new TenantKey(id, secret, activeFrom);
    }

    /// <summary>
    /// A proof of <paramref name="tenant"/> valid until <paramref name="expires"/>, for SQL written by hand: put it in the
    /// setting <c>narralytica.tenant_proof</c> of the transaction (<c>SELECT set_config('narralytica.tenant_proof', $1, true)</c>).
    /// The data layer mints and renews its own proofs; keep these short-lived, like its (10 minutes).
    /// </summary>
    public string Sign(Guid tenant, DateTimeOffset expires)
    {
        var signed = Id + "." + tenant.ToString("D") + "." + expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return signed + "." + Convert.ToBase64String(HMACSHA256.HashData(Secret, Encoding.UTF8.GetBytes(signed)));
    }

    /// <summary>The key id only: a key printed in a log must not give its secret away.</summary>
    public override string ToString() => $"tenant key {Id}";

    /// <summary>What the key table's check accepts: 1 to 64 of ASCII letters, digits, '_' and '-' (never the proof's '.').</summary>
    public static bool IsValidId(string id)
    {
        if (id.Length is 0 or > 64)
            return false;
        foreach (var c in id)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                return false;
        return true;
    }
}
