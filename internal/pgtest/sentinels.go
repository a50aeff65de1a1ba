package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// The sentinel values PlantSentinels writes: none of them may appear in
// any public page, document or query while the round is not published.
const (
	SentinelReason     = "SENTINEL-EMBARGO"
	SentinelRevision   = "SENTINEL-REVISION"
	SentinelCorrection = "SENTINEL-CORRECTION"
	SentinelEntry      = "SENTINEL-ENTRY"
	SentinelScore      = "77.77"
	SentinelCategory   = "55.55"
	SentinelStat       = "66.66"
)

// PlantSentinels writes embargoed results into the round stage-2 of the
// frozen record (a draft there): a score, a published figure and statistic,
// an announced outcome, a computed result revision and an eligibility
// decision. With status set (draft, scoring or closed) the
// round is put in that status first.
func PlantSentinels(t testing.TB, pool *pgxpool.Pool, status string) {
	t.Helper()
	ctx := context.Background()
	if status != "" {
		tag, err := pool.Exec(ctx, `UPDATE rounds SET status = $1::round_status WHERE slug = 'stage-2' AND NOT published
			AND $1 IN ('draft', 'scoring', 'closed')`, status)
		if err != nil || tag.RowsAffected() != 1 {
			t.Fatalf("put stage-2 in status %s before publication: %v (%d rows)", status, err, tag.RowsAffected())
		}
	}
	_, err := pool.Exec(ctx, `
WITH r AS (SELECT id FROM rounds WHERE slug = 'stage-2'),
     lg AS (SELECT id FROM teams WHERE slug = 'lg'),
     skt AS (SELECT id FROM teams WHERE slug = 'skt'),
     c AS (INSERT INTO criteria (round_id, code, name_ko, name_en, max) SELECT r.id, 'sentinel', '센티널', 'Sentinel', 100 FROM r RETURNING id, round_id),
     s AS (INSERT INTO scores (round_id, team_id, criterion_id, value) SELECT c.round_id, lg.id, c.id, 77.77 FROM c, lg),
     p AS (INSERT INTO published_scores (round_id, team_id, criterion_id, value) SELECT r.id, lg.id, NULL, 77.77 FROM r, lg),
     ps AS (INSERT INTO published_stats (round_id, criterion_id, stat, value) SELECT r.id, NULL, 'mean', 66.66 FROM r),
     o AS (INSERT INTO announced_outcomes (round_id, team_id, outcome, reason_ko, reason_en)
           SELECT r.id, lg.id, 'eliminated', 'SENTINEL-EMBARGO', 'SENTINEL-EMBARGO' FROM r, lg),
     rv AS (INSERT INTO result_revisions (round_id, revision, snapshot)
            SELECT r.id, 1, '{"teams": [{"team": "lg", "rank": 1, "total": "77.77", "categories": {"sentinel": "55.55"},
              "outcome": "eliminated", "reason_code": "below_cut", "reason": {"ko": "SENTINEL-REVISION", "en": "SENTINEL-REVISION"}}]}' FROM r)
UPDATE entries SET status = 'disqualified', reason_ko = 'SENTINEL-ENTRY', reason_en = 'SENTINEL-ENTRY'
WHERE round_id = (SELECT id FROM r) AND team_id = (SELECT id FROM skt)`)
	if err != nil {
		t.Fatalf("plant sentinels: %v", err)
	}
}

// PlantCorrectionSentinel adds a corrected result revision to the round
// stage-2 after PlantSentinels.
func PlantCorrectionSentinel(t testing.TB, pool *pgxpool.Pool) {
	t.Helper()
	_, err := pool.Exec(context.Background(), `
INSERT INTO result_revisions (round_id, revision, reason_ko, reason_en, snapshot, change)
SELECT id, 2, 'SENTINEL-CORRECTION', 'SENTINEL-CORRECTION', '{"teams": []}', '{"kind": "score", "team": "lg", "old": "77.77", "new": "55.55"}'
FROM rounds WHERE slug = 'stage-2'`)
	if err != nil {
		t.Fatalf("plant the correction sentinel: %v", err)
	}
}
