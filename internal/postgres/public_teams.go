package postgres

// The public team list and team pages.

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
)

// Team statuses derived from a team's public outcomes.
const (
	// TeamCompeting: the team's latest public outcome is selected or advanced.
	TeamCompeting = "competing"
	// TeamOut: the team was eliminated, disqualified or withdrew.
	TeamOut = "out"
	// TeamNotSelected: the team applied and was not selected.
	TeamNotSelected = "not_selected"
	// TeamApplicant: the team has no public outcome yet.
	TeamApplicant = "applicant"
)

// PublicTeam is a team in a list, with its status derived from its latest
// public outcome.
type PublicTeam struct {
	Slug   string
	Name   contest.Text
	Lead   PublicOrgRef
	Model  string
	Size   int // organizations in the consortium, the lead included
	Status string
	// Last is the team's latest public outcome; nil for an applicant.
	Last *PublicTeamOutcome
	// Scores are the figures published for the team in the latest published
	// round that has any (criterion order, total last); ScoresRound names it.
	Scores      []PublicScore
	ScoresRound *PublicRoundRef
}

// PublicTeamOutcome is a team's outcome in one round.
type PublicTeamOutcome struct {
	Round   PublicRoundRef
	Outcome string
	Reason  contest.Text
	// Sources cite an announced outcome; a computed one cites none.
	Sources []PublicSource
}

// PublicMember is a consortium member other than the lead.
type PublicMember struct {
	Org        PublicOrgRef
	Role       string
	Since      *time.Time
	Until      *time.Time
	Confidence string
	Note       contest.Text
	Sources    []PublicSource
}

// PublicTeamRound is a round a team entered. For a round that is not
// published, Published is false and Eligibility, Outcome and Scores are empty.
type PublicTeamRound struct {
	Round       PublicRoundRef
	Status      string
	Published   bool
	Eligibility string // eligible | disqualified | withdrew; "" when not published
	EntryReason contest.Text
	Outcome     *PublicOutcome
	Scores      []PublicScore
}

// PublicTeamDetail is everything the team page shows.
type PublicTeamDetail struct {
	PublicTeam
	// Objections are the formal objections the team filed against
	// published rounds, oldest first.
	Objections []Objection
	ModelNote  contest.Text
	Goal       contest.Text
	Note       contest.Text
	Members    []PublicMember
	Rounds     []PublicTeamRound
	Support    []PublicAllocation
	Sources    []PublicSource
}

// pubTeamsSQL lists a program's teams with their status. A team's status
// follows its latest outcome in a published round (by round position):
// selected or advanced means it is competing; not_selected means it was not
// selected, unless it had already been eliminated, disqualified or had
// withdrawn, which keeps it out.
var pubTeamsSQL = `
WITH ` + publicResultsCTE + `, outcomes AS (
  SELECT o.team_id, o.outcome, o.reason_ko, o.reason_en, r.position, r.slug, r.kind, r.name_ko, r.name_en,
         r.announce_at, r.announce_date_only, o.outcome_id
  FROM public_outcomes o JOIN rounds r ON r.id = o.round_id
), latest AS (
  SELECT DISTINCT ON (team_id) * FROM outcomes ORDER BY team_id, position DESC
), ever_out AS (
  SELECT team_id FROM outcomes WHERE outcome IN ('eliminated', 'disqualified', 'withdrew') GROUP BY team_id
)
SELECT t.id, t.slug, t.name_ko, t.name_en, t.model, lo.slug, lo.name_ko, lo.name_en, lo.kind::text,
  1 + (SELECT count(*) FROM memberships m WHERE m.team_id = t.id),
  CASE WHEN l.outcome IS NULL THEN 'applicant'
       WHEN l.outcome IN ('selected', 'advanced') THEN 'competing'
       WHEN l.outcome = 'not_selected' AND eo.team_id IS NULL THEN 'not_selected'
       ELSE 'out' END,
  l.outcome::text, l.reason_ko, l.reason_en, l.slug, l.position, l.kind::text, l.name_ko, l.name_en, l.announce_at, l.announce_date_only,
  l.outcome_id
FROM teams t
JOIN organizations lo ON lo.id = t.lead_org_id
LEFT JOIN latest l ON l.team_id = t.id
LEFT JOIN ever_out eo ON eo.team_id = t.id
WHERE t.program_id = $1 AND ($2::text IS NULL OR t.slug = $2)
ORDER BY t.position, t.id`

// pubTeams returns the program's teams (or the one named by slug) with their
// status and latest published scores, and their ids in the same order.
func pubTeams(ctx context.Context, tx DBTX, programID int64, slug *string) ([]PublicTeam, []int64, error) {
	rows, err := tx.Query(ctx, pubTeamsSQL, programID, slug)
	if err != nil {
		return nil, nil, fmt.Errorf("teams: %w", err)
	}
	var teams []PublicTeam
	var ids []int64
	outcomeIDs := map[int64]int{} // announced outcome id → team index
	for rows.Next() {
		var t PublicTeam
		var id int64
		var outcomeID *int64
		var outcome, rSlug, rKind *string
		var rPos *int
		var reason, rName contest.Text
		var reasonKO, reasonEN, rNameKO, rNameEN *string
		var rAnnounce *time.Time
		var rDateOnly *bool
		if err := rows.Scan(&id, &t.Slug, &t.Name.KO, &t.Name.EN, &t.Model, &t.Lead.Slug, &t.Lead.Name.KO, &t.Lead.Name.EN, &t.Lead.Kind,
			&t.Size, &t.Status, &outcome, &reasonKO, &reasonEN, &rSlug, &rPos, &rKind, &rNameKO, &rNameEN, &rAnnounce, &rDateOnly, &outcomeID); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("teams: %w", err)
		}
		if outcome != nil {
			reason = contest.Text{KO: *reasonKO, EN: *reasonEN}
			rName = contest.Text{KO: *rNameKO, EN: *rNameEN}
			t.Last = &PublicTeamOutcome{
				Round:   PublicRoundRef{Slug: *rSlug, Position: *rPos, Kind: *rKind, Name: rName, AnnounceAt: rAnnounce, AnnounceDateOnly: *rDateOnly},
				Outcome: *outcome,
				Reason:  reason,
			}
			if outcomeID != nil {
				outcomeIDs[*outcomeID] = len(teams)
			}
		}
		teams = append(teams, t)
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("teams: %w", err)
	}
	oids := make([]int64, 0, len(outcomeIDs))
	for oid := range outcomeIDs {
		oids = append(oids, oid)
	}
	srcs, err := pubSources(ctx, tx, "outcome_id", oids)
	if err != nil {
		return nil, nil, err
	}
	for oid, i := range outcomeIDs {
		teams[i].Last.Sources = srcs[oid]
	}
	if err := pubLatestScores(ctx, tx, programID, teams, ids); err != nil {
		return nil, nil, err
	}
	return teams, ids, nil
}

// pubLatestScores fills each team's figures from the latest published round
// in which any figure was published for it.
func pubLatestScores(ctx context.Context, tx DBTX, programID int64, teams []PublicTeam, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `
WITH RECURSIVE `+criteriaOrderCTE+`, `+publicResultsCTE+`,
figures AS (
  SELECT f.team_id, f.value, c.code, c.name_ko, c.name_en, t.path, r.position, r.slug, r.kind, r.name_ko AS r_name_ko,
         r.name_en AS r_name_en, r.announce_at, r.announce_date_only, f.score_id
  FROM public_figures f
  JOIN rounds r ON r.id = f.round_id
  LEFT JOIN criteria c ON c.id = f.criterion_id
  LEFT JOIN tree t ON t.id = f.criterion_id
  WHERE f.team_id = ANY($2)
), latest AS (
  SELECT team_id, max(position) AS position FROM figures GROUP BY team_id
)
SELECT f.team_id, COALESCE(f.code, 'total'), COALESCE(f.name_ko, ''), COALESCE(f.name_en, ''), f.value::text,
       f.slug, f.position, f.kind::text, f.r_name_ko, f.r_name_en, f.announce_at, f.announce_date_only, f.score_id
FROM figures f JOIN latest l ON l.team_id = f.team_id AND l.position = f.position
ORDER BY f.team_id, f.code IS NULL, f.path`, programID, ids)
	if err != nil {
		return fmt.Errorf("latest scores: %w", err)
	}
	index := map[int64]int{}
	for i, id := range ids {
		index[id] = i
	}
	type loc struct{ team, i int }
	var scoreIDs []int64
	var locs []loc
	for rows.Next() {
		var id int64
		var sc PublicScore
		var ref PublicRoundRef
		var scoreID *int64
		if err := rows.Scan(&id, &sc.Criterion, &sc.CriterionName.KO, &sc.CriterionName.EN, &sc.Value,
			&ref.Slug, &ref.Position, &ref.Kind, &ref.Name.KO, &ref.Name.EN, &ref.AnnounceAt, &ref.AnnounceDateOnly, &scoreID); err != nil {
			rows.Close()
			return fmt.Errorf("latest scores: %w", err)
		}
		t := &teams[index[id]]
		sc.Team = t.Slug
		if scoreID != nil {
			scoreIDs = append(scoreIDs, *scoreID)
			locs = append(locs, loc{index[id], len(t.Scores)})
		}
		t.Scores = append(t.Scores, sc)
		if t.ScoresRound == nil {
			t.ScoresRound = &ref
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("latest scores: %w", err)
	}
	srcs, err := pubSources(ctx, tx, "published_score_id", scoreIDs)
	if err != nil {
		return err
	}
	for i, sid := range scoreIDs {
		teams[locs[i].team].Scores[locs[i].i].Sources = srcs[sid]
	}
	return nil
}

// PublicTeams lists the program's teams in their declared order.
func (s *Store) PublicTeams(ctx context.Context, program string) ([]PublicTeam, error) {
	return readAll(ctx, s, "public teams", program, pubTeams)
}

// PublicTeam returns the team page of the team with the given slug.
func (s *Store) PublicTeam(ctx context.Context, program, slug string) (PublicTeamDetail, error) {
	var d PublicTeamDetail
	err := s.readProgram(ctx, "public team "+slug, program, func(tx pgx.Tx, pid int64) (err error) {
		var teamID int64
		if d.PublicTeam, teamID, err = bySlug(ctx, tx, pid, slug, pubTeams); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT model_note_ko, model_note_en, goal_ko, goal_en, note_ko, note_en FROM teams WHERE id = $1`, teamID).
			Scan(&d.ModelNote.KO, &d.ModelNote.EN, &d.Goal.KO, &d.Goal.EN, &d.Note.KO, &d.Note.EN); err != nil {
			return fmt.Errorf("team: %w", err)
		}
		if d.Members, err = pubMembers(ctx, tx, teamID); err != nil {
			return err
		}
		if d.Rounds, err = pubTeamRounds(ctx, tx, pid, teamID); err != nil {
			return err
		}
		if d.Support, err = pubAllocations(ctx, tx, pid, &teamID); err != nil {
			return err
		}
		if d.Objections, err = objections(ctx, tx, nil, teamID, true); err != nil {
			return err
		}
		d.Sources, err = ownSources(ctx, tx, "team_id", teamID)
		return err
	})
	return d, err
}

func pubMembers(ctx context.Context, tx DBTX, teamID int64) ([]PublicMember, error) {
	ms, err := citedRows(ctx, tx, "membership_id", func(m *PublicMember) []any {
		return []any{&m.Org.Slug, &m.Org.Name.KO, &m.Org.Name.EN, &m.Org.Kind, &m.Role, &m.Since, &m.Until, &m.Confidence, &m.Note.KO, &m.Note.EN}
	}, func(m *PublicMember) *[]PublicSource { return &m.Sources }, `
SELECT m.id, o.slug, o.name_ko, o.name_en, o.kind::text, m.role, m.since, m.until, m.confidence::text, m.note_ko, m.note_en
FROM memberships m JOIN organizations o ON o.id = m.org_id
WHERE m.team_id = $1
ORDER BY m.position, m.id`, teamID)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	return ms, nil
}

// pubTeamRounds lists every round the team entered, with its eligibility,
// outcome and figures where the round is published.
func pubTeamRounds(ctx context.Context, tx DBTX, programID, teamID int64) ([]PublicTeamRound, error) {
	out, roundIDs, err := collectWithIDs(ctx, tx, func(tr *PublicTeamRound) []any {
		return []any{&tr.Round.Slug, &tr.Round.Position, &tr.Round.Kind, &tr.Round.Name.KO, &tr.Round.Name.EN, &tr.Round.AnnounceAt,
			&tr.Round.AnnounceDateOnly, &tr.Status, &tr.Published, &tr.Eligibility, &tr.EntryReason.KO, &tr.EntryReason.EN}
	}, `
SELECT r.id, r.slug, r.position, r.kind::text, r.name_ko, r.name_en, r.announce_at, r.announce_date_only, r.status::text,
  r.published,
  CASE WHEN r.published THEN e.status::text ELSE '' END,
  CASE WHEN r.published THEN e.reason_ko ELSE '' END,
  CASE WHEN r.published THEN e.reason_en ELSE '' END
FROM entries e JOIN rounds r ON r.id = e.round_id
WHERE r.program_id = $1 AND e.team_id = $2
ORDER BY r.position`, programID, teamID)
	if err != nil {
		return nil, fmt.Errorf("team rounds: %w", err)
	}
	index := map[int64]int{}
	for i, id := range roundIDs {
		index[id] = i
	}
	outcomes, err := pubOutcomes(ctx, tx, programID, roundIDs, &teamID)
	if err != nil {
		return nil, err
	}
	for rid, os := range outcomes {
		if len(os) > 0 {
			o := os[0]
			out[index[rid]].Outcome = &o
		}
	}
	scores, err := pubScores(ctx, tx, programID, roundIDs, &teamID)
	if err != nil {
		return nil, err
	}
	for rid, sc := range scores {
		out[index[rid]].Scores = sc
	}
	return out, nil
}
