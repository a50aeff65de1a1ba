-- Scores are checked and pending publication requests voided once per
-- statement instead of once per row: importing 100,000 scores spent most of
-- its database time in the row triggers (a criteria lookup and an UPDATE of
-- publication_requests per score). The rules are the ones of check_score()
-- (migration 000007) and void_pending_requests() (000008).

-- check_scores raises for the first score of the statement that breaks a
-- rule of its criterion, with check_score()'s messages.
CREATE FUNCTION check_scores() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT c.code, c.max, c.scale_from, c.scale_to, c.panel_size, n.value, n.evaluator,
           EXISTS (SELECT 1 FROM criteria k WHERE k.parent_id = c.id) AS has_children
    INTO bad
    FROM changed_scores n JOIN criteria c ON c.id = n.criterion_id
    WHERE EXISTS (SELECT 1 FROM criteria k WHERE k.parent_id = c.id)
       OR (c.scale_to IS NOT NULL AND (n.value < c.scale_from OR n.value > c.scale_to))
       OR (c.scale_to IS NULL AND n.value > c.max)
       OR (c.panel_size IS NULL AND n.evaluator <> 0)
       OR (c.panel_size IS NOT NULL AND (n.evaluator < 1 OR n.evaluator > c.panel_size))
    LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF bad.has_children THEN
        RAISE EXCEPTION 'score for % must be on a leaf criterion', bad.code USING ERRCODE = 'check_violation';
    ELSIF bad.scale_to IS NOT NULL AND (bad.value < bad.scale_from OR bad.value > bad.scale_to) THEN
        RAISE EXCEPTION 'score % for % is outside its scale % to %', bad.value, bad.code, bad.scale_from, bad.scale_to USING ERRCODE = 'check_violation';
    ELSIF bad.scale_to IS NULL AND bad.value > bad.max THEN
        RAISE EXCEPTION 'score % for % exceeds its maximum %', bad.value, bad.code, bad.max USING ERRCODE = 'check_violation';
    ELSIF bad.panel_size IS NULL THEN
        RAISE EXCEPTION 'criterion % is scored directly; evaluator must be empty', bad.code USING ERRCODE = 'check_violation';
    END IF;
    RAISE EXCEPTION 'criterion % needs an evaluator between 1 and %', bad.code, bad.panel_size USING ERRCODE = 'check_violation';
END $$;

-- void_requests_of_scores voids the pending requests of every round whose
-- scores the statement changed.
CREATE FUNCTION void_requests_of_scores() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE publication_requests SET status = 'voided', decided_at = now(), note = 'the inputs changed (scores)'
    WHERE status = 'pending' AND round_id IN (SELECT round_id FROM changed_scores);
    RETURN NULL;
END $$;

DROP TRIGGER scores_check ON scores;
DROP TRIGGER scores_void_requests ON scores;

CREATE TRIGGER scores_check_insert AFTER INSERT ON scores
    REFERENCING NEW TABLE AS changed_scores FOR EACH STATEMENT EXECUTE FUNCTION check_scores();
CREATE TRIGGER scores_check_update AFTER UPDATE ON scores
    REFERENCING NEW TABLE AS changed_scores FOR EACH STATEMENT EXECUTE FUNCTION check_scores();
CREATE TRIGGER scores_void_insert AFTER INSERT ON scores
    REFERENCING NEW TABLE AS changed_scores FOR EACH STATEMENT EXECUTE FUNCTION void_requests_of_scores();
CREATE TRIGGER scores_void_update AFTER UPDATE ON scores
    REFERENCING NEW TABLE AS changed_scores FOR EACH STATEMENT EXECUTE FUNCTION void_requests_of_scores();
CREATE TRIGGER scores_void_delete AFTER DELETE ON scores
    REFERENCING OLD TABLE AS changed_scores FOR EACH STATEMENT EXECUTE FUNCTION void_requests_of_scores();
