-- Publication controls: a publication or correction binds to the results
-- document that was reviewed, and with programs.approvals = 2 waits for a
-- second admin (four-eyes). Tie decisions belong to a result revision.

CREATE TYPE request_kind AS ENUM ('publish', 'correct');
CREATE TYPE request_status AS ENUM ('pending', 'approved', 'voided', 'withdrawn');

CREATE TABLE publication_requests (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id     bigint NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    kind         request_kind NOT NULL,
    -- SHA-256 (hex) of document, the results JSON (FORMATS.md §3) reviewed.
    fingerprint  text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    -- json, not jsonb: the exact bytes the fingerprint was taken of.
    document     json NOT NULL,
    -- For a correction: the revision it corrects, the change and its reason.
    corrects     int CHECK (corrects >= 1),
    correction   jsonb,
    reason_ko    text NOT NULL DEFAULT '',
    reason_en    text NOT NULL DEFAULT '',
    -- When the approved publication is to happen (NULL: at once).
    publish_at   timestamptz,
    requested_by text NOT NULL CHECK (requested_by <> ''),
    requested_at timestamptz NOT NULL DEFAULT now(),
    status       request_status NOT NULL DEFAULT 'pending',
    decided_by   text,
    decided_at   timestamptz,
    -- The revision an approved request published.
    revision     int,
    -- Why a request was voided (the inputs changed) or withdrawn.
    note         text NOT NULL DEFAULT '',
    CHECK ((kind = 'correct') = (corrects IS NOT NULL AND correction IS NOT NULL)),
    CHECK (kind <> 'correct' OR (reason_ko <> '' AND reason_en <> '')),
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
-- At most one request waits per round.
CREATE UNIQUE INDEX publication_requests_pending_idx ON publication_requests (round_id) WHERE status = 'pending';
CREATE INDEX publication_requests_round_idx ON publication_requests (round_id, requested_at);

-- The result revision a tie decision was made for: 1 before publication,
-- the new revision for a decision that comes with a correction.
ALTER TABLE decisions ADD COLUMN revision int NOT NULL DEFAULT 1 CHECK (revision >= 1);
UPDATE decisions d SET revision = v.revision
FROM (SELECT round_id, max(revision) AS revision FROM result_revisions GROUP BY round_id) v
WHERE v.round_id = d.round_id;
-- A decision that no later revision used is not current any more.
DELETE FROM decisions d
USING (SELECT DISTINCT ON (round_id) round_id, inputs FROM result_revisions ORDER BY round_id, revision DESC) v
WHERE v.round_id = d.round_id AND v.inputs -> 'decision' IS NULL;

-- A scheduled publication that failed at its time keeps its schedule and
-- says why until someone acts (reschedules, clears or publishes).
ALTER TABLE rounds ADD COLUMN publish_error text;

-- Any change to what a round's results are computed from voids the round's
-- pending request: it no longer describes what would be published.
CREATE FUNCTION void_pending_requests() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rid bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        rid := OLD.round_id;
    ELSIF TG_TABLE_NAME = 'rounds' THEN
        rid := NEW.id;
    ELSE
        rid := NEW.round_id;
    END IF;
    UPDATE publication_requests SET status = 'voided', decided_at = now(), note = 'the inputs changed (' || TG_TABLE_NAME || ')'
    WHERE round_id = rid AND status = 'pending';
    RETURN NULL;
END $$;
CREATE TRIGGER scores_void_requests AFTER INSERT OR UPDATE OR DELETE ON scores
    FOR EACH ROW EXECUTE FUNCTION void_pending_requests();
CREATE TRIGGER entries_void_requests AFTER INSERT OR UPDATE OR DELETE ON entries
    FOR EACH ROW EXECUTE FUNCTION void_pending_requests();
CREATE TRIGGER decisions_void_requests AFTER INSERT OR UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION void_pending_requests();
CREATE TRIGGER criteria_void_requests AFTER INSERT OR UPDATE OR DELETE ON criteria
    FOR EACH ROW EXECUTE FUNCTION void_pending_requests();
CREATE TRIGGER rounds_void_requests AFTER UPDATE ON rounds
    FOR EACH ROW WHEN ((OLD.status, OLD.kind, OLD.advance, OLD.backfill, OLD.min_total, OLD.rounding_decimals, OLD.rounding_level)
        IS DISTINCT FROM (NEW.status, NEW.kind, NEW.advance, NEW.backfill, NEW.min_total, NEW.rounding_decimals, NEW.rounding_level))
    EXECUTE FUNCTION void_pending_requests();
