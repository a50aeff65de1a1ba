DROP TRIGGER IF EXISTS result_revisions_checkpoint ON result_revisions;
DROP FUNCTION IF EXISTS audit_checkpoint_on_publication();
DROP FUNCTION IF EXISTS audit_checkpoint();
DROP TABLE IF EXISTS audit_checkpoints;
DROP FUNCTION IF EXISTS audit_append(text, text, text, text, bigint, jsonb, jsonb);
GRANT USAGE, SELECT ON SEQUENCE audit_events_id_seq TO portal_app;
GRANT INSERT ON audit_events TO portal_app;
