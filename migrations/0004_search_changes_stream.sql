-- Narralytica migration 0004_search_changes_stream
-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.
--
-- Changes:
--   create stream search_changes

CREATE PUBLICATION search_changes FOR TABLE videos, transcripts, segments, layers WITH (publish = 'insert, update, delete');
