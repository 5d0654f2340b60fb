-- Narralytica migration 0009_reader_justification_check
-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.
--
-- Changes:
--   replace function narralytica_open_cross_tenant_read: it refuses a blank or overlong justification (over 500 characters)

DO $$ BEGIN EXECUTE format('CREATE OR REPLACE FUNCTION narralytica_open_cross_tenant_read(justification text) RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ DECLARE
    audit uuid;
BEGIN
    IF $1 IS NULL OR $1 !~ ''[^\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]'' OR char_length($1) > 500 THEN
        RAISE EXCEPTION USING ERRCODE = ''22023'',
            MESSAGE = ''a cross-tenant read needs a justification that says why: not blank, and at most 500 characters (this one has '' || coalesce(char_length($1), 0) || '')'',
            HINT = ''say in a sentence why the code needs every tenant''''s rows; point to a ticket for the details'';
    END IF;
    INSERT INTO narralytica_cross_tenant_audits (id, justification, database_user, created_at, expires_at) VALUES (gen_random_uuid(), justification, session_user, now(), now() + interval ''10 minutes'') RETURNING id INTO audit;
    RETURN audit;
END
 $f$', current_schema()); END $$;
