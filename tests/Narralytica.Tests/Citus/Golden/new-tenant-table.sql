DO $$
BEGIN
    IF to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
        SET LOCAL citus.multi_shard_modify_mode TO 'sequential';
    END IF;
END
$$;

CREATE TABLE clip_notes (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    video_id uuid,
    author_id uuid,
    body text NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_clip_notes PRIMARY KEY (tenant_id, id)
);

CREATE INDEX ix_clip_notes_video_id ON clip_notes (tenant_id, video_id);

COMMENT ON TABLE clip_notes IS 'A note on a video.';

COMMENT ON COLUMN clip_notes.tenant_id IS 'The tenant this row belongs to.';

COMMENT ON COLUMN clip_notes.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN clip_notes.created_at IS 'When the row was created.';

COMMENT ON COLUMN clip_notes.updated_at IS 'When the row was last changed.';

GRANT SELECT, INSERT, UPDATE, DELETE ON clip_notes TO narralytica_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON clip_notes TO narralytica_worker;

GRANT SELECT ON clip_notes TO narralytica_reader;

ALTER TABLE clip_notes ENABLE ROW LEVEL SECURITY;

ALTER TABLE clip_notes FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON clip_notes USING (tenant_id = narralytica_proven_tenant()) WITH CHECK (tenant_id = narralytica_proven_tenant());

CREATE POLICY reader_cross_tenant_read ON clip_notes FOR SELECT TO narralytica_reader USING (narralytica_cross_tenant_read_allowed());

DO $$
BEGIN
    IF to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
        IF EXISTS (SELECT FROM pg_catalog.pg_dist_partition WHERE logicalrelid = 'memberships'::regclass) THEN
            PERFORM create_distributed_table('clip_notes', 'tenant_id', colocate_with => 'memberships');
        END IF;
    END IF;
END
$$;

ALTER TABLE clip_notes ADD CONSTRAINT fk_clip_notes_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT;

ALTER TABLE clip_notes ADD CONSTRAINT fk_clip_notes_video_id FOREIGN KEY (tenant_id, video_id) REFERENCES videos (tenant_id, id) ON DELETE CASCADE;

ALTER TABLE clip_notes ADD CONSTRAINT fk_clip_notes_author_id FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE SET NULL;
