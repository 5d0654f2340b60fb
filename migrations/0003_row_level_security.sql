-- Narralytica migration 0003_row_level_security
-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.
--
-- Changes:
--   create the tenant context: table narralytica_cross_tenant_audits, procedures narralytica_set_tenant and narralytica_set_cross_tenant_audit
--   enable row-level security on memberships (policies tenant_isolation, cross_tenant_read)
--   enable row-level security on tenant_configs (policies tenant_isolation, cross_tenant_read)
--   enable row-level security on videos (policies tenant_isolation, cross_tenant_read)
--   enable row-level security on transcripts (policies tenant_isolation, cross_tenant_read)
--   enable row-level security on speakers (policies tenant_isolation, cross_tenant_read)
--   enable row-level security on segments (policies tenant_isolation, cross_tenant_read)
--   enable row-level security on layers (policies tenant_isolation, cross_tenant_read)
--   enable row-level security on jobs (policies tenant_isolation, cross_tenant_read)
--   enable row-level security on pipeline_checkpoints (policies tenant_isolation, cross_tenant_read)
--   enable row-level security on event_logs (policies tenant_isolation, cross_tenant_read)
--   enable row-level security on audit_logs (policies tenant_isolation, cross_tenant_read)

CREATE TABLE narralytica_cross_tenant_audits (
    id uuid NOT NULL,
    justification text NOT NULL,
    database_user text NOT NULL DEFAULT session_user,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_narralytica_cross_tenant_audits PRIMARY KEY (id),
    CONSTRAINT ck_narralytica_cross_tenant_audits_justification CHECK (btrim(justification) <> '')
);

COMMENT ON TABLE narralytica_cross_tenant_audits IS 'Cross-tenant reads: one row per use of the escape hatch, with its justification and the login that wrote it. Append-only for narralytica_app.';

GRANT SELECT, INSERT ON narralytica_cross_tenant_audits TO narralytica_app;

CREATE PROCEDURE narralytica_set_tenant(tenant uuid) LANGUAGE sql AS $$ SELECT set_config('narralytica.tenant_id', coalesce(tenant::text, ''), true) $$;

CREATE PROCEDURE narralytica_set_cross_tenant_audit(audit uuid) LANGUAGE sql AS $$ SELECT set_config('narralytica.cross_tenant_audit', coalesce(audit::text, ''), true) $$;

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;

ALTER TABLE memberships FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON memberships USING (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid));

CREATE POLICY cross_tenant_read ON memberships FOR SELECT USING (EXISTS (SELECT FROM narralytica_cross_tenant_audits a WHERE a.id = nullif(current_setting('narralytica.cross_tenant_audit', true), '')::uuid AND a.database_user = session_user));

ALTER TABLE tenant_configs ENABLE ROW LEVEL SECURITY;

ALTER TABLE tenant_configs FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON tenant_configs USING (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid));

CREATE POLICY cross_tenant_read ON tenant_configs FOR SELECT USING (EXISTS (SELECT FROM narralytica_cross_tenant_audits a WHERE a.id = nullif(current_setting('narralytica.cross_tenant_audit', true), '')::uuid AND a.database_user = session_user));

ALTER TABLE videos ENABLE ROW LEVEL SECURITY;

ALTER TABLE videos FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON videos USING (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid));

CREATE POLICY cross_tenant_read ON videos FOR SELECT USING (EXISTS (SELECT FROM narralytica_cross_tenant_audits a WHERE a.id = nullif(current_setting('narralytica.cross_tenant_audit', true), '')::uuid AND a.database_user = session_user));

ALTER TABLE transcripts ENABLE ROW LEVEL SECURITY;

ALTER TABLE transcripts FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON transcripts USING (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid));

CREATE POLICY cross_tenant_read ON transcripts FOR SELECT USING (EXISTS (SELECT FROM narralytica_cross_tenant_audits a WHERE a.id = nullif(current_setting('narralytica.cross_tenant_audit', true), '')::uuid AND a.database_user = session_user));

ALTER TABLE speakers ENABLE ROW LEVEL SECURITY;

ALTER TABLE speakers FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON speakers USING (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid));

CREATE POLICY cross_tenant_read ON speakers FOR SELECT USING (EXISTS (SELECT FROM narralytica_cross_tenant_audits a WHERE a.id = nullif(current_setting('narralytica.cross_tenant_audit', true), '')::uuid AND a.database_user = session_user));

ALTER TABLE segments ENABLE ROW LEVEL SECURITY;

ALTER TABLE segments FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON segments USING (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid));

CREATE POLICY cross_tenant_read ON segments FOR SELECT USING (EXISTS (SELECT FROM narralytica_cross_tenant_audits a WHERE a.id = nullif(current_setting('narralytica.cross_tenant_audit', true), '')::uuid AND a.database_user = session_user));

ALTER TABLE layers ENABLE ROW LEVEL SECURITY;

ALTER TABLE layers FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON layers USING (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid));

CREATE POLICY cross_tenant_read ON layers FOR SELECT USING (EXISTS (SELECT FROM narralytica_cross_tenant_audits a WHERE a.id = nullif(current_setting('narralytica.cross_tenant_audit', true), '')::uuid AND a.database_user = session_user));

ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;

ALTER TABLE jobs FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON jobs USING (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid));

CREATE POLICY cross_tenant_read ON jobs FOR SELECT USING (EXISTS (SELECT FROM narralytica_cross_tenant_audits a WHERE a.id = nullif(current_setting('narralytica.cross_tenant_audit', true), '')::uuid AND a.database_user = session_user));

ALTER TABLE pipeline_checkpoints ENABLE ROW LEVEL SECURITY;

ALTER TABLE pipeline_checkpoints FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON pipeline_checkpoints USING (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid));

CREATE POLICY cross_tenant_read ON pipeline_checkpoints FOR SELECT USING (EXISTS (SELECT FROM narralytica_cross_tenant_audits a WHERE a.id = nullif(current_setting('narralytica.cross_tenant_audit', true), '')::uuid AND a.database_user = session_user));

ALTER TABLE event_logs ENABLE ROW LEVEL SECURITY;

ALTER TABLE event_logs FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON event_logs USING (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid));

CREATE POLICY cross_tenant_read ON event_logs FOR SELECT USING (EXISTS (SELECT FROM narralytica_cross_tenant_audits a WHERE a.id = nullif(current_setting('narralytica.cross_tenant_audit', true), '')::uuid AND a.database_user = session_user));

ALTER TABLE audit_logs ENABLE ROW LEVEL SECURITY;

ALTER TABLE audit_logs FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON audit_logs USING (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (SELECT nullif(current_setting('narralytica.tenant_id', true), '')::uuid));

CREATE POLICY cross_tenant_read ON audit_logs FOR SELECT USING (EXISTS (SELECT FROM narralytica_cross_tenant_audits a WHERE a.id = nullif(current_setting('narralytica.cross_tenant_audit', true), '')::uuid AND a.database_user = session_user));
