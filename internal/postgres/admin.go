package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
)

// Completeness counts a round's required scores: those of every team that
// must be ranked, for every leaf and, for panel leaves, every evaluator.
type Completeness struct {
	// Scored says whether the round has criteria to score at all; historic
	// rounds with announced outcomes only have none.
	Scored   bool
	Required int
	Entered  int
	Missing  []rules.Missing
}

// Complete reports whether every required score is present.
func (c Completeness) Complete() bool { return c.Scored && len(c.Missing) == 0 }

// AdminRoundSummary is one line of the staff console's list of rounds.
type AdminRoundSummary struct {
	Slug       string
	Kind       string
	Name       contest.Text
	Status     string
	Position   int
	AnnounceAt *time.Time
	// AnnounceDateOnly says the announcement is known to the day only.
	AnnounceDateOnly bool
	PublishAt        *time.Time // the scheduled publication, if any
	ScheduledBy      string
	PublishedAt      *time.Time
	Teams            int
	Completeness
}

// adminRoundsSQL selects the rounds of program $1 (or the one named by
// slug $2) in order: the columns of RoundInfo (as roundInfo reads them),
// then the round's position, schedule and number of entries. scanAdminRound
// reads its rows.
const adminRoundsSQL = `
SELECT r.id, r.slug, r.kind, r.status, r.name_ko, r.name_en, r.advance, r.backfill, r.min_total::text,
       r.announce_at, r.published_at, r.rounding_decimals, r.rounding_level::text, r.disclosure::text,
       r.position, r.announce_date_only, r.publish_at, r.scheduled_by, (SELECT count(*) FROM entries e WHERE e.round_id = r.id)
FROM rounds r
WHERE r.program_id = $1 AND ($2::text IS NULL OR r.slug = $2)
ORDER BY r.position, r.id`

// scanAdminRound reads a row of adminRoundsSQL: the round's RoundInfo (of
// the named program) and its summary, without completeness.
func scanAdminRound(row pgx.Row, program string) (RoundInfo, AdminRoundSummary, error) {
	ri := RoundInfo{Program: program}
	var a AdminRoundSummary
	err := row.Scan(&ri.ID, &ri.Slug, &ri.Kind, &ri.Status, &ri.Name.KO, &ri.Name.EN, &ri.Advance, &ri.Backfill, &ri.MinTotal,
		&ri.AnnounceAt, &ri.PublishedAt, &ri.Rounding.Decimals, &ri.Rounding.Level, &ri.Disclosure,
		&a.Position, &a.AnnounceDateOnly, &a.PublishAt, &a.ScheduledBy, &a.Teams)
	a.Slug, a.Kind, a.Name, a.Status, a.AnnounceAt, a.PublishedAt = ri.Slug, ri.Kind, ri.Name, ri.Status, ri.AnnounceAt, ri.PublishedAt
	return ri, a, err
}

// AdminRounds lists the rounds of a program in order, with their workflow
// status, their completeness and any scheduled publication. Unlike the
// public listings it shows every status. An unknown program is
// contest.ErrNotFound.
func (s *Store) AdminRounds(ctx context.Context, program string) ([]AdminRoundSummary, error) {
	var out []AdminRoundSummary
	err := s.readProgram(ctx, "admin rounds", program, func(tx pgx.Tx, pid int64) (err error) {
		rows, err := tx.Query(ctx, adminRoundsSQL, pid, nil)
		if err != nil {
			return err
		}
		var infos []RoundInfo
		for rows.Next() {
			ri, a, err := scanAdminRound(rows, program)
			if err != nil {
				rows.Close()
				return err
			}
			infos = append(infos, ri)
			out = append(out, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i, ri := range infos {
			if out[i].Completeness, err = completeness(ctx, tx, ri); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// completeness computes the round from its current scores and counts what
// is required and present.
func completeness(ctx context.Context, db DBTX, ri RoundInfo) (Completeness, error) {
	in, err := loadInput(ctx, db, ri)
	if err != nil {
		return Completeness{}, err
	}
	return inputCompleteness(in)
}

// inputCompleteness computes a round's loaded input and counts what is
// required and present.
func inputCompleteness(in FrozenInput) (Completeness, error) {
	if len(in.Criteria) == 0 {
		return Completeness{}, nil
	}
	res, _, err := compute(in)
	if err != nil {
		return Completeness{}, err
	}
	return countCompleteness(res), nil
}

// countCompleteness counts the required scores and those entered. A score
// is required of every team that did not withdraw, whatever its status (as
// the engine's Missing lists them), so Required − Entered is len(Missing).
func countCompleteness(res rules.Result) Completeness {
	c := Completeness{Scored: true, Missing: res.Missing}
	for _, t := range res.Teams {
		if t.ReasonCode == rules.ReasonWithdrew {
			continue // a team that withdrew takes no scores
		}
		for _, l := range t.Leaves {
			c.Entered += len(l.Values)
			c.Required += len(l.Values) + len(l.Missing)
		}
	}
	return c
}

// AdminEntry is a team taking part in a round, with its eligibility.
type AdminEntry struct {
	Team    string
	Name    contest.Text
	Status  string
	Reason  contest.Text
	Version int
}

// AdminCriterion is one node of a round's criteria tree, in tree order.
type AdminCriterion struct {
	Code      string
	Name      contest.Text
	Max       string // two decimals
	Depth     int
	Leaf      bool
	PanelSize int // 0 for a directly scored leaf or a category
	Aggregate string
	// Category is the code of the top-level criterion holding this one.
	Category string
}

// AdminRevision is one published revision of a round's results.
type AdminRevision struct {
	Revision    int
	PublishedAt time.Time
	PublishedBy string
	Reason      contest.Text
	Change      []byte // JSON of what a correction changed; nil for revision 1
	AuditHead   string // hex
}

// AdminDecision is the recorded decision of a tie at the cut.
type AdminDecision struct {
	Advance   []string
	Reason    contest.Text
	DecidedBy string
	DecidedAt time.Time
}

// AdminRound is everything the staff console shows of one round apart from
// its scores and results: identity, workflow, schedule, entries, criteria,
// decision and revisions.
type AdminRound struct {
	Info             RoundInfo
	AnnounceDateOnly bool
	PublishAt        *time.Time
	ScheduledBy      string
	Entries          []AdminEntry
	Criteria         []AdminCriterion
	Decision         *AdminDecision
	Revisions        []AdminRevision
	Completeness
}

// AdminRound returns a round as the staff console shows it, whatever its
// status.
func (s *Store) AdminRound(ctx context.Context, program, round string) (AdminRound, error) {
	var ar AdminRound
	err := s.readProgram(ctx, "admin round", program, func(tx pgx.Tx, pid int64) (err error) {
		ri, a, err := scanAdminRound(tx.QueryRow(ctx, adminRoundsSQL, pid, round), program)
		if err != nil {
			return fmt.Errorf("round %s/%s: %w", program, round, mapErr(err))
		}
		ar.Info, ar.AnnounceDateOnly, ar.PublishAt, ar.ScheduledBy = ri, a.AnnounceDateOnly, a.PublishAt, a.ScheduledBy
		if ar.Entries, err = adminEntries(ctx, tx, ri.ID); err != nil {
			return err
		}
		in, err := loadInput(ctx, tx, ri)
		if err != nil {
			return err
		}
		ar.Criteria = adminCriteria(in.Criteria)
		if in.Decision != nil {
			d := AdminDecision{Advance: in.Decision.Advance, Reason: in.Decision.Reason}
			if err := tx.QueryRow(ctx, `SELECT decided_by, decided_at FROM decisions WHERE round_id = $1`, ri.ID).Scan(&d.DecidedBy, &d.DecidedAt); err != nil {
				return fmt.Errorf("decision: %w", err)
			}
			ar.Decision = &d
		}
		if ar.Revisions, err = adminRevisions(ctx, tx, ri.ID); err != nil {
			return err
		}
		ar.Completeness, err = inputCompleteness(in)
		return err
	})
	return ar, err
}

// adminCriteria flattens a criteria tree in tree order (depth first).
func adminCriteria(tree []FrozenCriterion) []AdminCriterion {
	var out []AdminCriterion
	var walk func(cs []FrozenCriterion, depth int, category string)
	walk = func(cs []FrozenCriterion, depth int, category string) {
		for _, c := range cs {
			if depth == 0 {
				category = c.Code
			}
			out = append(out, AdminCriterion{Code: c.Code, Name: c.Name, Max: c.Max, Depth: depth, Leaf: len(c.Children) == 0,
				PanelSize: c.PanelSize, Aggregate: c.Aggregate, Category: category})
			walk(c.Children, depth+1, category)
		}
	}
	walk(tree, 0, "")
	return out
}

func adminEntries(ctx context.Context, db DBTX, roundID int64) ([]AdminEntry, error) {
	return appendRows(ctx, db, nil, scanWith(func(e *AdminEntry) []any {
		return []any{&e.Team, &e.Name.KO, &e.Name.EN, &e.Status, &e.Reason.KO, &e.Reason.EN, &e.Version}
	}), `
SELECT t.slug, t.name_ko, t.name_en, e.status, e.reason_ko, e.reason_en, e.version
FROM entries e JOIN teams t ON t.id = e.team_id
WHERE e.round_id = $1 ORDER BY e.position, t.position, t.slug`, roundID)
}

func adminRevisions(ctx context.Context, db DBTX, roundID int64) ([]AdminRevision, error) {
	return appendRows(ctx, db, nil, scanWith(func(v *AdminRevision) []any {
		return []any{&v.Revision, &v.PublishedAt, &v.PublishedBy, &v.Reason.KO, &v.Reason.EN, &v.Change, &v.AuditHead}
	}), `
SELECT revision, published_at, published_by, reason_ko, reason_en, change, coalesce(encode(audit_head, 'hex'), '')
FROM result_revisions WHERE round_id = $1 ORDER BY revision`, roundID)
}

// RoundRef names a round.
type RoundRef struct {
	Slug string
	Name contest.Text
}

// RoundRefs lists a program's rounds in order, for choosers. An unknown
// program is contest.ErrNotFound.
func (s *Store) RoundRefs(ctx context.Context, program string) ([]RoundRef, error) {
	var out []RoundRef
	err := s.readProgram(ctx, "round refs", program, func(tx pgx.Tx, pid int64) (err error) {
		out, err = appendRows(ctx, tx, nil, scanWith(func(r *RoundRef) []any { return []any{&r.Slug, &r.Name.KO, &r.Name.EN} }),
			`SELECT slug, name_ko, name_en FROM rounds WHERE program_id = $1 ORDER BY position, id`, pid)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
