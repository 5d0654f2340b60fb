-- The server CPU time of forms of the tenant proof's verifier, per call.
--
-- Run as a superuser on a scratch database (it reads /proc/<backend pid>/stat through pg_read_file):
--   psql -X -q -v calls=50000 -v rounds=3 -v segments=200000 -d scratch -f Narralytica.Benchmarks/Sql/verifier-cpu.sql
-- Everything it creates lives in the schema verifier_cpu, dropped at the start and at the end. Each form is a
-- SECURITY DEFINER STABLE function with a pinned search path, called :calls times as `(SELECT f())` from a plpgsql
-- loop (a cached plan, an InitPlan per call, as the policies call it), with a valid proof in the setting; the rounds
-- interleave the forms, and each form's best round is printed in microseconds of CPU (user + system, 10 ms ticks)
-- per call. `floor` is an empty function called the same way: the loop's and the call's own price.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS verifier_cpu CASCADE;
CREATE SCHEMA verifier_cpu;
SET search_path = verifier_cpu, pg_catalog;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
SELECT n.nspname AS crypto FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pgcrypto' \gset

CREATE TABLE keys (id text PRIMARY KEY, secret bytea NOT NULL, expires_at timestamptz NOT NULL);
INSERT INTO keys VALUES ('old', decode(repeat('ab', 32), 'hex'), now() + interval '1 day'),
                        ('k1', decode(repeat('cd', 32), 'hex'), now() + interval '1 day');

-- A valid proof of one tenant, minted here as TenantKey.Sign does.

-- The CPU time this backend has used, in microseconds (utime + stime of /proc/<pid>/stat, 100 ticks a second).
CREATE FUNCTION cpu_us() RETURNS bigint LANGUAGE sql AS $$
    SELECT (f[12]::bigint + f[13]::bigint) * 10000
    FROM (SELECT string_to_array(split_part(pg_read_file('/proc/' || pg_backend_pid() || '/stat'), ') ', 2), ' ') AS f) s $$;

\set path 'SET search_path = pg_catalog, verifier_cpu, ' :crypto ', pg_temp'

CREATE FUNCTION mint(key_id text, tenant uuid, expires bigint) RETURNS text LANGUAGE sql :path AS $$
    SELECT s || '.' || encode(hmac(convert_to(s, 'UTF8'), (SELECT secret FROM keys WHERE id = key_id), 'sha256'), 'base64')
    FROM (SELECT key_id || '.' || tenant || '.' || expires AS s) x $$;

CREATE FUNCTION floor() RETURNS uuid LANGUAGE plpgsql STABLE SECURITY DEFINER :path AS $$ BEGIN RETURN NULL; END $$;

-- The first verifier (migration 0007, replaced by 0014): split, format checks, key lookup, HMAC compared as bytes.
CREATE FUNCTION checks_first() RETURNS uuid LANGUAGE plpgsql STABLE SECURITY DEFINER :path AS $$
DECLARE
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
    SELECT k.secret INTO key FROM keys k WHERE k.id = parts[1] AND k.expires_at > statement_timestamp();
    IF key IS NULL OR hmac(convert_to(parts[1] || '.' || parts[2] || '.' || parts[3], 'UTF8'), key, 'sha256'::text) <> decode(parts[4], 'base64') THEN
        RETURN NULL;
    END IF;
    RETURN parts[2]::uuid;
END $$;

-- Signature first, plpgsql: the key lookup and the HMAC (compared as base64 text) before anything is parsed; after
-- it, one regular expression over the signed text, then the expiry and the tenant.
CREATE FUNCTION signature_first() RETURNS uuid LANGUAGE plpgsql STABLE SECURITY DEFINER :path AS $$
DECLARE
    proof text := current_setting('narralytica.tenant_proof', true);
    signed text := left(proof, -45);
    key bytea;
BEGIN
    SELECT k.secret INTO key FROM keys k WHERE k.id = split_part(signed, '.', 1) AND k.expires_at > statement_timestamp();
    IF key IS NULL OR substr(proof, length(proof) - 44, 1) <> '.'
       OR encode(hmac(convert_to(signed, 'UTF8'), key, 'sha256'), 'base64') <> right(proof, 44)
       OR signed !~ '^[A-Za-z0-9_-]{1,64}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[0-9]{1,12}$'
       OR split_part(signed, '.', 3)::bigint <= extract(epoch FROM statement_timestamp()) THEN
        RETURN NULL;
    END IF;
    RETURN split_part(signed, '.', 2)::uuid;
END $$;

-- The same without the regular expression after the signature (only a key holder could sign a malformed text).
CREATE FUNCTION signature_first_bare() RETURNS uuid LANGUAGE plpgsql STABLE SECURITY DEFINER :path AS $$
DECLARE
    proof text := current_setting('narralytica.tenant_proof', true);
    signed text := left(proof, -45);
    key bytea;
BEGIN
    SELECT k.secret INTO key FROM keys k WHERE k.id = split_part(signed, '.', 1) AND k.expires_at > statement_timestamp();
    IF key IS NULL OR substr(proof, length(proof) - 44, 1) <> '.'
       OR encode(hmac(convert_to(signed, 'UTF8'), key, 'sha256'), 'base64') <> right(proof, 44)
       OR split_part(signed, '.', 3)::bigint <= extract(epoch FROM statement_timestamp()) THEN
        RETURN NULL;
    END IF;
    RETURN split_part(signed, '.', 2)::uuid;
END $$;

-- The same, with the expiry and the tenant cut at the positions TenantKey.Sign's shape puts them (after the key id,
-- 36 characters, a dot, the rest): a text a key holder signed in another shape fails its cast instead of being read
-- in part.
CREATE FUNCTION signature_first_cut() RETURNS uuid LANGUAGE plpgsql STABLE SECURITY DEFINER :path AS $$
DECLARE
    proof text := current_setting('narralytica.tenant_proof', true);
    signed text := left(proof, -45);
    key bytea;
BEGIN
    SELECT k.secret INTO key FROM keys k WHERE k.id = split_part(signed, '.', 1) AND k.expires_at > statement_timestamp();
    IF key IS NULL
       OR '.' || encode(hmac(convert_to(signed, 'UTF8'), key, 'sha256'), 'base64') <> substr(proof, length(proof) - 44)
       OR substr(signed, length(split_part(signed, '.', 1)) + 39)::bigint <= extract(epoch FROM statement_timestamp()) THEN
        RETURN NULL;
    END IF;
    RETURN substr(signed, length(split_part(signed, '.', 1)) + 2, 36)::uuid;
END $$;

-- The shipped form (migration 0014, TenantProof.VerifyBody): signature first, then the signed text must read back
-- as what TenantKey.Sign writes (the key id, the tenant as uuid prints it, the expiry as bigint prints it): a text a
-- key holder signed in another shape is refused, or fails a cast, instead of being read in part.
CREATE FUNCTION signature_first_round_trip() RETURNS uuid LANGUAGE plpgsql STABLE SECURITY DEFINER :path AS $$
DECLARE
    proof text := current_setting('narralytica.tenant_proof', true);
    signed text := left(proof, -45);
    key bytea;
BEGIN
    SELECT k.secret INTO key FROM keys k WHERE k.id = split_part(signed, '.', 1) AND k.expires_at > statement_timestamp();
    IF key IS NULL
       OR '.' || encode(hmac(convert_to(signed, 'UTF8'), key, 'sha256'), 'base64') <> substr(proof, length(proof) - 44)
       OR split_part(signed, '.', 3)::bigint <= extract(epoch FROM statement_timestamp())
       OR signed <> split_part(signed, '.', 1) || '.' || split_part(signed, '.', 2)::uuid || '.' || split_part(signed, '.', 3)::bigint THEN
        RETURN NULL;
    END IF;
    RETURN split_part(signed, '.', 2)::uuid;
END $$;

-- Signature first, plpgsql, with the format checked after the signature by translate() instead of regular
-- expressions: the tenant is 36 characters of lowercase hex in the 8-4-4-4-12 shape, the expiry 1 to 12 digits.
CREATE FUNCTION signature_first_translate() RETURNS uuid LANGUAGE plpgsql STABLE SECURITY DEFINER :path AS $$
DECLARE
    proof text := current_setting('narralytica.tenant_proof', true);
    signed text := left(proof, -45);
    key_id text := split_part(signed, '.', 1);
    rest text := substr(signed, length(key_id) + 2);
    key bytea;
BEGIN
    SELECT k.secret INTO key FROM keys k WHERE k.id = key_id AND k.expires_at > statement_timestamp();
    IF key IS NULL
       OR '.' || encode(hmac(convert_to(signed, 'UTF8'), key, 'sha256'), 'base64') <> substr(proof, length(proof) - 44)
       OR translate(left(rest, 37), '0123456789abcdef', '0000000000000000') <> '00000000-0000-0000-0000-000000000000.'
       OR length(rest) NOT BETWEEN 38 AND 49
       OR translate(substr(rest, 38), '0123456789', '') <> ''
       OR substr(rest, 38)::bigint <= extract(epoch FROM statement_timestamp()) THEN
        RETURN NULL;
    END IF;
    RETURN left(rest, 36)::uuid;
END $$;

-- Signature first in one query: the key lookup, the signature, the format and the expiry in one cached plan (it names
-- no plpgsql variable, so its plan is generic from the first call); the tenant is cast in the select list only.
CREATE FUNCTION one_query() RETURNS uuid LANGUAGE plpgsql STABLE SECURITY DEFINER :path AS $$
BEGIN
    RETURN (SELECT CASE WHEN p.signed ~ '^[A-Za-z0-9_-]{1,64}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[0-9]{1,12}$'
                         AND split_part(p.signed, '.', 3)::bigint > extract(epoch FROM statement_timestamp())
                        THEN split_part(p.signed, '.', 2)::uuid END
            FROM (SELECT x.proof, left(x.proof, -45) AS signed FROM (SELECT current_setting('narralytica.tenant_proof', true) AS proof) x) p
            JOIN keys k ON k.id = split_part(p.signed, '.', 1)
            WHERE k.expires_at > statement_timestamp()
              AND '.' || encode(hmac(convert_to(p.signed, 'UTF8'), k.secret, 'sha256'), 'base64') = substr(p.proof, length(p.proof) - 44));
END $$;

-- The one query as an SQL-language function (a SECURITY DEFINER function is never inlined).
CREATE FUNCTION sql_language() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER :path AS $$
    SELECT CASE WHEN p.signed ~ '^[A-Za-z0-9_-]{1,64}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[0-9]{1,12}$'
                 AND split_part(p.signed, '.', 3)::bigint > extract(epoch FROM statement_timestamp())
                THEN split_part(p.signed, '.', 2)::uuid END
    FROM (SELECT x.proof, left(x.proof, -45) AS signed FROM (SELECT current_setting('narralytica.tenant_proof', true) AS proof) x) p
    JOIN keys k ON k.id = split_part(p.signed, '.', 1)
    WHERE k.expires_at > statement_timestamp()
      AND '.' || encode(hmac(convert_to(p.signed, 'UTF8'), k.secret, 'sha256'), 'base64') = substr(p.proof, length(p.proof) - 44) $$;

-- The forms measured, in the order of each round.
CREATE TABLE forms (position int PRIMARY KEY, name text NOT NULL);
INSERT INTO forms VALUES (1, 'floor'), (2, 'checks_first'), (3, 'signature_first'), (4, 'signature_first_bare'), (5, 'signature_first_cut'), (6, 'signature_first_round_trip'), (7, 'signature_first_translate'), (8, 'one_query'), (9, 'sql_language');
CREATE TABLE results (name text NOT NULL, round int NOT NULL, us_per_call numeric NOT NULL);

SELECT set_config('narralytica.tenant_proof', mint('k1', '0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b', extract(epoch FROM now() + interval '1 hour')::bigint), false) \gset

-- Every form agrees on the valid proof before anything is timed.
DO $$
DECLARE
    form record;
    tenant uuid;
BEGIN
    FOR form IN SELECT name FROM forms WHERE name <> 'floor' LOOP
        EXECUTE format('SELECT %I()', form.name) INTO tenant;
        IF tenant IS DISTINCT FROM '0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b' THEN
            RAISE EXCEPTION 'form % returned % for a valid proof', form.name, tenant;
        END IF;
    END LOOP;
END $$;

CREATE FUNCTION measure(form text, calls int, round int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    started bigint;
BEGIN
    -- One warm-up call compiles the function and loads pgcrypto; the loop's statement is planned once (EXECUTE of a
    -- cached loop would plan the call each time).
    EXECUTE format('SELECT %I()', form);
    started := cpu_us();
    EXECUTE format('DO $loop$ BEGIN FOR i IN 1..%s LOOP PERFORM (SELECT verifier_cpu.%I()); END LOOP; END $loop$', calls, form);
    INSERT INTO results VALUES (form, round, (cpu_us() - started)::numeric / calls);
END $$;

SELECT measure(f.name, :calls, r) FROM generate_series(1, :rounds) r, forms f ORDER BY r, f.position \g /dev/null

SELECT f.name AS form, round(min(r.us_per_call), 1) AS best_us_per_call, round(max(r.us_per_call), 1) AS worst_us_per_call
FROM forms f JOIN results r ON r.name = f.name GROUP BY f.name, f.position ORDER BY f.position;

-- Per statement: the 20-row window of a transcript, a cached plan in a plpgsql loop, on :segments segments of 4
-- tenants, as the superuser (no policies) and as a role that holds SELECT only, under a tenant_isolation policy that
-- calls the former verifier or the shipped one. Each table holds the same rows; only its policy differs.
CREATE TABLE window_forms (position int PRIMARY KEY, name text NOT NULL, table_name text NOT NULL, as_role boolean NOT NULL);
INSERT INTO window_forms VALUES (1, 'window, superuser (no policies)', 'segments_checks_first', false),
                                (2, 'window, under checks_first', 'segments_checks_first', true),
                                (3, 'window, under signature_first_round_trip', 'segments_signature_first', true);
CREATE TABLE segments_checks_first (tenant_id uuid NOT NULL, transcript_id uuid NOT NULL, start_ms int NOT NULL, id uuid NOT NULL, body text NOT NULL,
    PRIMARY KEY (tenant_id, id));
INSERT INTO segments_checks_first
SELECT ('0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5' || substr('b123', i % 4 + 1, 1))::uuid, md5('t' || (i % 4) || '-' || (i / 4 / 1000))::uuid, (i / 4 % 1000) * 1000,
       md5('s' || i)::uuid, repeat('word ', 20)
FROM generate_series(0, :segments - 1) i;
CREATE INDEX ON segments_checks_first (tenant_id, transcript_id, start_ms);
CREATE TABLE segments_signature_first (LIKE segments_checks_first INCLUDING ALL);
INSERT INTO segments_signature_first SELECT * FROM segments_checks_first;
ANALYZE segments_checks_first, segments_signature_first;
ALTER TABLE segments_checks_first ENABLE ROW LEVEL SECURITY;
ALTER TABLE segments_signature_first ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON segments_checks_first USING (tenant_id = (SELECT checks_first()));
CREATE POLICY tenant_isolation ON segments_signature_first USING (tenant_id = (SELECT signature_first_round_trip()));
DROP ROLE IF EXISTS verifier_cpu_app;
CREATE ROLE verifier_cpu_app NOLOGIN;
GRANT USAGE ON SCHEMA verifier_cpu TO verifier_cpu_app;
GRANT SELECT ON segments_checks_first, segments_signature_first TO verifier_cpu_app;

CREATE FUNCTION measure_window(form int, calls int, round int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    chosen window_forms;
    loop_sql text;
    started bigint;
BEGIN
    SELECT * INTO chosen FROM window_forms WHERE position = form;
    loop_sql := format($loop$DO $do$ DECLARE n bigint; BEGIN FOR i IN 1..%s LOOP
        SELECT count(*) INTO n FROM (SELECT s.id, s.body FROM verifier_cpu.%I s
            WHERE s.tenant_id = '0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b' AND s.transcript_id = md5('t0-12')::uuid AND s.start_ms >= 400000
            ORDER BY s.start_ms LIMIT 20) w;
        IF n <> 20 THEN RAISE EXCEPTION 'the window read %% rows', n; END IF;
    END LOOP; END $do$ $loop$, calls, chosen.table_name);
    IF chosen.as_role THEN SET ROLE verifier_cpu_app; END IF;
    EXECUTE replace(loop_sql, '1..' || calls, '1..100'); -- warm-up: plans cached, the verifier compiled
    RESET ROLE;
    started := cpu_us();
    IF chosen.as_role THEN SET ROLE verifier_cpu_app; END IF;
    EXECUTE loop_sql;
    RESET ROLE;
    INSERT INTO results VALUES (chosen.name, round, (cpu_us() - started)::numeric / calls);
END $$;

SELECT measure_window(f.position, :calls, r) FROM generate_series(1, :rounds) r, window_forms f ORDER BY r, f.position \g /dev/null

SELECT f.name AS statement, round(min(r.us_per_call), 1) AS best_us_per_statement, round(max(r.us_per_call), 1) AS worst_us_per_statement
FROM window_forms f JOIN results r ON r.name = f.name GROUP BY f.name, f.position ORDER BY f.position;

RESET search_path;
DROP SCHEMA verifier_cpu CASCADE;
DROP ROLE verifier_cpu_app;
