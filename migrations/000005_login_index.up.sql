-- Sign-in limits are counted from the audit log (every attempt is audited),
-- so every portal process sharing the database enforces the same limits.
CREATE INDEX audit_events_login_idx ON audit_events (at) WHERE action IN ('auth.login', 'auth.login_failed');
