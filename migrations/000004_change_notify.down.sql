DROP TRIGGER IF EXISTS audit_events_notify ON audit_events;
DROP FUNCTION IF EXISTS notify_portal_changes();
