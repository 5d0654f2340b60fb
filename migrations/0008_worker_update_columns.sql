-- Narralytica migration 0008_worker_update_columns
-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.
--
-- Changes:
--   revoke UPDATE on jobs from narralytica_worker
--   grant UPDATE (kind, status, payload, priority, attempts, max_attempts, run_after, lease_owner, lease_expires_at, started_at, finished_at, last_error, created_at, updated_at) on jobs to narralytica_worker

REVOKE UPDATE ON jobs FROM narralytica_worker;

GRANT UPDATE (kind, status, payload, priority, attempts, max_attempts, run_after, lease_owner, lease_expires_at, started_at, finished_at, last_error, created_at, updated_at) ON jobs TO narralytica_worker;
