-- Narralytica migration 0006_search_changes_stream
-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.
--
-- Changes:
--   create stream search_changes

DO $stream$ BEGIN IF NOT EXISTS (SELECT FROM pg_publication WHERE pubname = 'search_changes') THEN CREATE PUBLICATION search_changes FOR TABLE layers, segments, transcripts, videos WITH (publish = 'insert, update, delete'); COMMENT ON PUBLICATION search_changes IS 'What a search projection is built from; the rebuild reads the same tables inside the stream''s snapshot.'; END IF; END $stream$;
