-- Narralytica migration 0011_queue_unique_key
-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.
-- One change in 2 migrations, applied in order: 0011_queue_unique_key.sql, 0012_queue_unique_key_indexes.sql.
--
-- Changes:
--   add column jobs.dedupe_key (text, nullable)
--   add check ck_jobs_dedupe_key_max_bytes on jobs: octet_length(dedupe_key) <= 512
--   create index ix_jobs_dedupe_key on jobs
--   grant UPDATE (dedupe_key) on jobs to narralytica_worker
--
-- Accepted with --allow (review these):
--   schema.yaml(353,9): NARR3013 (data-dependent): adding unique index 'ix_jobs_dedupe_key' to existing table 'jobs' fails if rows already repeat its columns, and builds its index under a lock that blocks writes. Remove duplicates first; on a large table build a unique index CONCURRENTLY, then add the constraint USING INDEX
-- narralytica:allow data-dependent

ALTER TABLE jobs ADD COLUMN dedupe_key text;

ALTER TABLE jobs ADD CONSTRAINT ck_jobs_dedupe_key_max_bytes CHECK (octet_length(dedupe_key) <= 512) NOT VALID;

ALTER TABLE jobs VALIDATE CONSTRAINT ck_jobs_dedupe_key_max_bytes;

COMMENT ON COLUMN jobs.dedupe_key IS 'While a job with this key is queued or running, enqueueing another with it adds nothing.';

GRANT UPDATE (dedupe_key) ON jobs TO narralytica_worker;
