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
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
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

// PublicOutcome is an announced outcome of a published round.
type PublicOutcome struct {
	Team    PublicTeamRef
	Outcome string
	Rank    *int
	Reason  contest.Text
	Note    contest.Text
	Sources []PublicSource
}

// publicResultsCTE defines, for program $1, the public outcomes
// (public_outcomes), figures (public_figures) and statistics
// (public_aggregates) of published rounds (those whose generated column
// rounds.published is true): from the latest result revision of a round
// when there is one, else from its announced outcomes and published scores.
// Every query that reads an outcome or a figure goes through it; what
// "published" means is written once, in the migration that defines the
// column.
//
// What a round discloses is applied here too, once (FORMATS §4): below
// "full" an outcome has no rank and a reason without figures (PlainReason)
// and there are no figures; "aggregates" and "full" show the mean, maximum,
// minimum and spread of each category and of the total over the ranked
// teams. Figures carry the round's decimals.
var publicResultsCTE = `
revisions AS (
  SELECT DISTINCT ON (rv.round_id) rv.round_id, rv.snapshot
  FROM result_revisions rv JOIN rounds r ON r.id = rv.round_id
  WHERE r.program_id = $1 AND r.published
  ORDER BY rv.round_id, rv.revision DESC
), shown AS (
  SELECT r.id AS round_id, r.disclosure, r.rounding_decimals AS decimals,
         EXISTS (SELECT 1 FROM revisions rv WHERE rv.round_id = r.id) AS computed
  FROM rounds r WHERE r.program_id = $1 AND r.published
), computed AS (
  SELECT rv.round_id, t.id AS team_id, x.line
  FROM revisions rv
  CROSS JOIN LATERAL jsonb_array_elements(rv.snapshot->'teams') AS x(line)
  JOIN teams t ON t.program_id = $1 AND t.slug = x.line->>'team'
), all_outcomes AS (
  SELECT c.round_id, c.team_id, NULL::bigint AS outcome_id, (c.line->>'outcome')::outcome AS outcome,
         (c.line->>'rank')::int AS rank, COALESCE(c.line->'reason'->>'ko', '') AS reason_ko,
         COALESCE(c.line->'reason'->>'en', '') AS reason_en, '' AS note_ko, '' AS note_en
  FROM computed c WHERE c.line->>'outcome' IS NOT NULL
  UNION ALL
  SELECT o.round_id, o.team_id, o.id, o.outcome, o.rank, o.reason_ko, o.reason_en, o.note_ko, o.note_en
  FROM announced_outcomes o JOIN shown s ON s.round_id = o.round_id AND NOT s.computed
), public_outcomes AS (
  SELECT o.round_id, o.team_id, o.outcome_id, o.outcome,
         CASE WHEN s.disclosure = 'full' THEN o.rank END AS rank,
         CASE WHEN s.disclosure = 'full' THEN o.reason_ko ELSE ` + plainReasonSQL("o.outcome", "e.reason_ko", "ko") + ` END AS reason_ko,
         CASE WHEN s.disclosure = 'full' THEN o.reason_en ELSE ` + plainReasonSQL("o.outcome", "e.reason_en", "en") + ` END AS reason_en,
         CASE WHEN s.disclosure = 'full' THEN o.note_ko ELSE '' END AS note_ko,
         CASE WHEN s.disclosure = 'full' THEN o.note_en ELSE '' END AS note_en
  FROM all_outcomes o
  JOIN shown s ON s.round_id = o.round_id
  JOIN entries e ON e.round_id = o.round_id AND e.team_id = o.team_id
), all_figures AS (
  SELECT c.round_id, c.team_id, cr.id AS criterion_id, v.value::numeric AS value, NULL::bigint AS score_id
  FROM computed c
  CROSS JOIN LATERAL jsonb_each_text(c.line->'categories') AS v(code, value)
  JOIN criteria cr ON cr.round_id = c.round_id AND cr.code = v.code
  UNION ALL
  SELECT c.round_id, c.team_id, NULL, (c.line->>'total')::numeric, NULL FROM computed c WHERE c.line->>'total' IS NOT NULL
  UNION ALL
  SELECT ps.round_id, ps.team_id, ps.criterion_id, ps.value, ps.id
  FROM published_scores ps JOIN shown s ON s.round_id = ps.round_id AND NOT s.computed
), public_figures AS (
  SELECT f.round_id, f.team_id, f.criterion_id, round(f.value, s.decimals) AS value, f.score_id
  FROM all_figures f JOIN shown s ON s.round_id = f.round_id
  WHERE s.disclosure = 'full'
), public_aggregates AS (
  SELECT a.round_id, a.criterion_id, st.stat, st.value
  FROM (
    SELECT f.round_id, f.criterion_id, s.decimals, avg(f.value) AS mean, max(f.value) AS hi, min(f.value) AS lo
    FROM all_figures f
    JOIN shown s ON s.round_id = f.round_id
    JOIN all_outcomes o ON o.round_id = f.round_id AND o.team_id = f.team_id
    WHERE s.disclosure IN ('aggregates', 'full') AND o.rank IS NOT NULL
    GROUP BY f.round_id, f.criterion_id, s.decimals
  ) a
  CROSS JOIN LATERAL (VALUES ('mean', round(a.mean, a.decimals)), ('max', round(a.hi, a.decimals)),
                             ('min', round(a.lo, a.decimals)), ('spread', round(a.hi - a.lo, a.decimals))) AS st(stat, value)
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

// pubList is the shape of the public reads that list a program's items of
// one kind, or the one named by slug, with their ids in the same order.
type pubList[T any] func(ctx context.Context, tx DBTX, programID int64, slug *string) ([]T, []int64, error)

// readAll returns every item list reads of the program.
func readAll[T any](ctx context.Context, s *Store, op, program string, list pubList[T]) ([]T, error) {
	var out []T
	err := s.readProgram(ctx, op, program, func(tx pgx.Tx, pid int64) (err error) {
		out, _, err = list(ctx, tx, pid, nil)
		return err
	})
	return out, err
}

// bySlug returns the item of the program named slug that list reads, and
// its id; none is contest.ErrNotFound.
func bySlug[T any](ctx context.Context, tx DBTX, programID int64, slug string, list pubList[T]) (T, int64, error) {
	items, ids, err := list(ctx, tx, programID, &slug)
	if err == nil && len(items) == 0 {
		err = contest.ErrNotFound
	}
	if err != nil {
		var zero T
		return zero, 0, err
	}
	return items[0], ids[0], nil
}

// ownSources returns the sources cited for the one subject id in column.
func ownSources(ctx context.Context, tx DBTX, column string, id int64) ([]PublicSource, error) {
	srcs, err := pubSources(ctx, tx, column, []int64{id})
	return srcs[id], err
}

// pubSources returns the sources cited for the given subjects, by subject id.
// column must be one of the citation subject columns.
func pubSources(ctx context.Context, tx DBTX, column string, ids []int64) (map[int64][]PublicSource, error) {
	switch column {
	case "program_id", "organization_id", "team_id", "membership_id", "round_id", "outcome_id",
		"published_score_id", "budget_id", "allocation_id", "event_id", "disclosure_id", "objection_id":
	default:
		return nil, fmt.Errorf("sources: unknown subject %q", column)
	}
	out := map[int64][]PublicSource{}
	if len(ids) == 0 {
		return out, nil
	}
	var id int64
	var src PublicSource
	err := forEachRow(ctx, tx, []any{&id, &src.URL, &src.Label, &src.PublishedOn, &src.DateNote}, func() error {
		out[id] = append(out[id], src)
		return nil
	}, `
SELECT c.`+column+`, s.url, s.label, s.published_on, s.date_note
FROM citations c JOIN sources s ON s.id = c.source_id
WHERE c.`+column+` = ANY($1)
ORDER BY c.`+column+`, c.position, s.id`, ids)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	return out, nil
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

// pubOutcomes returns the public outcomes of the given rounds (all teams, or
// one), by round id, ranked teams first, then in entry order.
func pubOutcomes(ctx context.Context, tx DBTX, programID int64, roundIDs []int64, teamID *int64) (map[int64][]PublicOutcome, error) {
	return citedByRound(ctx, tx, "outcomes", "outcome_id", roundIDs, func(o *PublicOutcome) []any {
		return []any{&o.Team.Slug, &o.Team.Name.KO, &o.Team.Name.EN, &o.Outcome, &o.Rank,
			&o.Reason.KO, &o.Reason.EN, &o.Note.KO, &o.Note.EN}
	}, func(o *PublicOutcome) *[]PublicSource { return &o.Sources }, `
WITH `+publicResultsCTE+`
SELECT o.outcome_id, o.round_id, t.slug, t.name_ko, t.name_en, o.outcome::text, o.rank, o.reason_ko, o.reason_en, o.note_ko, o.note_en
FROM public_outcomes o
JOIN teams t ON t.id = o.team_id
JOIN entries e ON e.round_id = o.round_id AND e.team_id = o.team_id
WHERE o.round_id = ANY($2) AND ($3::bigint IS NULL OR o.team_id = $3)
ORDER BY o.round_id, o.rank NULLS LAST, e.position, t.position`, programID, roundIDs, teamID)
}

// pubScores returns the public figures of the given rounds (all teams, or
// one), by round id, in entry and criteria order with the total last.
func pubScores(ctx context.Context, tx DBTX, programID int64, roundIDs []int64, teamID *int64) (map[int64][]PublicScore, error) {
	return citedByRound(ctx, tx, "published scores", "published_score_id", roundIDs, func(sc *PublicScore) []any {
		return []any{&sc.Team, &sc.Criterion, &sc.CriterionName.KO, &sc.CriterionName.EN, &sc.Value}
	}, func(sc *PublicScore) *[]PublicSource { return &sc.Sources }, `
WITH RECURSIVE `+criteriaOrderCTE+`, `+publicResultsCTE+`
SELECT f.score_id, f.round_id, t.slug, COALESCE(c.code, 'total'), COALESCE(c.name_ko, ''), COALESCE(c.name_en, ''), f.value::text
FROM public_figures f
JOIN teams t ON t.id = f.team_id
JOIN entries e ON e.round_id = f.round_id AND e.team_id = f.team_id
LEFT JOIN criteria c ON c.id = f.criterion_id
LEFT JOIN tree tr ON tr.id = f.criterion_id
WHERE f.round_id = ANY($2) AND ($3::bigint IS NULL OR f.team_id = $3)
ORDER BY f.round_id, e.position, c.id IS NULL, tr.path`, programID, roundIDs, teamID)
}

// roundItem is an item of a round read by citedByRound.
type roundItem[T any] struct {
	round int64
	v     T
}

// citedByRound is citedRows over the rounds roundIDs for a query whose
// second column is the round id: the items by round (none: an empty map),
// a failure named what.
func citedByRound[T any](ctx context.Context, tx DBTX, what, column string, roundIDs []int64, dest func(*T) []any, sources func(*T) *[]PublicSource, sql string, args ...any) (map[int64][]T, error) {
	out := map[int64][]T{}
	if len(roundIDs) == 0 {
		return out, nil
	}
	rows, err := citedRows(ctx, tx, column, func(r *roundItem[T]) []any {
		return append([]any{&r.round}, dest(&r.v)...)
	}, func(r *roundItem[T]) *[]PublicSource { return sources(&r.v) }, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	for _, r := range rows {
		out[r.round] = append(out[r.round], r.v)
	}
	return out, nil
}

// citedRows runs sql, whose first column is the id an item's sources are
// cited by (NULL: it cites none of its own), scans the other columns into
// dest of a T, and sets the sources of every item through sources
// (pubSources of column). No rows is a nil slice.
func citedRows[T any](ctx context.Context, tx DBTX, column string, dest func(*T) []any, sources func(*T) *[]PublicSource, sql string, args ...any) ([]T, error) {
	var ids []*int64
	out, err := appendRows(ctx, tx, nil, func(row pgx.CollectableRow) (T, error) {
		var v T
		var id *int64
		err := row.Scan(append([]any{&id}, dest(&v)...)...)
		ids = append(ids, id)
		return v, err
	}, sql, args...)
	if err != nil {
		return nil, err
	}
	var keys []int64
	for _, id := range ids {
		if id != nil {
			keys = append(keys, *id)
		}
	}
	srcs, err := pubSources(ctx, tx, column, keys)
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		if id != nil {
			*sources(&out[i]) = srcs[*id]
		}
	}
	return out, nil
}
