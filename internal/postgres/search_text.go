package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
)

// PublicTextHit is a passage of the public record that mentions a search
// query: a team's or round's note, the reason a team left or was
// disqualified in a published round, or a source cited for either.
type PublicTextHit struct {
	// Kind is "team" or "round": what the passage is about.
	Kind string
	Slug string
	Name contest.Text
	// Round names the published round of a reason or outcome note; empty
	// for a team's or round's own note.
	Round PublicTeamRef
	// Field is "reason", "note" or "source".
	Field string
	// Text is the passage; a source's is its label and address in both
	// languages.
	Text contest.Text
}

// searchTextSQL lists every searchable passage of the program ($1) with the
// columns of PublicTextHit; the caller filters it. Each text column has a
// trigram index (migration 000010). Reasons and notes of outcomes are read
// only from published rounds.
const searchTextSQL = `
SELECT 'team' AS kind, t.slug, t.name_ko, t.name_en, '' AS r_slug, '' AS r_ko, '' AS r_en, 'note' AS field,
       concat_ws(' ', t.note_ko, t.model_note_ko) AS ko, concat_ws(' ', t.note_en, t.model_note_en) AS en
FROM teams t WHERE t.program_id = $1
UNION ALL
SELECT 'round', r.slug, r.name_ko, r.name_en, '', '', '', 'note', r.note_ko, r.note_en
FROM rounds r WHERE r.program_id = $1
UNION ALL
SELECT 'team', t.slug, t.name_ko, t.name_en, r.slug, r.name_ko, r.name_en, 'reason', e.reason_ko, e.reason_en
FROM entries e JOIN rounds r ON r.id = e.round_id JOIN teams t ON t.id = e.team_id
WHERE r.program_id = $1 AND r.published
UNION ALL
SELECT 'team', t.slug, t.name_ko, t.name_en, r.slug, r.name_ko, r.name_en, 'reason', o.reason_ko, o.reason_en
FROM announced_outcomes o JOIN rounds r ON r.id = o.round_id JOIN teams t ON t.id = o.team_id
WHERE r.program_id = $1 AND r.published
UNION ALL
SELECT 'team', t.slug, t.name_ko, t.name_en, r.slug, r.name_ko, r.name_en, 'note', o.note_ko, o.note_en
FROM announced_outcomes o JOIN rounds r ON r.id = o.round_id JOIN teams t ON t.id = o.team_id
WHERE r.program_id = $1 AND r.published
UNION ALL
SELECT DISTINCT 'team', t.slug, t.name_ko, t.name_en, COALESCE(r.slug, ''), COALESCE(r.name_ko, ''),
       COALESCE(r.name_en, ''), 'source', s.label || ' ' || s.url, s.label || ' ' || s.url
FROM citations c JOIN sources s ON s.id = c.source_id
LEFT JOIN announced_outcomes o ON o.id = c.outcome_id
LEFT JOIN rounds r ON r.id = o.round_id
JOIN teams t ON t.id = COALESCE(c.team_id, o.team_id)
WHERE t.program_id = $1 AND (c.outcome_id IS NULL OR r.published)
UNION ALL
SELECT DISTINCT 'round', r.slug, r.name_ko, r.name_en, '', '', '', 'source', s.label || ' ' || s.url, s.label || ' ' || s.url
FROM citations c JOIN sources s ON s.id = c.source_id JOIN rounds r ON r.id = c.round_id
WHERE r.program_id = $1`

// PublicSearchText finds the passages of the program's public record whose
// Korean or English text contains q (case-insensitively, as ILIKE over the
// trigram-indexed columns) or holds a word close to it (pg_trgm word
// similarity, for a misspelt English word); the closest first, at most
// SearchLimit. An empty query finds nothing.
func (s *Store) PublicSearchText(ctx context.Context, program, q string) ([]PublicTextHit, error) {
	q = strings.TrimSpace(q)
	var hits []PublicTextHit
	err := s.readProgram(ctx, "public text search", program, func(tx pgx.Tx, pid int64) error {
		if q == "" {
			return nil
		}
		rows, err := tx.Query(ctx, `
SELECT kind, slug, name_ko, name_en, r_slug, r_ko, r_en, field, ko, en
FROM (`+searchTextSQL+`) x
WHERE ko ILIKE $2 ESCAPE '\' OR en ILIKE $2 ESCAPE '\' OR (length($3) >= 4 AND ($3 <% ko OR $3 <% en))
ORDER BY (ko ILIKE $2 ESCAPE '\' OR en ILIKE $2 ESCAPE '\') DESC,
         greatest(word_similarity($3, ko), word_similarity($3, en)) DESC, kind DESC, slug, field, r_slug
LIMIT $4`, pid, likePattern(q), q, SearchLimit)
		if err != nil {
			return err
		}
		hits, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (PublicTextHit, error) {
			var h PublicTextHit
			err := row.Scan(&h.Kind, &h.Slug, &h.Name.KO, &h.Name.EN, &h.Round.Slug, &h.Round.Name.KO, &h.Round.Name.EN,
				&h.Field, &h.Text.KO, &h.Text.EN)
			return h, err
		})
		return err
	})
	return hits, err
}
