package postgres

// The end of a round's workflow: closing, reopening, recording a decision on
// a tie at the cut, and publishing (at once or at a scheduled time).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
)

// SchedulePublication sets (or, with a zero time, clears) the time at which
// the server publishes a round by itself.
func (s *Store) SchedulePublication(ctx context.Context, program, round string, at time.Time, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := lockRoundFor(ctx, tx, program, round, contest.ActSchedule)
		if err != nil {
			return err
		}
		var when any
		if !at.IsZero() {
			when = at
		}
		if _, err := tx.Exec(ctx, `UPDATE rounds SET publish_at = $2, scheduled_by = $3, updated_at = now() WHERE id = $1`, ri.ID, when, actor.Name); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "round.schedule", "round:"+ri.Slug, &ri.ID, nil, map[string]any{"publish_at": when})
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: schedule publication: %w", err)
	}
	return nil
}

// PublishDue publishes every round whose scheduled time has come. A round
// that cannot be published (incomplete, blocked) keeps no schedule and the
// failure is recorded in the audit log. It returns the rounds published and
// those that failed.
func (s *Store) PublishDue(ctx context.Context, now time.Time) (published []string, failed map[string]error, err error) {
	failed = map[string]error{}
	type due struct{ program, round string }
	list, err := appendRows(ctx, s.pool, nil, scanWith(func(d *due) []any { return []any{&d.program, &d.round} }), `
SELECT p.slug, r.slug FROM rounds r JOIN programs p ON p.id = r.program_id
WHERE r.publish_at IS NOT NULL AND r.publish_at <= $1 AND NOT r.published ORDER BY r.publish_at`, now)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: due publications: %w", err)
	}
	actor := contest.Actor{Name: "scheduler"}
	for _, d := range list {
		perr := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			ri, err := roundInfo(ctx, tx, d.program, d.round, true)
			if err != nil {
				return err
			}
			if !contest.Allows(ri.Status, contest.ActPublish) {
				return nil // another server got there first
			}
			return publish(ctx, tx, ri, actor, now)
		})
		if perr == nil {
			published = append(published, d.round)
			continue
		}
		failed[d.round] = perr
		// Only a round that cannot be published as it is loses its schedule
		// (and says so in the audit log); a passing failure, such as a lost
		// connection, is retried at the next check.
		var ie *contest.IncompleteError
		if !errors.As(perr, &ie) && !errors.Is(perr, contest.ErrRoundState) && !errors.Is(perr, contest.ErrInvalid) {
			continue
		}
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			ri, err := roundInfo(ctx, tx, d.program, d.round, true)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE rounds SET publish_at = NULL WHERE id = $1`, ri.ID); err != nil {
				return err
			}
			_, err = appendAudit(ctx, tx, actor, "round.publish_failed", "round:"+ri.Slug, &ri.ID, nil, map[string]string{"error": perr.Error()})
			return err
		})
		if err != nil {
			failed[d.round] = fmt.Errorf("%w (and clearing its schedule failed: %v)", perr, err)
		}
	}
	return published, failed, nil
}

// CloseRound ends scoring: the round must be complete.
func (s *Store) CloseRound(ctx context.Context, program, round string, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := lockRoundFor(ctx, tx, program, round, contest.ActClose)
		if err != nil {
			return err
		}
		in, err := loadInput(ctx, tx, ri)
		if err != nil {
			return err
		}
		res, _, err := compute(in)
		if err != nil {
			return err
		}
		if !res.Complete {
			return incomplete(res)
		}
		return moveRound(ctx, tx, ri, contest.ActClose, actor, "round.close")
	})
	if err != nil {
		return fmt.Errorf("postgres: close round: %w", err)
	}
	return nil
}

// moveRound sets a round to the status that a leads to (contest.Next) and
// records the move in the audit log as action.
func moveRound(ctx context.Context, tx DBTX, ri RoundInfo, a contest.Action, actor contest.Actor, action string) error {
	next, ok := contest.Next(ri.Status, a)
	if !ok {
		return contest.CheckRound(ri.Slug, ri.Status, a)
	}
	if _, err := tx.Exec(ctx, `UPDATE rounds SET status = $2, updated_at = now() WHERE id = $1`, ri.ID, next); err != nil {
		return err
	}
	_, err := appendAudit(ctx, tx, actor, action, "round:"+ri.Slug, &ri.ID, map[string]string{"status": ri.Status}, map[string]string{"status": next})
	return err
}

// ReopenRound takes a closed round back to scoring.
func (s *Store) ReopenRound(ctx context.Context, program, round string, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := lockRoundFor(ctx, tx, program, round, contest.ActReopen)
		if err != nil {
			return err
		}
		return moveRound(ctx, tx, ri, contest.ActReopen, actor, "round.reopen")
	})
	if err != nil {
		return fmt.Errorf("postgres: reopen round: %w", err)
	}
	return nil
}

// PublishRound computes the round, refuses when it is incomplete or blocked,
// and otherwise freezes the results and their inputs as revision 1 and makes
// the round public.
func (s *Store) PublishRound(ctx context.Context, program, round string, actor contest.Actor, now time.Time) (RoundResults, error) {
	var rr RoundResults
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := lockRoundFor(ctx, tx, program, round, contest.ActPublish)
		if err != nil {
			return err
		}
		return publish(ctx, tx, ri, actor, now)
	})
	if err != nil {
		return rr, fmt.Errorf("postgres: publish round: %w", err)
	}
	return s.Results(ctx, program, round)
}

func publish(ctx context.Context, tx DBTX, ri RoundInfo, actor contest.Actor, now time.Time) error {
	in, err := loadInput(ctx, tx, ri)
	if err != nil {
		return err
	}
	if len(in.Criteria) == 0 {
		return fmt.Errorf("%w: %s has no criteria to compute results from", contest.ErrRoundState, ri.Slug)
	}
	res, err := rules.Compute(in.EngineInput())
	if err != nil {
		return err
	}
	if !res.Complete || res.Blocked {
		return incomplete(res)
	}
	snap, err := json.Marshal(rules.NewReport(ri.Program, ri.Slug, rules.ReportPublished, res))
	if err != nil {
		return err
	}
	inputs, err := json.Marshal(in)
	if err != nil {
		return err
	}
	// The publication event is appended first so the revision can record
	// the chain head that includes it.
	head, err := appendAudit(ctx, tx, actor, "round.publish", "round:"+ri.Slug, &ri.ID,
		map[string]string{"status": ri.Status}, map[string]any{"status": "published", "revision": 1, "results": json.RawMessage(snap)})
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO result_revisions (round_id, revision, published_at, snapshot, inputs, audit_head, published_by)
VALUES ($1, 1, $2, $3, $4, $5, $6)`, ri.ID, now, snap, inputs, head, actor.Name); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE rounds SET status = 'published', published_at = $2, publish_at = NULL, updated_at = now() WHERE id = $1`, ri.ID, now)
	return err
}

// DecideRound records which teams of a tie at the cut go through, with a
// reason. The decision must resolve the round's current tie.
func (s *Store) DecideRound(ctx context.Context, program, round string, advance []string, reason contest.Text, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := lockRoundFor(ctx, tx, program, round, contest.ActDecide)
		if err != nil {
			return err
		}
		in, err := loadInput(ctx, tx, ri)
		if err != nil {
			return err
		}
		if res, _, err := compute(in); err == nil && !res.Complete {
			return incomplete(res)
		}
		in.Decision = &FrozenDecision{Advance: advance, Reason: reason}
		if _, err := rules.Compute(in.EngineInput()); err != nil {
			return fmt.Errorf("%w: %v", contest.ErrInvalid, err)
		}
		_, err = tx.Exec(ctx, `
INSERT INTO decisions (round_id, team_ids, reason_ko, reason_en, decided_by)
VALUES ($1, array(SELECT id FROM teams WHERE program_id = (SELECT program_id FROM rounds WHERE id = $1) AND slug = ANY($2) ORDER BY id), $3, $4, $5)
ON CONFLICT (round_id) DO UPDATE SET team_ids = excluded.team_ids, reason_ko = excluded.reason_ko, reason_en = excluded.reason_en,
  decided_by = excluded.decided_by, decided_at = now()`, ri.ID, advance, reason.KO, reason.EN, actor.Name)
		if err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "round.decide", "round:"+ri.Slug, &ri.ID, nil, in.Decision)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: decide round: %w", err)
	}
	return nil
}
