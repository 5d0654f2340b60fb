-- Narralytica on Citus: distributes a database built from schema.yaml (run as its owner, on the coordinator).
-- `narralytica distribute` runs the same steps, skipping each one whose check says it is done.

-- tenant context: procedures whose SET LOCAL reaches every node
-- done when: SELECT EXISTS (SELECT FROM pg_proc WHERE oid = to_regprocedure('narralytica_set_tenant(uuid)') AND prosrc = ' BEGIN SET LOCAL citus.propagate_set_commands = ''local''; EXECUTE format(''SET LOCAL narralytica.tenant_id = %L'', coalesce(tenant::text, '''')); END ') AND EXISTS (SELECT FROM pg_proc WHERE oid = to_regprocedure('narralytica_set_cross_tenant_audit(uuid)') AND prosrc = ' BEGIN SET LOCAL citus.propagate_set_commands = ''local''; EXECUTE format(''SET LOCAL narralytica.cross_tenant_audit = %L'', coalesce(audit::text, '''')); END ') AND EXISTS (SELECT FROM pg_proc WHERE oid = to_regprocedure('narralytica_set_tenant_proof(text)') AND prosrc = ' BEGIN SET LOCAL citus.propagate_set_commands = ''local''; EXECUTE format(''SET LOCAL narralytica.tenant_proof = %L'', coalesce(proof, '''')); END ')
BEGIN;
CREATE OR REPLACE PROCEDURE narralytica_set_tenant(tenant uuid) LANGUAGE plpgsql AS $$ BEGIN SET LOCAL citus.propagate_set_commands = 'local'; EXECUTE format('SET LOCAL narralytica.tenant_id = %L', coalesce(tenant::text, '')); END $$;
CREATE OR REPLACE PROCEDURE narralytica_set_cross_tenant_audit(audit uuid) LANGUAGE plpgsql AS $$ BEGIN SET LOCAL citus.propagate_set_commands = 'local'; EXECUTE format('SET LOCAL narralytica.cross_tenant_audit = %L', coalesce(audit::text, '')); END $$;
CREATE OR REPLACE PROCEDURE narralytica_set_tenant_proof(proof text) LANGUAGE plpgsql AS $$ BEGIN SET LOCAL citus.propagate_set_commands = 'local'; EXECUTE format('SET LOCAL narralytica.tenant_proof = %L', coalesce(proof, '')); END $$;
COMMIT;

-- memberships: policies without subqueries
-- done when: SELECT EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'memberships' AND policyname = 'tenant_isolation' AND qual = '(tenant_id = narralytica_proven_tenant())' AND with_check = '(tenant_id = narralytica_proven_tenant())') AND EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'memberships' AND policyname = 'reader_cross_tenant_read' AND qual = 'narralytica_cross_tenant_read_allowed()' AND with_check IS NULL)
BEGIN;
DROP POLICY IF EXISTS tenant_isolation ON memberships;
CREATE POLICY tenant_isolation ON memberships USING (tenant_id = narralytica_proven_tenant()) WITH CHECK (tenant_id = narralytica_proven_tenant());
DROP POLICY IF EXISTS reader_cross_tenant_read ON memberships;
CREATE POLICY reader_cross_tenant_read ON memberships FOR SELECT TO narralytica_reader USING (narralytica_cross_tenant_read_allowed());
COMMIT;

-- tenant_configs: policies without subqueries
-- done when: SELECT EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'tenant_configs' AND policyname = 'tenant_isolation' AND qual = '(tenant_id = narralytica_proven_tenant())' AND with_check = '(tenant_id = narralytica_proven_tenant())') AND EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'tenant_configs' AND policyname = 'reader_cross_tenant_read' AND qual = 'narralytica_cross_tenant_read_allowed()' AND with_check IS NULL)
BEGIN;
DROP POLICY IF EXISTS tenant_isolation ON tenant_configs;
CREATE POLICY tenant_isolation ON tenant_configs USING (tenant_id = narralytica_proven_tenant()) WITH CHECK (tenant_id = narralytica_proven_tenant());
DROP POLICY IF EXISTS reader_cross_tenant_read ON tenant_configs;
CREATE POLICY reader_cross_tenant_read ON tenant_configs FOR SELECT TO narralytica_reader USING (narralytica_cross_tenant_read_allowed());
COMMIT;

-- videos: policies without subqueries
-- done when: SELECT EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'videos' AND policyname = 'tenant_isolation' AND qual = '(tenant_id = narralytica_proven_tenant())' AND with_check = '(tenant_id = narralytica_proven_tenant())') AND EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'videos' AND policyname = 'reader_cross_tenant_read' AND qual = 'narralytica_cross_tenant_read_allowed()' AND with_check IS NULL)
BEGIN;
DROP POLICY IF EXISTS tenant_isolation ON videos;
CREATE POLICY tenant_isolation ON videos USING (tenant_id = narralytica_proven_tenant()) WITH CHECK (tenant_id = narralytica_proven_tenant());
DROP POLICY IF EXISTS reader_cross_tenant_read ON videos;
CREATE POLICY reader_cross_tenant_read ON videos FOR SELECT TO narralytica_reader USING (narralytica_cross_tenant_read_allowed());
COMMIT;

-- transcripts: policies without subqueries
-- done when: SELECT EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'transcripts' AND policyname = 'tenant_isolation' AND qual = '(tenant_id = narralytica_proven_tenant())' AND with_check = '(tenant_id = narralytica_proven_tenant())') AND EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'transcripts' AND policyname = 'reader_cross_tenant_read' AND qual = 'narralytica_cross_tenant_read_allowed()' AND with_check IS NULL)
BEGIN;
DROP POLICY IF EXISTS tenant_isolation ON transcripts;
CREATE POLICY tenant_isolation ON transcripts USING (tenant_id = narralytica_proven_tenant()) WITH CHECK (tenant_id = narralytica_proven_tenant());
DROP POLICY IF EXISTS reader_cross_tenant_read ON transcripts;
CREATE POLICY reader_cross_tenant_read ON transcripts FOR SELECT TO narralytica_reader USING (narralytica_cross_tenant_read_allowed());
COMMIT;

-- speakers: policies without subqueries
-- done when: SELECT EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'speakers' AND policyname = 'tenant_isolation' AND qual = '(tenant_id = narralytica_proven_tenant())' AND with_check = '(tenant_id = narralytica_proven_tenant())') AND EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'speakers' AND policyname = 'reader_cross_tenant_read' AND qual = 'narralytica_cross_tenant_read_allowed()' AND with_check IS NULL)
BEGIN;
DROP POLICY IF EXISTS tenant_isolation ON speakers;
CREATE POLICY tenant_isolation ON speakers USING (tenant_id = narralytica_proven_tenant()) WITH CHECK (tenant_id = narralytica_proven_tenant());
DROP POLICY IF EXISTS reader_cross_tenant_read ON speakers;
CREATE POLICY reader_cross_tenant_read ON speakers FOR SELECT TO narralytica_reader USING (narralytica_cross_tenant_read_allowed());
COMMIT;

-- segments: policies without subqueries
-- done when: SELECT EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'segments' AND policyname = 'tenant_isolation' AND qual = '(tenant_id = narralytica_proven_tenant())' AND with_check = '(tenant_id = narralytica_proven_tenant())') AND EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'segments' AND policyname = 'reader_cross_tenant_read' AND qual = 'narralytica_cross_tenant_read_allowed()' AND with_check IS NULL)
BEGIN;
DROP POLICY IF EXISTS tenant_isolation ON segments;
CREATE POLICY tenant_isolation ON segments USING (tenant_id = narralytica_proven_tenant()) WITH CHECK (tenant_id = narralytica_proven_tenant());
DROP POLICY IF EXISTS reader_cross_tenant_read ON segments;
CREATE POLICY reader_cross_tenant_read ON segments FOR SELECT TO narralytica_reader USING (narralytica_cross_tenant_read_allowed());
COMMIT;

-- layers: policies without subqueries
-- done when: SELECT EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'layers' AND policyname = 'tenant_isolation' AND qual = '(tenant_id = narralytica_proven_tenant())' AND with_check = '(tenant_id = narralytica_proven_tenant())') AND EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'layers' AND policyname = 'reader_cross_tenant_read' AND qual = 'narralytica_cross_tenant_read_allowed()' AND with_check IS NULL)
BEGIN;
DROP POLICY IF EXISTS tenant_isolation ON layers;
CREATE POLICY tenant_isolation ON layers USING (tenant_id = narralytica_proven_tenant()) WITH CHECK (tenant_id = narralytica_proven_tenant());
DROP POLICY IF EXISTS reader_cross_tenant_read ON layers;
CREATE POLICY reader_cross_tenant_read ON layers FOR SELECT TO narralytica_reader USING (narralytica_cross_tenant_read_allowed());
COMMIT;

-- jobs: policies without subqueries
-- done when: SELECT EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'jobs' AND policyname = 'tenant_isolation' AND qual = '(tenant_id = narralytica_proven_tenant())' AND with_check = '(tenant_id = narralytica_proven_tenant())') AND EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'jobs' AND policyname = 'reader_cross_tenant_read' AND qual = 'narralytica_cross_tenant_read_allowed()' AND with_check IS NULL)
BEGIN;
DROP POLICY IF EXISTS tenant_isolation ON jobs;
CREATE POLICY tenant_isolation ON jobs USING (tenant_id = narralytica_proven_tenant()) WITH CHECK (tenant_id = narralytica_proven_tenant());
DROP POLICY IF EXISTS reader_cross_tenant_read ON jobs;
CREATE POLICY reader_cross_tenant_read ON jobs FOR SELECT TO narralytica_reader USING (narralytica_cross_tenant_read_allowed());
COMMIT;

-- pipeline_checkpoints: policies without subqueries
-- done when: SELECT EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'pipeline_checkpoints' AND policyname = 'tenant_isolation' AND qual = '(tenant_id = narralytica_proven_tenant())' AND with_check = '(tenant_id = narralytica_proven_tenant())') AND EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'pipeline_checkpoints' AND policyname = 'reader_cross_tenant_read' AND qual = 'narralytica_cross_tenant_read_allowed()' AND with_check IS NULL)
BEGIN;
DROP POLICY IF EXISTS tenant_isolation ON pipeline_checkpoints;
CREATE POLICY tenant_isolation ON pipeline_checkpoints USING (tenant_id = narralytica_proven_tenant()) WITH CHECK (tenant_id = narralytica_proven_tenant());
DROP POLICY IF EXISTS reader_cross_tenant_read ON pipeline_checkpoints;
CREATE POLICY reader_cross_tenant_read ON pipeline_checkpoints FOR SELECT TO narralytica_reader USING (narralytica_cross_tenant_read_allowed());
COMMIT;

-- event_logs: policies without subqueries
-- done when: SELECT EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'event_logs' AND policyname = 'tenant_isolation' AND qual = '(tenant_id = narralytica_proven_tenant())' AND with_check = '(tenant_id = narralytica_proven_tenant())') AND EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'event_logs' AND policyname = 'reader_cross_tenant_read' AND qual = 'narralytica_cross_tenant_read_allowed()' AND with_check IS NULL)
BEGIN;
DROP POLICY IF EXISTS tenant_isolation ON event_logs;
CREATE POLICY tenant_isolation ON event_logs USING (tenant_id = narralytica_proven_tenant()) WITH CHECK (tenant_id = narralytica_proven_tenant());
DROP POLICY IF EXISTS reader_cross_tenant_read ON event_logs;
CREATE POLICY reader_cross_tenant_read ON event_logs FOR SELECT TO narralytica_reader USING (narralytica_cross_tenant_read_allowed());
COMMIT;

-- audit_logs: policies without subqueries
-- done when: SELECT EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'audit_logs' AND policyname = 'tenant_isolation' AND qual = '(tenant_id = narralytica_proven_tenant())' AND with_check = '(tenant_id = narralytica_proven_tenant())') AND EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'audit_logs' AND policyname = 'reader_cross_tenant_read' AND qual = 'narralytica_cross_tenant_read_allowed()' AND with_check IS NULL)
BEGIN;
DROP POLICY IF EXISTS tenant_isolation ON audit_logs;
CREATE POLICY tenant_isolation ON audit_logs USING (tenant_id = narralytica_proven_tenant()) WITH CHECK (tenant_id = narralytica_proven_tenant());
DROP POLICY IF EXISTS reader_cross_tenant_read ON audit_logs;
CREATE POLICY reader_cross_tenant_read ON audit_logs FOR SELECT TO narralytica_reader USING (narralytica_cross_tenant_read_allowed());
COMMIT;

-- narralytica_proven_tenant(): on every node, reading its reference table where it runs
-- done when: SELECT EXISTS (SELECT FROM pg_dist_object WHERE classid = 'pg_proc'::regclass AND objid = 'narralytica_proven_tenant()'::regprocedure) AND coalesce((SELECT 'citus.allow_nested_distributed_execution=on' = ANY (proconfig) FROM pg_proc WHERE oid = 'narralytica_proven_tenant()'::regprocedure), false)
BEGIN;
SELECT create_distributed_function('narralytica_proven_tenant()');
ALTER FUNCTION narralytica_proven_tenant() SET citus.allow_nested_distributed_execution = on;
COMMIT;

-- narralytica_cross_tenant_read_allowed(): on every node, reading its reference table where it runs
-- done when: SELECT EXISTS (SELECT FROM pg_dist_object WHERE classid = 'pg_proc'::regclass AND objid = 'narralytica_cross_tenant_read_allowed()'::regprocedure) AND coalesce((SELECT 'citus.allow_nested_distributed_execution=on' = ANY (proconfig) FROM pg_proc WHERE oid = 'narralytica_cross_tenant_read_allowed()'::regprocedure), false)
BEGIN;
SELECT create_distributed_function('narralytica_cross_tenant_read_allowed()');
ALTER FUNCTION narralytica_cross_tenant_read_allowed() SET citus.allow_nested_distributed_execution = on;
COMMIT;

-- foreign keys: dropped until every table is distributed
-- done when: SELECT NOT EXISTS (SELECT FROM unnest(ARRAY['users', 'roles', 'permissions', 'role_permissions', 'tenants', 'narralytica_tenant_keys', 'narralytica_cross_tenant_audits', 'memberships', 'tenant_configs', 'videos', 'transcripts', 'speakers', 'segments', 'layers', 'jobs', 'pipeline_checkpoints', 'event_logs', 'audit_logs']::regclass[]) AS t(relation) WHERE t.relation NOT IN (SELECT logicalrelid FROM pg_dist_partition))
BEGIN;
ALTER TABLE role_permissions DROP CONSTRAINT IF EXISTS fk_role_permissions_role_id;
ALTER TABLE role_permissions DROP CONSTRAINT IF EXISTS fk_role_permissions_permission_id;
ALTER TABLE memberships DROP CONSTRAINT IF EXISTS fk_memberships_tenant;
ALTER TABLE memberships DROP CONSTRAINT IF EXISTS fk_memberships_user_id;
ALTER TABLE memberships DROP CONSTRAINT IF EXISTS fk_memberships_role_id;
ALTER TABLE tenant_configs DROP CONSTRAINT IF EXISTS fk_tenant_configs_tenant;
ALTER TABLE tenant_configs DROP CONSTRAINT IF EXISTS fk_tenant_configs_updated_by;
ALTER TABLE videos DROP CONSTRAINT IF EXISTS fk_videos_tenant;
ALTER TABLE transcripts DROP CONSTRAINT IF EXISTS fk_transcripts_tenant;
ALTER TABLE transcripts DROP CONSTRAINT IF EXISTS fk_transcripts_video_id;
ALTER TABLE speakers DROP CONSTRAINT IF EXISTS fk_speakers_tenant;
ALTER TABLE speakers DROP CONSTRAINT IF EXISTS fk_speakers_video_id;
ALTER TABLE segments DROP CONSTRAINT IF EXISTS fk_segments_tenant;
ALTER TABLE segments DROP CONSTRAINT IF EXISTS fk_segments_transcript_id;
ALTER TABLE segments DROP CONSTRAINT IF EXISTS fk_segments_speaker_id;
ALTER TABLE layers DROP CONSTRAINT IF EXISTS fk_layers_tenant;
ALTER TABLE layers DROP CONSTRAINT IF EXISTS fk_layers_segment_id;
ALTER TABLE jobs DROP CONSTRAINT IF EXISTS fk_jobs_tenant;
ALTER TABLE pipeline_checkpoints DROP CONSTRAINT IF EXISTS fk_pipeline_checkpoints_tenant;
ALTER TABLE event_logs DROP CONSTRAINT IF EXISTS fk_event_logs_tenant;
ALTER TABLE audit_logs DROP CONSTRAINT IF EXISTS fk_audit_logs_tenant;
COMMIT;

-- users: reference table
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'users'::regclass)
BEGIN;
SELECT create_reference_table('users');
COMMIT;

-- roles: reference table
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'roles'::regclass)
BEGIN;
SELECT create_reference_table('roles');
COMMIT;

-- permissions: reference table
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'permissions'::regclass)
BEGIN;
SELECT create_reference_table('permissions');
COMMIT;

-- role_permissions: reference table
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'role_permissions'::regclass)
BEGIN;
SELECT create_reference_table('role_permissions');
COMMIT;

-- tenants: reference table
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'tenants'::regclass)
BEGIN;
SELECT create_reference_table('tenants');
COMMIT;

-- narralytica_tenant_keys: reference table
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'narralytica_tenant_keys'::regclass)
BEGIN;
SELECT create_reference_table('narralytica_tenant_keys');
COMMIT;

-- narralytica_cross_tenant_audits: reference table
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'narralytica_cross_tenant_audits'::regclass)
BEGIN;
SELECT create_reference_table('narralytica_cross_tenant_audits');
COMMIT;

-- memberships: distributed by tenant_id
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'memberships'::regclass)
BEGIN;
SELECT create_distributed_table('memberships', 'tenant_id');
COMMIT;

-- tenant_configs: distributed by tenant_id
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'tenant_configs'::regclass)
BEGIN;
SELECT create_distributed_table('tenant_configs', 'tenant_id', colocate_with => 'memberships');
COMMIT;

-- videos: distributed by tenant_id
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'videos'::regclass)
BEGIN;
SELECT create_distributed_table('videos', 'tenant_id', colocate_with => 'memberships');
COMMIT;

-- transcripts: distributed by tenant_id
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'transcripts'::regclass)
BEGIN;
SELECT create_distributed_table('transcripts', 'tenant_id', colocate_with => 'memberships');
COMMIT;

-- speakers: distributed by tenant_id
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'speakers'::regclass)
BEGIN;
SELECT create_distributed_table('speakers', 'tenant_id', colocate_with => 'memberships');
COMMIT;

-- segments: distributed by tenant_id
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'segments'::regclass)
BEGIN;
SELECT create_distributed_table('segments', 'tenant_id', colocate_with => 'memberships');
COMMIT;

-- layers: distributed by tenant_id
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'layers'::regclass)
BEGIN;
SELECT create_distributed_table('layers', 'tenant_id', colocate_with => 'memberships');
COMMIT;

-- jobs: distributed by tenant_id
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'jobs'::regclass)
BEGIN;
SELECT create_distributed_table('jobs', 'tenant_id', colocate_with => 'memberships');
COMMIT;

-- pipeline_checkpoints: distributed by tenant_id
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'pipeline_checkpoints'::regclass)
BEGIN;
SELECT create_distributed_table('pipeline_checkpoints', 'tenant_id', colocate_with => 'memberships');
COMMIT;

-- event_logs: distributed by tenant_id
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'event_logs'::regclass)
BEGIN;
SELECT create_distributed_table('event_logs', 'tenant_id', colocate_with => 'memberships');
COMMIT;

-- audit_logs: distributed by tenant_id
-- done when: SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'audit_logs'::regclass)
BEGIN;
SELECT create_distributed_table('audit_logs', 'tenant_id', colocate_with => 'memberships');
COMMIT;

-- role_permissions: foreign key fk_role_permissions_role_id
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'role_permissions'::regclass AND conname = 'fk_role_permissions_role_id')
BEGIN;
ALTER TABLE role_permissions ADD CONSTRAINT fk_role_permissions_role_id FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE CASCADE;
COMMIT;

-- role_permissions: foreign key fk_role_permissions_permission_id
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'role_permissions'::regclass AND conname = 'fk_role_permissions_permission_id')
BEGIN;
ALTER TABLE role_permissions ADD CONSTRAINT fk_role_permissions_permission_id FOREIGN KEY (permission_id) REFERENCES permissions (id) ON DELETE CASCADE;
COMMIT;

-- memberships: foreign key fk_memberships_tenant
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'memberships'::regclass AND conname = 'fk_memberships_tenant')
BEGIN;
ALTER TABLE memberships ADD CONSTRAINT fk_memberships_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT;
COMMIT;

-- memberships: foreign key fk_memberships_user_id
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'memberships'::regclass AND conname = 'fk_memberships_user_id')
BEGIN;
ALTER TABLE memberships ADD CONSTRAINT fk_memberships_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;
COMMIT;

-- memberships: foreign key fk_memberships_role_id
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'memberships'::regclass AND conname = 'fk_memberships_role_id')
BEGIN;
ALTER TABLE memberships ADD CONSTRAINT fk_memberships_role_id FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE RESTRICT;
COMMIT;

-- tenant_configs: foreign key fk_tenant_configs_tenant
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'tenant_configs'::regclass AND conname = 'fk_tenant_configs_tenant')
BEGIN;
ALTER TABLE tenant_configs ADD CONSTRAINT fk_tenant_configs_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT;
COMMIT;

-- tenant_configs: foreign key fk_tenant_configs_updated_by
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'tenant_configs'::regclass AND conname = 'fk_tenant_configs_updated_by')
BEGIN;
ALTER TABLE tenant_configs ADD CONSTRAINT fk_tenant_configs_updated_by FOREIGN KEY (updated_by) REFERENCES users (id) ON DELETE SET NULL;
COMMIT;

-- videos: foreign key fk_videos_tenant
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'videos'::regclass AND conname = 'fk_videos_tenant')
BEGIN;
ALTER TABLE videos ADD CONSTRAINT fk_videos_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT;
COMMIT;

-- transcripts: foreign key fk_transcripts_tenant
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'transcripts'::regclass AND conname = 'fk_transcripts_tenant')
BEGIN;
ALTER TABLE transcripts ADD CONSTRAINT fk_transcripts_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT;
COMMIT;

-- transcripts: foreign key fk_transcripts_video_id
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'transcripts'::regclass AND conname = 'fk_transcripts_video_id')
BEGIN;
ALTER TABLE transcripts ADD CONSTRAINT fk_transcripts_video_id FOREIGN KEY (tenant_id, video_id) REFERENCES videos (tenant_id, id) ON DELETE CASCADE;
COMMIT;

-- speakers: foreign key fk_speakers_tenant
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'speakers'::regclass AND conname = 'fk_speakers_tenant')
BEGIN;
ALTER TABLE speakers ADD CONSTRAINT fk_speakers_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT;
COMMIT;

-- speakers: foreign key fk_speakers_video_id
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'speakers'::regclass AND conname = 'fk_speakers_video_id')
BEGIN;
ALTER TABLE speakers ADD CONSTRAINT fk_speakers_video_id FOREIGN KEY (tenant_id, video_id) REFERENCES videos (tenant_id, id) ON DELETE CASCADE;
COMMIT;

-- segments: foreign key fk_segments_tenant
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'segments'::regclass AND conname = 'fk_segments_tenant')
BEGIN;
ALTER TABLE segments ADD CONSTRAINT fk_segments_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT;
COMMIT;

-- segments: foreign key fk_segments_transcript_id
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'segments'::regclass AND conname = 'fk_segments_transcript_id')
BEGIN;
ALTER TABLE segments ADD CONSTRAINT fk_segments_transcript_id FOREIGN KEY (tenant_id, transcript_id) REFERENCES transcripts (tenant_id, id) ON DELETE CASCADE;
COMMIT;

-- segments: foreign key fk_segments_speaker_id
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'segments'::regclass AND conname = 'fk_segments_speaker_id')
BEGIN;
ALTER TABLE segments ADD CONSTRAINT fk_segments_speaker_id FOREIGN KEY (tenant_id, speaker_id) REFERENCES speakers (tenant_id, id) ON DELETE RESTRICT;
COMMIT;

-- layers: foreign key fk_layers_tenant
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'layers'::regclass AND conname = 'fk_layers_tenant')
BEGIN;
ALTER TABLE layers ADD CONSTRAINT fk_layers_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT;
COMMIT;

-- layers: foreign key fk_layers_segment_id
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'layers'::regclass AND conname = 'fk_layers_segment_id')
BEGIN;
ALTER TABLE layers ADD CONSTRAINT fk_layers_segment_id FOREIGN KEY (tenant_id, segment_id) REFERENCES segments (tenant_id, id) ON DELETE CASCADE;
COMMIT;

-- jobs: foreign key fk_jobs_tenant
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'jobs'::regclass AND conname = 'fk_jobs_tenant')
BEGIN;
ALTER TABLE jobs ADD CONSTRAINT fk_jobs_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT;
COMMIT;

-- pipeline_checkpoints: foreign key fk_pipeline_checkpoints_tenant
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'pipeline_checkpoints'::regclass AND conname = 'fk_pipeline_checkpoints_tenant')
BEGIN;
ALTER TABLE pipeline_checkpoints ADD CONSTRAINT fk_pipeline_checkpoints_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT;
COMMIT;

-- event_logs: foreign key fk_event_logs_tenant
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'event_logs'::regclass AND conname = 'fk_event_logs_tenant')
BEGIN;
ALTER TABLE event_logs ADD CONSTRAINT fk_event_logs_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT;
COMMIT;

-- audit_logs: foreign key fk_audit_logs_tenant
-- done when: SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'audit_logs'::regclass AND conname = 'fk_audit_logs_tenant')
BEGIN;
ALTER TABLE audit_logs ADD CONSTRAINT fk_audit_logs_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT;
COMMIT;
