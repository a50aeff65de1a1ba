DROP TRIGGER IF EXISTS audit_events_notify ON audit_events;
CREATE TRIGGER audit_events_notify AFTER INSERT ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION notify_portal_changes();
DROP TRIGGER IF EXISTS criteria_max_above_scores ON criteria;
CREATE TRIGGER criteria_max_check BEFORE UPDATE OF max ON criteria FOR EACH ROW EXECUTE FUNCTION check_criterion_max();
ALTER TABLE rounds DROP COLUMN IF EXISTS published;
