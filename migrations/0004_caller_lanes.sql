-- Narralytica migration 0004_caller_lanes
-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.
--
-- Changes:
--   create roles narralytica_control, narralytica_worker and narralytica_reader (if they do not exist)
--   grant USAGE on the schema to narralytica_control
--   grant USAGE on the schema to narralytica_worker
--   grant USAGE on the schema to narralytica_reader
--   move cross-tenant reads to narralytica_reader: narralytica_cross_tenant_audits gets expires_at and no grant to narralytica_app; create functions narralytica_open_cross_tenant_read and narralytica_cross_tenant_read_allowed
--   revoke INSERT, UPDATE, DELETE on users from narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on users to narralytica_control
--   grant SELECT on users to narralytica_worker
--   grant SELECT on users to narralytica_reader
--   revoke INSERT, UPDATE, DELETE on roles from narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on roles to narralytica_control
--   grant SELECT on roles to narralytica_worker
--   grant SELECT on roles to narralytica_reader
--   revoke INSERT, UPDATE, DELETE on permissions from narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on permissions to narralytica_control
--   grant SELECT on permissions to narralytica_worker
--   grant SELECT on permissions to narralytica_reader
--   revoke INSERT, UPDATE, DELETE on role_permissions from narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on role_permissions to narralytica_control
--   grant SELECT on role_permissions to narralytica_worker
--   grant SELECT on role_permissions to narralytica_reader
--   revoke INSERT, UPDATE, DELETE on tenants from narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on tenants to narralytica_control
--   grant SELECT on tenants to narralytica_worker
--   grant SELECT on tenants to narralytica_reader
--   grant SELECT, INSERT, UPDATE, DELETE on memberships to narralytica_worker
--   grant SELECT on memberships to narralytica_reader
--   drop policy cross_tenant_read on memberships
--   create policy reader_cross_tenant_read on memberships
--   grant SELECT, INSERT, UPDATE, DELETE on tenant_configs to narralytica_worker
--   grant SELECT on tenant_configs to narralytica_reader
--   drop policy cross_tenant_read on tenant_configs
--   create policy reader_cross_tenant_read on tenant_configs
--   grant SELECT, INSERT, UPDATE, DELETE on videos to narralytica_worker
--   grant SELECT on videos to narralytica_reader
--   drop policy cross_tenant_read on videos
--   create policy reader_cross_tenant_read on videos
--   grant SELECT, INSERT, UPDATE, DELETE on transcripts to narralytica_worker
--   grant SELECT on transcripts to narralytica_reader
--   drop policy cross_tenant_read on transcripts
--   create policy reader_cross_tenant_read on transcripts
--   grant SELECT, INSERT, UPDATE, DELETE on speakers to narralytica_worker
--   grant SELECT on speakers to narralytica_reader
--   drop policy cross_tenant_read on speakers
--   create policy reader_cross_tenant_read on speakers
--   grant SELECT, INSERT, UPDATE, DELETE on segments to narralytica_worker
--   grant SELECT on segments to narralytica_reader
--   drop policy cross_tenant_read on segments
--   create policy reader_cross_tenant_read on segments
--   grant SELECT, INSERT on layers to narralytica_worker
--   grant SELECT on layers to narralytica_reader
--   drop policy cross_tenant_read on layers
--   create policy reader_cross_tenant_read on layers
--   grant SELECT, INSERT, UPDATE, DELETE on jobs to narralytica_worker
--   grant SELECT on jobs to narralytica_reader
--   drop policy cross_tenant_read on jobs
--   create policy reader_cross_tenant_read on jobs
--   create policy queue_claim on jobs
--   create policy queue_finish on jobs
--   grant SELECT, INSERT, UPDATE, DELETE on pipeline_checkpoints to narralytica_worker
--   grant SELECT on pipeline_checkpoints to narralytica_reader
--   drop policy cross_tenant_read on pipeline_checkpoints
--   create policy reader_cross_tenant_read on pipeline_checkpoints
--   grant SELECT, INSERT on event_logs to narralytica_worker
--   grant SELECT on event_logs to narralytica_reader
--   drop policy cross_tenant_read on event_logs
--   create policy reader_cross_tenant_read on event_logs
--   grant SELECT, INSERT on audit_logs to narralytica_worker
--   grant SELECT on audit_logs to narralytica_reader
--   drop policy cross_tenant_read on audit_logs
--   create policy reader_cross_tenant_read on audit_logs

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'narralytica_control') THEN CREATE ROLE narralytica_control NOLOGIN; END IF; END $$;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'narralytica_worker') THEN CREATE ROLE narralytica_worker NOLOGIN; END IF; END $$;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'narralytica_reader') THEN CREATE ROLE narralytica_reader NOLOGIN; END IF; END $$;

DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO narralytica_control', current_schema()); END $$;

DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO narralytica_worker', current_schema()); END $$;

DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO narralytica_reader', current_schema()); END $$;

ALTER TABLE narralytica_cross_tenant_audits ADD COLUMN expires_at timestamp with time zone NOT NULL DEFAULT now();

ALTER TABLE narralytica_cross_tenant_audits ALTER COLUMN expires_at DROP DEFAULT;

COMMENT ON TABLE narralytica_cross_tenant_audits IS 'Cross-tenant reads: one row per use of the escape hatch, written by narralytica_open_cross_tenant_read with the justification, the login, the time and the expiry. No lane holds a privilege on it.';

REVOKE SELECT, INSERT ON narralytica_cross_tenant_audits FROM narralytica_app;

DO $$ BEGIN EXECUTE format('CREATE FUNCTION narralytica_open_cross_tenant_read(justification text) RETURNS uuid LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ INSERT INTO narralytica_cross_tenant_audits (id, justification, database_user, created_at, expires_at) VALUES (gen_random_uuid(), justification, session_user, now(), now() + interval ''10 minutes'') RETURNING id $f$', current_schema()); END $$;

REVOKE ALL ON FUNCTION narralytica_open_cross_tenant_read(text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION narralytica_open_cross_tenant_read(text) TO narralytica_reader;

DO $$ BEGIN EXECUTE format('CREATE FUNCTION narralytica_cross_tenant_read_allowed() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ SELECT EXISTS (SELECT FROM narralytica_cross_tenant_audits a WHERE a.id = nullif(current_setting(''narralytica.cross_tenant_audit'', true), '''')::uuid AND a.database_user = session_user AND a.expires_at > now() AND a.created_at <> transaction_timestamp()) $f$', current_schema()); END $$;

REVOKE ALL ON FUNCTION narralytica_cross_tenant_read_allowed() FROM PUBLIC;

GRANT EXECUTE ON FUNCTION narralytica_cross_tenant_read_allowed() TO narralytica_reader;

DROP POLICY cross_tenant_read ON memberships;

DROP POLICY cross_tenant_read ON tenant_configs;

DROP POLICY cross_tenant_read ON videos;

DROP POLICY cross_tenant_read ON transcripts;

DROP POLICY cross_tenant_read ON speakers;

DROP POLICY cross_tenant_read ON segments;

DROP POLICY cross_tenant_read ON layers;

DROP POLICY cross_tenant_read ON jobs;

DROP POLICY cross_tenant_read ON pipeline_checkpoints;

DROP POLICY cross_tenant_read ON event_logs;

DROP POLICY cross_tenant_read ON audit_logs;

REVOKE INSERT, UPDATE, DELETE ON users FROM narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON users TO narralytica_control;

GRANT SELECT ON users TO narralytica_worker;

GRANT SELECT ON users TO narralytica_reader;

REVOKE INSERT, UPDATE, DELETE ON roles FROM narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON roles TO narralytica_control;

GRANT SELECT ON roles TO narralytica_worker;

GRANT SELECT ON roles TO narralytica_reader;

REVOKE INSERT, UPDATE, DELETE ON permissions FROM narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON permissions TO narralytica_control;

GRANT SELECT ON permissions TO narralytica_worker;

GRANT SELECT ON permissions TO narralytica_reader;

REVOKE INSERT, UPDATE, DELETE ON role_permissions FROM narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON role_permissions TO narralytica_control;

GRANT SELECT ON role_permissions TO narralytica_worker;

GRANT SELECT ON role_permissions TO narralytica_reader;

REVOKE INSERT, UPDATE, DELETE ON tenants FROM narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON tenants TO narralytica_control;

GRANT SELECT ON tenants TO narralytica_worker;

GRANT SELECT ON tenants TO narralytica_reader;

GRANT SELECT, INSERT, UPDATE, DELETE ON memberships TO narralytica_worker;

GRANT SELECT ON memberships TO narralytica_reader;

GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_configs TO narralytica_worker;

GRANT SELECT ON tenant_configs TO narralytica_reader;

GRANT SELECT, INSERT, UPDATE, DELETE ON videos TO narralytica_worker;

GRANT SELECT ON videos TO narralytica_reader;

GRANT SELECT, INSERT, UPDATE, DELETE ON transcripts TO narralytica_worker;

GRANT SELECT ON transcripts TO narralytica_reader;

GRANT SELECT, INSERT, UPDATE, DELETE ON speakers TO narralytica_worker;

GRANT SELECT ON speakers TO narralytica_reader;

GRANT SELECT, INSERT, UPDATE, DELETE ON segments TO narralytica_worker;

GRANT SELECT ON segments TO narralytica_reader;

GRANT SELECT, INSERT ON layers TO narralytica_worker;

GRANT SELECT ON layers TO narralytica_reader;

GRANT SELECT, INSERT, UPDATE, DELETE ON jobs TO narralytica_worker;

GRANT SELECT ON jobs TO narralytica_reader;

GRANT SELECT, INSERT, UPDATE, DELETE ON pipeline_checkpoints TO narralytica_worker;

GRANT SELECT ON pipeline_checkpoints TO narralytica_reader;

GRANT SELECT, INSERT ON event_logs TO narralytica_worker;

GRANT SELECT ON event_logs TO narralytica_reader;

GRANT SELECT, INSERT ON audit_logs TO narralytica_worker;

GRANT SELECT ON audit_logs TO narralytica_reader;

CREATE POLICY reader_cross_tenant_read ON memberships FOR SELECT TO narralytica_reader USING ((SELECT narralytica_cross_tenant_read_allowed()));

CREATE POLICY reader_cross_tenant_read ON tenant_configs FOR SELECT TO narralytica_reader USING ((SELECT narralytica_cross_tenant_read_allowed()));

CREATE POLICY reader_cross_tenant_read ON videos FOR SELECT TO narralytica_reader USING ((SELECT narralytica_cross_tenant_read_allowed()));

CREATE POLICY reader_cross_tenant_read ON transcripts FOR SELECT TO narralytica_reader USING ((SELECT narralytica_cross_tenant_read_allowed()));

CREATE POLICY reader_cross_tenant_read ON speakers FOR SELECT TO narralytica_reader USING ((SELECT narralytica_cross_tenant_read_allowed()));

CREATE POLICY reader_cross_tenant_read ON segments FOR SELECT TO narralytica_reader USING ((SELECT narralytica_cross_tenant_read_allowed()));

CREATE POLICY reader_cross_tenant_read ON layers FOR SELECT TO narralytica_reader USING ((SELECT narralytica_cross_tenant_read_allowed()));

CREATE POLICY reader_cross_tenant_read ON jobs FOR SELECT TO narralytica_reader USING ((SELECT narralytica_cross_tenant_read_allowed()));

CREATE POLICY queue_claim ON jobs FOR SELECT TO narralytica_worker USING (true);

CREATE POLICY queue_finish ON jobs FOR UPDATE TO narralytica_worker USING (true) WITH CHECK (true);

CREATE POLICY reader_cross_tenant_read ON pipeline_checkpoints FOR SELECT TO narralytica_reader USING ((SELECT narralytica_cross_tenant_read_allowed()));

CREATE POLICY reader_cross_tenant_read ON event_logs FOR SELECT TO narralytica_reader USING ((SELECT narralytica_cross_tenant_read_allowed()));

CREATE POLICY reader_cross_tenant_read ON audit_logs FOR SELECT TO narralytica_reader USING ((SELECT narralytica_cross_tenant_read_allowed()));
