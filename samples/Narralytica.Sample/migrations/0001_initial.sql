-- Narralytica migration 0001_initial
-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.
--
-- Changes:
--   create roles narralytica_owner and narralytica_app (if they do not exist)
--   create roles narralytica_control, narralytica_worker and narralytica_reader (if they do not exist)
--   grant USAGE on the schema to narralytica_app
--   grant USAGE on the schema to narralytica_control
--   grant USAGE on the schema to narralytica_worker
--   grant USAGE on the schema to narralytica_reader
--   create the tenant context: table narralytica_cross_tenant_audits, procedures narralytica_set_tenant and narralytica_set_cross_tenant_audit, functions narralytica_open_cross_tenant_read and narralytica_cross_tenant_read_allowed
--   create the signed tenant: table narralytica_tenant_keys, function narralytica_proven_tenant, procedure narralytica_set_tenant_proof (extension pgcrypto)
--   create enum note_status
--   create table tenants
--   create table notebooks
--   create table notes
--   take TEMPORARY on the database from PUBLIC (the owner keeps it) and pin the search path of narralytica_app, narralytica_control, narralytica_worker, narralytica_reader with pg_temp last
--   take EXECUTE on PostgreSQL's large-object functions that create or write one (lo_create, lo_creat, lo_from_bytea, lo_put, lowrite, lo_truncate, lo_truncate64) from PUBLIC
--   only the schema's owner may create objects in it: take CREATE on it from PUBLIC and every lane

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'narralytica_owner') THEN CREATE ROLE narralytica_owner NOLOGIN; END IF; END $$;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'narralytica_app') THEN CREATE ROLE narralytica_app NOLOGIN; END IF; END $$;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'narralytica_control') THEN CREATE ROLE narralytica_control NOLOGIN; END IF; END $$;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'narralytica_worker') THEN CREATE ROLE narralytica_worker NOLOGIN; END IF; END $$;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'narralytica_reader') THEN CREATE ROLE narralytica_reader NOLOGIN; END IF; END $$;

DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO narralytica_app', current_schema()); END $$;

DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO narralytica_control', current_schema()); END $$;

DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO narralytica_worker', current_schema()); END $$;

DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO narralytica_reader', current_schema()); END $$;

DO $$ BEGIN EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database()); EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO narralytica_owner', current_database()); IF has_database_privilege('narralytica_app', current_database(), 'TEMPORARY') OR has_database_privilege('narralytica_control', current_database(), 'TEMPORARY') OR has_database_privilege('narralytica_worker', current_database(), 'TEMPORARY') OR has_database_privilege('narralytica_reader', current_database(), 'TEMPORARY') THEN RAISE WARNING 'A lane role may still create temporary tables in database %: only its owner or a superuser can take TEMPORARY from PUBLIC', current_database() USING HINT = 'run `narralytica roles create` as the database''s owner or a superuser, then `narralytica drift` to confirm'; END IF; END $$;

DO $$ BEGIN EXECUTE format('ALTER ROLE narralytica_app IN DATABASE %I SET search_path = %I, pg_catalog, pg_temp', current_database(), current_schema()); EXECUTE format('ALTER ROLE narralytica_control IN DATABASE %I SET search_path = %I, pg_catalog, pg_temp', current_database(), current_schema()); EXECUTE format('ALTER ROLE narralytica_worker IN DATABASE %I SET search_path = %I, pg_catalog, pg_temp', current_database(), current_schema()); EXECUTE format('ALTER ROLE narralytica_reader IN DATABASE %I SET search_path = %I, pg_catalog, pg_temp', current_database(), current_schema()); EXCEPTION WHEN insufficient_privilege THEN RAISE WARNING 'The lane roles'' search path could not be pinned in database % (setting another role''s defaults needs CREATEROLE)', current_database() USING HINT = 'run `narralytica roles create` as the database''s owner or a superuser, then `narralytica drift` to confirm'; END $$;

DO $$ BEGIN BEGIN EXECUTE 'REVOKE EXECUTE ON FUNCTION pg_catalog.lo_create(oid), pg_catalog.lo_creat(integer), pg_catalog.lo_from_bytea(oid,bytea), pg_catalog.lo_put(oid,bigint,bytea), pg_catalog.lowrite(integer,bytea), pg_catalog.lo_truncate(integer,integer), pg_catalog.lo_truncate64(integer,bigint) FROM PUBLIC;'; EXCEPTION WHEN insufficient_privilege THEN NULL; END; IF has_function_privilege('narralytica_app', 'pg_catalog.lo_create(oid)', 'EXECUTE') OR has_function_privilege('narralytica_app', 'pg_catalog.lo_creat(integer)', 'EXECUTE') OR has_function_privilege('narralytica_app', 'pg_catalog.lo_from_bytea(oid,bytea)', 'EXECUTE') OR has_function_privilege('narralytica_app', 'pg_catalog.lo_put(oid,bigint,bytea)', 'EXECUTE') OR has_function_privilege('narralytica_app', 'pg_catalog.lowrite(integer,bytea)', 'EXECUTE') OR has_function_privilege('narralytica_app', 'pg_catalog.lo_truncate(integer,integer)', 'EXECUTE') OR has_function_privilege('narralytica_app', 'pg_catalog.lo_truncate64(integer,bigint)', 'EXECUTE') OR has_function_privilege('narralytica_control', 'pg_catalog.lo_create(oid)', 'EXECUTE') OR has_function_privilege('narralytica_control', 'pg_catalog.lo_creat(integer)', 'EXECUTE') OR has_function_privilege('narralytica_control', 'pg_catalog.lo_from_bytea(oid,bytea)', 'EXECUTE') OR has_function_privilege('narralytica_control', 'pg_catalog.lo_put(oid,bigint,bytea)', 'EXECUTE') OR has_function_privilege('narralytica_control', 'pg_catalog.lowrite(integer,bytea)', 'EXECUTE') OR has_function_privilege('narralytica_control', 'pg_catalog.lo_truncate(integer,integer)', 'EXECUTE') OR has_function_privilege('narralytica_control', 'pg_catalog.lo_truncate64(integer,bigint)', 'EXECUTE') OR has_function_privilege('narralytica_worker', 'pg_catalog.lo_create(oid)', 'EXECUTE') OR has_function_privilege('narralytica_worker', 'pg_catalog.lo_creat(integer)', 'EXECUTE') OR has_function_privilege('narralytica_worker', 'pg_catalog.lo_from_bytea(oid,bytea)', 'EXECUTE') OR has_function_privilege('narralytica_worker', 'pg_catalog.lo_put(oid,bigint,bytea)', 'EXECUTE') OR has_function_privilege('narralytica_worker', 'pg_catalog.lowrite(integer,bytea)', 'EXECUTE') OR has_function_privilege('narralytica_worker', 'pg_catalog.lo_truncate(integer,integer)', 'EXECUTE') OR has_function_privilege('narralytica_worker', 'pg_catalog.lo_truncate64(integer,bigint)', 'EXECUTE') OR has_function_privilege('narralytica_reader', 'pg_catalog.lo_create(oid)', 'EXECUTE') OR has_function_privilege('narralytica_reader', 'pg_catalog.lo_creat(integer)', 'EXECUTE') OR has_function_privilege('narralytica_reader', 'pg_catalog.lo_from_bytea(oid,bytea)', 'EXECUTE') OR has_function_privilege('narralytica_reader', 'pg_catalog.lo_put(oid,bigint,bytea)', 'EXECUTE') OR has_function_privilege('narralytica_reader', 'pg_catalog.lowrite(integer,bytea)', 'EXECUTE') OR has_function_privilege('narralytica_reader', 'pg_catalog.lo_truncate(integer,integer)', 'EXECUTE') OR has_function_privilege('narralytica_reader', 'pg_catalog.lo_truncate64(integer,bigint)', 'EXECUTE') THEN RAISE WARNING 'A lane role may still create or write large objects in database %: only a superuser can take EXECUTE on PostgreSQL''s large-object functions from PUBLIC', current_database() USING HINT = 'run `narralytica roles create` as a superuser, then `narralytica drift` to confirm'; END IF; END $$;

DO $$ BEGIN BEGIN EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC, narralytica_app, narralytica_control, narralytica_worker, narralytica_reader', current_schema()); EXCEPTION WHEN insufficient_privilege THEN NULL; END; IF has_schema_privilege('narralytica_app', current_schema(), 'CREATE') OR has_schema_privilege('narralytica_control', current_schema(), 'CREATE') OR has_schema_privilege('narralytica_worker', current_schema(), 'CREATE') OR has_schema_privilege('narralytica_reader', current_schema(), 'CREATE') THEN RAISE WARNING 'A lane role may still create objects in schema %, where functions run as its owner would find them', current_schema() USING HINT = 'run REVOKE CREATE ON SCHEMA <schema> FROM PUBLIC as the schema''s owner, then `narralytica drift` to confirm'; END IF; END $$;

CREATE TABLE narralytica_cross_tenant_audits (
    id uuid NOT NULL,
    justification text NOT NULL,
    database_user text NOT NULL DEFAULT session_user,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_narralytica_cross_tenant_audits PRIMARY KEY (id),
    CONSTRAINT ck_narralytica_cross_tenant_audits_justification CHECK (btrim(justification) <> '')
);

COMMENT ON TABLE narralytica_cross_tenant_audits IS 'Cross-tenant reads: one row per use of the escape hatch, written by narralytica_open_cross_tenant_read with the justification, the login, the time and the expiry. No lane holds a privilege on it.';

CREATE PROCEDURE narralytica_set_tenant(tenant uuid) LANGUAGE sql AS $$ SELECT set_config('narralytica.tenant_id', coalesce(tenant::text, ''), true) $$;

CREATE PROCEDURE narralytica_set_cross_tenant_audit(audit uuid) LANGUAGE sql AS $$ SELECT set_config('narralytica.cross_tenant_audit', coalesce(audit::text, ''), true) $$;

DO $$ BEGIN EXECUTE format('CREATE FUNCTION narralytica_open_cross_tenant_read(justification text) RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ DECLARE
    audit uuid;
    open_reads bigint;
BEGIN
    IF $1 IS NULL OR $1 !~ ''[^\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]'' OR char_length($1) > 500 THEN
        RAISE EXCEPTION USING ERRCODE = ''22023'',
            MESSAGE = ''a cross-tenant read needs a justification that says why: not blank, and at most 500 characters (this one has '' || coalesce(char_length($1), 0) || '')'',
            HINT = ''say in a sentence why the code needs every tenant''''s rows; point to a ticket for the details'';
    END IF;
    LOCK TABLE narralytica_cross_tenant_audits IN SHARE ROW EXCLUSIVE MODE;
    SELECT count(*) INTO open_reads FROM narralytica_cross_tenant_audits a WHERE a.database_user = session_user AND a.expires_at > statement_timestamp();
    IF open_reads >= 100 THEN
        RAISE EXCEPTION USING ERRCODE = ''54000'',
            MESSAGE = ''login '' || session_user || '' already holds 100 unexpired cross-tenant reads, the most one login may hold'',
            HINT = ''an audit row opens reads for 10 minutes: read under the one already open, or wait until the oldest expires'';
    END IF;
    INSERT INTO narralytica_cross_tenant_audits (id, justification, database_user, created_at, expires_at) VALUES (gen_random_uuid(), justification, session_user, now(), now() + interval ''10 minutes'') RETURNING id INTO audit;
    RETURN audit;
END
 $f$', current_schema()); END $$;

REVOKE ALL ON FUNCTION narralytica_open_cross_tenant_read(text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION narralytica_open_cross_tenant_read(text) TO narralytica_reader;

DO $$ BEGIN EXECUTE format('CREATE FUNCTION narralytica_cross_tenant_read_allowed() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ SELECT EXISTS (SELECT FROM narralytica_cross_tenant_audits a WHERE a.id = nullif(current_setting(''narralytica.cross_tenant_audit'', true), '''')::uuid AND a.database_user = session_user AND a.expires_at > statement_timestamp() AND a.created_at <> transaction_timestamp()) $f$', current_schema()); END $$;

REVOKE ALL ON FUNCTION narralytica_cross_tenant_read_allowed() FROM PUBLIC;

GRANT EXECUTE ON FUNCTION narralytica_cross_tenant_read_allowed() TO narralytica_reader;

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

COMMENT ON FUNCTION narralytica_proven_tenant() IS 'The tenant of the proof in narralytica.tenant_proof if its signature, key and expiry are valid now, else NULL. The tenant_isolation policies read it.';

CREATE TYPE note_status AS ENUM ('draft', 'published', 'archived');

COMMENT ON TYPE note_status IS 'Where a note is in its life.';

CREATE TABLE tenants (
    id uuid NOT NULL,
    slug character varying(63) NOT NULL,
    name text NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_tenants PRIMARY KEY (id),
    CONSTRAINT uq_tenants_slug UNIQUE (slug),
    CONSTRAINT ck_tenants_slug CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$')
);

COMMENT ON TABLE tenants IS 'The customers of the notes service. Every tenant-scoped row references one.';

COMMENT ON COLUMN tenants.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN tenants.slug IS 'URL-safe, unique name of the tenant.';

COMMENT ON COLUMN tenants.created_at IS 'When the row was created.';

COMMENT ON COLUMN tenants.updated_at IS 'When the row was last changed.';

GRANT SELECT ON tenants TO narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON tenants TO narralytica_control;

GRANT SELECT ON tenants TO narralytica_worker;

GRANT SELECT ON tenants TO narralytica_reader;

CREATE TABLE notebooks (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    title text NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_notebooks PRIMARY KEY (tenant_id, id),
    CONSTRAINT uq_notebooks_title UNIQUE (tenant_id, title),
    CONSTRAINT fk_notebooks_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT
);

COMMENT ON TABLE notebooks IS 'A tenant''s notebooks.';

COMMENT ON COLUMN notebooks.tenant_id IS 'The tenant this row belongs to.';

COMMENT ON COLUMN notebooks.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN notebooks.created_at IS 'When the row was created.';

COMMENT ON COLUMN notebooks.updated_at IS 'When the row was last changed.';

GRANT SELECT, INSERT, UPDATE, DELETE ON notebooks TO narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON notebooks TO narralytica_worker;

GRANT SELECT ON notebooks TO narralytica_reader;

ALTER TABLE notebooks ENABLE ROW LEVEL SECURITY;

ALTER TABLE notebooks FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON notebooks USING (tenant_id = (SELECT narralytica_proven_tenant())) WITH CHECK (tenant_id = (SELECT narralytica_proven_tenant()));

CREATE POLICY reader_cross_tenant_read ON notebooks FOR SELECT TO narralytica_reader USING ((SELECT narralytica_cross_tenant_read_allowed()));

CREATE TABLE notes (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    notebook_id uuid NOT NULL,
    body text NOT NULL,
    status note_status NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_notes PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_notes_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT,
    CONSTRAINT fk_notes_notebook_id FOREIGN KEY (tenant_id, notebook_id) REFERENCES notebooks (tenant_id, id) ON DELETE CASCADE
);

CREATE INDEX ix_notes_notebook_id ON notes (tenant_id, notebook_id);

COMMENT ON TABLE notes IS 'The notes of a notebook.';

COMMENT ON COLUMN notes.tenant_id IS 'The tenant this row belongs to.';

COMMENT ON COLUMN notes.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN notes.created_at IS 'When the row was created.';

COMMENT ON COLUMN notes.updated_at IS 'When the row was last changed.';

GRANT SELECT, INSERT, UPDATE, DELETE ON notes TO narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON notes TO narralytica_worker;

GRANT SELECT ON notes TO narralytica_reader;

ALTER TABLE notes ENABLE ROW LEVEL SECURITY;

ALTER TABLE notes FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON notes USING (tenant_id = (SELECT narralytica_proven_tenant())) WITH CHECK (tenant_id = (SELECT narralytica_proven_tenant()));

CREATE POLICY reader_cross_tenant_read ON notes FOR SELECT TO narralytica_reader USING ((SELECT narralytica_cross_tenant_read_allowed()));
