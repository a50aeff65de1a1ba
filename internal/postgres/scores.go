package postgres

// Entering scores from the staff grid, with optimistic locking per cell.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/scorecsv"
)

// scoringRound locks a round whose scores may be entered (contest.ActScore).
// Scores of a closed or published round are read-only (corrections aside).
func scoringRound(ctx context.Context, tx DBTX, program, round string) (RoundInfo, error) {
	ri, err := lockRoundFor(ctx, tx, program, round, contest.ActScore)
	if errors.Is(err, contest.ErrRoundState) {
		return ri, fmt.Errorf("the scores of %s are read-only: %w", round, err)
	}
	return ri, err
}

// startScoring moves the round to the status that scoring leads to (a draft
// round starts scoring once scores arrive).
func startScoring(ctx context.Context, tx DBTX, ri RoundInfo) error {
	next, ok := contest.Next(ri.Status, contest.ActScore)
	if !ok || next == ri.Status {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE rounds SET status = $2, updated_at = now() WHERE id = $1`, ri.ID, next)
	return err
}

// ScoreCell is one score of the staff grid with its version for optimistic
// locking (Version 0: not entered yet).
type ScoreCell struct {
	Team      string
	Criterion string
	Evaluator int
	Value     string
	Version   int
	EnteredBy string
	EnteredAt time.Time
}

// StaleScoreError is returned when a score changed since the editor read it;
// Current is what is stored now, so both values can be shown.
type StaleScoreError struct {
	Current ScoreCell
	Yours   string
}

// Error says which cell changed, to what, and what the editor typed.
func (e *StaleScoreError) Error() string {
	return fmt.Sprintf("score %s was changed by %s to %s meanwhile (yours: %s)",
		scoreKey(e.Current.Team, e.Current.Criterion, e.Current.Evaluator), e.Current.EnteredBy, e.Current.Value, e.Yours)
}

// Is makes the error match contest.ErrStale.
func (e *StaleScoreError) Is(target error) bool { return target == contest.ErrStale }

// RoundScores returns every entered score of a round with its version.
func (s *Store) RoundScores(ctx context.Context, program, round string) ([]ScoreCell, error) {
	ri, err := roundInfo(ctx, s.pool, program, round, false)
	if err != nil {
		return nil, fmt.Errorf("postgres: round scores: %w", err)
	}
	return listOf(ctx, s.pool, "postgres: round scores", func(c *ScoreCell) []any {
		return []any{&c.Team, &c.Criterion, &c.Evaluator, &c.Value, &c.Version, &c.EnteredBy, &c.EnteredAt}
	}, `
SELECT t.slug, c.code, s.evaluator, s.value::text, s.version, s.entered_by, s.entered_at
FROM scores s JOIN teams t ON t.id = s.team_id JOIN criteria c ON c.id = s.criterion_id
WHERE s.round_id = $1 ORDER BY t.slug, c.code, s.evaluator`, ri.ID)
}

// ScoreEdit is one cell a staff member saves: the value they typed and the
// version they saw (0 when the cell was empty).
type ScoreEdit struct {
	Team      string
	Criterion string
	Evaluator int
	Value     string
	Version   int
}

// SaveScores saves grid cells in one transaction with optimistic locking:
// if any cell changed since the editor read it, nothing is saved and the
// conflicts are returned (as *StaleScoresError). Values are checked like a
// CSV import. Cells whose value is unchanged are skipped.
func (s *Store) SaveScores(ctx context.Context, program, round string, edits []ScoreEdit, actor contest.Actor) (int, error) {
	saved := 0
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := scoringRound(ctx, tx, program, round)
		if err != nil {
			return err
		}
		shape, teamIDs, critIDs, err := roundShape(ctx, tx, ri.ID)
		if err != nil {
			return err
		}
		rows := make([]scorecsv.Row, len(edits))
		for i, e := range edits {
			rows[i] = scorecsv.Row{Line: i + 1, Team: e.Team, Criterion: e.Criterion, Evaluator: e.Evaluator, Value: e.Value}
		}
		if err := scorecsv.Check(rows, shape); err != nil {
			return fmt.Errorf("%w: %v", contest.ErrInvalid, err)
		}
		w := scoreSaver{tx: tx, ri: ri, teamIDs: teamIDs, critIDs: critIDs, actor: actor,
			before: map[string]string{}, after: map[string]string{}}
		for _, e := range edits {
			if err := w.save(ctx, e); err != nil {
				return err
			}
		}
		saved = w.saved
		if len(w.stale) > 0 {
			return w.stale
		}
		if saved == 0 {
			return nil
		}
		if err := startScoring(ctx, tx, ri); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "scores.save", "round:"+ri.Slug, &ri.ID, w.before, w.after)
		return err
	})
	if err != nil {
		saved = 0
		var se StaleScoresError
		if errors.As(err, &se) {
			return 0, se
		}
		return 0, fmt.Errorf("postgres: save scores: %w", err)
	}
	return saved, nil
}

// scoreSaver saves the cells of one SaveScores call, collecting the stale
// ones and the values before and after for the audit log.
type scoreSaver struct {
	tx               DBTX
	ri               RoundInfo
	teamIDs, critIDs map[string]int64
	actor            contest.Actor
	stale            StaleScoresError
	before, after    map[string]string
	saved            int
}

// save writes one cell unless it is stale (someone else saved another value
// since e.Version was read) or unchanged.
func (w *scoreSaver) save(ctx context.Context, e ScoreEdit) error {
	v, err := rules.ParseValue(e.Value)
	if err != nil {
		return fmt.Errorf("%w: %v", contest.ErrInvalid, err)
	}
	val := rules.FormatCents(v)
	ids := []any{w.ri.ID, w.teamIDs[e.Team], w.critIDs[e.Criterion], e.Evaluator}
	cur := ScoreCell{Team: e.Team, Criterion: e.Criterion, Evaluator: e.Evaluator}
	err = w.tx.QueryRow(ctx, `
SELECT value::text, version, entered_by, entered_at FROM scores
WHERE round_id = $1 AND team_id = $2 AND criterion_id = $3 AND evaluator = $4 FOR UPDATE`, ids...).Scan(&cur.Value, &cur.Version, &cur.EnteredBy, &cur.EnteredAt)
	if err := optional(err); err != nil {
		return err
	}
	same := cur.Version > 0 && mustRat(cur.Value).Cmp(v) == 0
	switch {
	case same:
		return nil // unchanged, or someone saved the same value: no conflict
	case cur.Version != e.Version:
		w.stale = append(w.stale, &StaleScoreError{Current: cur, Yours: val})
		return nil
	}
	key := scoreKey(e.Team, e.Criterion, e.Evaluator)
	if cur.Version > 0 {
		w.before[key] = cur.Value
		_, err = w.tx.Exec(ctx, `
UPDATE scores SET value = $5, version = version + 1, entered_by = $6, entered_at = now()
WHERE round_id = $1 AND team_id = $2 AND criterion_id = $3 AND evaluator = $4`, append(ids, val, w.actor.Name)...)
	} else {
		_, err = w.tx.Exec(ctx, `
INSERT INTO scores (round_id, team_id, criterion_id, evaluator, value, entered_by) VALUES ($1, $2, $3, $4, $5, $6)`, append(ids, val, w.actor.Name)...)
	}
	if err != nil {
		return mapErr(err)
	}
	w.after[key] = val
	w.saved++
	return nil
}

// StaleScoresError lists every cell that changed since the editor read it.
type StaleScoresError []*StaleScoreError

// Error lists the stale cells.
func (e StaleScoresError) Error() string {
	msg := fmt.Sprintf("%d score(s) changed meanwhile; nothing was saved", len(e))
	for _, s := range e {
		msg += "\n  " + s.Error()
	}
	return msg
}

// Is makes the error match contest.ErrStale.
func (e StaleScoresError) Is(target error) bool { return target == contest.ErrStale }
