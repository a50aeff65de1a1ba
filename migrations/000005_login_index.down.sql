DROP INDEX IF EXISTS audit_events_login_idx;
