DROP TRIGGER scores_check_insert ON scores;
DROP TRIGGER scores_check_update ON scores;
DROP TRIGGER scores_void_insert ON scores;
DROP TRIGGER scores_void_update ON scores;
DROP TRIGGER scores_void_delete ON scores;
DROP FUNCTION check_scores();
DROP FUNCTION void_requests_of_scores();
CREATE TRIGGER scores_check BEFORE INSERT OR UPDATE ON scores FOR EACH ROW EXECUTE FUNCTION check_score();
CREATE TRIGGER scores_void_requests AFTER INSERT OR UPDATE OR DELETE ON scores
    FOR EACH ROW EXECUTE FUNCTION void_pending_requests();
