-- Stage 2 as it happened: rounding and raw-value scales, staged disclosure,
-- formal objections and the four-eyes setting (FORMATS.md §1, §4).

-- How many approving admins a publication or correction needs.
ALTER TABLE programs ADD COLUMN approvals int NOT NULL DEFAULT 1 CHECK (approvals IN (1, 2));

-- Rounding: category (leaves exact, categories rounded) or leaf (every leaf
-- rounded, parents summed), to one or two decimals.
CREATE TYPE rounding_level AS ENUM ('category', 'leaf');
ALTER TABLE rounds
    ADD COLUMN rounding_decimals int NOT NULL DEFAULT 2 CHECK (rounding_decimals IN (1, 2)),
    ADD COLUMN rounding_level rounding_level NOT NULL DEFAULT 'category';

-- What a published round discloses; it only ever widens.
CREATE TYPE disclosure_level AS ENUM ('outcomes', 'aggregates', 'full');
ALTER TABLE rounds ADD COLUMN disclosure disclosure_level NOT NULL DEFAULT 'full';

-- The dated history of a round's disclosure: each row is a public event.
CREATE TABLE disclosures (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id     bigint NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    level        disclosure_level NOT NULL,
    disclosed_on date NOT NULL,
    note_ko      text NOT NULL DEFAULT '',
    note_en      text NOT NULL DEFAULT '',
    disclosed_by text NOT NULL DEFAULT 'import',
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (round_id, disclosed_on, level)
);
CREATE INDEX disclosures_round_idx ON disclosures (round_id, disclosed_on);

-- A leaf may take raw values in [scale_from, scale_to] (a benchmark index,
-- a 1-5 rating) mapped linearly onto its points.
ALTER TABLE criteria
    ADD COLUMN scale_from points,
    ADD COLUMN scale_to points,
    ADD CONSTRAINT criteria_scale_check CHECK ((scale_from IS NULL) = (scale_to IS NULL) AND (scale_to IS NULL OR scale_to > scale_from));

-- A score is within its leaf's range: 0..max, or the scale's raw range.
CREATE OR REPLACE FUNCTION check_score() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c criteria%ROWTYPE;
BEGIN
    SELECT * INTO c FROM criteria WHERE id = NEW.criterion_id;
    IF EXISTS (SELECT 1 FROM criteria WHERE parent_id = NEW.criterion_id) THEN
        RAISE EXCEPTION 'score for % must be on a leaf criterion', c.code USING ERRCODE = 'check_violation';
    END IF;
    IF c.scale_to IS NOT NULL THEN
        IF NEW.value < c.scale_from OR NEW.value > c.scale_to THEN
            RAISE EXCEPTION 'score % for % is outside its scale % to %', NEW.value, c.code, c.scale_from, c.scale_to USING ERRCODE = 'check_violation';
        END IF;
    ELSIF NEW.value > c.max THEN
        RAISE EXCEPTION 'score % for % exceeds its maximum %', NEW.value, c.code, c.max USING ERRCODE = 'check_violation';
    END IF;
    IF c.panel_size IS NULL AND NEW.evaluator <> 0 THEN
        RAISE EXCEPTION 'criterion % is scored directly; evaluator must be empty', c.code USING ERRCODE = 'check_violation';
    END IF;
    IF c.panel_size IS NOT NULL AND (NEW.evaluator < 1 OR NEW.evaluator > c.panel_size) THEN
        RAISE EXCEPTION 'criterion % needs an evaluator between 1 and %', c.code, c.panel_size USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

-- Changing a leaf's maximum or scale never leaves a score out of range.
CREATE OR REPLACE FUNCTION check_criterion_max() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.scale_to IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM scores WHERE criterion_id = NEW.id AND (value < NEW.scale_from OR value > NEW.scale_to)) THEN
            RAISE EXCEPTION 'criterion % has scores outside the new scale % to %', NEW.code, NEW.scale_from, NEW.scale_to USING ERRCODE = 'check_violation';
        END IF;
    ELSIF EXISTS (SELECT 1 FROM scores WHERE criterion_id = NEW.id AND value > NEW.max) THEN
        RAISE EXCEPTION 'criterion % has scores above the new maximum %', NEW.code, NEW.max USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER criteria_max_above_scores ON criteria;
CREATE CONSTRAINT TRIGGER criteria_max_above_scores AFTER UPDATE OF max, scale_from, scale_to ON criteria
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_criterion_max();

-- The maximum-minus-minimum spread of a criterion over the ranked teams
-- ("1st-4th gap"), as the ministry published it.
ALTER TYPE published_stat ADD VALUE 'spread';

-- Formal objections (이의신청) against a round's result.
CREATE TYPE objection_status AS ENUM ('pending', 'upheld', 'rejected', 'withdrawn');
CREATE TABLE objections (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id     bigint NOT NULL,
    team_id      bigint NOT NULL,
    filed_on     date NOT NULL,
    summary_ko   text NOT NULL CHECK (summary_ko <> ''),
    summary_en   text NOT NULL CHECK (summary_en <> ''),
    decision_due date,
    status       objection_status NOT NULL DEFAULT 'pending',
    decided_on   date,
    decision_ko  text NOT NULL DEFAULT '',
    decision_en  text NOT NULL DEFAULT '',
    decided_by   text NOT NULL DEFAULT '',
    version      int NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (round_id, team_id, filed_on),
    FOREIGN KEY (round_id, team_id) REFERENCES entries (round_id, team_id) ON DELETE CASCADE,
    CHECK ((status = 'pending') = (decided_on IS NULL)),
    CHECK (status = 'pending' OR (decision_ko <> '' AND decision_en <> ''))
);

-- Sources may support a disclosure or an objection too.
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'citations'::regclass AND contype IN ('c', 'u') LOOP
        EXECUTE format('ALTER TABLE citations DROP CONSTRAINT %I', c.conname);
    END LOOP;
END $$;
ALTER TABLE citations
    ADD COLUMN disclosure_id bigint REFERENCES disclosures (id) ON DELETE CASCADE,
    ADD COLUMN objection_id bigint REFERENCES objections (id) ON DELETE CASCADE,
    ADD CONSTRAINT citations_one_subject CHECK (num_nonnulls(program_id, organization_id, team_id, membership_id, round_id, outcome_id,
        published_score_id, budget_id, allocation_id, event_id, disclosure_id, objection_id) = 1),
    ADD CONSTRAINT citations_unique UNIQUE NULLS NOT DISTINCT (source_id, program_id, organization_id, team_id, membership_id, round_id,
        outcome_id, published_score_id, budget_id, allocation_id, event_id, disclosure_id, objection_id);
