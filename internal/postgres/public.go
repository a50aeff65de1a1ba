package postgres

// The read side of the public pages. Every method here is named Public… and
// returns only what the public may see: outcomes, published scores and
// published statistics come from published rounds (rounds.published, the
// generated column that is true for the statuses 'published' and
// 'corrected'), and an unpublished round reveals neither its entries'
// eligibility decisions nor any figure, nor when it last changed. The
// embargo is a property of these queries (each one filters on
// rounds.published itself), not of the templates that render their results.
//
// A published round's outcomes and figures are those of its latest result
// revision (computed by the rule engine and frozen at publication) when it
// has one, and otherwise the announced outcomes and published figures of a
// historic round: publicResultsCTE is the one definition of both.

import (
	"context"
	"errors"
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

// PublicProgram is a program's header: what every public page shows about it.
type PublicProgram struct {
	Slug       string
	Name       contest.Text
	Ministry   contest.Text
	Goal       contest.Text
	Note       contest.Text
	Agencies   []contest.Text
	FinalTeams *int
	StartedOn  *time.Time
	// UpdatedAt is the last change to the program's public record.
	UpdatedAt time.Time
}

// PublicSource is a public source cited for a fact.
type PublicSource struct {
	URL         string
	Label       string
	PublishedOn *time.Time
	DateNote    string
}

// PublicOrgRef names an organization.
type PublicOrgRef struct {
	Slug string
	Name contest.Text
	Kind string
}

// PublicTeamRef names a team.
type PublicTeamRef struct {
	Slug string
	Name contest.Text
}

// PublicRoundRef names a round.
type PublicRoundRef struct {
	Slug             string
	Position         int // order of the round in its program
	Kind             string
	Name             contest.Text
	AnnounceAt       *time.Time
	AnnounceDateOnly bool
}

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

// PublicScore is one published figure. Criterion is "total" for the round total.
type PublicScore struct {
	Team          string // team slug
	Criterion     string
	CriterionName contest.Text // empty for the total
	Value         string       // two decimals
	// Sources cite a figure published by the government or the press;
	// computed figures cite none of their own.
	Sources []PublicSource
}

// PublicStat is one published round statistic. Criterion is "total" for the total.
type PublicStat struct {
	Criterion string
	Stat      string // mean | median | max | min
	Value     string
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
	ModelNote contest.Text
	Goal      contest.Text
	Note      contest.Text
	Members   []PublicMember
	Rounds    []PublicTeamRound
	Support   []PublicAllocation
	Sources   []PublicSource
}

// PublicRound is a round in a list.
type PublicRound struct {
	Slug             string
	Position         int
	Kind             string
	Name             contest.Text
	Period           string
	EvaluatedOn      *time.Time
	AnnounceAt       *time.Time
	AnnounceDateOnly bool
	Status           string
	Published        bool
	PublishedAt      *time.Time
	Advance          int
	Backfill         bool
	MinTotal         string // "" when none
	Note             contest.Text
	Entrants         int
	// Through counts the teams selected or advanced; nil when not published.
	Through *int
	// Computed is true when the published results were computed by the
	// rule engine (the round has a result revision), false for a historic
	// round whose outcomes were only announced.
	Computed bool
}

// PublicCriterion is a node of a round's criteria tree, listed in tree order.
type PublicCriterion struct {
	Code        string
	Parent      string // parent code, "" at the top level
	Depth       int
	Name        contest.Text
	Description contest.Text
	Note        contest.Text
	Max         string
	PanelSize   *int
	Aggregate   string
	Leaf        bool
}

// PublicEntry is a team's entry in a round. Status and Reason are empty
// while the round is not published.
type PublicEntry struct {
	Team   PublicTeamRef
	Status string
	Reason contest.Text
}

// PublicOutcome is an announced outcome of a published round.
type PublicOutcome struct {
	Team    PublicTeamRef
	Outcome string
	Rank    *int
	Reason  contest.Text
	Note    contest.Text
	Sources []PublicSource
}

// PublicRoundDetail is everything the round page shows.
type PublicRoundDetail struct {
	PublicRound
	Criteria []PublicCriterion
	Entries  []PublicEntry
	Scores   []PublicScore
	Stats    []PublicStat
	Outcomes []PublicOutcome
	Sources  []PublicSource
}

// PublicHistoryRound is one step of the elimination history.
type PublicHistoryRound struct {
	PublicRound
	Outcomes []PublicOutcome
}

// PublicEvent is a dated program event that is not a decision round.
type PublicEvent struct {
	On         time.Time
	Until      *time.Time
	Title      contest.Text
	Confidence string
	Sources    []PublicSource
}

// PublicHistory is every round in order with its public outcomes, and the
// program's timeline events.
type PublicHistory struct {
	Rounds []PublicHistoryRound
	Events []PublicEvent
}

// PublicOverview is what the overview page shows besides the program header.
type PublicOverview struct {
	StillIn []PublicTeam
	// Next is the first round that is not published yet; nil when none.
	Next *PublicRound
	// Latest is the most recent published round with its outcomes; nil when none.
	Latest        *PublicHistoryRound
	Teams         int
	Rounds        int
	Organizations int
	Sources       []PublicSource
}

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

// PublicBudget is the program's funding for one year.
type PublicBudget struct {
	Year        int
	AmountKRW   *int64 // nil when not disclosed
	Confidence  string
	Note        contest.Text
	Sources     []PublicSource
	Allocations []PublicAllocation
}

// PublicAllocation is support given to a team, or program-wide when Team is nil.
type PublicAllocation struct {
	Year       int
	Team       *PublicTeamRef
	Kind       string
	GPUModel   string
	Quantity   *int
	AmountKRW  *int64 // nil when not disclosed
	Confidence string
	Note       contest.Text
	Sources    []PublicSource
}

// readTx runs fn in a read-only repeatable-read transaction, so a page built
// from several queries sees one consistent snapshot.
func (s *Store) readTx(ctx context.Context, op string, fn func(pgx.Tx) error) error {
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, fn)
	if err != nil {
		return fmt.Errorf("postgres: %s: %w", op, mapErr(err))
	}
	return nil
}

// publicResultsCTE defines, for program $1, the public outcomes
// (public_outcomes) and figures (public_figures) of published rounds (those
// whose generated column rounds.published is true): from the latest result
// revision of a round when there is one, else from its announced outcomes
// and published scores. Every query that reads an outcome or a figure goes
// through it; what "published" means is written once, in the migration that
// defines the column.
const publicResultsCTE = `
revisions AS (
  SELECT DISTINCT ON (rv.round_id) rv.round_id, rv.snapshot
  FROM result_revisions rv JOIN rounds r ON r.id = rv.round_id
  WHERE r.program_id = $1 AND r.published
  ORDER BY rv.round_id, rv.revision DESC
), computed AS (
  SELECT rv.round_id, t.id AS team_id, x.line
  FROM revisions rv
  CROSS JOIN LATERAL jsonb_array_elements(rv.snapshot->'teams') AS x(line)
  JOIN teams t ON t.program_id = $1 AND t.slug = x.line->>'team'
), public_outcomes AS (
  SELECT c.round_id, c.team_id, NULL::bigint AS outcome_id, (c.line->>'outcome')::outcome AS outcome,
         (c.line->>'rank')::int AS rank, COALESCE(c.line->'reason'->>'ko', '') AS reason_ko,
         COALESCE(c.line->'reason'->>'en', '') AS reason_en, '' AS note_ko, '' AS note_en
  FROM computed c WHERE c.line->>'outcome' IS NOT NULL
  UNION ALL
  SELECT o.round_id, o.team_id, o.id, o.outcome, o.rank, o.reason_ko, o.reason_en, o.note_ko, o.note_en
  FROM announced_outcomes o JOIN rounds r ON r.id = o.round_id
  WHERE r.program_id = $1 AND r.published
    AND NOT EXISTS (SELECT 1 FROM revisions rv WHERE rv.round_id = o.round_id)
), public_figures AS (
  SELECT c.round_id, c.team_id, cr.id AS criterion_id, v.value::numeric(7, 2) AS value, NULL::bigint AS score_id
  FROM computed c
  CROSS JOIN LATERAL jsonb_each_text(c.line->'categories') AS v(code, value)
  JOIN criteria cr ON cr.round_id = c.round_id AND cr.code = v.code
  UNION ALL
  SELECT c.round_id, c.team_id, NULL, (c.line->>'total')::numeric(7, 2), NULL FROM computed c WHERE c.line->>'total' IS NOT NULL
  UNION ALL
  SELECT ps.round_id, ps.team_id, ps.criterion_id, ps.value, ps.id
  FROM published_scores ps JOIN rounds r ON r.id = ps.round_id
  WHERE r.program_id = $1 AND r.published
    AND NOT EXISTS (SELECT 1 FROM revisions rv WHERE rv.round_id = ps.round_id)
)`

// programColumns selects a program's header for scanProgram. Its last
// column is the time of the last change to the public record: the program
// row, its teams and its published rounds. Unpublished rounds are left out,
// since their updated_at moves when they are scored, closed or scheduled,
// and would tell the public when that happened before publication.
const programColumns = `p.slug, p.name_ko, p.name_en, p.ministry_ko, p.ministry_en, p.goal_ko, p.goal_en, p.note_ko, p.note_en,
  p.agencies, p.final_teams, p.started_on,
  GREATEST(p.updated_at,
    (SELECT max(t.updated_at) FROM teams t WHERE t.program_id = p.id),
    (SELECT max(GREATEST(r.updated_at, r.published_at)) FROM rounds r WHERE r.program_id = p.id AND r.published))`

// scanProgram scans the programColumns of a row, then any further columns
// into extra.
func scanProgram(row pgx.Row, extra ...any) (PublicProgram, error) {
	var p PublicProgram
	dest := []any{&p.Slug, &p.Name.KO, &p.Name.EN, &p.Ministry.KO, &p.Ministry.EN, &p.Goal.KO, &p.Goal.EN,
		&p.Note.KO, &p.Note.EN, &p.Agencies, &p.FinalTeams, &p.StartedOn, &p.UpdatedAt}
	err := row.Scan(append(dest, extra...)...)
	return p, err
}

// DefaultProgram returns the program with the lowest id: the one the public
// pages show. It is contest.ErrNotFound when there is no program.
func (s *Store) DefaultProgram(ctx context.Context) (PublicProgram, error) {
	p, err := scanProgram(s.pool.QueryRow(ctx, `SELECT `+programColumns+` FROM programs p ORDER BY p.id LIMIT 1`))
	if err != nil {
		return p, fmt.Errorf("postgres: default program: %w", mapErr(err))
	}
	return p, nil
}

// PublicProgram returns the header of the program with the given slug.
func (s *Store) PublicProgram(ctx context.Context, program string) (PublicProgram, error) {
	p, err := scanProgram(s.pool.QueryRow(ctx, `SELECT `+programColumns+` FROM programs p WHERE p.slug = $1`, program))
	if err != nil {
		return p, fmt.Errorf("postgres: program %s: %w", program, mapErr(err))
	}
	return p, nil
}

// pubSources returns the sources cited for the given subjects, by subject id.
// column must be one of the citation subject columns.
func pubSources(ctx context.Context, tx DBTX, column string, ids []int64) (map[int64][]PublicSource, error) {
	switch column {
	case "program_id", "organization_id", "team_id", "membership_id", "round_id", "outcome_id",
		"published_score_id", "budget_id", "allocation_id", "event_id":
	default:
		return nil, fmt.Errorf("sources: unknown subject %q", column)
	}
	out := map[int64][]PublicSource{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, `
SELECT c.`+column+`, s.url, s.label, s.published_on, s.date_note
FROM citations c JOIN sources s ON s.id = c.source_id
WHERE c.`+column+` = ANY($1)
ORDER BY c.`+column+`, c.position, s.id`, ids)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var src PublicSource
		if err := rows.Scan(&id, &src.URL, &src.Label, &src.PublishedOn, &src.DateNote); err != nil {
			return nil, fmt.Errorf("sources: %w", err)
		}
		out[id] = append(out[id], src)
	}
	return out, rows.Err()
}

// pubTeamsSQL lists a program's teams with their status. A team's status
// follows its latest outcome in a published round (by round position):
// selected or advanced means it is competing; not_selected means it was not
// selected, unless it had already been eliminated, disqualified or had
// withdrawn, which keeps it out.
const pubTeamsSQL = `
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

// criteriaOrderCTE numbers every criterion of the program's rounds in tree
// order (depth-first, by position), so figures list in the order of the
// criteria table.
const criteriaOrderCTE = `
tree AS (
  SELECT c.id, c.parent_id, ARRAY[c.position, c.id::int] AS path, 0 AS depth
  FROM criteria c JOIN rounds r ON r.id = c.round_id
  WHERE r.program_id = $1 AND c.parent_id IS NULL
  UNION ALL
  SELECT c.id, c.parent_id, t.path || ARRAY[c.position, c.id::int], t.depth + 1
  FROM criteria c JOIN tree t ON c.parent_id = t.id
)`

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
	var teams []PublicTeam
	err := s.readTx(ctx, "public teams", func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		teams, _, err = pubTeams(ctx, tx, pid, nil)
		return err
	})
	return teams, err
}

// PublicTeam returns the team page of the team with the given slug.
func (s *Store) PublicTeam(ctx context.Context, program, slug string) (PublicTeamDetail, error) {
	var d PublicTeamDetail
	err := s.readTx(ctx, "public team "+slug, func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		teams, ids, err := pubTeams(ctx, tx, pid, &slug)
		if err != nil {
			return err
		}
		if len(teams) == 0 {
			return contest.ErrNotFound
		}
		d.PublicTeam, err = teams[0], nil
		teamID := ids[0]
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
		srcs, err := pubSources(ctx, tx, "team_id", []int64{teamID})
		if err != nil {
			return err
		}
		d.Sources = srcs[teamID]
		return nil
	})
	return d, err
}

func pubMembers(ctx context.Context, tx DBTX, teamID int64) ([]PublicMember, error) {
	rows, err := tx.Query(ctx, `
SELECT m.id, o.slug, o.name_ko, o.name_en, o.kind::text, m.role, m.since, m.until, m.confidence::text, m.note_ko, m.note_en
FROM memberships m JOIN organizations o ON o.id = m.org_id
WHERE m.team_id = $1
ORDER BY m.position, m.id`, teamID)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	var ms []PublicMember
	var ids []int64
	for rows.Next() {
		var m PublicMember
		var id int64
		if err := rows.Scan(&id, &m.Org.Slug, &m.Org.Name.KO, &m.Org.Name.EN, &m.Org.Kind, &m.Role, &m.Since, &m.Until,
			&m.Confidence, &m.Note.KO, &m.Note.EN); err != nil {
			rows.Close()
			return nil, fmt.Errorf("members: %w", err)
		}
		ms = append(ms, m)
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	srcs, err := pubSources(ctx, tx, "membership_id", ids)
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		ms[i].Sources = srcs[id]
	}
	return ms, nil
}

// pubTeamRounds lists every round the team entered, with its eligibility,
// outcome and figures where the round is published.
func pubTeamRounds(ctx context.Context, tx DBTX, programID, teamID int64) ([]PublicTeamRound, error) {
	rows, err := tx.Query(ctx, `
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
	var out []PublicTeamRound
	index := map[int64]int{}
	var roundIDs []int64
	for rows.Next() {
		var tr PublicTeamRound
		var id int64
		if err := rows.Scan(&id, &tr.Round.Slug, &tr.Round.Position, &tr.Round.Kind, &tr.Round.Name.KO, &tr.Round.Name.EN, &tr.Round.AnnounceAt,
			&tr.Round.AnnounceDateOnly, &tr.Status, &tr.Published, &tr.Eligibility, &tr.EntryReason.KO, &tr.EntryReason.EN); err != nil {
			rows.Close()
			return nil, fmt.Errorf("team rounds: %w", err)
		}
		index[id] = len(out)
		roundIDs = append(roundIDs, id)
		out = append(out, tr)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("team rounds: %w", err)
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

// pubOutcomes returns the public outcomes of the given rounds (all teams, or
// one), by round id, ranked teams first, then in entry order.
func pubOutcomes(ctx context.Context, tx DBTX, programID int64, roundIDs []int64, teamID *int64) (map[int64][]PublicOutcome, error) {
	out := map[int64][]PublicOutcome{}
	if len(roundIDs) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, `
WITH `+publicResultsCTE+`
SELECT o.outcome_id, o.round_id, t.slug, t.name_ko, t.name_en, o.outcome::text, o.rank, o.reason_ko, o.reason_en, o.note_ko, o.note_en
FROM public_outcomes o
JOIN teams t ON t.id = o.team_id
JOIN entries e ON e.round_id = o.round_id AND e.team_id = o.team_id
WHERE o.round_id = ANY($2) AND ($3::bigint IS NULL OR o.team_id = $3)
ORDER BY o.round_id, o.rank NULLS LAST, e.position, t.position`, programID, roundIDs, teamID)
	if err != nil {
		return nil, fmt.Errorf("outcomes: %w", err)
	}
	type loc struct {
		round int64
		i     int
	}
	var ids []int64
	var locs []loc
	for rows.Next() {
		var o PublicOutcome
		var id *int64
		var rid int64
		if err := rows.Scan(&id, &rid, &o.Team.Slug, &o.Team.Name.KO, &o.Team.Name.EN, &o.Outcome, &o.Rank,
			&o.Reason.KO, &o.Reason.EN, &o.Note.KO, &o.Note.EN); err != nil {
			rows.Close()
			return nil, fmt.Errorf("outcomes: %w", err)
		}
		if id != nil { // computed outcomes cite no source of their own
			ids = append(ids, *id)
			locs = append(locs, loc{rid, len(out[rid])})
		}
		out[rid] = append(out[rid], o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("outcomes: %w", err)
	}
	srcs, err := pubSources(ctx, tx, "outcome_id", ids)
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		out[locs[i].round][locs[i].i].Sources = srcs[id]
	}
	return out, nil
}

// pubScores returns the public figures of the given rounds (all teams, or
// one), by round id, in entry and criteria order with the total last.
func pubScores(ctx context.Context, tx DBTX, programID int64, roundIDs []int64, teamID *int64) (map[int64][]PublicScore, error) {
	out := map[int64][]PublicScore{}
	if len(roundIDs) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, `
WITH RECURSIVE `+criteriaOrderCTE+`, `+publicResultsCTE+`
SELECT f.round_id, t.slug, COALESCE(c.code, 'total'), COALESCE(c.name_ko, ''), COALESCE(c.name_en, ''), f.value::text, f.score_id
FROM public_figures f
JOIN teams t ON t.id = f.team_id
JOIN entries e ON e.round_id = f.round_id AND e.team_id = f.team_id
LEFT JOIN criteria c ON c.id = f.criterion_id
LEFT JOIN tree tr ON tr.id = f.criterion_id
WHERE f.round_id = ANY($2) AND ($3::bigint IS NULL OR f.team_id = $3)
ORDER BY f.round_id, e.position, c.id IS NULL, tr.path`, programID, roundIDs, teamID)
	if err != nil {
		return nil, fmt.Errorf("published scores: %w", err)
	}
	type loc struct {
		round int64
		i     int
	}
	var ids []int64
	var locs []loc
	for rows.Next() {
		var rid int64
		var sc PublicScore
		var id *int64
		if err := rows.Scan(&rid, &sc.Team, &sc.Criterion, &sc.CriterionName.KO, &sc.CriterionName.EN, &sc.Value, &id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("published scores: %w", err)
		}
		if id != nil {
			ids = append(ids, *id)
			locs = append(locs, loc{rid, len(out[rid])})
		}
		out[rid] = append(out[rid], sc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("published scores: %w", err)
	}
	srcs, err := pubSources(ctx, tx, "published_score_id", ids)
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		out[locs[i].round][locs[i].i].Sources = srcs[id]
	}
	return out, nil
}

// pubAllocations lists the program's allocations (or one team's), by year
// and position.
func pubAllocations(ctx context.Context, tx DBTX, programID int64, teamID *int64) ([]PublicAllocation, error) {
	rows, err := tx.Query(ctx, `
SELECT a.id, b.id, b.year, t.slug, t.name_ko, t.name_en, a.kind::text, a.gpu_model, a.quantity, a.amount_krw,
       a.confidence::text, a.note_ko, a.note_en
FROM allocations a
JOIN budgets b ON b.id = a.budget_id
LEFT JOIN teams t ON t.id = a.team_id
WHERE b.program_id = $1 AND ($2::bigint IS NULL OR a.team_id = $2)
ORDER BY b.year, a.position`, programID, teamID)
	if err != nil {
		return nil, fmt.Errorf("allocations: %w", err)
	}
	var out []PublicAllocation
	var ids []int64
	for rows.Next() {
		var a PublicAllocation
		var id, budgetID int64
		var tSlug, tKO, tEN *string
		if err := rows.Scan(&id, &budgetID, &a.Year, &tSlug, &tKO, &tEN, &a.Kind, &a.GPUModel, &a.Quantity, &a.AmountKRW,
			&a.Confidence, &a.Note.KO, &a.Note.EN); err != nil {
			rows.Close()
			return nil, fmt.Errorf("allocations: %w", err)
		}
		if tSlug != nil {
			a.Team = &PublicTeamRef{Slug: *tSlug, Name: contest.Text{KO: *tKO, EN: *tEN}}
		}
		out = append(out, a)
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("allocations: %w", err)
	}
	srcs, err := pubSources(ctx, tx, "allocation_id", ids)
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		out[i].Sources = srcs[id]
	}
	return out, nil
}

// pubRounds lists the program's rounds (or the one named by slug) in order,
// with their ids.
func pubRounds(ctx context.Context, tx DBTX, programID int64, slug *string) ([]PublicRound, []int64, error) {
	rows, err := tx.Query(ctx, `
WITH `+publicResultsCTE+`
SELECT r.id, r.slug, r.position, r.kind::text, r.name_ko, r.name_en, r.period, r.evaluated_on, r.announce_at, r.announce_date_only,
  r.status::text, r.published, r.published_at, r.advance, r.backfill, COALESCE(r.min_total::text, ''),
  r.note_ko, r.note_en,
  (SELECT count(*) FROM entries e WHERE e.round_id = r.id),
  CASE WHEN r.published THEN
    (SELECT count(*) FROM public_outcomes o WHERE o.round_id = r.id AND o.outcome IN ('selected', 'advanced')) END,
  EXISTS (SELECT 1 FROM revisions rv WHERE rv.round_id = r.id)
FROM rounds r
WHERE r.program_id = $1 AND ($2::text IS NULL OR r.slug = $2)
ORDER BY r.position`, programID, slug)
	if err != nil {
		return nil, nil, fmt.Errorf("rounds: %w", err)
	}
	defer rows.Close()
	var out []PublicRound
	var ids []int64
	for rows.Next() {
		var r PublicRound
		var id int64
		if err := rows.Scan(&id, &r.Slug, &r.Position, &r.Kind, &r.Name.KO, &r.Name.EN, &r.Period, &r.EvaluatedOn, &r.AnnounceAt, &r.AnnounceDateOnly,
			&r.Status, &r.Published, &r.PublishedAt, &r.Advance, &r.Backfill, &r.MinTotal, &r.Note.KO, &r.Note.EN,
			&r.Entrants, &r.Through, &r.Computed); err != nil {
			return nil, nil, fmt.Errorf("rounds: %w", err)
		}
		out = append(out, r)
		ids = append(ids, id)
	}
	return out, ids, rows.Err()
}

// PublicRounds lists the program's rounds in order.
func (s *Store) PublicRounds(ctx context.Context, program string) ([]PublicRound, error) {
	var out []PublicRound
	err := s.readTx(ctx, "public rounds", func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		out, _, err = pubRounds(ctx, tx, pid, nil)
		return err
	})
	return out, err
}

// PublicRound returns the round page of the round with the given slug. An
// unpublished round comes with its rule, criteria and entrants only.
func (s *Store) PublicRound(ctx context.Context, program, slug string) (PublicRoundDetail, error) {
	var d PublicRoundDetail
	err := s.readTx(ctx, "public round "+slug, func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		rounds, ids, err := pubRounds(ctx, tx, pid, &slug)
		if err != nil {
			return err
		}
		if len(rounds) == 0 {
			return contest.ErrNotFound
		}
		d.PublicRound = rounds[0]
		rid := ids[0]
		if d.Criteria, err = pubCriteria(ctx, tx, pid, rid); err != nil {
			return err
		}
		if d.Entries, err = pubEntries(ctx, tx, rid); err != nil {
			return err
		}
		scores, err := pubScores(ctx, tx, pid, ids, nil)
		if err != nil {
			return err
		}
		d.Scores = scores[rid]
		if d.Stats, err = pubStats(ctx, tx, rid); err != nil {
			return err
		}
		outcomes, err := pubOutcomes(ctx, tx, pid, ids, nil)
		if err != nil {
			return err
		}
		d.Outcomes = outcomes[rid]
		srcs, err := pubSources(ctx, tx, "round_id", ids)
		if err != nil {
			return err
		}
		d.Sources = srcs[rid]
		return nil
	})
	return d, err
}

func pubCriteria(ctx context.Context, tx DBTX, programID, roundID int64) ([]PublicCriterion, error) {
	rows, err := tx.Query(ctx, `
WITH RECURSIVE `+criteriaOrderCTE+`
SELECT c.code, COALESCE(p.code, ''), tr.depth, c.name_ko, c.name_en, c.description_ko, c.description_en, c.note_ko, c.note_en,
  c.max::text, c.panel_size, COALESCE(c.aggregate::text, ''),
  NOT EXISTS (SELECT 1 FROM criteria k WHERE k.parent_id = c.id)
FROM criteria c
JOIN tree tr ON tr.id = c.id
LEFT JOIN criteria p ON p.id = c.parent_id
WHERE c.round_id = $2
ORDER BY tr.path`, programID, roundID)
	if err != nil {
		return nil, fmt.Errorf("criteria: %w", err)
	}
	defer rows.Close()
	var out []PublicCriterion
	for rows.Next() {
		var c PublicCriterion
		if err := rows.Scan(&c.Code, &c.Parent, &c.Depth, &c.Name.KO, &c.Name.EN, &c.Description.KO, &c.Description.EN,
			&c.Note.KO, &c.Note.EN, &c.Max, &c.PanelSize, &c.Aggregate, &c.Leaf); err != nil {
			return nil, fmt.Errorf("criteria: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// pubEntries lists a round's entrants. Eligibility decisions are part of the
// embargoed result, so they are returned only once the round is published.
func pubEntries(ctx context.Context, tx DBTX, roundID int64) ([]PublicEntry, error) {
	rows, err := tx.Query(ctx, `
SELECT t.slug, t.name_ko, t.name_en,
  CASE WHEN r.published THEN e.status::text ELSE '' END,
  CASE WHEN r.published THEN e.reason_ko ELSE '' END,
  CASE WHEN r.published THEN e.reason_en ELSE '' END
FROM entries e JOIN rounds r ON r.id = e.round_id JOIN teams t ON t.id = e.team_id
WHERE e.round_id = $1
ORDER BY e.position, t.position`, roundID)
	if err != nil {
		return nil, fmt.Errorf("entries: %w", err)
	}
	defer rows.Close()
	var out []PublicEntry
	for rows.Next() {
		var e PublicEntry
		if err := rows.Scan(&e.Team.Slug, &e.Team.Name.KO, &e.Team.Name.EN, &e.Status, &e.Reason.KO, &e.Reason.EN); err != nil {
			return nil, fmt.Errorf("entries: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func pubStats(ctx context.Context, tx DBTX, roundID int64) ([]PublicStat, error) {
	rows, err := tx.Query(ctx, `
SELECT COALESCE(c.code, 'total'), s.stat::text, s.value::text
FROM published_stats s
JOIN rounds r ON r.id = s.round_id
LEFT JOIN criteria c ON c.id = s.criterion_id
WHERE s.round_id = $1 AND r.published
ORDER BY s.stat, c.id IS NULL, c.id`, roundID)
	if err != nil {
		return nil, fmt.Errorf("published stats: %w", err)
	}
	defer rows.Close()
	var out []PublicStat
	for rows.Next() {
		var st PublicStat
		if err := rows.Scan(&st.Criterion, &st.Stat, &st.Value); err != nil {
			return nil, fmt.Errorf("published stats: %w", err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// PublicHistory returns every round in order with its public outcomes, and
// the program's timeline events in date order.
func (s *Store) PublicHistory(ctx context.Context, program string) (PublicHistory, error) {
	var h PublicHistory
	err := s.readTx(ctx, "public history", func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		if h.Rounds, err = pubHistoryRounds(ctx, tx, pid); err != nil {
			return err
		}
		h.Events, err = pubEvents(ctx, tx, pid)
		return err
	})
	return h, err
}

func pubHistoryRounds(ctx context.Context, tx DBTX, programID int64) ([]PublicHistoryRound, error) {
	rounds, ids, err := pubRounds(ctx, tx, programID, nil)
	if err != nil {
		return nil, err
	}
	outcomes, err := pubOutcomes(ctx, tx, programID, ids, nil)
	if err != nil {
		return nil, err
	}
	out := make([]PublicHistoryRound, len(rounds))
	for i, r := range rounds {
		out[i] = PublicHistoryRound{PublicRound: r, Outcomes: outcomes[ids[i]]}
	}
	return out, nil
}

func pubEvents(ctx context.Context, tx DBTX, programID int64) ([]PublicEvent, error) {
	rows, err := tx.Query(ctx, `
SELECT id, happened_on, until_on, title_ko, title_en, confidence::text
FROM events WHERE program_id = $1
ORDER BY happened_on, position`, programID)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	var out []PublicEvent
	var ids []int64
	for rows.Next() {
		var e PublicEvent
		var id int64
		if err := rows.Scan(&id, &e.On, &e.Until, &e.Title.KO, &e.Title.EN, &e.Confidence); err != nil {
			rows.Close()
			return nil, fmt.Errorf("events: %w", err)
		}
		out = append(out, e)
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	srcs, err := pubSources(ctx, tx, "event_id", ids)
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		out[i].Sources = srcs[id]
	}
	return out, nil
}

// PublicOverview returns who is still in, what is next and the latest
// decision.
func (s *Store) PublicOverview(ctx context.Context, program string) (PublicOverview, error) {
	var ov PublicOverview
	err := s.readTx(ctx, "public overview", func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		teams, _, err := pubTeams(ctx, tx, pid, nil)
		if err != nil {
			return err
		}
		ov.Teams = len(teams)
		for _, t := range teams {
			if t.Status == TeamCompeting {
				ov.StillIn = append(ov.StillIn, t)
			}
		}
		rounds, err := pubHistoryRounds(ctx, tx, pid)
		if err != nil {
			return err
		}
		ov.Rounds = len(rounds)
		for i := range rounds {
			r := rounds[i]
			if r.Published {
				ov.Latest = &r
			} else if ov.Next == nil {
				ov.Next = &r.PublicRound
			}
		}
		if err := tx.QueryRow(ctx, `SELECT count(DISTINCT m.org_id) FROM (`+programMembershipsSQL+`) m`, pid).Scan(&ov.Organizations); err != nil {
			return fmt.Errorf("organizations: %w", err)
		}
		srcs, err := pubSources(ctx, tx, "program_id", []int64{pid})
		if err != nil {
			return err
		}
		ov.Sources = srcs[pid]
		return nil
	})
	return ov, err
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
	err := s.readTx(ctx, "public organizations", func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, pubOrgsSQL, pid, nil)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var o PublicOrg
			var id int64
			if err := rows.Scan(&id, &o.Slug, &o.Name.KO, &o.Name.EN, &o.Kind, &o.Teams); err != nil {
				return err
			}
			out = append(out, o)
		}
		return rows.Err()
	})
	return out, err
}

// PublicOrganization returns the organization page: the program's consortia
// the organization leads or belongs to, with each team's status. An
// organization that takes part in none of them is contest.ErrNotFound.
func (s *Store) PublicOrganization(ctx context.Context, program, slug string) (PublicOrgDetail, error) {
	var d PublicOrgDetail
	err := s.readTx(ctx, "public organization "+slug, func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
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
	rows, err := tx.Query(ctx, pubOrgsSQL, programID, slug)
	if err != nil {
		return nil, fmt.Errorf("organizations: %w", err)
	}
	var out []PublicOrgDetail
	var ids []int64
	index := map[int64]int{}
	for rows.Next() {
		var d PublicOrgDetail
		var id int64
		if err := rows.Scan(&id, &d.Slug, &d.Name.KO, &d.Name.EN, &d.Kind, &d.Teams); err != nil {
			rows.Close()
			return nil, fmt.Errorf("organizations: %w", err)
		}
		index[id] = len(out)
		out = append(out, d)
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("organizations: %w", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	teams, teamIDs, err := pubTeams(ctx, tx, programID, nil)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]PublicTeam, len(teams))
	for i, id := range teamIDs {
		byID[id] = teams[i]
	}
	rows, err = tx.Query(ctx, `
SELECT m.org_id, m.team_id, m.lead, m.role, m.since, m.confidence
FROM (`+programMembershipsSQL+`) m JOIN teams t ON t.id = m.team_id
WHERE m.org_id = ANY($2)
ORDER BY m.lead DESC, t.position, t.id, m.position, m.id`, programID, ids)
	if err != nil {
		return nil, fmt.Errorf("memberships: %w", err)
	}
	for rows.Next() {
		var m PublicOrgTeam
		var orgID, teamID int64
		if err := rows.Scan(&orgID, &teamID, &m.Lead, &m.Role, &m.Since, &m.Confidence); err != nil {
			rows.Close()
			return nil, fmt.Errorf("memberships: %w", err)
		}
		m.Team = byID[teamID]
		d := &out[index[orgID]]
		d.Memberships = append(d.Memberships, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
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

// PublicFunding returns the program's budgets by year with their allocations.
func (s *Store) PublicFunding(ctx context.Context, program string) ([]PublicBudget, error) {
	var out []PublicBudget
	err := s.readTx(ctx, "public funding", func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `
SELECT id, year, amount_krw, confidence::text, note_ko, note_en FROM budgets WHERE program_id = $1 ORDER BY year`, pid)
		if err != nil {
			return fmt.Errorf("budgets: %w", err)
		}
		var ids []int64
		byYear := map[int]int{}
		for rows.Next() {
			var b PublicBudget
			var id int64
			if err := rows.Scan(&id, &b.Year, &b.AmountKRW, &b.Confidence, &b.Note.KO, &b.Note.EN); err != nil {
				rows.Close()
				return fmt.Errorf("budgets: %w", err)
			}
			byYear[b.Year] = len(out)
			out = append(out, b)
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("budgets: %w", err)
		}
		srcs, err := pubSources(ctx, tx, "budget_id", ids)
		if err != nil {
			return err
		}
		for i, id := range ids {
			out[i].Sources = srcs[id]
		}
		allocs, err := pubAllocations(ctx, tx, pid, nil)
		if err != nil {
			return err
		}
		for _, a := range allocs {
			i, ok := byYear[a.Year]
			if !ok {
				return errors.New("allocation without a budget")
			}
			out[i].Allocations = append(out[i].Allocations, a)
		}
		return nil
	})
	return out, err
}
