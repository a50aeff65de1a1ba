package postgres

// Importing scores from a CSV file, with a preview (dry run) first.

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/scorecsv"
)

// errDryRun rolls back the transaction of a dry run.
var errDryRun = errors.New("dry run")

// ScoreChange is one row of an import preview.
type ScoreChange struct {
	Line      int
	Team      string
	Criterion string
	Evaluator int
	Old       string // "" when new
	New       string
}

// ScoreDiff says what a score import did, or would do in a dry run.
type ScoreDiff struct {
	New       []ScoreChange
	Changed   []ScoreChange
	Unchanged int
	// Base fingerprints the round's stored scores (every cell with its
	// value and version) the diff was computed against. A preview passes it
	// back as expectBase, so its confirmation writes only if nobody changed
	// a score since.
	Base string
}

// roundShape reads what scorecsv.Check needs to know of a round.
func roundShape(ctx context.Context, db DBTX, roundID int64) (scorecsv.Round, map[string]int64, map[string]int64, error) {
	rd := scorecsv.Round{Teams: map[string]bool{}, Leaves: map[string]scorecsv.Leaf{}, Criteria: map[string]bool{}}
	teams, crits := map[string]int64{}, map[string]int64{}
	var code, max string
	var id int64
	err := forEachRow(ctx, db, []any{&code, &id}, func() error {
		rd.Teams[code], teams[code] = true, id
		return nil
	}, `SELECT t.slug, t.id FROM entries e JOIN teams t ON t.id = e.team_id WHERE e.round_id = $1`, roundID)
	if err != nil {
		return rd, nil, nil, err
	}
	var size int
	var leaf bool
	err = forEachRow(ctx, db, []any{&code, &id, &max, &size, &leaf}, func() error {
		rd.Criteria[code] = true
		if leaf {
			rd.Leaves[code] = scorecsv.Leaf{Max: mustRat(max), PanelSize: size}
			crits[code] = id
		}
		return nil
	}, `
SELECT c.code, c.id, c.max::text, coalesce(c.panel_size, 0), NOT EXISTS (SELECT 1 FROM criteria k WHERE k.parent_id = c.id)
FROM criteria c WHERE c.round_id = $1`, roundID)
	return rd, teams, crits, err
}

// ImportScores writes the given score rows to a round in one transaction:
// all rows are checked against the round first, and a file with any bad row
// writes nothing. With dryRun nothing is written either way; the diff says
// what would change. Scores of a closed or published round are read-only.
//
// With a non-empty expectBase the import writes only if the round's stored
// scores still have that fingerprint (ScoreDiff.Base of the preview);
// otherwise it fails with contest.ErrStale and writes nothing. The round is
// locked meanwhile, so no grid save can slip in between.
func (s *Store) ImportScores(ctx context.Context, program, round string, rows []scorecsv.Row, actor contest.Actor, dryRun bool, expectBase string) (ScoreDiff, error) {
	var diff ScoreDiff
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := scoringRound(ctx, tx, program, round)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `
SELECT encode(sha256(convert_to(coalesce(string_agg(format('%s %s %s %s %s', team_id, criterion_id, evaluator, value, version), E'\n'
  ORDER BY team_id, criterion_id, evaluator), ''), 'UTF8')), 'hex')
FROM scores WHERE round_id = $1`, ri.ID).Scan(&diff.Base); err != nil {
			return err
		}
		if expectBase != "" && expectBase != diff.Base {
			return fmt.Errorf("%w: the scores of %s changed since the preview; review the new preview", contest.ErrStale, round)
		}
		shape, teamIDs, critIDs, err := roundShape(ctx, tx, ri.ID)
		if err != nil {
			return err
		}
		if err := scorecsv.Check(rows, shape); err != nil {
			return err
		}
		existing, err := existingScores(ctx, tx, ri.ID)
		if err != nil {
			return err
		}
		w := diff.add(rows, existing, teamIDs, critIDs)
		if dryRun {
			return errDryRun
		}
		if len(w.teams) == 0 {
			return nil
		}
		if err := writeScores(ctx, tx, ri.ID, w.teams, w.crits, w.evals, w.values, actor.Name, false); err != nil {
			return err
		}
		before, after := diff.audit()
		if _, err := appendAudit(ctx, tx, actor, "scores.import", "round:"+ri.Slug, &ri.ID, before, after); err != nil {
			return err
		}
		return startScoring(ctx, tx, ri)
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return diff, fmt.Errorf("postgres: import scores: %w", mapErr(err))
	}
	return diff, nil
}

// scoreKey names a score in audit events: team/criterion or team/criterion/evaluator.
// existingScores reads a round's scores by key.
func existingScores(ctx context.Context, db DBTX, roundID int64) (map[scorecsv.Key]string, error) {
	existing := map[scorecsv.Key]string{}
	rows, err := db.Query(ctx, `
SELECT t.slug, c.code, s.evaluator, s.value::text FROM scores s JOIN teams t ON t.id = s.team_id JOIN criteria c ON c.id = s.criterion_id
WHERE s.round_id = $1`, roundID)
	if err != nil {
		return nil, err
	}
	var k scorecsv.Key
	var v string
	_, err = pgx.ForEachRow(rows, []any{&k.Team, &k.Criterion, &k.Evaluator, &v}, func() error {
		existing[k] = v
		return nil
	})
	return existing, err
}

// scoreColumns are the rows of a bulk score write, column by column.
type scoreColumns struct {
	teams, crits []int64
	evals        []int32
	values       []string
}

// add sorts the imported rows into new, changed and unchanged scores and
// returns the new and changed ones as the columns to write.
func (d *ScoreDiff) add(rows []scorecsv.Row, existing map[scorecsv.Key]string, teamIDs, critIDs map[string]int64) scoreColumns {
	n := len(rows)
	w := scoreColumns{make([]int64, 0, n), make([]int64, 0, n), make([]int32, 0, n), make([]string, 0, n)}
	for _, r := range rows {
		k := scorecsv.Key{Team: r.Team, Criterion: r.Criterion, Evaluator: r.Evaluator}
		v, _ := rules.ParseValue(r.Value)
		val := rules.FormatCents(v)
		ch := ScoreChange{Line: r.Line, Team: r.Team, Criterion: r.Criterion, Evaluator: r.Evaluator, New: val}
		old, ok := existing[k]
		switch {
		case !ok:
			d.New = append(d.New, ch)
		case mustRat(old).Cmp(v) != 0:
			ch.Old = rules.FormatCents(mustRat(old))
			d.Changed = append(d.Changed, ch)
		default:
			d.Unchanged++
			continue
		}
		w.teams, w.crits = append(w.teams, teamIDs[r.Team]), append(w.crits, critIDs[r.Criterion])
		w.evals, w.values = append(w.evals, int32(r.Evaluator)), append(w.values, val)
	}
	return w
}

// audit returns the values the import changes, before and after, by score
// key.
func (d ScoreDiff) audit() (before, after map[string]string) {
	before, after = map[string]string{}, map[string]string{}
	for _, c := range append(append([]ScoreChange{}, d.New...), d.Changed...) {
		key := scoreKey(c.Team, c.Criterion, c.Evaluator)
		if c.Old != "" {
			before[key] = c.Old
		}
		after[key] = c.New
	}
	return before, after
}

func scoreKey(team, criterion string, evaluator int) string {
	if evaluator == 0 {
		return team + "/" + criterion
	}
	return fmt.Sprintf("%s/%s/%d", team, criterion, evaluator)
}
