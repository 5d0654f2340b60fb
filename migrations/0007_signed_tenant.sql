-- Narralytica migration 0007_signed_tenant
-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.
--
-- Changes:
--   create the signed tenant: table narralytica_tenant_keys, function narralytica_proven_tenant, procedure narralytica_set_tenant_proof (extension pgcrypto)
--   policy tenant_isolation on memberships: the tenant of a verified proof
--   policy tenant_isolation on tenant_configs: the tenant of a verified proof
--   policy tenant_isolation on videos: the tenant of a verified proof
--   policy tenant_isolation on transcripts: the tenant of a verified proof
--   policy tenant_isolation on speakers: the tenant of a verified proof
--   policy tenant_isolation on segments: the tenant of a verified proof
--   policy tenant_isolation on layers: the tenant of a verified proof
--   policy tenant_isolation on jobs: the tenant of a verified proof
--   policy tenant_isolation on pipeline_checkpoints: the tenant of a verified proof
--   policy tenant_isolation on event_logs: the tenant of a verified proof
--   policy tenant_isolation on audit_logs: the tenant of a verified proof

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE narralytica_tenant_keys (
    id text NOT NULL,
    secret bytea NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_narralytica_tenant_keys PRIMARY KEY (id),
    CONSTRAINT ck_narralytica_tenant_keys_id CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
    CONSTRAINT ck_narralytica_tenant_keys_secret CHECK (length(secret) >= 32)
);

COMMENT ON TABLE narralytica_tenant_keys IS 'Keys that sign tenant proofs (HMAC-SHA256). Readable by the owner only; a proof signed with a key is accepted until the key expires.';

CREATE PROCEDURE narralytica_set_tenant_proof(proof text) LANGUAGE sql AS $$ SELECT set_config('narralytica.tenant_proof', coalesce(proof, ''), true) $$;

DO $$ BEGIN EXECUTE format('CREATE OR REPLACE FUNCTION narralytica_proven_tenant() RETURNS uuid LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = %s AS %L', concat_ws(', ', 'pg_catalog', quote_ident(current_schema()), (SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pgcrypto' AND n.nspname <> current_schema()), 'pg_temp'), $body$DECLARE
    parts text[] := string_to_array(current_setting('narralytica.tenant_proof', true), '.');
    key bytea;
BEGIN
    IF array_length(parts, 1) IS DISTINCT FROM 4
       OR parts[2] !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
       OR parts[3] !~ '^[0-9]{1,12}$'
       OR parts[4] !~ '^[A-Za-z0-9+/]{43}=$'
       OR parts[3]::bigint <= extract(epoch FROM statement_timestamp()) THEN
        RETURN NULL;
    END IF;
    SELECT k.secret INTO key FROM narralytica_tenant_keys k WHERE k.id = parts[1] AND k.expires_at > statement_timestamp();
    IF key IS NULL OR hmac(convert_to(parts[1] || '.' || parts[2] || '.' || parts[3], 'UTF8'), key, 'sha256'::text) <> decode(parts[4], 'base64') THEN
        RETURN NULL;
    END IF;
    RETURN parts[2]::uuid;
END
$body$); END $$;

COMMENT ON FUNCTION narralytica_proven_tenant() IS 'The tenant of the proof in narralytica.tenant_proof if its signature, key and expiry are valid now, else NULL. The tenant_isolation policies read it.';

DROP POLICY tenant_isolation ON memberships;

DROP POLICY tenant_isolation ON tenant_configs;

DROP POLICY tenant_isolation ON videos;

DROP POLICY tenant_isolation ON transcripts;

DROP POLICY tenant_isolation ON speakers;

DROP POLICY tenant_isolation ON segments;

DROP POLICY tenant_isolation ON layers;

DROP POLICY tenant_isolation ON jobs;

DROP POLICY tenant_isolation ON pipeline_checkpoints;

DROP POLICY tenant_isolation ON event_logs;

DROP POLICY tenant_isolation ON audit_logs;

CREATE POLICY tenant_isolation ON memberships USING (tenant_id = (SELECT narralytica_proven_tenant())) WITH CHECK (tenant_id = (SELECT narralytica_proven_tenant()));

CREATE POLICY tenant_isolation ON tenant_configs USING (tenant_id = (SELECT narralytica_proven_tenant())) WITH CHECK (tenant_id = (SELECT narralytica_proven_tenant()));

CREATE POLICY tenant_isolation ON videos USING (tenant_id = (SELECT narralytica_proven_tenant())) WITH CHECK (tenant_id = (SELECT narralytica_proven_tenant()));

CREATE POLICY tenant_isolation ON transcripts USING (tenant_id = (SELECT narralytica_proven_tenant())) WITH CHECK (tenant_id = (SELECT narralytica_proven_tenant()));

CREATE POLICY tenant_isolation ON speakers USING (tenant_id = (SELECT narralytica_proven_tenant())) WITH CHECK (tenant_id = (SELECT narralytica_proven_tenant()));

CREATE POLICY tenant_isolation ON segments USING (tenant_id = (SELECT narralytica_proven_tenant())) WITH CHECK (tenant_id = (SELECT narralytica_proven_tenant()));

CREATE POLICY tenant_isolation ON layers USING (tenant_id = (SELECT narralytica_proven_tenant())) WITH CHECK (tenant_id = (SELECT narralytica_proven_tenant()));

CREATE POLICY tenant_isolation ON jobs USING (tenant_id = (SELECT narralytica_proven_tenant())) WITH CHECK (tenant_id = (SELECT narralytica_proven_tenant()));

CREATE POLICY tenant_isolation ON pipeline_checkpoints USING (tenant_id = (SELECT narralytica_proven_tenant())) WITH CHECK (tenant_id = (SELECT narralytica_proven_tenant()));

CREATE POLICY tenant_isolation ON event_logs USING (tenant_id = (SELECT narralytica_proven_tenant())) WITH CHECK (tenant_id = (SELECT narralytica_proven_tenant()));

CREATE POLICY tenant_isolation ON audit_logs USING (tenant_id = (SELECT narralytica_proven_tenant())) WITH CHECK (tenant_id = (SELECT narralytica_proven_tenant()));
