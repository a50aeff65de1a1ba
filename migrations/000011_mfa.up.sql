-- Staff accounts' second factor (TOTP) and sessions.
--
-- The TOTP secret lives in its own table, never joined by any public read
-- or export; only the sign-in, enrolment and re-authentication statements
-- read it. Recovery codes are stored as SHA-256 hashes only (each is a
-- random code of about 49 bits shown once), and each can be used once. The last
-- accepted time step makes a code that was just used worthless for a
-- replay within its validity window.
CREATE TABLE user_totp (
    user_id    bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret     text NOT NULL CHECK (secret ~ '^[A-Z2-7]+$'),
    last_step  bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_recovery_codes (
    user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash bytea NOT NULL CHECK (length(code_hash) = 32),
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- The console sessions of each account, so a user can see theirs and end
-- them: a session whose row is gone is signed out on its next request.
-- The session's own data stays in the sessions table; id is a random
-- handle stored in that data, not the cookie's token.
CREATE TABLE staff_sessions (
    id          text PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now(),
    client_addr text NOT NULL DEFAULT '',
    user_agent  text NOT NULL DEFAULT ''
);
CREATE INDEX staff_sessions_user_idx ON staff_sessions (user_id, last_seen DESC);

GRANT SELECT, INSERT, UPDATE, DELETE ON user_totp, user_recovery_codes, staff_sessions TO portal_app;
