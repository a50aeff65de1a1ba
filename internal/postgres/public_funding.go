package postgres

// The public funding page: budgets and allocations of support.

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
)

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

// pubAllocations lists the program's allocations (or one team's), by year
// and position.
func pubAllocations(ctx context.Context, tx DBTX, programID int64, teamID *int64) ([]PublicAllocation, error) {
	type row struct {
		a               PublicAllocation
		tSlug, tKO, tEN *string
	}
	rows, err := citedRows(ctx, tx, "allocation_id", func(r *row) []any {
		a := &r.a
		return []any{&a.Year, &r.tSlug, &r.tKO, &r.tEN, &a.Kind, &a.GPUModel, &a.Quantity, &a.AmountKRW, &a.Confidence, &a.Note.KO, &a.Note.EN}
	}, func(r *row) *[]PublicSource { return &r.a.Sources }, `
SELECT a.id, b.year, t.slug, t.name_ko, t.name_en, a.kind::text, a.gpu_model, a.quantity, a.amount_krw,
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
	for _, r := range rows {
		if r.tSlug != nil {
			r.a.Team = &PublicTeamRef{Slug: *r.tSlug, Name: contest.Text{KO: *r.tKO, EN: *r.tEN}}
		}
		out = append(out, r.a)
	}
	return out, nil
}

// PublicFunding returns the program's budgets by year with their allocations.
func (s *Store) PublicFunding(ctx context.Context, program string) ([]PublicBudget, error) {
	var out []PublicBudget
	err := s.readProgram(ctx, "public funding", program, func(tx pgx.Tx, pid int64) (err error) {
		out, err = citedRows(ctx, tx, "budget_id", func(b *PublicBudget) []any {
			return []any{&b.Year, &b.AmountKRW, &b.Confidence, &b.Note.KO, &b.Note.EN}
		}, func(b *PublicBudget) *[]PublicSource { return &b.Sources }, `
SELECT id, year, amount_krw, confidence::text, note_ko, note_en FROM budgets WHERE program_id = $1 ORDER BY year`, pid)
		if err != nil {
			return fmt.Errorf("budgets: %w", err)
		}
		byYear := map[int]int{}
		for i, b := range out {
			byYear[b.Year] = i
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
