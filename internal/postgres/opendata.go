package postgres

// The read side of the open data: the JSON API, the downloads, the Atom
// feed and search. Like public.go, every method here returns only what the
// public may see, and the embargo is written in the queries: outcomes,
// figures and result revisions come only from published rounds
// (rounds.published; through publicResultsCTE where outcomes and figures
// are concerned).

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
)

// PublicPrograms lists every program, oldest first (the first one is the
// default program of the pages).
func (s *Store) PublicPrograms(ctx context.Context) ([]PublicProgram, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+programColumns+` FROM programs p ORDER BY p.id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: public programs: %w", err)
	}
	defer rows.Close()
	var out []PublicProgram
	for rows.Next() {
		p, err := scanProgram(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: public programs: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: public programs: %w", err)
	}
	return out, nil
}

// PublicMembership is one organization's place in a consortium: the lead
// (Lead true, Role "lead") or a member (as the team page lists it).
type PublicMembership struct {
	Team PublicTeamRef
	Lead bool
	PublicMember
}

// PublicMemberships lists the consortium of every team of the program: per
// team in team order, the lead first, then the members in their order.
func (s *Store) PublicMemberships(ctx context.Context, program string) ([]PublicMembership, error) {
	var out []PublicMembership
	err := s.readProgram(ctx, "public memberships", program, func(tx pgx.Tx, pid int64) (err error) {
		out, err = pubMemberships(ctx, tx, pid)
		return err
	})
	return out, err
}

func pubMemberships(ctx context.Context, tx DBTX, programID int64) ([]PublicMembership, error) {
	out, err := citedRows(ctx, tx, "membership_id", func(m *PublicMembership) []any {
		return []any{&m.Team.Slug, &m.Team.Name.KO, &m.Team.Name.EN, &m.Org.Slug, &m.Org.Name.KO, &m.Org.Name.EN, &m.Org.Kind, &m.Lead, &m.Role, &m.Since, &m.Until, &m.Confidence, &m.Note.KO, &m.Note.EN}
	}, func(m *PublicMembership) *[]PublicSource { return &m.Sources }, `
SELECT m.id, t.slug, t.name_ko, t.name_en, o.slug, o.name_ko, o.name_en, o.kind::text, m.lead, m.role, m.since, m.until,
       m.confidence, m.note_ko, m.note_en
FROM (`+programMembershipsSQL+`) m
JOIN teams t ON t.id = m.team_id
JOIN organizations o ON o.id = m.org_id
ORDER BY t.position, t.id, m.position, m.id`, programID)
	if err != nil {
		return nil, fmt.Errorf("memberships: %w", err)
	}
	return out, nil
}

// PublicOrganizationDetails returns the organization page of every
// organization taking part in the program's consortia, in the order of
// PublicOrganizations, read in one snapshot: each is what
// PublicOrganization returns for it.
func (s *Store) PublicOrganizationDetails(ctx context.Context, program string) ([]PublicOrgDetail, error) {
	var out []PublicOrgDetail
	err := s.readProgram(ctx, "public organization details", program, func(tx pgx.Tx, pid int64) (err error) {
		out, err = pubOrgDetails(ctx, tx, pid, nil)
		return err
	})
	return out, err
}

// PublicRevision is one published revision of a round's computed results:
// revision 1 is the publication, later ones are corrections with a reason
// and a description of the change.
type PublicRevision struct {
	Revision    int
	PublishedAt time.Time
	Reason      contest.Text
	// Change is what a correction changed (kind score or eligibility, team,
	// old and new value); empty for revision 1.
	Change json.RawMessage
}

// PublicFeedRound is a published round as the feed announces it: its
// outcomes (from its latest revision) and every revision published.
type PublicFeedRound struct {
	PublicHistoryRound
	// Revisions is empty for a historic round whose outcomes were only
	// announced.
	Revisions []PublicRevision
	// Disclosures are the dated steps of what the round discloses, each a
	// public event.
	Disclosures []DisclosureStep
	// Objections are the formal objections filed against the round.
	Objections []Objection
}

// PublicFeed is what the Atom feed announces: every published round with
// its outcomes and revisions, in round order.
type PublicFeed struct {
	Program PublicProgram
	Rounds  []PublicFeedRound
}

// PublicFeed returns the program's published rounds with their public
// outcomes and result revisions, read in one snapshot. Unpublished rounds
// are left out entirely.
func (s *Store) PublicFeed(ctx context.Context, program string) (PublicFeed, error) {
	var f PublicFeed
	err := s.readTx(ctx, "public feed", func(tx pgx.Tx) error {
		var pid int64
		var err error
		if f.Program, err = scanProgram(tx.QueryRow(ctx, `SELECT `+programColumns+`, p.id FROM programs p WHERE p.slug = $1`, program), &pid); err != nil {
			return fmt.Errorf("program %s: %w", program, mapErr(err))
		}
		rounds, err := pubHistoryRounds(ctx, tx, pid)
		if err != nil {
			return err
		}
		index := map[string]int{}
		for _, r := range rounds {
			if r.Published {
				index[r.Slug] = len(f.Rounds)
				f.Rounds = append(f.Rounds, PublicFeedRound{PublicHistoryRound: r})
			}
		}
		rows, err := tx.Query(ctx, `
SELECT r.slug, v.revision, v.published_at, v.reason_ko, v.reason_en,
       CASE WHEN r.disclosure = 'full' THEN coalesce(v.change, '{}') ELSE '{}' END
FROM result_revisions v JOIN rounds r ON r.id = v.round_id
WHERE r.program_id = $1 AND r.published
ORDER BY r.position, v.revision`, pid)
		if err != nil {
			return fmt.Errorf("revisions: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var slug string
			var v PublicRevision
			if err := rows.Scan(&slug, &v.Revision, &v.PublishedAt, &v.Reason.KO, &v.Reason.EN, &v.Change); err != nil {
				return fmt.Errorf("revisions: %w", err)
			}
			if i, ok := index[slug]; ok {
				f.Rounds[i].Revisions = append(f.Rounds[i].Revisions, v)
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return feedEvents(ctx, tx, pid, f.Rounds)
	})
	return f, err
}

// PublicSearchTeam is a team found by search.
type PublicSearchTeam struct {
	PublicTeamRef
	Lead  PublicOrgRef
	Model string
}

// PublicSearchRound is a round found by search.
type PublicSearchRound struct {
	PublicRoundRef
	Period    string
	Published bool
}

// PublicSearchResults are the teams, organizations and rounds whose name
// (in either language), slug or, for teams, model contains the query.
type PublicSearchResults struct {
	Teams         []PublicSearchTeam
	Organizations []PublicOrgRef
	Rounds        []PublicSearchRound
}

// SearchLimit caps the matches returned per kind.
const SearchLimit = 50

// likePattern turns a user's query into an ILIKE pattern matching it as a
// substring: the wildcards % and _ and the escape character itself are
// escaped, so they match literally.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(q) + "%"
}

// PublicSearch finds the program's teams, the organizations of its
// consortia and its rounds whose Korean or English name or slug contains q,
// case-insensitively; spaces in names and query are also ignored, so "LG AI
// 연구원" finds "LG AI연구원". An empty query finds nothing.
func (s *Store) PublicSearch(ctx context.Context, program, q string) (PublicSearchResults, error) {
	var res PublicSearchResults
	q = strings.TrimSpace(q)
	if q == "" {
		// The program must still exist.
		_, err := programIDBySlug(ctx, s.pool, program, false)
		if err != nil {
			return res, fmt.Errorf("postgres: public search: %w", err)
		}
		return res, nil
	}
	pat := likePattern(q)
	compact := likePattern(strings.Join(strings.Fields(q), ""))
	err := s.readProgram(ctx, "public search", program, func(tx pgx.Tx, pid int64) (err error) {
		// matches is the search condition on column x.
		matches := func(x string) string {
			return `(` + x + ` ILIKE $2 ESCAPE '\' OR replace(` + x + `, ' ', '') ILIKE $3 ESCAPE '\')`
		}
		res.Teams, err = listOf(ctx, tx, "teams", func(t *PublicSearchTeam) []any {
			return []any{&t.Slug, &t.Name.KO, &t.Name.EN, &t.Model, &t.Lead.Slug, &t.Lead.Name.KO, &t.Lead.Name.EN, &t.Lead.Kind}
		}, `
SELECT t.slug, t.name_ko, t.name_en, t.model, o.slug, o.name_ko, o.name_en, o.kind::text
FROM teams t JOIN organizations o ON o.id = t.lead_org_id
WHERE t.program_id = $1 AND (`+matches("t.slug")+` OR `+matches("t.name_ko")+` OR `+matches("t.name_en")+` OR `+matches("t.model")+`)
ORDER BY t.position, t.id
LIMIT $4`, pid, pat, compact, SearchLimit)
		if err != nil {
			return err
		}

		res.Organizations, err = listOf(ctx, tx, "organizations", func(o *PublicOrgRef) []any {
			return []any{&o.Slug, &o.Name.KO, &o.Name.EN, &o.Kind}
		}, `
SELECT o.slug, o.name_ko, o.name_en, o.kind::text
FROM organizations o
WHERE o.id IN (SELECT m.org_id FROM (`+programMembershipsSQL+`) m)
  AND (`+matches("o.slug")+` OR `+matches("o.name_ko")+` OR `+matches("o.name_en")+`)
ORDER BY o.kind, o.name_ko, o.id
LIMIT $4`, pid, pat, compact, SearchLimit)
		if err != nil {
			return err
		}

		res.Rounds, err = listOf(ctx, tx, "rounds", func(r *PublicSearchRound) []any {
			return []any{&r.Slug, &r.Position, &r.Kind, &r.Name.KO, &r.Name.EN, &r.AnnounceAt, &r.AnnounceDateOnly, &r.Period, &r.Published}
		}, `
SELECT r.slug, r.position, r.kind::text, r.name_ko, r.name_en, r.announce_at, r.announce_date_only, r.period,
       r.published
FROM rounds r
WHERE r.program_id = $1 AND (`+matches("r.slug")+` OR `+matches("r.name_ko")+` OR `+matches("r.name_en")+` OR `+matches("r.period")+`)
ORDER BY r.position
LIMIT $4`, pid, pat, compact, SearchLimit)
		return err
	})
	return res, err
}

// feedEvents adds to each published round of the feed its disclosure steps
// and objections.
func feedEvents(ctx context.Context, tx DBTX, programID int64, rounds []PublicFeedRound) error {
	for i := range rounds {
		r := &rounds[i]
		var id int64
		if err := tx.QueryRow(ctx, `SELECT id FROM rounds WHERE program_id = $1 AND slug = $2`, programID, r.Slug).Scan(&id); err != nil {
			return fmt.Errorf("round %s: %w", r.Slug, err)
		}
		var err error
		if _, r.Disclosures, err = pubDisclosures(ctx, tx, id); err != nil {
			return err
		}
		if r.Objections, err = objections(ctx, tx, id, nil, true); err != nil {
			return err
		}
	}
	return nil
}
