package postgres

// Formal objections (이의신청) against a round's result: staff record them
// as filed and decide them; the public sees them on the round and team
// pages. Deciding an objection never changes the results: an upheld
// objection leads to a correction, which is a separate act (a new result
// revision).

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
)

// The statuses of an objection.
const (
	ObjectionPending   = "pending"
	ObjectionUpheld    = "upheld"
	ObjectionRejected  = "rejected"
	ObjectionWithdrawn = "withdrawn"
)

// ObjectionDecisions lists the statuses that decide an objection.
var ObjectionDecisions = []string{ObjectionUpheld, ObjectionRejected, ObjectionWithdrawn}

// Objection is a formal objection a team filed against a round.
type Objection struct {
	ID          int64
	Round       PublicRoundRef
	Team        PublicTeamRef
	FiledOn     time.Time
	Summary     contest.Text // what was asked for
	DecisionDue *time.Time
	Status      string // ObjectionPending or one of ObjectionDecisions
	DecidedOn   *time.Time
	Decision    contest.Text // why it was decided so
	// DecidedBy is the account that recorded the decision ("import" for the
	// program file); empty in public reads and while pending.
	DecidedBy string
	Version   int
	Sources   []PublicSource
}

// NewObjection is an objection as staff record it once it is filed.
type NewObjection struct {
	Team        string // team slug; the team must be an entry of the round
	FiledOn     time.Time
	Summary     contest.Text
	DecisionDue *time.Time
	Sources     []string // URLs
}

// objectionsSQL selects objections for scanObjection: $1 a round id or
// NULL, $2 a team id or NULL, $3 true for the public (published rounds
// only, no staff names).
const objectionsSQL = `
SELECT o.id, o.id, r.slug, r.position, r.kind::text, r.name_ko, r.name_en, r.announce_at, r.announce_date_only,
       t.slug, t.name_ko, t.name_en, o.filed_on, o.summary_ko, o.summary_en, o.decision_due, o.status::text, o.decided_on,
       o.decision_ko, o.decision_en, CASE WHEN $3 THEN '' ELSE o.decided_by END, o.version
FROM objections o JOIN rounds r ON r.id = o.round_id JOIN teams t ON t.id = o.team_id
WHERE ($1::bigint IS NULL OR o.round_id = $1) AND ($2::bigint IS NULL OR o.team_id = $2) AND (NOT $3 OR r.published)`

func objectionDest(o *Objection) []any {
	return []any{&o.ID, &o.Round.Slug, &o.Round.Position, &o.Round.Kind, &o.Round.Name.KO, &o.Round.Name.EN, &o.Round.AnnounceAt,
		&o.Round.AnnounceDateOnly, &o.Team.Slug, &o.Team.Name.KO, &o.Team.Name.EN, &o.FiledOn, &o.Summary.KO, &o.Summary.EN,
		&o.DecisionDue, &o.Status, &o.DecidedOn, &o.Decision.KO, &o.Decision.EN, &o.DecidedBy, &o.Version}
}

// objections lists the objections of a round (roundID) or of a team
// (teamID), oldest first, with their sources.
func objections(ctx context.Context, tx DBTX, roundID, teamID any, public bool) ([]Objection, error) {
	out, err := citedRows(ctx, tx, "objection_id", objectionDest, func(o *Objection) *[]PublicSource { return &o.Sources },
		objectionsSQL+` ORDER BY r.position, o.filed_on, t.position, o.id`, roundID, teamID, public)
	if err != nil {
		return nil, fmt.Errorf("objections: %w", err)
	}
	return out, nil
}

// Objections returns the objections filed against a published round,
// oldest first (contest.ErrNotFound for a round that is not published).
// Objections returns the objections of a published round as the public
// sees them (no staff names).
func (s *Store) Objections(ctx context.Context, program, round string) ([]Objection, error) {
	return s.roundObjections(ctx, program, round, true)
}

// AdminObjections returns every objection of a round for staff, with who
// decided them.
func (s *Store) AdminObjections(ctx context.Context, program, round string) ([]Objection, error) {
	return s.roundObjections(ctx, program, round, false)
}

func (s *Store) roundObjections(ctx context.Context, program, round string, public bool) ([]Objection, error) {
	var out []Objection
	err := s.readTx(ctx, "objections of "+round, func(tx pgx.Tx) error {
		ri, err := roundInfo(ctx, tx, program, round, false)
		if err != nil {
			return err
		}
		if public && !contest.Published(ri.Status) {
			return contest.ErrNotFound
		}
		out, err = objections(ctx, tx, ri.ID, nil, public)
		return err
	})
	return out, err
}

// objection reads one objection for staff.
func objection(ctx context.Context, tx DBTX, id int64, lock bool) (Objection, error) {
	q := objectionsSQL + ` AND o.id = $4`
	if lock {
		q += ` FOR UPDATE OF o`
	}
	out, err := citedRows(ctx, tx, "objection_id", objectionDest, func(o *Objection) *[]PublicSource { return &o.Sources },
		q, nil, nil, false, id)
	if err != nil {
		return Objection{}, err
	}
	if len(out) == 0 {
		return Objection{}, fmt.Errorf("objection %d: %w", id, contest.ErrNotFound)
	}
	return out[0], nil
}

// FileObjection records an objection a team filed against a published
// round, with its sources, and appends an audit event.
func (s *Store) FileObjection(ctx context.Context, program, round string, n NewObjection, actor contest.Actor) (Objection, error) {
	var out Objection
	err := s.writeTx(ctx, "file objection", func(tx pgx.Tx) error {
		ri, err := roundInfo(ctx, tx, program, round, true)
		if err != nil {
			return err
		}
		if !contest.Published(ri.Status) {
			return fmt.Errorf("%w: round %s is not published; an objection is filed against a published result", contest.ErrRoundState, round)
		}
		if err := validateObjection(n); err != nil {
			return err
		}
		var id int64
		err = tx.QueryRow(ctx, `
INSERT INTO objections (round_id, team_id, filed_on, summary_ko, summary_en, decision_due)
SELECT $1, e.team_id, $3, $4, $5, $6 FROM entries e JOIN teams t ON t.id = e.team_id WHERE e.round_id = $1 AND t.slug = $2
RETURNING id`, ri.ID, n.Team, dateOnly(n.FiledOn), strings.TrimSpace(n.Summary.KO), strings.TrimSpace(n.Summary.EN), datePtr(n.DecisionDue)).Scan(&id)
		if err == pgx.ErrNoRows {
			fe := &FieldErrors{}
			fe.Add("team", "not_in_round", "team", n.Team)
			return fe
		}
		if err != nil {
			return conflict(err, "team %s already has an objection filed on %s", n.Team, n.FiledOn.Format(time.DateOnly))
		}
		if err := citeURLs(ctx, tx, "objection_id", id, n.Sources); err != nil {
			return err
		}
		if out, err = objection(ctx, tx, id, false); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "objection.file", fmt.Sprintf("round:%s/objection:%d", ri.Slug, id), &ri.ID, nil, objectionAudit(out))
		return err
	})
	return out, err
}

// DecideObjection records the decision on a pending objection: status one
// of ObjectionDecisions, the date, and the reason in both languages; who
// decided is the actor. version is the objection's version as the caller
// read it (contest.ErrStale otherwise). The results are not touched: an
// upheld objection is followed by a correction, a separate act.
func (s *Store) DecideObjection(ctx context.Context, id int64, status string, decidedOn time.Time, decision contest.Text, version int, actor contest.Actor) (Objection, error) {
	var out Objection
	err := s.writeTx(ctx, "decide objection", func(tx pgx.Tx) error {
		cur, err := objection(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := checkVersion("the objection", cur.Version, version); err != nil {
			return err
		}
		if cur.Status != ObjectionPending {
			return fmt.Errorf("%w: the objection was already decided (%s on %s)", contest.ErrConflict, cur.Status, cur.DecidedOn.Format(time.DateOnly))
		}
		fe := &FieldErrors{}
		fe.OneOf("status", status, ObjectionDecisions)
		day := dateOnly(decidedOn)
		if decidedOn.IsZero() {
			fe.Required("decided_on")
		} else if day.Before(cur.FiledOn) {
			fe.Add("decided_on", "before_filing")
		}
		textRequired(fe, "decision", decision)
		if err := fe.OrNil(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
UPDATE objections SET status = $2, decided_on = $3, decision_ko = $4, decision_en = $5, decided_by = $6, version = version + 1, updated_at = now()
WHERE id = $1`, id, status, day, strings.TrimSpace(decision.KO), strings.TrimSpace(decision.EN), actor.Name); err != nil {
			return mapErr(err)
		}
		if out, err = objection(ctx, tx, id, false); err != nil {
			return err
		}
		var roundID int64
		if err := tx.QueryRow(ctx, `SELECT round_id FROM objections WHERE id = $1`, id).Scan(&roundID); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "objection.decide", fmt.Sprintf("round:%s/objection:%d", out.Round.Slug, id), &roundID,
			objectionAudit(cur), objectionAudit(out))
		return err
	})
	return out, err
}

// objectionAudit is what the audit log records of an objection.
func objectionAudit(o Objection) map[string]any {
	m := map[string]any{"team": o.Team.Slug, "filed_on": o.FiledOn.Format(time.DateOnly), "status": o.Status,
		"summary_ko": o.Summary.KO, "summary_en": o.Summary.EN}
	if o.DecidedOn != nil {
		m["decided_on"] = o.DecidedOn.Format(time.DateOnly)
		m["decision_ko"], m["decision_en"], m["decided_by"] = o.Decision.KO, o.Decision.EN, o.DecidedBy
	}
	return m
}

func validateObjection(n NewObjection) error {
	fe := &FieldErrors{}
	if n.Team == "" {
		fe.Required("team")
	}
	if n.FiledOn.IsZero() {
		fe.Required("filed_on")
	}
	textRequired(fe, "summary", n.Summary)
	if n.DecisionDue != nil && dateOnly(*n.DecisionDue).Before(dateOnly(n.FiledOn)) {
		fe.Add("decision_due", "before_filing")
	}
	for _, u := range n.Sources {
		if !WebURL(u) {
			fe.Add("sources", "source_url")
		}
	}
	return fe.OrNil()
}

// WebURL reports whether u is an absolute http or https address, as a
// cited source must be.
func WebURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "https" || p.Scheme == "http") && p.Host != ""
}

// textRequired asks for both languages of a text field.
func textRequired(fe *FieldErrors, field string, t contest.Text) {
	if strings.TrimSpace(t.KO) == "" {
		fe.Required(field + "_ko")
	}
	if strings.TrimSpace(t.EN) == "" {
		fe.Required(field + "_en")
	}
	fe.Chars(field+"_ko", t.KO)
	fe.Chars(field+"_en", t.EN)
}

// citeURLs cites the sources with the given URLs (added to the sources
// when new) for one subject, in order.
func citeURLs(ctx context.Context, tx DBTX, column string, id int64, urls []string) error {
	for i, u := range urls {
		if _, err := tx.Exec(ctx, `
WITH s AS (
  INSERT INTO sources (url) VALUES ($1) ON CONFLICT (url) DO UPDATE SET url = excluded.url RETURNING id
)
INSERT INTO citations (source_id, `+column+`, position) SELECT s.id, $2, $3 FROM s ON CONFLICT DO NOTHING`, u, id, i); err != nil {
			return fmt.Errorf("cite %s: %w", u, err)
		}
	}
	return nil
}

// dateOnly is the calendar date of t (as written, in t's location).
func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func datePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return dateOnly(*t)
}
