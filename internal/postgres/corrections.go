package postgres

// Corrections: new revisions of published results, each with its reason.

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/scorecsv"
)

// Correction is one change to a published round: a score (Criterion set) or
// a team's eligibility (Status set). Decision is the new tie decision when
// the change alters the tie at the cut (the earlier revision's decision
// does not carry over to a different tie).
type Correction struct {
	Team      string
	Criterion string
	Evaluator int
	Value     string
	Status    string
	Reason    contest.Text    // the eligibility reason, for a disqualification
	Decision  *FrozenDecision `json:",omitempty"`
}

// CorrectionRecord is a published correction as the public sees it.
type CorrectionRecord struct {
	Revision    int
	PublishedAt time.Time
	Reason      contest.Text
	Change      json.RawMessage
	AuditHead   string
}

// CorrectionRequest is a correction as reviewed: the revision it corrects,
// the change, its reason in both languages and the fingerprint of the
// corrected results document (from CorrectionPreview).
type CorrectionRequest struct {
	Corrects    int
	Change      Correction
	Reason      contest.Text
	Fingerprint string
}

func checkReason(why contest.Text) error {
	if why.KO == "" || why.EN == "" {
		return fmt.Errorf("%w: a reason in Korean and English is required", contest.ErrInvalid)
	}
	return nil
}

// CorrectRound applies a correction to the latest revision of a published
// round with a mandatory reason and publishes the result as a new
// revision; earlier revisions stay as they were. It is not bound to a
// reviewed preview and is refused for a program that requires two
// approvals (contest.ErrApprovalRequired): RequestCorrection is the bound
// form.
func (s *Store) CorrectRound(ctx context.Context, program, round string, c Correction, why contest.Text, actor contest.Actor, now time.Time) (int, error) {
	if err := checkReason(why); err != nil {
		return 0, fmt.Errorf("postgres: correct round: %w", err)
	}
	var revision int
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := lockDirect(ctx, tx, program, round, contest.ActCorrect)
		if err != nil {
			return err
		}
		revision, _, err = applyCorrection(ctx, tx, ri, CorrectionRequest{Change: c, Reason: why}, actor, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: correct round: %w", err)
	}
	return revision, nil
}

// currentRevision is a round's latest result revision (0 for none).
func currentRevision(ctx context.Context, db DBTX, roundID int64) (int, error) {
	var rev int
	err := db.QueryRow(ctx, `SELECT coalesce(max(revision), 0) FROM result_revisions WHERE round_id = $1`, roundID).Scan(&rev)
	return rev, err
}

// checkCorrects refuses a correction of a revision that is not the latest,
// with both revisions' documents.
func checkCorrects(ctx context.Context, db DBTX, ri RoundInfo, corrects int) error {
	cur, err := currentRevision(ctx, db, ri.ID)
	if err != nil || corrects == 0 || corrects == cur {
		return err
	}
	e := &contest.StaleResultsError{Round: ri.Slug, Revision: corrects, CurrentRevision: cur}
	rows, err := db.Query(ctx, `SELECT revision, snapshot FROM result_revisions WHERE round_id = $1 AND revision IN ($2, $3)`, ri.ID, corrects, cur)
	if err != nil {
		return err
	}
	for rows.Next() {
		var rev int
		var snap []byte
		if err := rows.Scan(&rev, &snap); err != nil {
			rows.Close()
			return err
		}
		if rev == corrects {
			e.ReviewedDocument, e.Reviewed = snap, contest.Fingerprint(snap)
		} else {
			e.CurrentDocument, e.Current = snap, contest.Fingerprint(snap)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if e.ReviewedDocument == nil {
		return fmt.Errorf("%w: %s has no revision %d", contest.ErrInvalid, ri.Slug, corrects)
	}
	return e
}

// applyCorrection applies req to a locked published round and publishes
// the next revision. With req.Corrects set it must be the latest revision,
// and with req.Fingerprint set the corrected document must have it.
func applyCorrection(ctx context.Context, tx DBTX, ri RoundInfo, req CorrectionRequest, actor contest.Actor, now time.Time) (int, resultsDoc, error) {
	if err := checkCorrects(ctx, tx, ri, req.Corrects); err != nil {
		return 0, resultsDoc{}, err
	}
	d, change, err := correctedDoc(ctx, tx, ri, req.Change, actor)
	if err != nil {
		return 0, d, err
	}
	if req.Fingerprint != "" && d.fp != req.Fingerprint {
		return 0, d, staleDoc(ri, req.Fingerprint, nil, d)
	}
	rev, err := publishRevision(ctx, tx, ri, d, req.Change.Decision != nil, change, req.Reason, actor, now)
	return rev, d, err
}

// correctedDoc applies c to the round's inputs within tx and computes the
// corrected results document; it returns the change as the feed shows it.
func correctedDoc(ctx context.Context, tx DBTX, ri RoundInfo, c Correction, actor contest.Actor) (resultsDoc, map[string]any, error) {
	prev := RoundResults{Info: ri}
	if _, err := latestRevision(ctx, tx, nil, &prev); err != nil {
		return resultsDoc{}, nil, err
	}
	change := map[string]any{"team": c.Team}
	var err error
	switch {
	case c.Criterion != "":
		err = correctScore(ctx, tx, ri, c, actor, change)
	case c.Status != "":
		err = correctEligibility(ctx, tx, ri, c, actor, change)
	default:
		err = fmt.Errorf("%w: nothing to correct", contest.ErrInvalid)
	}
	if err != nil {
		return resultsDoc{}, nil, err
	}
	in, err := loadInput(ctx, tx, ri)
	if err != nil {
		return resultsDoc{}, nil, err
	}
	d, err := decideCorrection(ri, in, c.Decision, tieGroup(prev.Result))
	if err == nil && c.Decision != nil {
		change["decision"] = c.Decision
	}
	return d, change, err
}

// decideCorrection computes corrected inputs: with a new decision, that
// decision must resolve the new tie; otherwise the earlier revision's
// decision carries over only while the tie at the cut is the same group of
// teams, and is dropped when no tie remains.
func decideCorrection(ri RoundInfo, in FrozenInput, decision *FrozenDecision, prevTie []string) (resultsDoc, error) {
	if decision != nil {
		in.Decision = decision
		res, err := rules.Compute(in.EngineInput())
		if err != nil {
			return resultsDoc{}, fmt.Errorf("%w: the new decision: %v", contest.ErrInvalid, err)
		}
		return finishDoc(ri, in, res, rules.ReportCorrected)
	}
	res, stale, err := compute(in)
	if err != nil {
		return resultsDoc{}, fmt.Errorf("%w: the correction changes the tie at the cut; record a new decision with it: %v", contest.ErrInvalid, err)
	}
	if stale {
		in.Decision = nil
	}
	if now := tieGroup(&res); in.Decision != nil && !slices.Equal(now, prevTie) {
		return resultsDoc{}, fmt.Errorf("%w: the correction changes the tie at the cut (%s, was %s); record a new decision with it",
			contest.ErrInvalid, strings.Join(now, ", "), strings.Join(prevTie, ", "))
	}
	return finishDoc(ri, in, res, rules.ReportCorrected)
}

// tieGroup lists, sorted, the teams of a result's tie at the cut (decided
// or not); nil for none.
func tieGroup(res *rules.Result) []string {
	if res == nil {
		return nil
	}
	var out []string
	for _, t := range res.Teams {
		if t.ReasonCode == rules.ReasonDecision || t.ReasonCode == rules.ReasonTieAtCut {
			out = append(out, t.Team)
		}
	}
	slices.Sort(out)
	return out
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

// publishRevision publishes a corrected round's document d as its next
// revision, with the change and its reason, and makes d's decision (if
// any) the one of the new revision; it returns the revision.
func publishRevision(ctx context.Context, tx DBTX, ri RoundInfo, d resultsDoc, newDecision bool, change map[string]any, why contest.Text, actor contest.Actor, now time.Time) (int, error) {
	revision, err := currentRevision(ctx, tx, ri.ID)
	if err != nil {
		return 0, err
	}
	revision++
	inputs, err := json.Marshal(d.in)
	if err != nil {
		return 0, err
	}
	head, err := appendAudit(ctx, tx, actor, "round.correct", "round:"+ri.Slug, &ri.ID, nil,
		map[string]any{"revision": revision, "change": change, "reason": why, "fingerprint": d.fp, "results": json.RawMessage(d.doc)})
	if err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `
INSERT INTO result_revisions (round_id, revision, published_at, reason_ko, reason_en, snapshot, inputs, audit_head, change, published_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, ri.ID, revision, now, why.KO, why.EN, d.doc, inputs, head, change, actor.Name); err != nil {
		return 0, err
	}
	switch {
	case d.in.Decision == nil || newDecision:
		err = writeDecision(ctx, tx, ri.ID, d.in.Decision, revision, actor)
	default: // the same tie: the decision carries over to the new revision
		_, err = tx.Exec(ctx, `UPDATE decisions SET revision = $2 WHERE round_id = $1`, ri.ID, revision)
	}
	if err != nil {
		return 0, err
	}
	next, _ := contest.Next(ri.Status, contest.ActCorrect)
	_, err = tx.Exec(ctx, `UPDATE rounds SET status = $2, updated_at = now() WHERE id = $1`, ri.ID, next)
	return revision, err
}

// Corrections lists a published round's revisions after the first, oldest
// first. Unpublished rounds have none.
func (s *Store) Corrections(ctx context.Context, program, round string) ([]CorrectionRecord, error) {
	return listOf(ctx, s.pool, "postgres: corrections", func(c *CorrectionRecord) []any {
		return []any{&c.Revision, &c.PublishedAt, &c.Reason.KO, &c.Reason.EN, &c.Change, &c.AuditHead}
	}, `
SELECT v.revision, v.published_at, v.reason_ko, v.reason_en, coalesce(v.change, '{}'), coalesce(encode(v.audit_head, 'hex'), '')
FROM result_revisions v JOIN rounds r ON r.id = v.round_id JOIN programs p ON p.id = r.program_id
WHERE p.slug = $1 AND r.slug = $2 AND r.published AND v.revision > 1
ORDER BY v.revision`, program, round)
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
