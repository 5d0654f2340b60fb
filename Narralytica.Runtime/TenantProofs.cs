using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Npgsql;

namespace Narralytica.Runtime;

/// <summary>
/// Mints the proofs a data source's connections give the database for their tenant (<see cref="TenantKey.Sign"/>:
/// <c>{key id}.{tenant}.{expiry}.{signature}</c>, the signature being the base64 HMAC-SHA256 of the text before it, which the
/// database's <c>narralytica_proven_tenant()</c> checks the same way). A proof is valid for <see cref="Lifetime"/> and reused per tenant until half of it is gone, so a
/// statement costs a dictionary lookup, not an HMAC. One per data source made with keys (<c>NarralyticaDb.CreateDataSource</c>).
/// </summary>
internal sealed class TenantProofs
{
    /// <summary>How long a proof is valid: the database refuses it afterwards, so a leaked proof is worth little for long.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private static readonly ConditionalWeakTable<NpgsqlDataSource, TenantProofs> ByDataSource = new();

    private readonly TenantKey[] _keys;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<Guid, Minted> _minted = new();

    public TenantProofs(IEnumerable<TenantKey> keys, TimeProvider? clock = null)
    {
        // The newest active key signs: keys without a start first, then by start.
        _keys = keys.OrderBy(k => k.ActiveFrom ?? DateTimeOffset.MinValue).ToArray();
        if (_keys.Length == 0)
            throw new ArgumentException("Give the data source at least one tenant key.", nameof(keys));
        if (_keys.Select(k => k.Id).Distinct(StringComparer.Ordinal).Count() != _keys.Length)
            throw new ArgumentException("Two tenant keys have the same id; each key needs its own.", nameof(keys));
        _clock = clock ?? TimeProvider.System;
    }

    public static void Register(NpgsqlDataSource dataSource, TenantProofs proofs) => ByDataSource.AddOrUpdate(dataSource, proofs);

    public static TenantProofs? Of(NpgsqlDataSource dataSource) => ByDataSource.TryGetValue(dataSource, out var proofs) ? proofs : null;

    /// <summary>A proof for <paramref name="tenant"/> valid for at least half of <see cref="Lifetime"/>.</summary>
    public string For(Guid tenant)
    {
        var now = _clock.GetUtcNow();
        if (_minted.TryGetValue(tenant, out var minted) && minted.RenewAt > now)
            return minted.Proof;
        var proof = SigningKey(now).Sign(tenant, now + Lifetime);
        _minted[tenant] = new Minted(proof, now + Lifetime / 2);
        return proof;
    }

    private TenantKey SigningKey(DateTimeOffset now)
    {
        var active = _keys.LastOrDefault(k => k.ActiveFrom is null || k.ActiveFrom <= now);
        return active ?? throw new InvalidOperationException(
            $"No tenant key of this data source is active yet (the first, {_keys[0].Id}, starts at {_keys[0].ActiveFrom:u}); give it a key that is active now.");
    }

    private sealed record Minted(string Proof, DateTimeOffset RenewAt);
}
