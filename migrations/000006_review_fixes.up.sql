-- 1. Whether a round's results are public, defined once: every public
--    query filters on it, so the embargo is written in one place.
ALTER TABLE rounds ADD COLUMN published boolean GENERATED ALWAYS AS (status IN ('published', 'corrected')) STORED;

-- 2. A criterion's maximum is checked against its scores at commit, so one
--    transaction may lower a maximum and the scores above it together.
DROP TRIGGER criteria_max_check ON criteria;
CREATE CONSTRAINT TRIGGER criteria_max_above_scores AFTER UPDATE OF max ON criteria
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_criterion_max();

-- 3. Only changes to the record invalidate cached public pages; sign-ins
--    and account changes do not (and so cannot be used to empty the cache).
DROP TRIGGER audit_events_notify ON audit_events;
CREATE TRIGGER audit_events_notify AFTER INSERT ON audit_events FOR EACH ROW
    WHEN (NEW.action NOT LIKE 'auth.%' AND NEW.action NOT LIKE 'user.%')
    EXECUTE FUNCTION notify_portal_changes();
