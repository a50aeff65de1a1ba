package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// PublicStandingRank is where a team stands in the latest published round
// in which it has a rank or a published total, or, when it has none, the
// latest in which it has an outcome.
type PublicStandingRank struct {
	Team  string // team slug
	Round PublicRoundRef
	// Rank is the team's rank in that round, when one was computed or
	// announced; Total its published total, when there is one.
	Rank  *int
	Total *float64
	// PublishedAt is when the round's results were last published (its
	// latest result revision); nil for a historic round recorded from the
	// announcement, whose date is Round.AnnounceAt.
	PublishedAt *time.Time
}

// PublicStandingRanks returns, for every team with a public outcome, its
// rank and total in the latest published round in which it has either
// (else its latest round with an outcome), ordered by team slug.
func (s *Store) PublicStandingRanks(ctx context.Context, program string) ([]PublicStandingRank, error) {
	var out []PublicStandingRank
	err := s.readProgram(ctx, "public standing ranks", program, func(tx pgx.Tx, pid int64) error {
		rows, err := tx.Query(ctx, `
WITH `+publicResultsCTE+`,
totals AS (
  SELECT round_id, team_id, value FROM public_figures WHERE criterion_id IS NULL
), latest AS (
  SELECT DISTINCT ON (o.team_id) o.team_id, o.round_id, o.rank, f.value
  FROM public_outcomes o JOIN rounds r ON r.id = o.round_id
  LEFT JOIN totals f ON f.round_id = o.round_id AND f.team_id = o.team_id
  ORDER BY o.team_id, (o.rank IS NOT NULL OR f.value IS NOT NULL) DESC, r.position DESC
)
SELECT t.slug, l.rank, l.value::float8, r.slug, r.position, r.kind::text, r.name_ko, r.name_en, r.announce_at,
       r.announce_date_only, (SELECT max(rv.published_at) FROM result_revisions rv WHERE rv.round_id = r.id)
FROM latest l
JOIN teams t ON t.id = l.team_id
JOIN rounds r ON r.id = l.round_id
ORDER BY t.slug`, pid)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (PublicStandingRank, error) {
			var x PublicStandingRank
			err := row.Scan(&x.Team, &x.Rank, &x.Total, &x.Round.Slug, &x.Round.Position, &x.Round.Kind,
				&x.Round.Name.KO, &x.Round.Name.EN, &x.Round.AnnounceAt, &x.Round.AnnounceDateOnly, &x.PublishedAt)
			return x, err
		})
		return err
	})
	return out, err
}
