-- Narralytica migration 0018_guard_schema_create
-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.
--
-- Changes:
--   only the schema's owner may create objects in it: take CREATE on it from PUBLIC and every lane

DO $$ BEGIN BEGIN EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC, narralytica_app, narralytica_control, narralytica_worker, narralytica_reader', current_schema()); EXCEPTION WHEN insufficient_privilege THEN NULL; END; IF has_schema_privilege('narralytica_app', current_schema(), 'CREATE') OR has_schema_privilege('narralytica_control', current_schema(), 'CREATE') OR has_schema_privilege('narralytica_worker', current_schema(), 'CREATE') OR has_schema_privilege('narralytica_reader', current_schema(), 'CREATE') THEN RAISE WARNING 'A lane role may still create objects in schema %, where functions run as its owner would find them', current_schema() USING HINT = 'run REVOKE CREATE ON SCHEMA <schema> FROM PUBLIC as the schema''s owner, then `narralytica drift` to confirm'; END IF; END $$;
