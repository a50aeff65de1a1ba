package postgres

// The end of a round's workflow: closing, reopening, recording a decision on
// a tie at the cut, and publishing (at once, as requested and approved, or
// at a scheduled time). A publication binds to the results document that
// was reviewed: it takes effect only if the inputs still produce exactly
// that document (its fingerprint).

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

// resultsDoc is a round's results as a publication would freeze them: the
// inputs, the computed result, the document (FORMATS.md §3) and its
// fingerprint.
type resultsDoc struct {
	in  FrozenInput
	res rules.Result
	doc []byte
	fp  string
}

// publishableDoc computes a round's results document with the given report
// status; it refuses a round without criteria, incomplete or blocked. A
// recorded decision that no tie needs any more is left out.
func publishableDoc(ctx context.Context, db DBTX, ri RoundInfo, status string) (resultsDoc, error) {
	in, err := loadInput(ctx, db, ri)
	if err != nil {
		return resultsDoc{}, err
	}
	if len(in.Criteria) == 0 {
		return resultsDoc{}, fmt.Errorf("%w: %s has no criteria to compute results from", contest.ErrRoundState, ri.Slug)
	}
	res, stale, err := compute(in)
	if err != nil {
		return resultsDoc{}, err
	}
	if stale {
		in.Decision = nil
	}
	return finishDoc(ri, in, res, status)
}

// finishDoc checks that res may be published and renders its document.
func finishDoc(ri RoundInfo, in FrozenInput, res rules.Result, status string) (resultsDoc, error) {
	if !res.Complete || res.Blocked {
		return resultsDoc{}, incomplete(res)
	}
	doc, err := json.Marshal(rules.NewReport(ri.Program, ri.Slug, status, res))
	if err != nil {
		return resultsDoc{}, err
	}
	return resultsDoc{in: in, res: res, doc: doc, fp: contest.Fingerprint(doc)}, nil
}

// staleDoc is the error for a reviewed fingerprint that the current
// document d does not have.
func staleDoc(ri RoundInfo, reviewed string, reviewedDoc []byte, d resultsDoc) *contest.StaleResultsError {
	return &contest.StaleResultsError{Round: ri.Slug, Reviewed: reviewed, Current: d.fp, ReviewedDocument: reviewedDoc, CurrentDocument: d.doc}
}

// programApprovals is how many admins a publication of the round's
// program needs (1 or 2).
func programApprovals(ctx context.Context, db DBTX, roundID int64) (int, error) {
	var n int
	err := db.QueryRow(ctx, `SELECT p.approvals FROM programs p JOIN rounds r ON r.program_id = p.id WHERE r.id = $1`, roundID).Scan(&n)
	return n, err
}

// requireSingleApproval refuses a direct publication or correction when
// the round's program requires two approvals.
func requireSingleApproval(ctx context.Context, db DBTX, roundID int64) error {
	approvals, err := programApprovals(ctx, db, roundID)
	if err == nil && approvals > 1 {
		err = contest.ErrApprovalRequired
	}
	return err
}

// SchedulePublication sets (or, with a zero time, clears) the time at which
// the server publishes a round by itself. Only a closed, complete and
// unblocked round can be scheduled, and with two approvals required only
// after a publication request was approved (for the results the inputs
// still produce). Clearing is possible in any unpublished status, so a
// failed schedule can always be dismissed.
func (s *Store) SchedulePublication(ctx context.Context, program, round string, at time.Time, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		a := contest.ActSchedule
		if at.IsZero() {
			a = contest.ActEditNote // any unpublished round may drop its schedule
		}
		ri, err := lockRoundFor(ctx, tx, program, round, a)
		if err != nil {
			return err
		}
		var when any
		if !at.IsZero() {
			if err := checkSchedulable(ctx, tx, ri); err != nil {
				return err
			}
			when = at
		} else if contest.Published(ri.Status) {
			return contest.CheckRound(ri.Slug, ri.Status, contest.ActSchedule)
		}
		if _, err := tx.Exec(ctx, `UPDATE rounds SET publish_at = $2, scheduled_by = $3, publish_error = NULL, updated_at = now() WHERE id = $1`,
			ri.ID, when, actor.Name); err != nil {
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

// checkSchedulable refuses to schedule a round that could not be published
// as it is: incomplete, blocked, or (with two approvals) not approved.
func checkSchedulable(ctx context.Context, tx DBTX, ri RoundInfo) error {
	d, err := publishableDoc(ctx, tx, ri, rules.ReportPublished)
	if err != nil {
		return err
	}
	approvals, err := programApprovals(ctx, tx, ri.ID)
	if err != nil || approvals < 2 {
		return err
	}
	fp, err := approvedFingerprint(ctx, tx, ri.ID)
	if err != nil {
		return err
	}
	switch {
	case fp == "":
		return fmt.Errorf("%s: %w", ri.Slug, contest.ErrNotApproved)
	case fp != d.fp:
		return staleDoc(ri, fp, nil, d)
	}
	return nil
}

// approvedFingerprint is the fingerprint of the round's latest approved
// publication request while the round is unpublished; "" when there is
// none.
func approvedFingerprint(ctx context.Context, db DBTX, roundID int64) (string, error) {
	var fp string
	err := db.QueryRow(ctx, `
SELECT q.fingerprint FROM publication_requests q JOIN rounds r ON r.id = q.round_id
WHERE q.round_id = $1 AND q.kind = 'publish' AND q.status = 'approved' AND NOT r.published
ORDER BY q.decided_at DESC, q.id DESC LIMIT 1`, roundID).Scan(&fp)
	return fp, optional(err)
}

// PublishDue publishes every round whose scheduled time has come, bound to
// the approved request when there is one. A round that cannot be published
// as it is (reopened, incomplete, blocked, changed since approval) keeps its
// schedule, is marked failed (FailedSchedules) and the failure is recorded
// once in the audit log as round.publish_failed; it is not tried again
// until someone reschedules, clears or publishes it. It returns the rounds
// published and those that failed.
func (s *Store) PublishDue(ctx context.Context, now time.Time) (published []string, failed map[string]error, err error) {
	failed = map[string]error{}
	type due struct{ program, round string }
	list, err := appendRows(ctx, s.pool, nil, scanWith(func(d *due) []any { return []any{&d.program, &d.round} }), `
SELECT p.slug, r.slug FROM rounds r JOIN programs p ON p.id = r.program_id
WHERE r.publish_at IS NOT NULL AND r.publish_at <= $1 AND NOT r.published AND r.publish_error IS NULL ORDER BY r.publish_at`, now)
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
			if contest.Published(ri.Status) {
				return nil // another server got there first
			}
			if err := contest.CheckRound(ri.Slug, ri.Status, contest.ActPublish); err != nil {
				return err
			}
			if err := checkSchedulable(ctx, tx, ri); err != nil {
				return err
			}
			want, err := approvedFingerprint(ctx, tx, ri.ID)
			if err != nil {
				return err
			}
			return publishBound(ctx, tx, ri, actor, now, want)
		})
		if perr == nil {
			published = append(published, d.round)
			continue
		}
		failed[d.round] = perr
		// A passing failure, such as a lost connection, is retried at the
		// next check; a round that cannot be published as it is stays
		// scheduled and visibly failed until someone acts.
		if !errors.Is(perr, contest.ErrRoundState) && !errors.Is(perr, contest.ErrInvalid) && !errors.Is(perr, contest.ErrStale) {
			continue
		}
		if err := s.markScheduleFailed(ctx, d.program, d.round, perr, actor); err != nil {
			failed[d.round] = fmt.Errorf("%w (and recording the failure failed: %v)", perr, err)
		}
	}
	return published, failed, nil
}

// markScheduleFailed records that a round's scheduled publication failed.
func (s *Store) markScheduleFailed(ctx context.Context, program, round string, perr error, actor contest.Actor) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := roundInfo(ctx, tx, program, round, true)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE rounds SET publish_error = $2 WHERE id = $1`, ri.ID, perr.Error()); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "round.publish_failed", "round:"+ri.Slug, &ri.ID, nil, map[string]string{"error": perr.Error()})
		return err
	})
}

// FailedSchedule is a scheduled publication that failed at its time and
// still waits for someone to act.
type FailedSchedule struct {
	Program, Round string
	Name           contest.Text
	PublishAt      time.Time
	ScheduledBy    string
	Error          string
}

// FailedSchedules lists the scheduled publications that failed, oldest
// first (for the console's banner).
func (s *Store) FailedSchedules(ctx context.Context) ([]FailedSchedule, error) {
	out, err := appendRows(ctx, s.pool, nil, scanWith(func(f *FailedSchedule) []any {
		return []any{&f.Program, &f.Round, &f.Name.KO, &f.Name.EN, &f.PublishAt, &f.ScheduledBy, &f.Error}
	}), `
SELECT p.slug, r.slug, r.name_ko, r.name_en, r.publish_at, r.scheduled_by, r.publish_error
FROM rounds r JOIN programs p ON p.id = r.program_id
WHERE r.publish_error IS NOT NULL AND r.publish_at IS NOT NULL AND NOT r.published ORDER BY r.publish_at`)
	if err != nil {
		return nil, fmt.Errorf("postgres: failed schedules: %w", err)
	}
	return out, nil
}

// CloseRound ends scoring: the round must be complete.
func (s *Store) CloseRound(ctx context.Context, program, round string, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, in, err := lockInput(ctx, tx, program, round, contest.ActClose)
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

// ReopenRound takes a closed round back to scoring. A pending publication
// request is voided; a schedule stays (and fails visibly at its time unless
// the round is closed again or the schedule cleared).
func (s *Store) ReopenRound(ctx context.Context, program, round string, actor contest.Actor) error {
	return s.onRound(ctx, "reopen round", program, round, contest.ActReopen, func(tx pgx.Tx, ri RoundInfo) (err error) {
		return moveRound(ctx, tx, ri, contest.ActReopen, actor, "round.reopen")
	})
}

// PublishRound publishes a closed round at once, with whatever results its
// inputs produce now. It is refused for a program that requires two
// approvals (contest.ErrApprovalRequired); RequestPublication binds the
// publication to the reviewed results and is what the console and CLI use.
func (s *Store) PublishRound(ctx context.Context, program, round string, actor contest.Actor, now time.Time) (RoundResults, error) {
	var rr RoundResults
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := lockDirect(ctx, tx, program, round, contest.ActPublish)
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

// publish computes the round, refuses when it is incomplete or blocked,
// and otherwise freezes the results and their inputs as revision 1 and
// makes the round public.
func publish(ctx context.Context, tx DBTX, ri RoundInfo, actor contest.Actor, now time.Time) error {
	return publishBound(ctx, tx, ri, actor, now, "")
}

// publishBound is publish that, with want set, also refuses unless the
// results document has the fingerprint want.
func publishBound(ctx context.Context, tx DBTX, ri RoundInfo, actor contest.Actor, now time.Time, want string) error {
	d, err := publishableDoc(ctx, tx, ri, rules.ReportPublished)
	if err != nil {
		return err
	}
	if want != "" && d.fp != want {
		return staleDoc(ri, want, nil, d)
	}
	inputs, err := json.Marshal(d.in)
	if err != nil {
		return err
	}
	// The publication event is appended first so the revision can record
	// the chain head that includes it.
	head, err := appendAudit(ctx, tx, actor, "round.publish", "round:"+ri.Slug, &ri.ID,
		map[string]string{"status": ri.Status},
		map[string]any{"status": "published", "revision": 1, "fingerprint": d.fp, "results": json.RawMessage(d.doc)})
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO result_revisions (round_id, revision, published_at, snapshot, inputs, audit_head, published_by)
VALUES ($1, 1, $2, $3, $4, $5, $6)`, ri.ID, now, d.doc, inputs, head, actor.Name); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE rounds SET status = 'published', published_at = $2, publish_at = NULL, publish_error = NULL, updated_at = now() WHERE id = $1`, ri.ID, now)
	return err
}

// DecideRound records which teams of a tie at the cut go through, with a
// reason. The decision must resolve the round's current tie; it belongs to
// the revision about to be published (1).
func (s *Store) DecideRound(ctx context.Context, program, round string, advance []string, reason contest.Text, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, in, err := lockInput(ctx, tx, program, round, contest.ActDecide)
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
		if err := writeDecision(ctx, tx, ri.ID, in.Decision, 1, actor); err != nil {
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

// writeDecision makes d the round's current decision, made for revision;
// a nil d removes it (earlier revisions keep theirs in their frozen inputs).
func writeDecision(ctx context.Context, tx DBTX, roundID int64, d *FrozenDecision, revision int, actor contest.Actor) error {
	if d == nil {
		_, err := tx.Exec(ctx, `DELETE FROM decisions WHERE round_id = $1`, roundID)
		return err
	}
	_, err := tx.Exec(ctx, `
INSERT INTO decisions (round_id, team_ids, reason_ko, reason_en, decided_by, revision)
VALUES ($1, array(SELECT id FROM teams WHERE program_id = (SELECT program_id FROM rounds WHERE id = $1) AND slug = ANY($2) ORDER BY id), $3, $4, $5, $6)
ON CONFLICT (round_id) DO UPDATE SET team_ids = excluded.team_ids, reason_ko = excluded.reason_ko, reason_en = excluded.reason_en,
  decided_by = excluded.decided_by, decided_at = now(), revision = excluded.revision`,
		roundID, d.Advance, d.Reason.KO, d.Reason.EN, actor.Name, revision)
	return err
}
