package postgres

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/scorecsv"
)

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
	rows, err := s.pool.Query(ctx, `
SELECT t.slug, c.code, s.evaluator, s.value::text, s.version, s.entered_by, s.entered_at
FROM scores s JOIN teams t ON t.id = s.team_id JOIN criteria c ON c.id = s.criterion_id
WHERE s.round_id = $1 ORDER BY t.slug, c.code, s.evaluator`, ri.ID)
	if err != nil {
		return nil, fmt.Errorf("postgres: round scores: %w", err)
	}
	var out []ScoreCell
	for rows.Next() {
		var c ScoreCell
		if err := rows.Scan(&c.Team, &c.Criterion, &c.Evaluator, &c.Value, &c.Version, &c.EnteredBy, &c.EnteredAt); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
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
		var stale StaleScoresError
		before, after := map[string]string{}, map[string]string{}
		for _, e := range edits {
			v, err := rules.ParseValue(e.Value)
			if err != nil {
				return fmt.Errorf("%w: %v", contest.ErrInvalid, err)
			}
			val := rules.FormatCents(v)
			var cur ScoreCell
			err = tx.QueryRow(ctx, `
SELECT value::text, version, entered_by, entered_at FROM scores
WHERE round_id = $1 AND team_id = $2 AND criterion_id = $3 AND evaluator = $4 FOR UPDATE`,
				ri.ID, teamIDs[e.Team], critIDs[e.Criterion], e.Evaluator).Scan(&cur.Value, &cur.Version, &cur.EnteredBy, &cur.EnteredAt)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			cur.Team, cur.Criterion, cur.Evaluator = e.Team, e.Criterion, e.Evaluator
			if cur.Version != e.Version {
				if cur.Version > 0 && mustRat(cur.Value).Cmp(v) == 0 {
					continue // someone saved the same value: no conflict
				}
				stale = append(stale, &StaleScoreError{Current: cur, Yours: val})
				continue
			}
			if cur.Version > 0 && mustRat(cur.Value).Cmp(v) == 0 {
				continue
			}
			key := scoreKey(e.Team, e.Criterion, e.Evaluator)
			if cur.Version > 0 {
				before[key] = cur.Value
				_, err = tx.Exec(ctx, `
UPDATE scores SET value = $5, version = version + 1, entered_by = $6, entered_at = now()
WHERE round_id = $1 AND team_id = $2 AND criterion_id = $3 AND evaluator = $4`,
					ri.ID, teamIDs[e.Team], critIDs[e.Criterion], e.Evaluator, val, actor.Name)
			} else {
				_, err = tx.Exec(ctx, `
INSERT INTO scores (round_id, team_id, criterion_id, evaluator, value, entered_by) VALUES ($1, $2, $3, $4, $5, $6)`,
					ri.ID, teamIDs[e.Team], critIDs[e.Criterion], e.Evaluator, val, actor.Name)
			}
			if err != nil {
				return mapErr(err)
			}
			after[key] = val
			saved++
		}
		if len(stale) > 0 {
			return stale
		}
		if saved == 0 {
			return nil
		}
		if err := startScoring(ctx, tx, ri); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "scores.save", "round:"+ri.Slug, &ri.ID, before, after)
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

// StaleScoresError lists every cell that changed since the editor read it.
type StaleScoresError []*StaleScoreError

func (e StaleScoresError) Error() string {
	msg := fmt.Sprintf("%d score(s) changed meanwhile; nothing was saved", len(e))
	for _, s := range e {
		msg += "\n  " + s.Error()
	}
	return msg
}

// Is makes the error match contest.ErrStale.
func (e StaleScoresError) Is(target error) bool { return target == contest.ErrStale }

// SetEligibility records a team's eligibility in a round that is not
// published yet (published rounds are changed through corrections).
func (s *Store) SetEligibility(ctx context.Context, program, round, team, status string, reason contest.Text, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := editableRound(ctx, tx, program, round)
		if err != nil {
			return err
		}
		return setEligibility(ctx, tx, ri, team, status, reason, actor, "entry.eligibility")
	})
	if err != nil {
		return fmt.Errorf("postgres: set eligibility: %w", err)
	}
	return nil
}

func setEligibility(ctx context.Context, tx DBTX, ri RoundInfo, team, status string, reason contest.Text, actor contest.Actor, action string) error {
	if status == contest.EntryEligible {
		reason = contest.Text{}
	}
	var before FrozenEntry
	err := tx.QueryRow(ctx, `
SELECT t.slug, e.status, e.reason_ko, e.reason_en FROM entries e JOIN teams t ON t.id = e.team_id
WHERE e.round_id = $1 AND t.slug = $2 FOR UPDATE OF e`, ri.ID, team).Scan(&before.Team, &before.Status, &before.Reason.KO, &before.Reason.EN)
	if err != nil {
		return fmt.Errorf("team %s in %s: %w", team, ri.Slug, mapErr(err))
	}
	_, err = tx.Exec(ctx, `
UPDATE entries SET status = $3, reason_ko = $4, reason_en = $5, version = version + 1
WHERE round_id = $1 AND team_id = (SELECT id FROM teams WHERE slug = $2 AND program_id = (SELECT program_id FROM rounds WHERE id = $1))`,
		ri.ID, team, status, reason.KO, reason.EN)
	if err != nil {
		return mapErr(err)
	}
	after := FrozenEntry{Team: team, Status: status, Reason: reason}
	_, err = appendAudit(ctx, tx, actor, action, "round:"+ri.Slug+"/team:"+team, &ri.ID, before, after)
	return err
}

// SchedulePublication sets (or, with a zero time, clears) the time at which
// the server publishes a round by itself.
func (s *Store) SchedulePublication(ctx context.Context, program, round string, at time.Time, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := roundInfo(ctx, tx, program, round, true)
		if err != nil {
			return err
		}
		if contest.Published(ri.Status) {
			return fmt.Errorf("%w: %s is already published", contest.ErrRoundState, round)
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
	rows, err := s.pool.Query(ctx, `
SELECT p.slug, r.slug FROM rounds r JOIN programs p ON p.id = r.program_id
WHERE r.publish_at IS NOT NULL AND r.publish_at <= $1 AND r.status NOT IN ('published', 'corrected') ORDER BY r.publish_at`, now)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: due publications: %w", err)
	}
	type due struct{ program, round string }
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.program, &d.round); err != nil {
			rows.Close()
			return nil, nil, err
		}
		list = append(list, d)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
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

// Correction is one change to a published round: a score (Criterion set) or
// a team's eligibility (Status set).
type Correction struct {
	Team      string
	Criterion string
	Evaluator int
	Value     string
	Status    string
	Reason    contest.Text // the eligibility reason, for a disqualification
}

// CorrectionRecord is a published correction as the public sees it.
type CorrectionRecord struct {
	Revision    int
	PublishedAt time.Time
	Reason      contest.Text
	Change      json.RawMessage
	AuditHead   string
}

// CorrectRound applies a correction to a published round with a mandatory
// reason and publishes the result as a new revision; earlier revisions stay
// as they were.
func (s *Store) CorrectRound(ctx context.Context, program, round string, c Correction, why contest.Text, actor contest.Actor, now time.Time) (int, error) {
	if why.KO == "" || why.EN == "" {
		return 0, fmt.Errorf("postgres: correct round: %w: a reason in Korean and English is required", contest.ErrInvalid)
	}
	var revision int
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := roundInfo(ctx, tx, program, round, true)
		if err != nil {
			return err
		}
		if !contest.Published(ri.Status) {
			return fmt.Errorf("%w: only a published round is corrected; %s is %s", contest.ErrRoundState, round, ri.Status)
		}
		change := map[string]any{"team": c.Team}
		switch {
		case c.Criterion != "":
			shape, teamIDs, critIDs, err := roundShape(ctx, tx, ri.ID)
			if err != nil {
				return err
			}
			if err := scorecsv.Check([]scorecsv.Row{{Line: 1, Team: c.Team, Criterion: c.Criterion, Evaluator: c.Evaluator, Value: c.Value}}, shape); err != nil {
				return fmt.Errorf("%w: %v", contest.ErrInvalid, err)
			}
			v, _ := rules.ParseValue(c.Value)
			var old string
			err = tx.QueryRow(ctx, `SELECT value::text FROM scores WHERE round_id = $1 AND team_id = $2 AND criterion_id = $3 AND evaluator = $4`,
				ri.ID, teamIDs[c.Team], critIDs[c.Criterion], c.Evaluator).Scan(&old)
			if err != nil {
				return fmt.Errorf("score %s: %w", scoreKey(c.Team, c.Criterion, c.Evaluator), mapErr(err))
			}
			if mustRat(old).Cmp(v) == 0 {
				return fmt.Errorf("%w: the score is already %s", contest.ErrInvalid, rules.FormatCents(v))
			}
			if _, err := tx.Exec(ctx, `
UPDATE scores SET value = $5, version = version + 1, entered_by = $6, entered_at = now()
WHERE round_id = $1 AND team_id = $2 AND criterion_id = $3 AND evaluator = $4`,
				ri.ID, teamIDs[c.Team], critIDs[c.Criterion], c.Evaluator, rules.FormatCents(v), actor.Name); err != nil {
				return mapErr(err)
			}
			change["kind"], change["criterion"], change["old"], change["new"] = "score", c.Criterion, rules.FormatCents(mustRat(old)), rules.FormatCents(v)
			if c.Evaluator > 0 {
				change["evaluator"] = c.Evaluator
			}
		case c.Status != "":
			var old FrozenEntry
			if err := tx.QueryRow(ctx, `SELECT e.status, e.reason_ko, e.reason_en FROM entries e JOIN teams t ON t.id = e.team_id
WHERE e.round_id = $1 AND t.slug = $2`, ri.ID, c.Team).Scan(&old.Status, &old.Reason.KO, &old.Reason.EN); err != nil {
				return fmt.Errorf("team %s: %w", c.Team, mapErr(err))
			}
			if err := setEligibility(ctx, tx, ri, c.Team, c.Status, c.Reason, actor, "entry.eligibility"); err != nil {
				return err
			}
			change["kind"], change["old"], change["new"] = "eligibility", old.Status, c.Status
			if c.Status == contest.EntryDisqualified {
				change["new_reason"] = c.Reason
			}
		default:
			return fmt.Errorf("%w: nothing to correct", contest.ErrInvalid)
		}
		in, err := loadInput(ctx, tx, ri)
		if err != nil {
			return err
		}
		res, _, err := compute(in)
		if err != nil {
			return err
		}
		if !res.Complete || res.Blocked {
			return incomplete(res)
		}
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(revision), 0) + 1 FROM result_revisions WHERE round_id = $1`, ri.ID).Scan(&revision); err != nil {
			return err
		}
		snap, err := json.Marshal(rules.NewReport(ri.Program, ri.Slug, rules.ReportCorrected, res))
		if err != nil {
			return err
		}
		inputs, err := json.Marshal(in)
		if err != nil {
			return err
		}
		head, err := appendAudit(ctx, tx, actor, "round.correct", "round:"+ri.Slug, &ri.ID, nil,
			map[string]any{"revision": revision, "change": change, "reason": why, "results": json.RawMessage(snap)})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
INSERT INTO result_revisions (round_id, revision, published_at, reason_ko, reason_en, snapshot, inputs, audit_head, change, published_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, ri.ID, revision, now, why.KO, why.EN, snap, inputs, head, change, actor.Name); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE rounds SET status = 'corrected', updated_at = now() WHERE id = $1`, ri.ID)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: correct round: %w", err)
	}
	return revision, nil
}

// Corrections lists a published round's revisions after the first, oldest
// first. Unpublished rounds have none.
func (s *Store) Corrections(ctx context.Context, program, round string) ([]CorrectionRecord, error) {
	rows, err := s.pool.Query(ctx, `
SELECT v.revision, v.published_at, v.reason_ko, v.reason_en, coalesce(v.change, '{}'), coalesce(v.audit_head, '')
FROM result_revisions v JOIN rounds r ON r.id = v.round_id JOIN programs p ON p.id = r.program_id
WHERE p.slug = $1 AND r.slug = $2 AND r.status IN ('published', 'corrected') AND v.revision > 1
ORDER BY v.revision`, program, round)
	if err != nil {
		return nil, fmt.Errorf("postgres: corrections: %w", err)
	}
	var out []CorrectionRecord
	for rows.Next() {
		var c CorrectionRecord
		var head []byte
		if err := rows.Scan(&c.Revision, &c.PublishedAt, &c.Reason.KO, &c.Reason.EN, &c.Change, &head); err != nil {
			rows.Close()
			return nil, err
		}
		c.AuditHead = hex.EncodeToString(head)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Revision returns one published revision of a round's results, as it was
// published: contest.ErrNotFound for an unpublished round or an unknown
// revision.
func (s *Store) Revision(ctx context.Context, program, round string, revision int) (RoundResults, CorrectionRecord, error) {
	var rr RoundResults
	var rec CorrectionRecord
	ri, err := roundInfo(ctx, s.pool, program, round, false)
	if err != nil {
		return rr, rec, fmt.Errorf("postgres: revision: %w", err)
	}
	if !contest.Published(ri.Status) {
		return rr, rec, fmt.Errorf("postgres: revision: %w", contest.ErrNotFound)
	}
	var snap, inputs, head []byte
	err = s.pool.QueryRow(ctx, `
SELECT revision, published_at, reason_ko, reason_en, coalesce(change, '{}'), coalesce(audit_head, ''), snapshot, inputs
FROM result_revisions WHERE round_id = $1 AND revision = $2`, ri.ID, revision).Scan(
		&rec.Revision, &rec.PublishedAt, &rec.Reason.KO, &rec.Reason.EN, &rec.Change, &head, &snap, &inputs)
	if err != nil {
		return rr, rec, fmt.Errorf("postgres: revision: %w", mapErr(err))
	}
	rec.AuditHead = hex.EncodeToString(head)
	rr.Info, rr.Revision = ri, rec.Revision
	if err := json.Unmarshal(snap, &rr.Report); err != nil {
		return rr, rec, err
	}
	var in FrozenInput
	if err := json.Unmarshal(inputs, &in); err != nil {
		return rr, rec, err
	}
	res, _, err := compute(in)
	if err != nil {
		return rr, rec, err
	}
	rr.Result, rr.Input = &res, &in
	return rr, rec, nil
}

// AuditHead returns the chain head recorded by a round's latest
// publication (hex), or "" when there is none.
func (s *Store) AuditHead(ctx context.Context, program, round string) (string, error) {
	var head []byte
	err := s.pool.QueryRow(ctx, `
SELECT coalesce(v.audit_head, '') FROM result_revisions v JOIN rounds r ON r.id = v.round_id JOIN programs p ON p.id = r.program_id
WHERE p.slug = $1 AND r.slug = $2 AND r.status IN ('published', 'corrected') ORDER BY v.revision DESC LIMIT 1`, program, round).Scan(&head)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("postgres: audit head: %w", err)
	}
	return hex.EncodeToString(head), nil
}
