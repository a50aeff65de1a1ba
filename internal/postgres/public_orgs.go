package postgres

// The public organization list and organization pages.

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
)

// PublicOrg is an organization in a list.
type PublicOrg struct {
	Slug  string
	Name  contest.Text
	Kind  string
	Teams int // consortia of the program it leads or belongs to
}

// PublicOrgTeam is a consortium an organization belongs to.
type PublicOrgTeam struct {
	Team       PublicTeam
	Lead       bool
	Role       string
	Since      *time.Time
	Confidence string
}

// PublicOrgDetail is everything the organization page shows.
type PublicOrgDetail struct {
	PublicOrg
	Memberships []PublicOrgTeam
	Sources     []PublicSource
}

// programMembershipsSQL lists, for program $1, every place an organization
// holds in one of the program's consortia: each team's lead (lead true, role
// 'lead', id NULL, position -1) and each member. It is the one definition of
// "the organizations of the program": the organization list, the overview's
// count, search, the organization pages and the memberships download all
// read it.
const programMembershipsSQL = `
  SELECT NULL::bigint AS id, t.id AS team_id, t.lead_org_id AS org_id, true AS lead, 'lead' AS role, NULL::date AS since,
         NULL::date AS until, 'confirmed' AS confidence, '' AS note_ko, '' AS note_en, -1 AS position
  FROM teams t WHERE t.program_id = $1
  UNION ALL
  SELECT m.id, m.team_id, m.org_id, false, m.role, m.since, m.until, m.confidence::text, m.note_ko, m.note_en, m.position
  FROM memberships m JOIN teams t ON t.id = m.team_id WHERE t.program_id = $1`

// pubOrgsSQL lists the organizations that lead or belong to a consortium of
// the program (or the one named by slug $2), with the number of such
// consortia.
const pubOrgsSQL = `
WITH links AS (` + programMembershipsSQL + `)
SELECT o.id, o.slug, o.name_ko, o.name_en, o.kind::text, count(DISTINCT l.team_id)
FROM organizations o JOIN links l ON l.org_id = o.id
WHERE ($2::text IS NULL OR o.slug = $2)
GROUP BY o.id
ORDER BY o.kind, o.name_ko, o.id`

// PublicOrganizations lists the organizations taking part in the program's
// consortia, by kind and Korean name.
func (s *Store) PublicOrganizations(ctx context.Context, program string) ([]PublicOrg, error) {
	var out []PublicOrg
	err := s.readProgram(ctx, "public organizations", program, func(tx pgx.Tx, pid int64) (err error) {
		var id int64
		out, err = appendRows(ctx, tx, nil, scanWith(func(o *PublicOrg) []any {
			return []any{&id, &o.Slug, &o.Name.KO, &o.Name.EN, &o.Kind, &o.Teams}
		}), pubOrgsSQL, pid, nil)
		return err
	})
	return out, err
}

// PublicOrganization returns the organization page: the program's consortia
// the organization leads or belongs to, with each team's status. An
// organization that takes part in none of them is contest.ErrNotFound.
func (s *Store) PublicOrganization(ctx context.Context, program, slug string) (PublicOrgDetail, error) {
	var d PublicOrgDetail
	err := s.readProgram(ctx, "public organization "+slug, program, func(tx pgx.Tx, pid int64) (err error) {
		ds, err := pubOrgDetails(ctx, tx, pid, &slug)
		if err != nil {
			return err
		}
		if len(ds) == 0 {
			return contest.ErrNotFound
		}
		d = ds[0]
		return nil
	})
	return d, err
}

// pubOrgDetails returns the organization pages of the organizations of the
// program's consortia (or of the one named by slug), in the order of
// pubOrgsSQL. Each lists the consortia the organization leads first, then
// those it belongs to, each group in team order.
func pubOrgDetails(ctx context.Context, tx DBTX, programID int64, slug *string) ([]PublicOrgDetail, error) {
	out, ids, err := collectWithIDs(ctx, tx, func(d *PublicOrgDetail) []any {
		return []any{&d.Slug, &d.Name.KO, &d.Name.EN, &d.Kind, &d.Teams}
	}, pubOrgsSQL, programID, slug)
	if err != nil {
		return nil, fmt.Errorf("organizations: %w", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	index := map[int64]int{}
	for i, id := range ids {
		index[id] = i
	}
	teams, teamIDs, err := pubTeams(ctx, tx, programID, nil)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]PublicTeam, len(teams))
	for i, id := range teamIDs {
		byID[id] = teams[i]
	}
	var m PublicOrgTeam
	var orgID, teamID int64
	err = forEachRow(ctx, tx, []any{&orgID, &teamID, &m.Lead, &m.Role, &m.Since, &m.Confidence}, func() error {
		m.Team = byID[teamID]
		d := &out[index[orgID]]
		d.Memberships = append(d.Memberships, m)
		m = PublicOrgTeam{} // the next row scans into fresh values
		return nil
	}, `
SELECT m.org_id, m.team_id, m.lead, m.role, m.since, m.confidence
FROM (`+programMembershipsSQL+`) m JOIN teams t ON t.id = m.team_id
WHERE m.org_id = ANY($2)
ORDER BY m.lead DESC, t.position, t.id, m.position, m.id`, programID, ids)
	if err != nil {
		return nil, fmt.Errorf("memberships: %w", err)
	}
	srcs, err := pubSources(ctx, tx, "organization_id", ids)
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		out[i].Sources = srcs[id]
	}
	return out, nil
}
