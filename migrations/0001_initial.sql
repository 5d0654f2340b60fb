-- Narralytica migration 0001_initial
-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.
--
-- Changes:
--   create enum video_source
--   create enum transcript_origin
--   create enum job_status
--   create enum audit_outcome
--   create table users
--   create table roles
--   create table permissions
--   create table role_permissions
--   create table tenants
--   create table memberships
--   create table tenant_configs
--   create table videos
--   create table transcripts
--   create table speakers
--   create table segments
--   create table layers
--   create table jobs
--   create table pipeline_checkpoints
--   create table event_logs
--   create table audit_logs

CREATE TYPE video_source AS ENUM ('upload', 'youtube', 'vimeo', 'podcast_feed', 'other');

COMMENT ON TYPE video_source IS 'Where a video comes from.';

CREATE TYPE transcript_origin AS ENUM ('asr', 'human', 'imported');

COMMENT ON TYPE transcript_origin IS 'How a transcript was produced.';

CREATE TYPE job_status AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled');

COMMENT ON TYPE job_status IS 'Lifecycle of a background job.';

CREATE TYPE audit_outcome AS ENUM ('allowed', 'denied', 'failed');

COMMENT ON TYPE audit_outcome IS 'What happened to an audited action.';

CREATE TABLE users (
    id uuid NOT NULL,
    email character varying(320) NOT NULL,
    display_name text NOT NULL,
    auth_subject character varying(255),
    last_login_at timestamp with time zone,
    disabled_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_users PRIMARY KEY (id),
    CONSTRAINT uq_users_email UNIQUE (email),
    CONSTRAINT uq_users_auth_subject UNIQUE (auth_subject),
    CONSTRAINT ck_users_email CHECK (email = lower(email))
);

COMMENT ON TABLE users IS 'Authenticated identities. Global, because one person may belong to several tenants.';

COMMENT ON COLUMN users.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN users.email IS 'Login e-mail, stored lower-case.';

COMMENT ON COLUMN users.auth_subject IS 'Subject claim of the identity provider, once the user has signed in.';

COMMENT ON COLUMN users.disabled_at IS 'Set when the account is disabled; a disabled user cannot sign in.';

COMMENT ON COLUMN users.created_at IS 'When the row was created.';

COMMENT ON COLUMN users.updated_at IS 'When the row was last changed.';

CREATE TABLE roles (
    id uuid NOT NULL,
    name character varying(64) NOT NULL,
    description text,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_roles PRIMARY KEY (id),
    CONSTRAINT uq_roles_name UNIQUE (name)
);

COMMENT ON TABLE roles IS 'Named permission sets (owner, editor, viewer, …).';

COMMENT ON COLUMN roles.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN roles.created_at IS 'When the row was created.';

COMMENT ON COLUMN roles.updated_at IS 'When the row was last changed.';

CREATE TABLE permissions (
    id uuid NOT NULL,
    action character varying(64) NOT NULL,
    resource character varying(64) NOT NULL,
    description text,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_permissions PRIMARY KEY (id),
    CONSTRAINT uq_permissions_action_resource UNIQUE (action, resource)
);

COMMENT ON TABLE permissions IS 'Action–resource definitions a role can grant, such as ("edit", "transcripts").';

COMMENT ON COLUMN permissions.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN permissions.created_at IS 'When the row was created.';

COMMENT ON COLUMN permissions.updated_at IS 'When the row was last changed.';

CREATE TABLE role_permissions (
    role_id uuid NOT NULL,
    permission_id uuid NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_role_permissions PRIMARY KEY (role_id, permission_id),
    CONSTRAINT fk_role_permissions_role_id FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE CASCADE,
    CONSTRAINT fk_role_permissions_permission_id FOREIGN KEY (permission_id) REFERENCES permissions (id) ON DELETE CASCADE
);

CREATE INDEX ix_role_permissions_permission_id ON role_permissions (permission_id);

COMMENT ON TABLE role_permissions IS 'The permissions that make up a role.';

COMMENT ON COLUMN role_permissions.created_at IS 'When the row was created.';

CREATE TABLE tenants (
    id uuid NOT NULL,
    slug character varying(63) NOT NULL,
    name text NOT NULL,
    suspended_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_tenants PRIMARY KEY (id),
    CONSTRAINT uq_tenants_slug UNIQUE (slug),
    CONSTRAINT ck_tenants_slug CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$')
);

COMMENT ON TABLE tenants IS 'The logical isolation boundary. Every tenant-scoped row references one.';

COMMENT ON COLUMN tenants.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN tenants.slug IS 'URL-safe, unique name of the tenant.';

COMMENT ON COLUMN tenants.suspended_at IS 'Set while the tenant is suspended.';

COMMENT ON COLUMN tenants.created_at IS 'When the row was created.';

COMMENT ON COLUMN tenants.updated_at IS 'When the row was last changed.';

CREATE TABLE memberships (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    role_id uuid NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_memberships PRIMARY KEY (tenant_id, id),
    CONSTRAINT uq_memberships_user_id UNIQUE (tenant_id, user_id),
    CONSTRAINT fk_memberships_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT,
    CONSTRAINT fk_memberships_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_memberships_role_id FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE RESTRICT
);

COMMENT ON TABLE memberships IS 'A user''s membership of a tenant, with the role it grants there.';

COMMENT ON COLUMN memberships.tenant_id IS 'The tenant this row belongs to.';

COMMENT ON COLUMN memberships.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN memberships.created_at IS 'When the row was created.';

COMMENT ON COLUMN memberships.updated_at IS 'When the row was last changed.';

CREATE TABLE tenant_configs (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    key character varying(128) NOT NULL,
    value jsonb NOT NULL,
    updated_by uuid,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_tenant_configs PRIMARY KEY (tenant_id, id),
    CONSTRAINT uq_tenant_configs_key UNIQUE (tenant_id, key),
    CONSTRAINT fk_tenant_configs_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT,
    CONSTRAINT fk_tenant_configs_updated_by FOREIGN KEY (updated_by) REFERENCES users (id) ON DELETE SET NULL
);

COMMENT ON TABLE tenant_configs IS 'Per-tenant configuration, one JSON value per key.';

COMMENT ON COLUMN tenant_configs.tenant_id IS 'The tenant this row belongs to.';

COMMENT ON COLUMN tenant_configs.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN tenant_configs.created_at IS 'When the row was created.';

COMMENT ON COLUMN tenant_configs.updated_at IS 'When the row was last changed.';

CREATE TABLE videos (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    source video_source NOT NULL,
    external_id character varying(255) NOT NULL,
    url text,
    title text NOT NULL,
    language character varying(35),
    duration_ms bigint,
    published_at timestamp with time zone,
    metadata jsonb NOT NULL DEFAULT '{}',
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_videos PRIMARY KEY (tenant_id, id),
    CONSTRAINT uq_videos_source_external_id UNIQUE (tenant_id, source, external_id),
    CONSTRAINT ck_videos_duration_ms CHECK (duration_ms >= 0),
    CONSTRAINT fk_videos_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT
);

CREATE INDEX ix_videos_published_at ON videos (tenant_id, published_at DESC);

CREATE INDEX ix_videos_metadata ON videos USING gin (metadata);

COMMENT ON TABLE videos IS 'Canonical video sources and their metadata; one row per video of any source.';

COMMENT ON COLUMN videos.tenant_id IS 'The tenant this row belongs to.';

COMMENT ON COLUMN videos.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN videos.external_id IS 'The video''s id at its source (a YouTube id, an upload key, …).';

COMMENT ON COLUMN videos.language IS 'Main spoken language, as a BCP 47 tag.';

COMMENT ON COLUMN videos.metadata IS 'Source-specific metadata, kept as delivered.';

COMMENT ON COLUMN videos.created_at IS 'When the row was created.';

COMMENT ON COLUMN videos.updated_at IS 'When the row was last changed.';

CREATE TABLE transcripts (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    video_id uuid NOT NULL,
    language character varying(35) NOT NULL,
    origin transcript_origin NOT NULL,
    revision integer NOT NULL DEFAULT 1,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_transcripts PRIMARY KEY (tenant_id, id),
    CONSTRAINT uq_transcripts_video_id_language_origin_revision UNIQUE (tenant_id, video_id, language, origin, revision),
    CONSTRAINT ck_transcripts_revision CHECK (revision >= 1),
    CONSTRAINT fk_transcripts_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT,
    CONSTRAINT fk_transcripts_video_id FOREIGN KEY (tenant_id, video_id) REFERENCES videos (tenant_id, id) ON DELETE CASCADE
);

COMMENT ON TABLE transcripts IS 'A full, timecoded transcript of a video. A new revision is a new row.';

COMMENT ON COLUMN transcripts.tenant_id IS 'The tenant this row belongs to.';

COMMENT ON COLUMN transcripts.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN transcripts.language IS 'BCP 47 tag of the transcript''s language.';

COMMENT ON COLUMN transcripts.created_at IS 'When the row was created.';

COMMENT ON COLUMN transcripts.updated_at IS 'When the row was last changed.';

CREATE TABLE speakers (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    video_id uuid,
    label character varying(100) NOT NULL,
    display_name text,
    metadata jsonb NOT NULL DEFAULT '{}',
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_speakers PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_speakers_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT,
    CONSTRAINT fk_speakers_video_id FOREIGN KEY (tenant_id, video_id) REFERENCES videos (tenant_id, id) ON DELETE CASCADE
);

CREATE INDEX ix_speakers_video_id_label ON speakers (tenant_id, video_id, label);

COMMENT ON TABLE speakers IS 'A speaker identity, within one video (video_id set) or across a tenant''s videos (video_id null).';

COMMENT ON COLUMN speakers.tenant_id IS 'The tenant this row belongs to.';

COMMENT ON COLUMN speakers.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN speakers.label IS 'Diarization label such as SPEAKER_00, or a name given by an editor.';

COMMENT ON COLUMN speakers.created_at IS 'When the row was created.';

COMMENT ON COLUMN speakers.updated_at IS 'When the row was last changed.';

CREATE TABLE segments (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    transcript_id uuid NOT NULL,
    speaker_id uuid,
    ordinal integer NOT NULL,
    start_ms integer NOT NULL,
    end_ms integer NOT NULL,
    text text NOT NULL,
    confidence real,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_segments PRIMARY KEY (tenant_id, id),
    CONSTRAINT uq_segments_transcript_id_ordinal UNIQUE (tenant_id, transcript_id, ordinal),
    CONSTRAINT ck_segments_ordinal CHECK (ordinal >= 0),
    CONSTRAINT ck_segments_confidence CHECK (confidence >= 0 AND confidence <= 1),
    CONSTRAINT ck_segments_time_order CHECK (start_ms >= 0 AND end_ms > start_ms),
    CONSTRAINT ck_segments_max_length CHECK (end_ms - start_ms <= 600000),
    CONSTRAINT fk_segments_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT,
    CONSTRAINT fk_segments_transcript_id FOREIGN KEY (tenant_id, transcript_id) REFERENCES transcripts (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT fk_segments_speaker_id FOREIGN KEY (tenant_id, speaker_id) REFERENCES speakers (tenant_id, id) ON DELETE RESTRICT
);

CREATE INDEX ix_segments_transcript_id_start_ms ON segments (tenant_id, transcript_id, start_ms);

CREATE INDEX ix_segments_speaker_id_transcript_id_ordinal ON segments (tenant_id, speaker_id, transcript_id, ordinal) WHERE (speaker_id IS NOT NULL);

COMMENT ON TABLE segments IS 'A time-bounded unit of speech within a transcript.';

COMMENT ON COLUMN segments.tenant_id IS 'The tenant this row belongs to.';

COMMENT ON COLUMN segments.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN segments.ordinal IS 'Position of the segment in its transcript, from 0.';

COMMENT ON COLUMN segments.start_ms IS 'Start, in milliseconds from the start of the video.';

COMMENT ON COLUMN segments.end_ms IS 'End (exclusive), in milliseconds from the start of the video.';

COMMENT ON COLUMN segments.created_at IS 'When the row was created.';

COMMENT ON COLUMN segments.updated_at IS 'When the row was last changed.';

CREATE TABLE layers (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    segment_id uuid NOT NULL,
    kind character varying(64) NOT NULL,
    version integer NOT NULL,
    producer character varying(128) NOT NULL,
    model character varying(128),
    payload jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_layers PRIMARY KEY (tenant_id, id),
    CONSTRAINT uq_layers_segment_id_kind_version UNIQUE (tenant_id, segment_id, kind, version),
    CONSTRAINT ck_layers_version CHECK (version >= 1),
    CONSTRAINT fk_layers_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT,
    CONSTRAINT fk_layers_segment_id FOREIGN KEY (tenant_id, segment_id) REFERENCES segments (tenant_id, id) ON DELETE CASCADE
);

COMMENT ON TABLE layers IS 'A versioned AI output attached to a segment. Append-only; a new version is a new row.';

COMMENT ON COLUMN layers.tenant_id IS 'The tenant this row belongs to.';

COMMENT ON COLUMN layers.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN layers.kind IS 'What the layer holds (summary, sentiment, topics, translation:fr, …).';

COMMENT ON COLUMN layers.producer IS 'The pipeline or service that produced it.';

COMMENT ON COLUMN layers.model IS 'The AI model and its version, when one was used.';

COMMENT ON COLUMN layers.created_at IS 'When the row was created.';

CREATE TABLE jobs (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    kind character varying(64) NOT NULL,
    status job_status NOT NULL DEFAULT 'queued',
    payload jsonb NOT NULL DEFAULT '{}',
    priority smallint NOT NULL DEFAULT 0,
    attempts integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL DEFAULT 5,
    run_after timestamp with time zone NOT NULL DEFAULT now(),
    lease_owner text,
    lease_expires_at timestamp with time zone,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    last_error text,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_jobs PRIMARY KEY (tenant_id, id),
    CONSTRAINT ck_jobs_attempts CHECK (attempts >= 0),
    CONSTRAINT ck_jobs_max_attempts CHECK (max_attempts >= 1),
    CONSTRAINT fk_jobs_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT
);

CREATE INDEX ix_jobs_priority_run_after ON jobs (tenant_id, priority DESC, run_after) WHERE (status = 'queued');

CREATE INDEX ix_jobs_lease_expires_at ON jobs (tenant_id, lease_expires_at) WHERE (status = 'running');

COMMENT ON TABLE jobs IS 'Background task tracking, with leasing so one worker runs a job at a time.';

COMMENT ON COLUMN jobs.tenant_id IS 'The tenant this row belongs to.';

COMMENT ON COLUMN jobs.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN jobs.run_after IS 'The job is not started before this time.';

COMMENT ON COLUMN jobs.lease_owner IS 'The worker holding the job while it runs.';

COMMENT ON COLUMN jobs.created_at IS 'When the row was created.';

COMMENT ON COLUMN jobs.updated_at IS 'When the row was last changed.';

CREATE TABLE pipeline_checkpoints (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    pipeline character varying(64) NOT NULL,
    stage character varying(64) NOT NULL,
    position text NOT NULL,
    state jsonb NOT NULL DEFAULT '{}',
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_pipeline_checkpoints PRIMARY KEY (tenant_id, id),
    CONSTRAINT uq_pipeline_checkpoints_pipeline_stage UNIQUE (tenant_id, pipeline, stage),
    CONSTRAINT fk_pipeline_checkpoints_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT
);

COMMENT ON TABLE pipeline_checkpoints IS 'How far a pipeline stage has got, so it resumes where it stopped.';

COMMENT ON COLUMN pipeline_checkpoints.tenant_id IS 'The tenant this row belongs to.';

COMMENT ON COLUMN pipeline_checkpoints.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN pipeline_checkpoints.position IS 'Opaque resume cursor of the stage.';

COMMENT ON COLUMN pipeline_checkpoints.created_at IS 'When the row was created.';

COMMENT ON COLUMN pipeline_checkpoints.updated_at IS 'When the row was last changed.';

CREATE TABLE event_logs (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    occurred_at timestamp with time zone NOT NULL DEFAULT now(),
    event_type character varying(128) NOT NULL,
    actor_user_id uuid,
    target_type character varying(64),
    target_id uuid,
    payload jsonb NOT NULL DEFAULT '{}',
    CONSTRAINT pk_event_logs PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_event_logs_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT
);

CREATE INDEX ix_event_logs_occurred_at ON event_logs (tenant_id, occurred_at);

CREATE INDEX ix_event_logs_target_type_target_id_occurred_at ON event_logs (tenant_id, target_type, target_id, occurred_at);

COMMENT ON TABLE event_logs IS 'Event history. Append-only.';

COMMENT ON COLUMN event_logs.tenant_id IS 'The tenant this row belongs to.';

COMMENT ON COLUMN event_logs.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN event_logs.actor_user_id IS 'The user who caused the event; kept as written even after the user is deleted.';

CREATE TABLE audit_logs (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    occurred_at timestamp with time zone NOT NULL DEFAULT now(),
    actor_user_id uuid,
    actor_address character varying(45),
    action character varying(128) NOT NULL,
    target_type character varying(64) NOT NULL,
    target_id uuid,
    outcome audit_outcome NOT NULL,
    details jsonb NOT NULL DEFAULT '{}',
    CONSTRAINT pk_audit_logs PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_audit_logs_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT
);

CREATE INDEX ix_audit_logs_occurred_at ON audit_logs (tenant_id, occurred_at);

CREATE INDEX ix_audit_logs_actor_user_id_occurred_at ON audit_logs (tenant_id, actor_user_id, occurred_at);

COMMENT ON TABLE audit_logs IS 'Security and compliance records. Append-only.';

COMMENT ON COLUMN audit_logs.tenant_id IS 'The tenant this row belongs to.';

COMMENT ON COLUMN audit_logs.id IS 'Client-generated UUIDv7; never reused.';

COMMENT ON COLUMN audit_logs.actor_user_id IS 'The acting user; kept as written even after the user is deleted.';

COMMENT ON COLUMN audit_logs.actor_address IS 'Network address the action came from.';
