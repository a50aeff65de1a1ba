package postgres

// The public round list and round pages.

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
)

// PublicStat is one round statistic. Criterion is "total" for the total.
type PublicStat struct {
	Criterion string
	Stat      string // mean | median | max | min | spread (max − min)
	Value     string // with the round's decimals
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

// PublicRoundDetail is everything the round page shows.
type PublicRoundDetail struct {
	PublicRound
	Criteria []PublicCriterion
	Entries  []PublicEntry
	Scores   []PublicScore
	// Stats are the statistics the government published.
	Stats []PublicStat
	// Aggregates are the mean, max, min and spread of each category and
	// of the total over the ranked teams, computed by the portal; empty
	// at the "outcomes" level.
	Aggregates []PublicStat
	// Disclosure is what the round discloses: DisclosureOutcomes,
	// DisclosureAggregates or DisclosureFull.
	Disclosure  string
	Disclosures []DisclosureStep
	Objections  []Objection
	Outcomes    []PublicOutcome
	Sources     []PublicSource
}

// pubRounds lists the program's rounds (or the one named by slug) in order,
// with their ids.
func pubRounds(ctx context.Context, tx DBTX, programID int64, slug *string) ([]PublicRound, []int64, error) {
	out, ids, err := collectWithIDs(ctx, tx, func(r *PublicRound) []any {
		return []any{&r.Slug, &r.Position, &r.Kind, &r.Name.KO, &r.Name.EN, &r.Period, &r.EvaluatedOn, &r.AnnounceAt, &r.AnnounceDateOnly,
			&r.Status, &r.Published, &r.PublishedAt, &r.Advance, &r.Backfill, &r.MinTotal, &r.Note.KO, &r.Note.EN,
			&r.Entrants, &r.Through, &r.Computed}
	}, `
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
	return out, ids, nil
}

// PublicRounds lists the program's rounds in order.
func (s *Store) PublicRounds(ctx context.Context, program string) ([]PublicRound, error) {
	return readAll(ctx, s, "public rounds", program, pubRounds)
}

// PublicRound returns the round page of the round with the given slug. An
// unpublished round comes with its rule, criteria and entrants only.
func (s *Store) PublicRound(ctx context.Context, program, slug string) (PublicRoundDetail, error) {
	var d PublicRoundDetail
	err := s.readProgram(ctx, "public round "+slug, program, func(tx pgx.Tx, pid int64) (err error) {
		var rid int64
		if d.PublicRound, rid, err = bySlug(ctx, tx, pid, slug, pubRounds); err != nil {
			return err
		}
		ids := []int64{rid}
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
		if d.Stats, err = pubStats(ctx, tx, pid, rid); err != nil {
			return err
		}
		if d.Aggregates, err = pubAggregates(ctx, tx, pid, rid); err != nil {
			return err
		}
		if d.Disclosure, d.Disclosures, err = pubDisclosures(ctx, tx, rid); err != nil {
			return err
		}
		if d.Objections, err = objections(ctx, tx, rid, nil, true); err != nil {
			return err
		}
		outcomes, err := pubOutcomes(ctx, tx, pid, ids, nil)
		if err != nil {
			return err
		}
		d.Outcomes = outcomes[rid]
		d.Sources, err = ownSources(ctx, tx, "round_id", rid)
		return err
	})
	return d, err
}

func pubCriteria(ctx context.Context, tx DBTX, programID, roundID int64) ([]PublicCriterion, error) {
	return listOf(ctx, tx, "criteria", func(c *PublicCriterion) []any {
		return []any{&c.Code, &c.Parent, &c.Depth, &c.Name.KO, &c.Name.EN, &c.Description.KO, &c.Description.EN,
			&c.Note.KO, &c.Note.EN, &c.Max, &c.PanelSize, &c.Aggregate, &c.Leaf}
	}, `
WITH RECURSIVE `+criteriaOrderCTE+`
SELECT c.code, COALESCE(p.code, ''), tr.depth, c.name_ko, c.name_en, c.description_ko, c.description_en, c.note_ko, c.note_en,
  c.max::text, c.panel_size, COALESCE(c.aggregate::text, ''),
  NOT EXISTS (SELECT 1 FROM criteria k WHERE k.parent_id = c.id)
FROM criteria c
JOIN tree tr ON tr.id = c.id
LEFT JOIN criteria p ON p.id = c.parent_id
WHERE c.round_id = $2
ORDER BY tr.path`, programID, roundID)
}

// pubEntries lists a round's entrants. Eligibility decisions are part of the
// embargoed result, so they are returned only once the round is published.
func pubEntries(ctx context.Context, tx DBTX, roundID int64) ([]PublicEntry, error) {
	return listOf(ctx, tx, "entries", func(e *PublicEntry) []any {
		return []any{&e.Team.Slug, &e.Team.Name.KO, &e.Team.Name.EN, &e.Status, &e.Reason.KO, &e.Reason.EN}
	}, `
SELECT t.slug, t.name_ko, t.name_en,
  CASE WHEN r.published THEN e.status::text ELSE '' END,
  CASE WHEN r.published THEN e.reason_ko ELSE '' END,
  CASE WHEN r.published THEN e.reason_en ELSE '' END
FROM entries e JOIN rounds r ON r.id = e.round_id JOIN teams t ON t.id = e.team_id
WHERE e.round_id = $1
ORDER BY e.position, t.position`, roundID)
}

// pubStats returns the statistics the government published for a round
// (the program file's published_stats), when its level discloses
// statistics (not at "outcomes"), by criterion in tree order with the
// total last. A value is written with the round's decimals unless it was
// published with more (an average of 9.48 in a one-decimal round).
func pubStats(ctx context.Context, tx DBTX, programID, roundID int64) ([]PublicStat, error) {
	return roundStats(ctx, tx, "published statistics", `
  SELECT s.criterion_id, s.stat::text AS stat,
         CASE WHEN round(s.value, sh.decimals) = s.value THEN round(s.value, sh.decimals) ELSE s.value END AS value
  FROM published_stats s JOIN shown sh ON sh.round_id = s.round_id
  WHERE s.round_id = $2 AND sh.disclosure IN ('aggregates', 'full')`, programID, roundID)
}

// pubAggregates returns the statistics the portal computes over a round's
// ranked teams (public_aggregates): none at "outcomes".
func pubAggregates(ctx context.Context, tx DBTX, programID, roundID int64) ([]PublicStat, error) {
	return roundStats(ctx, tx, "statistics", `
  SELECT a.criterion_id, a.stat, a.value FROM public_aggregates a WHERE a.round_id = $2`, programID, roundID)
}

// roundStats reads the statistics that stats (a query over publicResultsCTE
// giving criterion_id, stat and value) selects, in criteria order.
func roundStats(ctx context.Context, tx DBTX, what, stats string, programID, roundID int64) ([]PublicStat, error) {
	out, err := collectRows(ctx, tx, func(row pgx.Row) (PublicStat, error) {
		var st PublicStat
		err := row.Scan(&st.Criterion, &st.Stat, &st.Value)
		return st, err
	}, `
WITH RECURSIVE `+criteriaOrderCTE+`, `+publicResultsCTE+`, stats AS (`+stats+`)
SELECT COALESCE(c.code, 'total'), st.stat, st.value::text
FROM stats st
LEFT JOIN criteria c ON c.id = st.criterion_id
LEFT JOIN tree tr ON tr.id = st.criterion_id
ORDER BY st.criterion_id IS NULL, tr.path, array_position(ARRAY['mean', 'median', 'max', 'min', 'spread'], st.stat)`, programID, roundID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}
