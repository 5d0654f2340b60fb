using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Narralytica.Tests.Infrastructure;
using Npgsql;

namespace Narralytica.Tests.Attacks;

/// <summary>
/// Attacks on the signed tenant: SQL of the application's login (an injected statement) that tries to name a tenant it
/// holds no valid proof for. The attacker holds what a request of tenant B holds: a valid proof of B. It does not hold
/// the key, which stays in the application's configuration and the owner's table.
/// </summary>
public static partial class AttackCatalogue
{
    private const string ProofGoal = "name another tenant without the key";

    private static IEnumerable<Attack> Proof()
    {
        yield return new Attack("proof-wrong-key", ProofGoal, Sql,
            "Sets a proof of A signed with a secret of its own under the installed key id, then under an id no key has",
            "narralytica_proven_tenant(): the HMAC does not match, the key id is unknown",
            async run =>
            {
                var guessed = RandomNumberGenerator.GetBytes(32);
                var seen = await SegmentsWithProofAsync(run, TestTenantKey.Proof(run.TenantA, secret: guessed))
                           + await SegmentsWithProofAsync(run, TestTenantKey.Proof(run.TenantA, keyId: "attacker-key", secret: guessed));
                AttackRun.Expect(seen == 0, $"{seen} rows");
                return "0 rows with either forgery";
            });

        yield return new Attack("proof-altered-tenant", ProofGoal, Sql,
            "Takes its valid proof of B and puts A's id in it, keeping the signature",
            "the signature covers the tenant",
            async run =>
            {
                var forged = TestTenantKey.Proof(run.TenantB).Replace(run.TenantB.ToString("D"), run.TenantA.ToString("D"), StringComparison.Ordinal);
                var seen = await SegmentsWithProofAsync(run, forged);
                AttackRun.Expect(seen == 0, $"{seen} rows");
                return "0 rows";
            });

        yield return new Attack("proof-expired", ProofGoal, Sql,
            "Replays a proof of A the application minted earlier, now expired, as it is and with its expiry moved into the future",
            "the expiry is checked against the statement's time, and signed",
            async run =>
            {
                var expired = TestTenantKey.Proof(run.TenantA, DateTimeOffset.UtcNow.AddMinutes(-1));
                var parts = expired.Split('.');
                parts[2] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
                var seen = await SegmentsWithProofAsync(run, expired) + await SegmentsWithProofAsync(run, string.Join('.', parts));
                AttackRun.Expect(seen == 0, $"{seen} rows");
                return "0 rows either way";
            });

        yield return new Attack("proof-malformed", ProofGoal, Sql,
            "Sets texts shaped to trip the verifier before or instead of its signature check: B's proof truncated or lengthened, its signature replaced by text that is not base64, a signature of 64 bytes, A's id with an extra dot, a non-uuid tenant, an expiry past bigint, text beyond ASCII, a megabyte under the installed key id, dots only",
            "the verifier checks the signature before it reads or casts anything else; a text that fails it is no tenant, whatever it holds",
            async run =>
            {
                var own = TestTenantKey.Proof(run.TenantB);
                var signature = own[^44..];
                var expiry = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
                var texts = new[]
                {
                    own[..^1], own + "A", own[..^45], own[..^44] + new string('*', 43) + "=", own[..^44] + "%%%%" + signature[4..], own[..^45] + ":" + signature,
                    $"{TestTenantKey.Id}.{run.TenantA}.{expiry}.{Convert.ToBase64String(RandomNumberGenerator.GetBytes(64))}",
                    $"{TestTenantKey.Id}.{run.TenantA}.{expiry}.x.{signature}", $"{TestTenantKey.Id}.not-a-tenant.{expiry}.{signature}",
                    $"{TestTenantKey.Id}.{run.TenantA}.99999999999999999999999999.{signature}", $"{TestTenantKey.Id}.{run.TenantA}.{expiry}.ü€𝄞.{signature}",
                    TestTenantKey.Id + "." + new string('A', 1_000_000) + "." + signature, new string('.', 200), "",
                };
                var seen = 0L;
                foreach (var text in texts)
                    seen += await SegmentsWithProofAsync(run, text);
                AttackRun.Expect(seen == 0, $"{seen} rows");
                return $"0 rows for each of {texts.Length} texts, none an error";
            });

        yield return new Attack("proof-switch-in-transaction", ProofGoal, Sql,
            "Inside a transaction that holds B's valid proof, sets the proof setting to a forged proof of A and reads",
            "every statement verifies the proof it runs under",
            async run =>
            {
                var (before, after) = await run.AsAppAsync(run.TenantB, async connection =>
                {
                    var own = await AttackRun.ScalarAsync<long>(connection, "SELECT count(*) FROM segments");
                    await AttackRun.ScalarAsync<string>(connection, "SELECT set_config('narralytica.tenant_proof', $1, true)", ForgedProofOfA(run));
                    return (own, await AttackRun.ScalarAsync<long>(connection, "SELECT count(*) FROM segments"));
                });
                AttackRun.Expect(before > 0 && after == 0, $"{before} rows before the switch, {after} after");
                return $"{before} of B's rows before the switch, 0 rows after";
            });

        yield return new Attack("proof-switch-in-statement", ProofGoal, Sql,
            "With B's valid proof set, one SELECT sets a forged proof of A in its select list (while rows are read), another before they are read",
            "the proof is verified once per statement (an InitPlan), before any row",
            async run =>
            {
                var forged = ForgedProofOfA(run);
                var (during, before) = await run.AsAppAsync(run.TenantB, async connection =>
                {
                    var whileReading = await AttackRun.ScalarAsync<long>(connection,
                        "SELECT count(*) FROM (SELECT set_config('narralytica.tenant_proof', $1, true), s.tenant_id FROM segments s) r WHERE r.tenant_id = $2", forged, run.TenantA);
                    var first = await AttackRun.ScalarAsync<long>(connection,
                        "SELECT count(*) FROM (SELECT set_config('narralytica.tenant_proof', $1, true) OFFSET 0) p, segments s WHERE s.tenant_id = $2", forged, run.TenantA);
                    return (whileReading, first);
                });
                AttackRun.Expect(during == 0 && before == 0, $"{during} of A's rows while reading, {before} when set first");
                return "0 of A's rows either way";
            });

        yield return new Attack("key-table-read", ProofGoal, Sql,
            "Reads the signing keys, then tries to install a key of its own",
            "no grant on narralytica_tenant_keys",
            async run =>
            {
                var read = await AttackRun.RefusedAsync(() => run.CountAsync(null, "SELECT count(*) FROM narralytica_tenant_keys"), PostgresErrorCodes.InsufficientPrivilege);
                var write = await AttackRun.RefusedAsync(() => run.ExecuteAsync(null,
                    "INSERT INTO narralytica_tenant_keys (id, secret, expires_at) VALUES ('attacker-key', $1, now() + interval '1 day')", RandomNumberGenerator.GetBytes(32)),
                    PostgresErrorCodes.InsufficientPrivilege);
                return $"SELECT {read}; INSERT {write}";
            });

        yield return new Attack("verify-function-oracle", ProofGoal, Sql,
            "Calls narralytica_proven_tenant() under forged proofs and reads its definition, looking for the key or a hint",
            "it answers NULL for anything but a valid proof; the key is in the table, not the function",
            async run =>
            {
                var answers = new List<string?>();
                foreach (var forged in new[] { ForgedProofOfA(run), "garbage", TestTenantKey.Id + ".x.y.z" })
                    answers.Add(await run.AsAppAsync<string?>(null, async connection =>
                    {
                        await AttackRun.ScalarAsync<string>(connection, "SELECT set_config('narralytica.tenant_proof', $1, true)", forged);
                        return await AttackRun.ScalarAsync<object>(connection, "SELECT narralytica_proven_tenant()::text") as string;
                    }));
                var definition = await run.AsAppAsync<string>(null, connection => AttackRun.ScalarAsync<string>(connection, "SELECT pg_get_functiondef('narralytica_proven_tenant'::regproc)"));
                AttackRun.Expect(answers.TrueForAll(a => a is null) && !definition.Contains(Convert.ToBase64String(TestTenantKey.Secret), StringComparison.Ordinal),
                    $"answers {string.Join(", ", answers)}");
                return "NULL for each forgery; its definition holds no key";
            });

        yield return new Attack("verify-function-redefined", ProofGoal, Sql,
            "Replaces narralytica_proven_tenant() with one that returns A, and makes it SECURITY INVOKER",
            "only its owner may change it",
            async run =>
            {
                var replace = await AttackRun.RefusedAsync(() => run.ExecuteAsync(null,
                    $"CREATE OR REPLACE FUNCTION narralytica_proven_tenant() RETURNS uuid LANGUAGE sql AS $$ SELECT '{run.TenantA}'::uuid $$"),
                    PostgresErrorCodes.InsufficientPrivilege);
                var alter = await AttackRun.RefusedAsync(() => run.ExecuteAsync(null, "ALTER FUNCTION narralytica_proven_tenant() SECURITY INVOKER"),
                    PostgresErrorCodes.InsufficientPrivilege);
                return $"CREATE OR REPLACE {replace}; ALTER {alter}";
            });

        yield return new Attack("verify-function-shadowed", ProofGoal, Sql,
            "Creates a temporary function narralytica_proven_tenant() returning A and a temporary key table holding a key of its own, then puts pg_temp first on its search path and reads with a proof signed by a key of its own",
            "narralytica_app may create nothing in pg_temp (TEMPORARY is the owner's alone); the policies name the function itself, not a name to look up; the function's search path is pinned with pg_temp last",
            async run =>
            {
                var function = await AttackRun.RefusedAsync(() => run.ExecuteAsync(null,
                    $"CREATE FUNCTION pg_temp.narralytica_proven_tenant() RETURNS uuid LANGUAGE sql AS $$ SELECT '{run.TenantA}'::uuid $$"), PostgresErrorCodes.InsufficientPrivilege);
                var table = await AttackRun.RefusedAsync(() => run.ExecuteAsync(null,
                    "CREATE TEMPORARY TABLE narralytica_tenant_keys (id text, secret bytea, created_at timestamptz DEFAULT now(), expires_at timestamptz)"), PostgresErrorCodes.InsufficientPrivilege);
                var seen = await run.AsAppAsync<long>(null, async connection =>
                {
                    await AttackRun.ExecuteAsync(connection, "SET LOCAL search_path = pg_temp, public");
                    await AttackRun.ScalarAsync<string>(connection, "SELECT set_config('narralytica.tenant_proof', $1, true)", ForgedProofOfA(run));
                    return await AttackRun.ScalarAsync<long>(connection, "SELECT count(*) FROM public.segments");
                });
                AttackRun.Expect(seen == 0, $"{seen} rows");
                return WithoutDatabaseName(run, $"temporary function {function}; temporary table {table}; pg_temp first with a proof of its own: 0 rows");
            });
    }

    /// <summary>A's id in a proof shaped like a valid one, signed with a secret the attacker made up.</summary>
    private static string ForgedProofOfA(AttackRun run) => TestTenantKey.Proof(run.TenantA, secret: RandomNumberGenerator.GetBytes(32));

    /// <summary>Every segment the application role sees in a transaction whose proof setting is <paramref name="proof"/>.</summary>
    private static Task<long> SegmentsWithProofAsync(AttackRun run, string proof)
        => run.AsAppAsync<long>(null, async connection =>
        {
            await AttackRun.ScalarAsync<string>(connection, "SELECT set_config('narralytica.tenant_proof', $1, true)", proof);
            return await AttackRun.ScalarAsync<long>(connection, "SELECT count(*) FROM segments");
        });
}
