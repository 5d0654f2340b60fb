-- Narralytica migration 0017_queue_functions
-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.
--
-- Changes:
--   grant UPDATE on jobs to narralytica_worker
--   drop policy queue_claim on jobs
--   drop policy queue_finish on jobs
--   create policy queue_functions on jobs
--   revoke UPDATE (status, attempts, run_after, lease_owner, lease_expires_at, started_at, finished_at, last_error, updated_at) on jobs from narralytica_worker
--   create the queue's functions on jobs (narralytica_queue_claim, narralytica_queue_heartbeat, narralytica_queue_complete, narralytica_queue_complete_many, narralytica_queue_cancel, narralytica_queue_fail, narralytica_queue_release): workers claim and finish jobs through them, and hold no privilege on other tenants' jobs

DROP POLICY queue_claim ON jobs;

DROP POLICY queue_finish ON jobs;

GRANT UPDATE ON jobs TO narralytica_worker;

REVOKE UPDATE (status, attempts, run_after, lease_owner, lease_expires_at, started_at, finished_at, last_error, updated_at) ON jobs FROM narralytica_worker;

CREATE POLICY queue_functions ON jobs TO narralytica_owner USING (current_setting('narralytica.queue_function', true) = 'on') WITH CHECK (current_setting('narralytica.queue_function', true) = 'on');

DO $$ BEGIN EXECUTE format('CREATE OR REPLACE FUNCTION narralytica_queue_claim(max_jobs integer, after_tenant uuid, worker text, lease_seconds double precision) RETURNS TABLE (claim_place bigint, job_tenant uuid, job_id uuid, job_kind text, job_payload text, job_priority smallint, job_attempts integer, job_max_attempts integer, job_status text, job_lease_expires_at timestamp with time zone, job_last_error text) LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ #variable_conflict use_column
BEGIN IF max_jobs IS NULL OR max_jobs < 1 OR max_jobs > 1000 THEN RAISE EXCEPTION USING ERRCODE = ''22023'', MESSAGE = ''a claim takes 1 to 1000 jobs, not '' || coalesce(max_jobs::text, ''null''); END IF; IF after_tenant IS NULL THEN RAISE EXCEPTION USING ERRCODE = ''22023'', MESSAGE = ''a claim starts after a tenant: pass the one served last, or the zero uuid for the first claim''; END IF; IF worker IS NULL OR length(worker) < 1 OR length(worker) > 200 OR octet_length(worker) > 256 THEN RAISE EXCEPTION USING ERRCODE = ''22023'', MESSAGE = ''a worker''''s name (the lease owner) has 1 to 200 characters, at most 256 bytes''; END IF; IF lease_seconds IS NULL OR NOT lease_seconds BETWEEN 1 AND 86400 THEN RAISE EXCEPTION USING ERRCODE = ''22023'', MESSAGE = ''a lease lasts 1 second to a day, not '' || coalesce(lease_seconds::text, ''null'') || '' seconds''; END IF; PERFORM set_config(''narralytica.queue_function'', ''on'', true); RETURN QUERY WITH RECURSIVE later (tenant_id) AS ((SELECT j.tenant_id FROM jobs j WHERE j.status = ''queued'' AND j.run_after <= now() AND j.tenant_id > $2 ORDER BY j.tenant_id, j.priority DESC, j.run_after LIMIT 1) UNION ALL SELECT (SELECT j.tenant_id FROM jobs j WHERE j.status = ''queued'' AND j.run_after <= now() AND j.tenant_id > l.tenant_id ORDER BY j.tenant_id, j.priority DESC, j.run_after LIMIT 1) FROM later l WHERE l.tenant_id IS NOT NULL), earlier (tenant_id) AS ((SELECT j.tenant_id FROM jobs j WHERE j.status = ''queued'' AND j.run_after <= now() ORDER BY j.tenant_id, j.priority DESC, j.run_after LIMIT 1) UNION ALL SELECT (SELECT j.tenant_id FROM jobs j WHERE j.status = ''queued'' AND j.run_after <= now() AND j.tenant_id > e.tenant_id ORDER BY j.tenant_id, j.priority DESC, j.run_after LIMIT 1) FROM earlier e WHERE e.tenant_id < $2), seated AS (SELECT b.tenant_id, row_number() OVER (ORDER BY b.tenant_id <= $2, b.tenant_id) - 1 AS seat, count(*) OVER () AS seats FROM (SELECT a.tenant_id FROM ((SELECT tenant_id FROM later WHERE tenant_id IS NOT NULL LIMIT $1) UNION ALL (SELECT tenant_id FROM earlier WHERE tenant_id <= $2 LIMIT $1)) a ORDER BY a.tenant_id <= $2, a.tenant_id LIMIT $1) b), offered_ready AS (SELECT r.tenant_id, r.id, r.priority, r.run_after FROM seated s CROSS JOIN LATERAL (SELECT j.tenant_id AS tenant_id, j.id AS id, j.priority AS priority, j.run_after AS run_after FROM jobs j WHERE j.tenant_id = s.tenant_id AND j.status = ''queued'' AND j.run_after <= now() ORDER BY j.priority DESC, j.run_after LIMIT $1 / s.seats + CASE WHEN s.seat < $1 %% s.seats THEN 1 ELSE 0 END FOR UPDATE OF j SKIP LOCKED) r), offered_expired AS (SELECT j.tenant_id AS tenant_id, j.id AS id, j.priority AS priority, j.run_after AS run_after FROM jobs j WHERE j.status = ''running'' AND j.lease_expires_at < now() ORDER BY j.lease_expires_at LIMIT $1 FOR UPDATE OF j SKIP LOCKED), offered AS (SELECT o.tenant_id, o.id, row_number() OVER (PARTITION BY o.tenant_id ORDER BY o.priority DESC, o.run_after, o.id) AS turn FROM (SELECT * FROM offered_ready UNION ALL SELECT * FROM offered_expired) o), chosen AS (SELECT tenant_id, id, row_number() OVER (ORDER BY turn, tenant_id <= $2, tenant_id) AS place FROM offered ORDER BY turn, tenant_id <= $2, tenant_id LIMIT $1) UPDATE jobs j SET status = CASE WHEN j.status = ''running'' AND j.attempts >= j.max_attempts THEN ''failed''::job_status ELSE ''running''::job_status END, attempts = CASE WHEN j.status = ''running'' AND j.attempts >= j.max_attempts THEN j.attempts ELSE j.attempts + 1 END, last_error = CASE WHEN j.status = ''running'' THEN ''The lease of attempt '' || j.attempts || '' expired: its worker stopped ('' || coalesce(j.lease_owner, ''?'') || '').'' ELSE j.last_error END, finished_at = CASE WHEN j.status = ''running'' AND j.attempts >= j.max_attempts THEN now() END, lease_owner = CASE WHEN j.status = ''running'' AND j.attempts >= j.max_attempts THEN NULL ELSE $3 END, lease_expires_at = CASE WHEN j.status = ''running'' AND j.attempts >= j.max_attempts THEN NULL ELSE now() + make_interval(secs => $4) END, started_at = now(), updated_at = now() FROM chosen c WHERE j.tenant_id = c.tenant_id AND j.id = c.id RETURNING c.place, j.tenant_id, j.id, j.kind::text, j.payload::text, j.priority::smallint, j.attempts::integer, j.max_attempts::integer, j.status::text, j.lease_expires_at, j.last_error::text; PERFORM set_config(''narralytica.queue_function'', '''', true); END $f$', current_schema()); END $$;

REVOKE ALL ON FUNCTION narralytica_queue_claim(integer, uuid, text, double precision) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION narralytica_queue_claim(integer, uuid, text, double precision) TO narralytica_worker;

DO $$ BEGIN EXECUTE format('CREATE OR REPLACE FUNCTION narralytica_queue_heartbeat(job_tenant uuid, job_id uuid, worker text, attempt integer, lease_seconds double precision) RETURNS TABLE (job_lease_expires_at timestamp with time zone) LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ #variable_conflict use_column
BEGIN IF lease_seconds IS NULL OR NOT lease_seconds BETWEEN 1 AND 86400 THEN RAISE EXCEPTION USING ERRCODE = ''22023'', MESSAGE = ''a lease lasts 1 second to a day, not '' || coalesce(lease_seconds::text, ''null'') || '' seconds''; END IF; PERFORM set_config(''narralytica.queue_function'', ''on'', true); RETURN QUERY UPDATE jobs SET lease_expires_at = now() + make_interval(secs => $5), updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status IS NOT DISTINCT FROM ''running'' AND lease_owner = $3 AND attempts = $4 RETURNING lease_expires_at; PERFORM set_config(''narralytica.queue_function'', '''', true); END $f$', current_schema()); END $$;

REVOKE ALL ON FUNCTION narralytica_queue_heartbeat(uuid, uuid, text, integer, double precision) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION narralytica_queue_heartbeat(uuid, uuid, text, integer, double precision) TO narralytica_worker;

DO $$ BEGIN EXECUTE format('CREATE OR REPLACE FUNCTION narralytica_queue_complete(job_tenant uuid, job_id uuid, worker text, attempt integer) RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ #variable_conflict use_column
DECLARE changed boolean; BEGIN PERFORM set_config(''narralytica.queue_function'', ''on'', true); UPDATE jobs SET status = ''succeeded''::job_status, lease_owner = NULL, lease_expires_at = NULL, finished_at = now(), updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status IS NOT DISTINCT FROM ''running'' AND lease_owner = $3 AND attempts = $4; changed := FOUND; PERFORM set_config(''narralytica.queue_function'', '''', true); RETURN changed; END $f$', current_schema()); END $$;

REVOKE ALL ON FUNCTION narralytica_queue_complete(uuid, uuid, text, integer) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION narralytica_queue_complete(uuid, uuid, text, integer) TO narralytica_worker;

DO $$ BEGIN EXECUTE format('CREATE OR REPLACE FUNCTION narralytica_queue_complete_many(job_tenants uuid[], job_ids uuid[], workers text[], attempts integer[]) RETURNS TABLE (job_tenant uuid, job_id uuid) LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ #variable_conflict use_column
BEGIN PERFORM set_config(''narralytica.queue_function'', ''on'', true); RETURN QUERY UPDATE jobs j SET status = ''succeeded''::job_status, lease_owner = NULL, lease_expires_at = NULL, finished_at = now(), updated_at = now() FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::integer[]) AS c (tenant_id, id, owner, attempt) WHERE j.tenant_id = c.tenant_id AND j.id = c.id AND j.status IS NOT DISTINCT FROM ''running'' AND j.lease_owner = c.owner AND j.attempts = c.attempt RETURNING j.tenant_id, j.id; PERFORM set_config(''narralytica.queue_function'', '''', true); END $f$', current_schema()); END $$;

REVOKE ALL ON FUNCTION narralytica_queue_complete_many(uuid[], uuid[], text[], integer[]) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION narralytica_queue_complete_many(uuid[], uuid[], text[], integer[]) TO narralytica_worker;

DO $$ BEGIN EXECUTE format('CREATE OR REPLACE FUNCTION narralytica_queue_cancel(job_tenant uuid, job_id uuid, worker text, attempt integer, reason text) RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ #variable_conflict use_column
DECLARE changed boolean; BEGIN PERFORM set_config(''narralytica.queue_function'', ''on'', true); UPDATE jobs SET status = ''cancelled''::job_status, last_error = $5, lease_owner = NULL, lease_expires_at = NULL, finished_at = now(), updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status IS NOT DISTINCT FROM ''running'' AND lease_owner = $3 AND attempts = $4; changed := FOUND; PERFORM set_config(''narralytica.queue_function'', '''', true); RETURN changed; END $f$', current_schema()); END $$;

REVOKE ALL ON FUNCTION narralytica_queue_cancel(uuid, uuid, text, integer, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION narralytica_queue_cancel(uuid, uuid, text, integer, text) TO narralytica_worker;

DO $$ BEGIN EXECUTE format('CREATE OR REPLACE FUNCTION narralytica_queue_fail(job_tenant uuid, job_id uuid, worker text, attempt integer, error text, backoff_seconds double precision) RETURNS TABLE (job_status text, job_run_after timestamp with time zone) LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ #variable_conflict use_column
BEGIN IF backoff_seconds IS NULL OR NOT backoff_seconds BETWEEN 0 AND 2592000 THEN RAISE EXCEPTION USING ERRCODE = ''22023'', MESSAGE = ''a retry waits 0 seconds to 30 days, not '' || coalesce(backoff_seconds::text, ''null'') || '' seconds''; END IF; PERFORM set_config(''narralytica.queue_function'', ''on'', true); RETURN QUERY UPDATE jobs SET status = CASE WHEN attempts >= max_attempts THEN ''failed''::job_status ELSE ''queued''::job_status END, run_after = CASE WHEN attempts >= max_attempts THEN run_after ELSE now() + make_interval(secs => $6) END, finished_at = CASE WHEN attempts >= max_attempts THEN now() END, last_error = $5, lease_owner = NULL, lease_expires_at = NULL, updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status IS NOT DISTINCT FROM ''running'' AND lease_owner = $3 AND attempts = $4 RETURNING status::text, run_after; PERFORM set_config(''narralytica.queue_function'', '''', true); END $f$', current_schema()); END $$;

REVOKE ALL ON FUNCTION narralytica_queue_fail(uuid, uuid, text, integer, text, double precision) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION narralytica_queue_fail(uuid, uuid, text, integer, text, double precision) TO narralytica_worker;

DO $$ BEGIN EXECUTE format('CREATE OR REPLACE FUNCTION narralytica_queue_release(job_tenant uuid, job_id uuid, worker text, attempt integer) RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ #variable_conflict use_column
DECLARE changed boolean; BEGIN PERFORM set_config(''narralytica.queue_function'', ''on'', true); UPDATE jobs SET status = ''queued''::job_status, attempts = attempts - 1, run_after = now(), lease_owner = NULL, lease_expires_at = NULL, started_at = NULL, updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status IS NOT DISTINCT FROM ''running'' AND lease_owner = $3 AND attempts = $4; changed := FOUND; PERFORM set_config(''narralytica.queue_function'', '''', true); RETURN changed; END $f$', current_schema()); END $$;

REVOKE ALL ON FUNCTION narralytica_queue_release(uuid, uuid, text, integer) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION narralytica_queue_release(uuid, uuid, text, integer) TO narralytica_worker;
