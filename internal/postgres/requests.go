package postgres

// Publication and correction requests: what an admin reviewed (the results
// document and its fingerprint) and, with two approvals required, the
// second admin's approval. A request takes effect only while the inputs
// still produce exactly the reviewed document; any change of the inputs
// voids a pending request (a trigger does so in the database, and the
// approval checks the fingerprint again).

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

// PublicationRequest is a request to publish or correct a round's results.
type PublicationRequest struct {
	ID          int64
	Program     string
	Round       string
	Kind        string // contest.RequestPublish or contest.RequestCorrect
	Fingerprint string
	// Document is the results document reviewed (FORMATS.md §3).
	Document json.RawMessage
	// Corrects, Correction and Reason describe a correction.
	Corrects   int
	Correction *Correction
	Reason     contest.Text
	// PublishAt is when an approved publication happens (nil: at once).
	PublishAt   *time.Time
	RequestedBy string
	RequestedAt time.Time
	Status      string // contest.RequestPending, …
	DecidedBy   string
	DecidedAt   *time.Time
	// Note says why a request was voided or withdrawn.
	Note string
	// Revision is the revision the request published (0 for none yet).
	Revision int
}

// Preview is what an admin reviews before requesting or approving a
// publication or correction: the document that would be published, its
// fingerprint and, for a correction, what changes for each team.
type Preview struct {
	Info        RoundInfo
	Kind        string // contest.RequestPublish or contest.RequestCorrect
	Report      rules.Report
	Document    json.RawMessage
	Fingerprint string
	// Corrects is the revision a correction corrects; Diff compares it
	// with the corrected results, team by team.
	Corrects int
	Diff     []TeamChange
	// Approvals is how many admins the program requires (1 or 2).
	Approvals int
	// Pending is the round's pending request, if any.
	Pending *PublicationRequest
}

// TeamFigures is what the public sees of a team in a results document.
type TeamFigures struct {
	Total   *string
	Rank    *int
	Outcome *rules.Outcome
}

// TeamChange is one team's figures before and after a correction.
type TeamChange struct {
	Team     string
	Old, New TeamFigures
	Changed  bool
}

// diffReports lists every team of either report with its old and new
// figures, in the new report's order.
func diffReports(old, cur rules.Report) []TeamChange {
	figures := func(t rules.ReportTeam) TeamFigures {
		return TeamFigures{Total: t.Total, Rank: t.Rank, Outcome: t.Outcome}
	}
	before := map[string]TeamFigures{}
	for _, t := range old.Teams {
		before[t.Team] = figures(t)
	}
	var out []TeamChange
	seen := map[string]bool{}
	for _, t := range cur.Teams {
		c := TeamChange{Team: t.Team, Old: before[t.Team], New: figures(t)}
		c.Changed = !sameFigures(c.Old, c.New)
		out = append(out, c)
		seen[t.Team] = true
	}
	for _, t := range old.Teams {
		if !seen[t.Team] {
			out = append(out, TeamChange{Team: t.Team, Old: figures(t), Changed: true})
		}
	}
	return out
}

func sameFigures(a, b TeamFigures) bool {
	eq := func(x, y bool) bool { return x == y }
	return eq(a.Total == nil, b.Total == nil) && (a.Total == nil || *a.Total == *b.Total) &&
		eq(a.Rank == nil, b.Rank == nil) && (a.Rank == nil || *a.Rank == *b.Rank) &&
		eq(a.Outcome == nil, b.Outcome == nil) && (a.Outcome == nil || *a.Outcome == *b.Outcome)
}

func newPreview(ri RoundInfo, kind string, d resultsDoc) (Preview, error) {
	p := Preview{Info: ri, Kind: kind, Document: d.doc, Fingerprint: d.fp}
	return p, json.Unmarshal(d.doc, &p.Report)
}

// fillPending adds the program's approvals and the pending request to p.
func fillPending(ctx context.Context, db DBTX, p *Preview) error {
	var err error
	if p.Approvals, err = programApprovals(ctx, db, p.Info.ID); err != nil {
		return err
	}
	reqs, err := readRequests(ctx, db, `WHERE q.round_id = $1 AND q.status = 'pending'`, p.Info.ID)
	if err == nil && len(reqs) > 0 {
		p.Pending = &reqs[0]
	}
	return err
}

// PublicationPreview returns the results document a publication of the
// round would publish now and its fingerprint, in one go: what
// RequestPublication and ApprovePublication bind to. It is refused for a
// round that is incomplete or blocked.
func (s *Store) PublicationPreview(ctx context.Context, program, round string) (Preview, error) {
	var p Preview
	err := s.readTx(ctx, "publication preview", func(tx pgx.Tx) error {
		ri, err := roundInfo(ctx, tx, program, round, false)
		if err != nil {
			return err
		}
		if contest.Published(ri.Status) {
			return contest.CheckRound(ri.Slug, ri.Status, contest.ActRequestPublish)
		}
		d, err := publishableDoc(ctx, tx, ri, rules.ReportPublished)
		if err != nil {
			return err
		}
		if p, err = newPreview(ri, contest.RequestPublish, d); err != nil {
			return err
		}
		return fillPending(ctx, tx, &p)
	})
	return p, err
}

// CorrectionPreview applies c to the latest revision of a published round
// without keeping anything and returns the corrected document, its
// fingerprint and the per-team diff (old → new points, rank, outcome).
func (s *Store) CorrectionPreview(ctx context.Context, program, round string, c Correction) (Preview, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return Preview{}, fmt.Errorf("postgres: correction preview: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // nothing of a preview is kept
	p, err := correctionPreview(ctx, tx, program, round, c)
	if err != nil {
		return p, fmt.Errorf("postgres: correction preview: %w", err)
	}
	return p, nil
}

func correctionPreview(ctx context.Context, tx pgx.Tx, program, round string, c Correction) (Preview, error) {
	ri, err := lockRoundFor(ctx, tx, program, round, contest.ActCorrect)
	if err != nil {
		return Preview{}, err
	}
	prev := RoundResults{Info: ri}
	if _, err := latestRevision(ctx, tx, nil, &prev); err != nil {
		return Preview{}, err
	}
	// The pending request is read first: applying the correction (never
	// kept) voids it within this transaction.
	pending := Preview{Info: ri}
	if err := fillPending(ctx, tx, &pending); err != nil {
		return Preview{}, err
	}
	d, _, err := correctedDoc(ctx, tx, ri, c, contest.Actor{Name: "preview"})
	if err != nil {
		return Preview{}, err
	}
	p, err := newPreview(ri, contest.RequestCorrect, d)
	p.Corrects, p.Diff = prev.Revision, diffReports(prev.Report, p.Report)
	p.Approvals, p.Pending = pending.Approvals, pending.Pending
	return p, err
}

// RequestPublication asks for the publication of a closed round's results
// as reviewed (fingerprint from PublicationPreview), at once or, with at
// set, at that time. With one approval required it takes effect at once
// (publishes or schedules) and returns the approved request; with two it
// records a pending request that only a different admin can approve, and
// the round stays unpublished. A fingerprint the inputs no longer produce
// is refused (*contest.StaleResultsError).
func (s *Store) RequestPublication(ctx context.Context, program, round, fingerprint string, at time.Time, actor contest.Actor, now time.Time) (PublicationRequest, error) {
	var id int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := lockRoundFor(ctx, tx, program, round, contest.ActRequestPublish)
		if err != nil {
			return err
		}
		d, err := publishableDoc(ctx, tx, ri, rules.ReportPublished)
		if err != nil {
			return err
		}
		var when *time.Time
		if !at.IsZero() {
			when = &at
		}
		id, err = submit(ctx, tx, ri, contest.RequestPublish, fingerprint, d, nil, when, actor, now)
		return err
	})
	return s.requested(ctx, "request publication", id, err)
}

// RequestCorrection asks for a correction of the latest revision of a
// published round as reviewed (CorrectionPreview), with its reason in
// both languages. A correction of a revision that is not the latest, or
// whose corrected document is not the reviewed one, is refused with both
// versions (*contest.StaleResultsError); of two concurrent corrections of
// the same revision exactly one succeeds. With one approval required the
// correction is published at once; with two it waits for a different
// admin.
func (s *Store) RequestCorrection(ctx context.Context, program, round string, req CorrectionRequest, actor contest.Actor, now time.Time) (PublicationRequest, error) {
	if err := checkReason(req.Reason); err != nil {
		return PublicationRequest{}, fmt.Errorf("postgres: request correction: %w", err)
	}
	var id int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := lockRoundFor(ctx, tx, program, round, contest.ActCorrect)
		if err != nil {
			return err
		}
		if req.Corrects == 0 {
			return fmt.Errorf("%w: name the revision the correction corrects", contest.ErrInvalid)
		}
		if err := checkCorrects(ctx, tx, ri, req.Corrects); err != nil {
			return err
		}
		// Compute the corrected document without keeping the change.
		sp, err := tx.Begin(ctx)
		if err != nil {
			return err
		}
		d, _, err := correctedDoc(ctx, sp, ri, req.Change, actor)
		if rerr := sp.Rollback(ctx); err == nil {
			err = rerr
		}
		if err != nil {
			return err
		}
		id, err = submit(ctx, tx, ri, contest.RequestCorrect, req.Fingerprint, d, &req, nil, actor, now)
		return err
	})
	return s.requested(ctx, "request correction", id, err)
}

// submit records a request of kind for the document d, reviewed as
// fingerprint (another document is stale), and approves it at once when
// the program requires one approval. It returns the request's id.
func submit(ctx context.Context, tx pgx.Tx, ri RoundInfo, kind, fingerprint string, d resultsDoc, c *CorrectionRequest, at *time.Time, actor contest.Actor, now time.Time) (int64, error) {
	if d.fp != fingerprint {
		return 0, staleDoc(ri, fingerprint, nil, d)
	}
	approvals, err := programApprovals(ctx, tx, ri.ID)
	if err != nil {
		return 0, err
	}
	id, err := insertRequest(ctx, tx, ri, kind, d, c, at, actor)
	if err != nil || approvals > 1 {
		return id, err
	}
	return id, approve(ctx, tx, ri, id, actor, now)
}

// requested returns the request id as it stands after a request was made,
// or err as the failure of op.
func (s *Store) requested(ctx context.Context, op string, id int64, err error) (PublicationRequest, error) {
	if err != nil {
		return PublicationRequest{}, fmt.Errorf("postgres: %s: %w", op, err)
	}
	return s.Request(ctx, id)
}

// insertRequest records a pending request and says so in the audit log.
func insertRequest(ctx context.Context, tx DBTX, ri RoundInfo, kind string, d resultsDoc, c *CorrectionRequest, at *time.Time, actor contest.Actor) (int64, error) {
	var corrects *int
	var change *Correction
	var why contest.Text
	if c != nil {
		corrects, change, why = &c.Corrects, &c.Change, c.Reason
	}
	var id int64
	err := tx.QueryRow(ctx, `
INSERT INTO publication_requests (round_id, kind, fingerprint, document, corrects, correction, reason_ko, reason_en, publish_at, requested_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		ri.ID, kind, d.fp, string(d.doc), corrects, change, why.KO, why.EN, at, actor.Name).Scan(&id)
	if err != nil {
		return 0, mapErr(err)
	}
	_, err = appendAudit(ctx, tx, actor, "round.request_"+kind, "round:"+ri.Slug, &ri.ID, nil,
		map[string]any{"request": id, "fingerprint": d.fp, "corrects": corrects, "change": change, "reason": why, "publish_at": at})
	return id, err
}

// ApprovePublication approves a pending request by an admin other than
// its requester, who reviewed the document with the given fingerprint: it
// publishes exactly that document (or schedules it, when the request names
// a later time), or applies the correction as the next revision. A
// request whose document the inputs no longer produce is voided and the
// approval refused (*contest.StaleResultsError); a request that is no
// longer pending is refused with contest.ErrRequestClosed.
func (s *Store) ApprovePublication(ctx context.Context, requestID int64, fingerprint string, actor contest.Actor, now time.Time) (PublicationRequest, error) {
	voidable := false // set once the request itself passed every check
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q, err := lockRequest(ctx, tx, requestID)
		if err != nil {
			return err
		}
		ri, err := roundInfo(ctx, tx, q.Program, q.Round, true)
		if err != nil {
			return err
		}
		switch {
		case q.Status != contest.RequestPending:
			return fmt.Errorf("request %d is %s%s: %w", q.ID, q.Status, noteSuffix(q.Note), contest.ErrRequestClosed)
		case fingerprint != q.Fingerprint:
			return &contest.StaleResultsError{Round: ri.Slug, Reviewed: fingerprint, Current: q.Fingerprint, CurrentDocument: q.Document}
		}
		if err := contest.CheckApprover(q.RequestedBy, actor.Name); err != nil {
			return err
		}
		if err := contest.CheckRound(ri.Slug, ri.Status, contest.ActApprove); err != nil {
			return err
		}
		voidable = true
		return approve(ctx, tx, ri, q.ID, actor, now)
	})
	if _, ok := contest.IsStaleResults(err); ok && voidable {
		// The inputs changed since the request: it can never take effect.
		if verr := s.voidRequest(ctx, requestID, err); verr != nil {
			err = fmt.Errorf("%w (and voiding the request failed: %v)", err, verr)
		}
	}
	return s.requested(ctx, "approve publication", requestID, err)
}

func noteSuffix(note string) string {
	if note == "" {
		return ""
	}
	return " (" + note + ")"
}

// approve marks request id approved by actor and makes it take effect:
// publish (or schedule) the reviewed document, or apply the correction.
func approve(ctx context.Context, tx pgx.Tx, ri RoundInfo, id int64, actor contest.Actor, now time.Time) error {
	q, err := lockRequest(ctx, tx, id)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE publication_requests SET status = 'approved', decided_by = $2, decided_at = $3 WHERE id = $1`, id, actor.Name, now); err != nil {
		return err
	}
	if _, err := appendAudit(ctx, tx, actor, "round.approve", "round:"+ri.Slug, &ri.ID, nil,
		map[string]any{"request": id, "kind": q.Kind, "fingerprint": q.Fingerprint, "requested_by": q.RequestedBy}); err != nil {
		return err
	}
	if q.Kind == contest.RequestCorrect {
		req := CorrectionRequest{Corrects: q.Corrects, Change: *q.Correction, Reason: q.Reason, Fingerprint: q.Fingerprint}
		rev, _, err := applyCorrection(ctx, tx, ri, req, actor, now)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE publication_requests SET revision = $2 WHERE id = $1`, id, rev)
		return err
	}
	if q.PublishAt != nil && q.PublishAt.After(now) {
		if err := checkSchedulable(ctx, tx, ri); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE rounds SET publish_at = $2, scheduled_by = $3, publish_error = NULL, updated_at = now() WHERE id = $1`,
			ri.ID, *q.PublishAt, q.RequestedBy); err != nil {
			return err
		}
		_, err := appendAudit(ctx, tx, actor, "round.schedule", "round:"+ri.Slug, &ri.ID, nil, map[string]any{"publish_at": *q.PublishAt, "request": id})
		return err
	}
	if err := publishBound(ctx, tx, ri, actor, now, q.Fingerprint); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE publication_requests SET revision = 1 WHERE id = $1`, id)
	return err
}

// voidRequest marks a pending request voided with the reason.
func (s *Store) voidRequest(ctx context.Context, id int64, why error) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q, err := lockRequest(ctx, tx, id)
		if err != nil || q.Status != contest.RequestPending {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE publication_requests SET status = 'voided', decided_at = now(), note = $2 WHERE id = $1`, id, why.Error()); err != nil {
			return err
		}
		var roundID int64
		if err := tx.QueryRow(ctx, `SELECT round_id FROM publication_requests WHERE id = $1`, id).Scan(&roundID); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, contest.Actor{Name: "system"}, "round.request_void", "round:"+q.Round, &roundID, nil,
			map[string]any{"request": id, "reason": why.Error()})
		return err
	})
}

// WithdrawRequest withdraws a pending request (by any admin, usually its
// requester).
func (s *Store) WithdrawRequest(ctx context.Context, requestID int64, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q, err := lockRequest(ctx, tx, requestID)
		if err != nil {
			return err
		}
		if q.Status != contest.RequestPending {
			return fmt.Errorf("request %d is %s: %w", q.ID, q.Status, contest.ErrRequestClosed)
		}
		var roundID int64
		if err := tx.QueryRow(ctx, `
UPDATE publication_requests SET status = 'withdrawn', decided_by = $2, decided_at = now() WHERE id = $1 RETURNING round_id`,
			requestID, actor.Name).Scan(&roundID); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "round.request_withdraw", "round:"+q.Round, &roundID, nil, map[string]any{"request": requestID})
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: withdraw request: %w", err)
	}
	return nil
}

const requestColumns = `
SELECT q.id, p.slug, r.slug, q.kind::text, q.fingerprint, q.document::text, coalesce(q.corrects, 0), q.correction,
       q.reason_ko, q.reason_en, q.publish_at, q.requested_by, q.requested_at, q.status::text, coalesce(q.decided_by, ''),
       q.decided_at, q.note, coalesce(q.revision, 0)
FROM publication_requests q JOIN rounds r ON r.id = q.round_id JOIN programs p ON p.id = r.program_id `

func scanRequest(q *PublicationRequest) []any {
	return []any{&q.ID, &q.Program, &q.Round, &q.Kind, &q.Fingerprint, &q.Document, &q.Corrects, &q.Correction,
		&q.Reason.KO, &q.Reason.EN, &q.PublishAt, &q.RequestedBy, &q.RequestedAt, &q.Status, &q.DecidedBy, &q.DecidedAt, &q.Note, &q.Revision}
}

func readRequests(ctx context.Context, db DBTX, where string, args ...any) ([]PublicationRequest, error) {
	return appendRows(ctx, db, nil, scanWith(scanRequest), requestColumns+where+` ORDER BY q.requested_at DESC, q.id DESC`, args...)
}

// lockRequest reads a request and locks its row.
func lockRequest(ctx context.Context, tx DBTX, id int64) (PublicationRequest, error) {
	var q PublicationRequest
	err := tx.QueryRow(ctx, requestColumns+`WHERE q.id = $1 FOR UPDATE OF q`, id).Scan(scanRequest(&q)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return q, fmt.Errorf("request %d: %w", id, contest.ErrNotFound)
	}
	return q, err
}

// Request returns one publication or correction request.
func (s *Store) Request(ctx context.Context, id int64) (PublicationRequest, error) {
	reqs, err := readRequests(ctx, s.pool, `WHERE q.id = $1`, id)
	if err != nil {
		return PublicationRequest{}, fmt.Errorf("postgres: request: %w", err)
	}
	if len(reqs) == 0 {
		return PublicationRequest{}, fmt.Errorf("postgres: request %d: %w", id, contest.ErrNotFound)
	}
	return reqs[0], nil
}

// PublicationRequests lists a round's requests, newest first.
func (s *Store) PublicationRequests(ctx context.Context, program, round string) ([]PublicationRequest, error) {
	reqs, err := readRequests(ctx, s.pool, `WHERE p.slug = $1 AND r.slug = $2`, program, round)
	if err != nil {
		return nil, fmt.Errorf("postgres: publication requests: %w", err)
	}
	return reqs, nil
}

// PendingRequests lists every pending request of every program, newest
// first (what waits for a second admin).
func (s *Store) PendingRequests(ctx context.Context) ([]PublicationRequest, error) {
	reqs, err := readRequests(ctx, s.pool, `WHERE q.status = 'pending'`)
	if err != nil {
		return nil, fmt.Errorf("postgres: pending requests: %w", err)
	}
	return reqs, nil
}
