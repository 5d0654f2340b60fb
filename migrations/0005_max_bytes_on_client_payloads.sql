-- Narralytica migration 0005_max_bytes_on_client_payloads
-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.
--
-- Changes:
--   add check ck_tenant_configs_value_max_bytes on tenant_configs: octet_length(value::text) <= 65536
--   add check ck_videos_metadata_max_bytes on videos: octet_length(metadata::text) <= 262144
--   add check ck_speakers_display_name_max_bytes on speakers: octet_length(display_name) <= 1024
--   add check ck_speakers_metadata_max_bytes on speakers: octet_length(metadata::text) <= 65536
--   add check ck_segments_text_max_bytes on segments: octet_length(text) <= 65536
--   add check ck_layers_payload_max_bytes on layers: octet_length(payload::text) <= 1048576
--   add check ck_jobs_payload_max_bytes on jobs: octet_length(payload::text) <= 65536
--   add check ck_jobs_lease_owner_max_bytes on jobs: octet_length(lease_owner) <= 256
--   add check ck_jobs_last_error_max_bytes on jobs: octet_length(last_error) <= 65536
--   add check ck_pipeline_checkpoints_position_max_bytes on pipeline_checkpoints: octet_length(position) <= 4096
--   add check ck_pipeline_checkpoints_state_max_bytes on pipeline_checkpoints: octet_length(state::text) <= 262144
--   add check ck_event_logs_payload_max_bytes on event_logs: octet_length(payload::text) <= 65536
--   add check ck_audit_logs_details_max_bytes on audit_logs: octet_length(details::text) <= 65536
--
-- Accepted with --allow (review these):
--   schema.yaml(119,20): NARR3014 (data-dependent): check 'ck_tenant_configs_value_max_bytes' on existing table 'tenant_configs' fails to validate if any row breaks it (octet_length(value::text) <= 65536). Fix those rows first; the migration adds it NOT VALID and validates it separately, so writes are not blocked meanwhile
--   schema.yaml(149,20): NARR3014 (data-dependent): check 'ck_videos_metadata_max_bytes' on existing table 'videos' fails to validate if any row breaks it (octet_length(metadata::text) <= 262144). Fix those rows first; the migration adds it NOT VALID and validates it separately, so writes are not blocked meanwhile
--   schema.yaml(189,20): NARR3014 (data-dependent): check 'ck_speakers_display_name_max_bytes' on existing table 'speakers' fails to validate if any row breaks it (octet_length(display_name) <= 1024). Fix those rows first; the migration adds it NOT VALID and validates it separately, so writes are not blocked meanwhile
--   schema.yaml(193,20): NARR3014 (data-dependent): check 'ck_speakers_metadata_max_bytes' on existing table 'speakers' fails to validate if any row breaks it (octet_length(metadata::text) <= 65536). Fix those rows first; the migration adds it NOT VALID and validates it separately, so writes are not blocked meanwhile
--   schema.yaml(221,20): NARR3014 (data-dependent): check 'ck_segments_text_max_bytes' on existing table 'segments' fails to validate if any row breaks it (octet_length(text) <= 65536). Fix those rows first; the migration adds it NOT VALID and validates it separately, so writes are not blocked meanwhile
--   schema.yaml(277,20): NARR3014 (data-dependent): check 'ck_layers_payload_max_bytes' on existing table 'layers' fails to validate if any row breaks it (octet_length(payload::text) <= 1048576). Fix those rows first; the migration adds it NOT VALID and validates it separately, so writes are not blocked meanwhile
--   schema.yaml(305,20): NARR3014 (data-dependent): check 'ck_jobs_payload_max_bytes' on existing table 'jobs' fails to validate if any row breaks it (octet_length(payload::text) <= 65536). Fix those rows first; the migration adds it NOT VALID and validates it separately, so writes are not blocked meanwhile
--   schema.yaml(324,20): NARR3014 (data-dependent): check 'ck_jobs_lease_owner_max_bytes' on existing table 'jobs' fails to validate if any row breaks it (octet_length(lease_owner) <= 256). Fix those rows first; the migration adds it NOT VALID and validates it separately, so writes are not blocked meanwhile
--   schema.yaml(330,20): NARR3014 (data-dependent): check 'ck_jobs_last_error_max_bytes' on existing table 'jobs' fails to validate if any row breaks it (octet_length(last_error) <= 65536). Fix those rows first; the migration adds it NOT VALID and validates it separately, so writes are not blocked meanwhile
--   schema.yaml(346,20): NARR3014 (data-dependent): check 'ck_pipeline_checkpoints_position_max_bytes' on existing table 'pipeline_checkpoints' fails to validate if any row breaks it (octet_length(position) <= 4096). Fix those rows first; the migration adds it NOT VALID and validates it separately, so writes are not blocked meanwhile
--   schema.yaml(350,20): NARR3014 (data-dependent): check 'ck_pipeline_checkpoints_state_max_bytes' on existing table 'pipeline_checkpoints' fails to validate if any row breaks it (octet_length(state::text) <= 262144). Fix those rows first; the migration adds it NOT VALID and validates it separately, so writes are not blocked meanwhile
--   schema.yaml(372,20): NARR3014 (data-dependent): check 'ck_event_logs_payload_max_bytes' on existing table 'event_logs' fails to validate if any row breaks it (octet_length(payload::text) <= 65536). Fix those rows first; the migration adds it NOT VALID and validates it separately, so writes are not blocked meanwhile
--   schema.yaml(399,20): NARR3014 (data-dependent): check 'ck_audit_logs_details_max_bytes' on existing table 'audit_logs' fails to validate if any row breaks it (octet_length(details::text) <= 65536). Fix those rows first; the migration adds it NOT VALID and validates it separately, so writes are not blocked meanwhile
-- narralytica:allow data-dependent

ALTER TABLE tenant_configs ADD CONSTRAINT ck_tenant_configs_value_max_bytes CHECK (octet_length(value::text) <= 65536) NOT VALID;

ALTER TABLE tenant_configs VALIDATE CONSTRAINT ck_tenant_configs_value_max_bytes;

ALTER TABLE videos ADD CONSTRAINT ck_videos_metadata_max_bytes CHECK (octet_length(metadata::text) <= 262144) NOT VALID;

ALTER TABLE videos VALIDATE CONSTRAINT ck_videos_metadata_max_bytes;

ALTER TABLE speakers ADD CONSTRAINT ck_speakers_display_name_max_bytes CHECK (octet_length(display_name) <= 1024) NOT VALID;

ALTER TABLE speakers VALIDATE CONSTRAINT ck_speakers_display_name_max_bytes;

ALTER TABLE speakers ADD CONSTRAINT ck_speakers_metadata_max_bytes CHECK (octet_length(metadata::text) <= 65536) NOT VALID;

ALTER TABLE speakers VALIDATE CONSTRAINT ck_speakers_metadata_max_bytes;

ALTER TABLE segments ADD CONSTRAINT ck_segments_text_max_bytes CHECK (octet_length(text) <= 65536) NOT VALID;

ALTER TABLE segments VALIDATE CONSTRAINT ck_segments_text_max_bytes;

ALTER TABLE layers ADD CONSTRAINT ck_layers_payload_max_bytes CHECK (octet_length(payload::text) <= 1048576) NOT VALID;

ALTER TABLE layers VALIDATE CONSTRAINT ck_layers_payload_max_bytes;

ALTER TABLE jobs ADD CONSTRAINT ck_jobs_payload_max_bytes CHECK (octet_length(payload::text) <= 65536) NOT VALID;

ALTER TABLE jobs VALIDATE CONSTRAINT ck_jobs_payload_max_bytes;

ALTER TABLE jobs ADD CONSTRAINT ck_jobs_lease_owner_max_bytes CHECK (octet_length(lease_owner) <= 256) NOT VALID;

ALTER TABLE jobs VALIDATE CONSTRAINT ck_jobs_lease_owner_max_bytes;

ALTER TABLE jobs ADD CONSTRAINT ck_jobs_last_error_max_bytes CHECK (octet_length(last_error) <= 65536) NOT VALID;

ALTER TABLE jobs VALIDATE CONSTRAINT ck_jobs_last_error_max_bytes;

ALTER TABLE pipeline_checkpoints ADD CONSTRAINT ck_pipeline_checkpoints_position_max_bytes CHECK (octet_length(position) <= 4096) NOT VALID;

ALTER TABLE pipeline_checkpoints VALIDATE CONSTRAINT ck_pipeline_checkpoints_position_max_bytes;

ALTER TABLE pipeline_checkpoints ADD CONSTRAINT ck_pipeline_checkpoints_state_max_bytes CHECK (octet_length(state::text) <= 262144) NOT VALID;

ALTER TABLE pipeline_checkpoints VALIDATE CONSTRAINT ck_pipeline_checkpoints_state_max_bytes;

ALTER TABLE event_logs ADD CONSTRAINT ck_event_logs_payload_max_bytes CHECK (octet_length(payload::text) <= 65536) NOT VALID;

ALTER TABLE event_logs VALIDATE CONSTRAINT ck_event_logs_payload_max_bytes;

ALTER TABLE audit_logs ADD CONSTRAINT ck_audit_logs_details_max_bytes CHECK (octet_length(details::text) <= 65536) NOT VALID;

ALTER TABLE audit_logs VALIDATE CONSTRAINT ck_audit_logs_details_max_bytes;
