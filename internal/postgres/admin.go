package postgres

import (
	"context"
	"encoding/hex"
	"errors"
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

// AdminRounds lists the rounds of a program in order, with their workflow
// status, their completeness and any scheduled publication. Unlike the
// public listings it shows every status.
func (s *Store) AdminRounds(ctx context.Context, program string) ([]AdminRoundSummary, error) {
	var out []AdminRoundSummary
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
SELECT r.slug, r.position, r.announce_date_only, r.publish_at, r.scheduled_by, (SELECT count(*) FROM entries e WHERE e.round_id = r.id)
FROM rounds r JOIN programs p ON p.id = r.program_id
WHERE p.slug = $1 ORDER BY r.position, r.id`, program)
		if err != nil {
			return err
		}
		for rows.Next() {
			var a AdminRoundSummary
			if err := rows.Scan(&a.Slug, &a.Position, &a.AnnounceDateOnly, &a.PublishAt, &a.ScheduledBy, &a.Teams); err != nil {
				rows.Close()
				return err
			}
			out = append(out, a)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			ri, err := roundInfo(ctx, tx, program, out[i].Slug, false)
			if err != nil {
				return err
			}
			a := &out[i]
			a.Kind, a.Name, a.Status, a.AnnounceAt, a.PublishedAt = ri.Kind, ri.Name, ri.Status, ri.AnnounceAt, ri.PublishedAt
			if a.Completeness, err = completeness(ctx, tx, ri); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: admin rounds: %w", err)
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
	if len(in.Criteria) == 0 {
		return Completeness{}, nil
	}
	res, _, err := compute(in)
	if err != nil {
		return Completeness{}, err
	}
	return countCompleteness(res), nil
}

func countCompleteness(res rules.Result) Completeness {
	c := Completeness{Scored: true, Missing: res.Missing}
	for _, t := range res.Teams {
		if t.Rank == 0 {
			continue // not ranked, so nothing of it is required
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
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		ri, err := roundInfo(ctx, tx, program, round, false)
		if err != nil {
			return err
		}
		ar.Info = ri
		if err := tx.QueryRow(ctx, `SELECT announce_date_only, publish_at, scheduled_by FROM rounds WHERE id = $1`, ri.ID).Scan(
			&ar.AnnounceDateOnly, &ar.PublishAt, &ar.ScheduledBy); err != nil {
			return err
		}
		if ar.Entries, err = adminEntries(ctx, tx, ri.ID); err != nil {
			return err
		}
		if ar.Criteria, err = adminCriteria(ctx, tx, ri.ID); err != nil {
			return err
		}
		var d AdminDecision
		err = tx.QueryRow(ctx, `
SELECT array(SELECT t.slug FROM teams t WHERE t.id = ANY(d.team_ids) ORDER BY t.slug), d.reason_ko, d.reason_en, d.decided_by, d.decided_at
FROM decisions d WHERE d.round_id = $1`, ri.ID).Scan(&d.Advance, &d.Reason.KO, &d.Reason.EN, &d.DecidedBy, &d.DecidedAt)
		switch {
		case err == nil:
			ar.Decision = &d
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		if ar.Revisions, err = adminRevisions(ctx, tx, ri.ID); err != nil {
			return err
		}
		ar.Completeness, err = completeness(ctx, tx, ri)
		return err
	})
	if err != nil {
		return ar, fmt.Errorf("postgres: admin round: %w", err)
	}
	return ar, nil
}

func adminEntries(ctx context.Context, db DBTX, roundID int64) ([]AdminEntry, error) {
	rows, err := db.Query(ctx, `
SELECT t.slug, t.name_ko, t.name_en, e.status, e.reason_ko, e.reason_en, e.version
FROM entries e JOIN teams t ON t.id = e.team_id
WHERE e.round_id = $1 ORDER BY e.position, t.position, t.slug`, roundID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AdminEntry
	for rows.Next() {
		var e AdminEntry
		if err := rows.Scan(&e.Team, &e.Name.KO, &e.Name.EN, &e.Status, &e.Reason.KO, &e.Reason.EN, &e.Version); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func adminCriteria(ctx context.Context, db DBTX, roundID int64) ([]AdminCriterion, error) {
	rows, err := db.Query(ctx, `
SELECT id, parent_id, code, name_ko, name_en, max::text, coalesce(panel_size, 0), coalesce(aggregate::text, '')
FROM criteria WHERE round_id = $1 ORDER BY position, id`, roundID)
	if err != nil {
		return nil, err
	}
	type node struct {
		c      AdminCriterion
		id     int64
		parent *int64
	}
	var nodes []node
	for rows.Next() {
		var n node
		if err := rows.Scan(&n.id, &n.parent, &n.c.Code, &n.c.Name.KO, &n.c.Name.EN, &n.c.Max, &n.c.PanelSize, &n.c.Aggregate); err != nil {
			rows.Close()
			return nil, err
		}
		n.c.Max = rules.FormatCents(mustRat(n.c.Max))
		nodes = append(nodes, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []AdminCriterion
	var walk func(parent *int64, depth int, category string)
	walk = func(parent *int64, depth int, category string) {
		for _, n := range nodes {
			if (parent == nil) != (n.parent == nil) || (parent != nil && *parent != *n.parent) {
				continue
			}
			c := n.c
			c.Depth, c.Category = depth, category
			if depth == 0 {
				c.Category = c.Code
			}
			c.Leaf = true
			for _, k := range nodes {
				if k.parent != nil && *k.parent == n.id {
					c.Leaf = false
					break
				}
			}
			out = append(out, c)
			id := n.id
			walk(&id, depth+1, c.Category)
		}
	}
	walk(nil, 0, "")
	return out, nil
}

func adminRevisions(ctx context.Context, db DBTX, roundID int64) ([]AdminRevision, error) {
	rows, err := db.Query(ctx, `
SELECT revision, published_at, published_by, reason_ko, reason_en, change, coalesce(audit_head, '')
FROM result_revisions WHERE round_id = $1 ORDER BY revision`, roundID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AdminRevision
	for rows.Next() {
		var v AdminRevision
		var head []byte
		if err := rows.Scan(&v.Revision, &v.PublishedAt, &v.PublishedBy, &v.Reason.KO, &v.Reason.EN, &v.Change, &head); err != nil {
			return nil, err
		}
		v.AuditHead = hex.EncodeToString(head)
		out = append(out, v)
	}
	return out, rows.Err()
}

// RoundRef names a round.
type RoundRef struct {
	Slug string
	Name contest.Text
}

// RoundRefs lists a program's rounds in order, for choosers.
func (s *Store) RoundRefs(ctx context.Context, program string) ([]RoundRef, error) {
	rows, err := s.pool.Query(ctx, `
SELECT r.slug, r.name_ko, r.name_en FROM rounds r JOIN programs p ON p.id = r.program_id
WHERE p.slug = $1 ORDER BY r.position, r.id`, program)
	if err != nil {
		return nil, fmt.Errorf("postgres: round refs: %w", err)
	}
	defer rows.Close()
	var out []RoundRef
	for rows.Next() {
		var r RoundRef
		if err := rows.Scan(&r.Slug, &r.Name.KO, &r.Name.EN); err != nil {
			return nil, fmt.Errorf("postgres: round refs: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
