DELETE FROM citations WHERE disclosure_id IS NOT NULL OR objection_id IS NOT NULL;
ALTER TABLE citations DROP CONSTRAINT citations_one_subject, DROP CONSTRAINT citations_unique;
ALTER TABLE citations DROP COLUMN disclosure_id, DROP COLUMN objection_id;
ALTER TABLE citations
    ADD CHECK (num_nonnulls(program_id, organization_id, team_id, membership_id, round_id, outcome_id,
        published_score_id, budget_id, allocation_id, event_id) = 1),
    ADD UNIQUE NULLS NOT DISTINCT (source_id, program_id, organization_id, team_id, membership_id, round_id,
        outcome_id, published_score_id, budget_id, allocation_id, event_id);
DROP TABLE objections;
DROP TYPE objection_status;
-- published_stat keeps its 'spread' value (an enum value cannot be dropped); rows using it go.
DELETE FROM published_stats WHERE stat = 'spread';
DROP TRIGGER criteria_max_above_scores ON criteria;
CREATE OR REPLACE FUNCTION check_criterion_max() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM scores WHERE criterion_id = NEW.id AND value > NEW.max) THEN
        RAISE EXCEPTION 'criterion % has scores above the new maximum %', NEW.code, NEW.max USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE CONSTRAINT TRIGGER criteria_max_above_scores AFTER UPDATE OF max ON criteria
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_criterion_max();
CREATE OR REPLACE FUNCTION check_score() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c criteria%ROWTYPE;
BEGIN
    SELECT * INTO c FROM criteria WHERE id = NEW.criterion_id;
    IF EXISTS (SELECT 1 FROM criteria WHERE parent_id = NEW.criterion_id) THEN
        RAISE EXCEPTION 'score for % must be on a leaf criterion', c.code USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.value > c.max THEN
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
ALTER TABLE criteria DROP CONSTRAINT criteria_scale_check, DROP COLUMN scale_from, DROP COLUMN scale_to;
DROP TABLE disclosures;
ALTER TABLE rounds DROP COLUMN disclosure, DROP COLUMN rounding_decimals, DROP COLUMN rounding_level;
DROP TYPE disclosure_level;
DROP TYPE rounding_level;
ALTER TABLE programs DROP COLUMN approvals;
