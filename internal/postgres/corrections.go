package postgres

// Corrections: new revisions of published results, each with its reason.

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/scorecsv"
)

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
		ri, err := lockRoundFor(ctx, tx, program, round, contest.ActCorrect)
		if err != nil {
			return err
		}
		change := map[string]any{"team": c.Team}
		switch {
		case c.Criterion != "":
			err = correctScore(ctx, tx, ri, c, actor, change)
		case c.Status != "":
			err = correctEligibility(ctx, tx, ri, c, actor, change)
		default:
			err = fmt.Errorf("%w: nothing to correct", contest.ErrInvalid)
		}
		if err != nil {
			return err
		}
		revision, err = publishRevision(ctx, tx, ri, change, why, actor, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: correct round: %w", err)
	}
	return revision, nil
}

// correctScore changes one score of a published round and notes the change.
func correctScore(ctx context.Context, tx DBTX, ri RoundInfo, c Correction, actor contest.Actor, change map[string]any) error {
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
	return nil
}

// correctEligibility changes a team's eligibility in a published round and
// notes the change.
func correctEligibility(ctx context.Context, tx DBTX, ri RoundInfo, c Correction, actor contest.Actor, change map[string]any) error {
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
	return nil
}

// publishRevision recomputes a corrected round and publishes the result as
// its next revision, with the change and its reason; it returns the
// revision.
func publishRevision(ctx context.Context, tx DBTX, ri RoundInfo, change map[string]any, why contest.Text, actor contest.Actor, now time.Time) (int, error) {
	in, err := loadInput(ctx, tx, ri)
	if err != nil {
		return 0, err
	}
	res, _, err := compute(in)
	if err != nil {
		return 0, err
	}
	if !res.Complete || res.Blocked {
		return 0, incomplete(res)
	}
	var revision int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(revision), 0) + 1 FROM result_revisions WHERE round_id = $1`, ri.ID).Scan(&revision); err != nil {
		return 0, err
	}
	snap, err := json.Marshal(rules.NewReport(ri.Program, ri.Slug, rules.ReportCorrected, res))
	if err != nil {
		return 0, err
	}
	inputs, err := json.Marshal(in)
	if err != nil {
		return 0, err
	}
	head, err := appendAudit(ctx, tx, actor, "round.correct", "round:"+ri.Slug, &ri.ID, nil,
		map[string]any{"revision": revision, "change": change, "reason": why, "results": json.RawMessage(snap)})
	if err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `
INSERT INTO result_revisions (round_id, revision, published_at, reason_ko, reason_en, snapshot, inputs, audit_head, change, published_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, ri.ID, revision, now, why.KO, why.EN, snap, inputs, head, change, actor.Name); err != nil {
		return 0, err
	}
	next, _ := contest.Next(ri.Status, contest.ActCorrect)
	_, err = tx.Exec(ctx, `UPDATE rounds SET status = $2, updated_at = now() WHERE id = $1`, ri.ID, next)
	return revision, err
}

// Corrections lists a published round's revisions after the first, oldest
// first. Unpublished rounds have none.
func (s *Store) Corrections(ctx context.Context, program, round string) ([]CorrectionRecord, error) {
	out, err := appendRows(ctx, s.pool, nil, scanWith(func(c *CorrectionRecord) []any {
		return []any{&c.Revision, &c.PublishedAt, &c.Reason.KO, &c.Reason.EN, &c.Change, &c.AuditHead}
	}), `
SELECT v.revision, v.published_at, v.reason_ko, v.reason_en, coalesce(v.change, '{}'), coalesce(encode(v.audit_head, 'hex'), '')
FROM result_revisions v JOIN rounds r ON r.id = v.round_id JOIN programs p ON p.id = r.program_id
WHERE p.slug = $1 AND r.slug = $2 AND r.published AND v.revision > 1
ORDER BY v.revision`, program, round)
	if err != nil {
		return nil, fmt.Errorf("postgres: corrections: %w", err)
	}
	return out, nil
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
	discloseRevision(&rr, &rec)
	return rr, rec, nil
}
