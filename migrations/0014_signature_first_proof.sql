-- Narralytica migration 0014_signature_first_proof
-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.
--
-- Changes:
--   replace function narralytica_proven_tenant: it checks a proof's signature before reading anything else of it (the same proofs accepted, for less work per statement)

DO $$ BEGIN EXECUTE format('CREATE OR REPLACE FUNCTION narralytica_proven_tenant() RETURNS uuid LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = %s AS %L', concat_ws(', ', 'pg_catalog', quote_ident(current_schema()), (SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pgcrypto' AND n.nspname <> current_schema()), 'pg_temp'), $body$DECLARE
    proof text := current_setting('narralytica.tenant_proof', true);
    signed text := left(proof, -45);
    key bytea;
BEGIN
    SELECT k.secret INTO key FROM narralytica_tenant_keys k WHERE k.id = split_part(signed, '.', 1) AND k.expires_at > statement_timestamp();
    IF key IS NULL
       OR '.' || encode(hmac(convert_to(signed, 'UTF8'), key, 'sha256'), 'base64') <> substr(proof, length(proof) - 44)
       OR split_part(signed, '.', 3)::bigint <= extract(epoch FROM statement_timestamp())
       OR signed <> split_part(signed, '.', 1) || '.' || split_part(signed, '.', 2)::uuid || '.' || split_part(signed, '.', 3)::bigint THEN
        RETURN NULL;
    END IF;
    RETURN split_part(signed, '.', 2)::uuid;
END
$body$); END $$;
