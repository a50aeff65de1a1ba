DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portal_app') THEN
        REVOKE ALL ON ALL TABLES IN SCHEMA public FROM portal_app;
        REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM portal_app;
        REVOKE ALL ON SCHEMA public FROM portal_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM portal_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM portal_app;
    END IF;
END $$;
ALTER TABLE result_revisions DROP COLUMN IF EXISTS audit_head, DROP COLUMN IF EXISTS change, DROP COLUMN IF EXISTS published_by;
DROP FUNCTION IF EXISTS audit_canonical(audit_events);
DROP TABLE IF EXISTS audit_events;
DROP FUNCTION IF EXISTS audit_forbid_change();
ALTER TABLE entries DROP COLUMN IF EXISTS version;
ALTER TABLE rounds DROP COLUMN IF EXISTS scheduled_by, DROP COLUMN IF EXISTS publish_at;
DROP TABLE IF EXISTS sessions, users;
DROP TYPE IF EXISTS user_role;
