using System.Collections.Generic;

namespace Narralytica.Schema.Sql;

/// <summary>
/// The signed tenant: the database accepts a transaction's tenant only with a proof the application minted. A proof
/// is <c>{key id}.{tenant uuid}.{expiry, unix seconds}.{signature}</c>, the signature being the base64 HMAC-SHA256 of
/// the text before it under a key of <see cref="KeyTable"/>. The data layer puts it in <see cref="ProofSetting"/> for
/// one transaction; the <c>tenant_isolation</c> policies take their tenant from <see cref="VerifyFunction"/>, which
/// checks the proof once per statement (a scalar subquery: an InitPlan) and returns its tenant, or NULL when the proof
/// is missing, malformed, expired, signed with an unknown or expired key, or signed wrongly (<see cref="VerifyBody"/>
/// checks the signature before it reads anything else). Whatever SQL the
/// application login sends, it can name no tenant it holds no proof for: the key table is readable by its owner only,
/// and the function runs as that owner with a pinned search path.
/// </summary>
public static class TenantProof
{
    /// <summary>The transaction-local setting holding the proof of the current tenant.</summary>
    public const string ProofSetting = "narralytica.tenant_proof";

    /// <summary>The signing keys: no grants to anyone; the owner installs and retires keys.</summary>
    public const string KeyTable = "narralytica_tenant_keys";

    /// <summary>The tenant of the proof in <see cref="ProofSetting"/> if it is valid now, else NULL.</summary>
    public const string VerifyFunction = "narralytica_proven_tenant";

    /// <summary>Sets <see cref="ProofSetting"/> for the current transaction (a procedure: a CALL returns no result set).</summary>
    public const string SetProofProcedure = "narralytica_set_tenant_proof";

    /// <summary>The extension whose <c>hmac()</c> checks the signature.</summary>
    public const string Extension = "pgcrypto";

    /// <summary>The current transaction's proven tenant, once per statement (an InitPlan, usable as an index condition).</summary>
    public const string CurrentTenant = "(SELECT " + VerifyFunction + "())";

    /// <summary>The <c>tenant_isolation</c> condition under signed tenants.</summary>
    public const string TenantCondition = "tenant_id = " + CurrentTenant;

    public const string CreateExtension = "CREATE EXTENSION IF NOT EXISTS " + Extension + ";";

    public const string CreateKeyTable = "CREATE TABLE " + KeyTable + " (\n" +
                                         "    id text NOT NULL,\n" +
                                         "    secret bytea NOT NULL,\n" +
                                         "    created_at timestamp with time zone NOT NULL DEFAULT now(),\n" +
                                         "    expires_at timestamp with time zone NOT NULL,\n" +
                                         "    CONSTRAINT pk_" + KeyTable + " PRIMARY KEY (id),\n" +
                                         "    CONSTRAINT ck_" + KeyTable + "_id CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),\n" +
                                         "    CONSTRAINT ck_" + KeyTable + "_secret CHECK (length(secret) >= 32)\n" +
                                         ");";

    public const string CommentOnKeyTable = "COMMENT ON TABLE " + KeyTable + " IS 'Keys that sign tenant proofs (HMAC-SHA256). Readable by the owner only; " +
                                            "a proof signed with a key is accepted until the key expires.';";

    public const string CreateSetProof = "CREATE PROCEDURE " + SetProofProcedure + "(proof text) LANGUAGE sql AS $$ SELECT set_config('" +
                                         ProofSetting + "', coalesce(proof, ''), true) $$;";

    /// <summary>
    /// The verifying function's body: the signature first. Whatever the setting holds, the function reads only the key
    /// id before the signature is checked: the text up to the last 45 characters is what was signed, the key named by its
    /// first part must exist and be unexpired, and the 45 characters must be a dot and the base64 HMAC-SHA256 of the
    /// signed text under that key (compared as text, so a signature that is not base64, or of another length, is simply
    /// unequal). Nothing in that path can fail: no cast, no decode, so any text an attacker can write returns NULL. Only
    /// then are the expiry (against the statement's time) and the tenant read, and the signed text must read back
    /// exactly as <c>TenantKey.Sign</c> writes it (key id, the tenant as uuid prints it, the expiry as bigint prints it),
    /// so a text a key's holder signed in another shape is refused too (or fails a cast, which only a key's holder can
    /// make happen). This replaced a body that checked the format with three regular expressions before the signature,
    /// about 5 µs of server CPU dearer per statement (docs/tenant-safety.md, "What was tried on the verifier").
    /// </summary>
    public const string VerifyBody =
        "DECLARE\n" +
        "    proof text := current_setting('" + ProofSetting + "', true);\n" +
        "    signed text := left(proof, -45);\n" +
        "    key bytea;\n" +
        "BEGIN\n" +
        "    SELECT k.secret INTO key FROM " + KeyTable + " k WHERE k.id = split_part(signed, '.', 1) AND k.expires_at > statement_timestamp();\n" +
        "    IF key IS NULL\n" +
        "       OR '.' || encode(hmac(convert_to(signed, 'UTF8'), key, 'sha256'), 'base64') <> substr(proof, length(proof) - 44)\n" +
        "       OR split_part(signed, '.', 3)::bigint <= extract(epoch FROM statement_timestamp())\n" +
        "       OR signed <> split_part(signed, '.', 1) || '.' || split_part(signed, '.', 2)::uuid || '.' || split_part(signed, '.', 3)::bigint THEN\n" +
        "        RETURN NULL;\n" +
        "    END IF;\n" +
        "    RETURN split_part(signed, '.', 2)::uuid;\n" +
        "END\n";

    /// <summary>
    /// CREATE FUNCTION of <see cref="VerifyFunction"/>: SECURITY DEFINER (it reads the key table as its owner), STABLE,
    /// and with its search path pinned to pg_catalog, the schema it is created in, the schema holding pgcrypto (when
    /// another) and pg_temp last, so that no object of the caller's making is found before its own. The schema names
    /// are only known where the migration runs: the statement reads them there (current_schema(), pg_extension). OR REPLACE,
    /// so that drift can restore a changed definition in place (the policies depend on the function).
    /// </summary>
    public const string CreateVerifyFunction =
        "DO $$ BEGIN EXECUTE format(" +
        "'CREATE OR REPLACE FUNCTION " + VerifyFunction + "() RETURNS uuid LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = %s AS %L', " +
        "concat_ws(', ', 'pg_catalog', quote_ident(current_schema()), " +
        "(SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = '" + Extension + "' AND n.nspname <> current_schema()), " +
        "'pg_temp'), " +
        "$body$" + VerifyBody + "$body$); END $$;";

    public const string CommentOnVerifyFunction = "COMMENT ON FUNCTION " + VerifyFunction + "() IS 'The tenant of the proof in " + ProofSetting +
                                                  " if its signature, key and expiry are valid now, else NULL. The tenant_isolation policies read it.';";

    public const string DropVerifyFunction = "DROP FUNCTION " + VerifyFunction + "();";
    public const string DropSetProof = "DROP PROCEDURE " + SetProofProcedure + "(text);";
    public const string DropKeyTable = "DROP TABLE " + KeyTable + ";";

    /// <summary>Everything signed tenants need, before any policy names the function. The extension is left to the database (others may use it).</summary>
    public static IReadOnlyList<string> Create()
        => new[] { CreateExtension, CreateKeyTable, CommentOnKeyTable, CreateSetProof, CreateVerifyFunction, CommentOnVerifyFunction };

    /// <summary>The reverse of <see cref="Create"/>, once no policy names the function; the keys go with their table.</summary>
    public static IReadOnlyList<string> Drop() => new[] { DropVerifyFunction, DropSetProof, DropKeyTable };

    /// <summary>Installs a key (as the owner): <paramref name="secretBase64"/> is its secret, accepted for <paramref name="validDays"/> days.</summary>
    public static string InstallKey(string keyId, string secretBase64, int validDays)
        => $"INSERT INTO {KeyTable} (id, secret, expires_at) VALUES ({SqlIdentifier.Literal(keyId)}, decode({SqlIdentifier.Literal(secretBase64)}, 'base64'), now() + interval '{validDays} days');";

    /// <summary>Retires a key now: proofs signed with it are refused from the next statement on.</summary>
    public static string RetireKey(string keyId) => $"UPDATE {KeyTable} SET expires_at = now() WHERE id = {SqlIdentifier.Literal(keyId)};";
}
