-- Least privilege for the audit log: events are appended only through
-- audit_append, which computes the hash chain and runs with the rights of
-- the schema owner; the runtime role (portal_app) may read the log but not
-- write it directly. Checkpoints of the chain head, recorded periodically
-- and at every publication, let `audit verify` detect events removed from
-- the end of the log.

REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_events FROM portal_app;
REVOKE ALL ON SEQUENCE audit_events_id_seq FROM portal_app;

-- audit_append appends one event and returns its hash. Appends are
-- serialised by a transaction-level advisory lock, so every event chains
-- to the one before it.
CREATE FUNCTION audit_append(p_actor text, p_client_addr text, p_action text, p_entity text,
                             p_round_id bigint, p_before jsonb, p_after jsonb)
RETURNS bytea LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    prev bytea;
    e audit_events;
BEGIN
    PERFORM pg_advisory_xact_lock(7242001);
    SELECT hash INTO prev FROM audit_events ORDER BY id DESC LIMIT 1;
    IF prev IS NULL THEN
        prev := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
    END IF;
    e := ROW(nextval(pg_get_serial_sequence('audit_events', 'id')), now(), p_actor, coalesce(p_client_addr, ''),
             p_action, p_entity, p_round_id, p_before, p_after, prev, ''::bytea)::audit_events;
    e.hash := sha256(prev || convert_to(audit_canonical(e), 'UTF8'));
    INSERT INTO audit_events (id, at, actor, client_addr, action, entity, round_id, before, after, prev_hash, hash)
    OVERRIDING SYSTEM VALUE
    VALUES (e.id, e.at, e.actor, e.client_addr, e.action, e.entity, e.round_id, e.before, e.after, e.prev_hash, e.hash);
    RETURN e.hash;
END $$;
REVOKE ALL ON FUNCTION audit_append(text, text, text, text, bigint, jsonb, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_append(text, text, text, text, bigint, jsonb, jsonb) TO portal_app;

-- Recorded heads of the chain: append-only like the log itself.
CREATE TABLE audit_checkpoints (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    head_id   bigint NOT NULL,
    head_hash bytea NOT NULL,
    events    bigint NOT NULL
);
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE OR DELETE ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_forbid_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION audit_forbid_change();
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_checkpoints FROM portal_app;
GRANT SELECT ON audit_checkpoints TO portal_app;

-- audit_checkpoint records the current head unless it is already the
-- newest checkpoint; it returns the head's id (0: empty log).
CREATE FUNCTION audit_checkpoint() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    h audit_events;
    n bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(7242001);
    SELECT * INTO h FROM audit_events ORDER BY id DESC LIMIT 1;
    IF h.id IS NULL THEN
        RETURN 0;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM audit_checkpoints c WHERE c.id = (SELECT max(id) FROM audit_checkpoints) AND c.head_id = h.id) THEN
        SELECT count(*) INTO n FROM audit_events;
        INSERT INTO audit_checkpoints (head_id, head_hash, events) VALUES (h.id, h.hash, n);
    END IF;
    RETURN h.id;
END $$;
REVOKE ALL ON FUNCTION audit_checkpoint() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_checkpoint() TO portal_app;

-- Every publication (a new result revision) records a checkpoint too.
CREATE FUNCTION audit_checkpoint_on_publication() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM audit_checkpoint();
    RETURN NULL;
END $$;
CREATE TRIGGER result_revisions_checkpoint AFTER INSERT ON result_revisions
    FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_on_publication();
