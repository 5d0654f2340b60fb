-- Narralytica migration 0016_reader_audit_bounds
-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.
--
-- Changes:
--   replace functions narralytica_cross_tenant_read_allowed and narralytica_open_cross_tenant_read: an audit row's window is checked at each statement, and a login may hold at most 100 unexpired cross-tenant reads

DO $$ BEGIN EXECUTE format('CREATE OR REPLACE FUNCTION narralytica_open_cross_tenant_read(justification text) RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ DECLARE
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

DO $$ BEGIN EXECUTE format('CREATE OR REPLACE FUNCTION narralytica_cross_tenant_read_allowed() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ SELECT EXISTS (SELECT FROM narralytica_cross_tenant_audits a WHERE a.id = nullif(current_setting(''narralytica.cross_tenant_audit'', true), '''')::uuid AND a.database_user = session_user AND a.expires_at > statement_timestamp() AND a.created_at <> transaction_timestamp()) $f$', current_schema()); END $$;
