-- Staff accounts, sessions, scheduled publication and the tamper-evident
-- audit log.

CREATE TYPE user_role AS ENUM ('admin', 'scorer');

CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    name          text NOT NULL DEFAULT '',
    role          user_role NOT NULL,
    password_hash text NOT NULL,
    disabled_at   timestamptz,
    version       int NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_idx ON users (lower(email));

-- Sessions of the web console (the layout the session library's pgx store expects).
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- A publication scheduled for the announcement time; the server's scheduler
-- publishes due rounds, so a restart loses nothing.
ALTER TABLE rounds ADD COLUMN publish_at timestamptz;
ALTER TABLE rounds ADD COLUMN scheduled_by text NOT NULL DEFAULT '';

-- Optimistic locking of everything staff edit in forms.
ALTER TABLE entries ADD COLUMN version int NOT NULL DEFAULT 1;

-- The audit log: append-only and hash-chained. Each event's hash is the
-- SHA-256 of the previous event's hash followed by the event's canonical
-- content (audit_canonical), so changing or removing any event breaks the
-- chain from that event on.
CREATE TABLE audit_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    client_addr text NOT NULL DEFAULT '',
    action      text NOT NULL CHECK (action ~ '^[a-z_.]+$'),
    entity      text NOT NULL,
    round_id    bigint,
    before      jsonb,
    after       jsonb,
    prev_hash   bytea NOT NULL,
    hash        bytea NOT NULL UNIQUE
);
CREATE INDEX audit_events_round_idx ON audit_events (round_id, id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor, id);

CREATE FUNCTION audit_canonical(e audit_events) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', e.id,
        'at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'actor', e.actor,
        'client_addr', e.client_addr,
        'action', e.action,
        'entity', e.entity,
        'round_id', e.round_id,
        'before', e.before,
        'after', e.after)::text
$$;

CREATE FUNCTION audit_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_forbid_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_forbid_change();

-- The chain head recorded by each publication, and what a correction changed.
ALTER TABLE result_revisions ADD COLUMN audit_head bytea;
ALTER TABLE result_revisions ADD COLUMN change jsonb;
ALTER TABLE result_revisions ADD COLUMN published_by text NOT NULL DEFAULT '';

-- The runtime role: the portal's connections SET ROLE to it, so even a bug
-- in the portal cannot change or remove audit events.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portal_app') THEN
        CREATE ROLE portal_app NOLOGIN;
    END IF;
END $$;
GRANT USAGE ON SCHEMA public TO portal_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO portal_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO portal_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO portal_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO portal_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM portal_app;
GRANT SELECT, INSERT ON audit_events TO portal_app;
