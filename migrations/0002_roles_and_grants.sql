-- Narralytica migration 0002_roles_and_grants
-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.
--
-- Changes:
--   create roles narralytica_owner and narralytica_app (if they do not exist)
--   grant USAGE on the schema to narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on users to narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on roles to narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on permissions to narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on role_permissions to narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on tenants to narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on memberships to narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on tenant_configs to narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on videos to narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on transcripts to narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on speakers to narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on segments to narralytica_app
--   grant SELECT, INSERT on layers to narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on jobs to narralytica_app
--   grant SELECT, INSERT, UPDATE, DELETE on pipeline_checkpoints to narralytica_app
--   grant SELECT, INSERT on event_logs to narralytica_app
--   grant SELECT, INSERT on audit_logs to narralytica_app

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'narralytica_owner') THEN CREATE ROLE narralytica_owner NOLOGIN; END IF; END $$;

DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'narralytica_app') THEN CREATE ROLE narralytica_app NOLOGIN; END IF; END $$;

DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO narralytica_app', current_schema()); END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON users TO narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON roles TO narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON permissions TO narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON role_permissions TO narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON tenants TO narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON memberships TO narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_configs TO narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON videos TO narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON transcripts TO narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON speakers TO narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON segments TO narralytica_app;

GRANT SELECT, INSERT ON layers TO narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON jobs TO narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON pipeline_checkpoints TO narralytica_app;

GRANT SELECT, INSERT ON event_logs TO narralytica_app;

GRANT SELECT, INSERT ON audit_logs TO narralytica_app;
