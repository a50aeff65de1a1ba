-- Every change to the record appends an audit event; announce it so every
-- portal process can drop its cached public pages (LISTEN portal_changes).
CREATE FUNCTION notify_portal_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('portal_changes', '');
    RETURN NULL;
END $$;
CREATE TRIGGER audit_events_notify AFTER INSERT ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION notify_portal_changes();
