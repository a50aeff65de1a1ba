package postgres

// Yearly budgets and the allocations of support under them.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
)

// BudgetRecord is a program's funding for one fiscal year.
type BudgetRecord struct {
	ID         int64        `json:"id"`
	Year       int          `json:"year"`
	AmountKRW  *int64       `json:"amount_krw"` // nil when not disclosed
	Confidence string       `json:"confidence"` // confirmed when empty
	Note       contest.Text `json:"note"`
	Version    int          `json:"version"`

	// Read only.
	Allocations []AllocationRecord `json:"-"` // filled by Budgets and Budget
}

// AllocationRecord is support given to one team, or program-wide when Team
// is "".
type AllocationRecord struct {
	ID         int64        `json:"id"`
	Team       string       `json:"team"` // team slug, or "" for program-wide
	Kind       string       `json:"kind"` // one of contest.AllocationKinds
	GPUModel   string       `json:"gpu_model"`
	Quantity   *int         `json:"quantity"`
	AmountKRW  *int64       `json:"amount_krw"`
	Confidence string       `json:"confidence"` // confirmed when empty
	Note       contest.Text `json:"note"`
	Version    int          `json:"version"`

	// Read only.
	Year     int `json:"year"` // of its budget
	Position int `json:"-"`
}

func (b *BudgetRecord) clean() *FieldErrors {
	b.Confidence, b.Note = strings.TrimSpace(b.Confidence), trimText(b.Note)
	if b.Confidence == "" {
		b.Confidence = contest.Confirmed
	}
	fe := &FieldErrors{}
	if !contest.ValidYear(b.Year) {
		fe.Add("year", "year_range", "min", contest.MinYear, "max", contest.MaxYear)
	}
	if b.AmountKRW != nil {
		fe.Between("amount_krw", *b.AmountKRW, 0, math.MaxInt64)
	}
	fe.OneOf("confidence", b.Confidence, contest.Confidences)
	fe.Text("note", b.Note, false)
	return fe
}

func sameInt64(a, b *int64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func sameInt(a, b *int) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func (b BudgetRecord) sameAs(o BudgetRecord) bool {
	return b.Year == o.Year && sameInt64(b.AmountKRW, o.AmountKRW) && b.Confidence == o.Confidence && b.Note == o.Note
}

func (a *AllocationRecord) clean() *FieldErrors {
	a.Team, a.Kind, a.GPUModel = strings.TrimSpace(a.Team), strings.TrimSpace(a.Kind), strings.TrimSpace(a.GPUModel)
	a.Confidence, a.Note = strings.TrimSpace(a.Confidence), trimText(a.Note)
	if a.Confidence == "" {
		a.Confidence = contest.Confirmed
	}
	fe := &FieldErrors{}
	fe.OneOf("kind", a.Kind, contest.AllocationKinds)
	fe.Chars("gpu_model", a.GPUModel)
	if a.Quantity != nil {
		fe.Between("quantity", int64(*a.Quantity), 0, math.MaxInt32)
	}
	if a.AmountKRW != nil {
		fe.Between("amount_krw", *a.AmountKRW, 0, math.MaxInt64)
	}
	fe.OneOf("confidence", a.Confidence, contest.Confidences)
	fe.Text("note", a.Note, false)
	return fe
}

func (a AllocationRecord) sameAs(o AllocationRecord) bool {
	return a.Team == o.Team && a.Kind == o.Kind && a.GPUModel == o.GPUModel && sameInt(a.Quantity, o.Quantity) &&
		sameInt64(a.AmountKRW, o.AmountKRW) && a.Confidence == o.Confidence && a.Note == o.Note
}

const budgetSelect = `
SELECT b.id, b.year, b.amount_krw, b.confidence::text, b.note_ko, b.note_en, b.version FROM budgets b`

func scanBudget(row pgx.Row) (BudgetRecord, error) {
	var b BudgetRecord
	err := row.Scan(&b.ID, &b.Year, &b.AmountKRW, &b.Confidence, &b.Note.KO, &b.Note.EN, &b.Version)
	return b, err
}

func budgetByYear(ctx context.Context, db DBTX, programID int64, year int, lock bool) (BudgetRecord, error) {
	return lookup(ctx, db, scanBudget, fmt.Sprintf("budget %d", year), lock, "b", budgetSelect+` WHERE b.program_id = $1 AND b.year = $2`, programID, year)
}

const allocationSelect = `
SELECT a.id, coalesce(t.slug, ''), a.kind::text, a.gpu_model, a.quantity, a.amount_krw, a.confidence::text, a.note_ko, a.note_en,
       a.version, b.year, a.position
FROM allocations a JOIN budgets b ON b.id = a.budget_id LEFT JOIN teams t ON t.id = a.team_id`

func scanAllocation(row pgx.Row) (AllocationRecord, error) {
	var a AllocationRecord
	err := row.Scan(&a.ID, &a.Team, &a.Kind, &a.GPUModel, &a.Quantity, &a.AmountKRW, &a.Confidence, &a.Note.KO, &a.Note.EN,
		&a.Version, &a.Year, &a.Position)
	return a, err
}

func allocationByID(ctx context.Context, db DBTX, programID, id int64, lock bool) (AllocationRecord, error) {
	return lookup(ctx, db, scanAllocation, fmt.Sprintf("allocation %d", id), lock, "a", allocationSelect+` WHERE b.program_id = $1 AND a.id = $2`, programID, id)
}

func allocationsOf(ctx context.Context, db DBTX, programID int64, year *int) ([]AllocationRecord, error) {
	return collectRows(ctx, db, scanAllocation, allocationSelect+` WHERE b.program_id = $1 AND ($2::int IS NULL OR b.year = $2) ORDER BY b.year, a.position, a.id`, programID, year)
}

// Budgets lists a program's budgets by year, each with its allocations.
func (s *Store) Budgets(ctx context.Context, program string) ([]BudgetRecord, error) {
	var out []BudgetRecord
	err := s.readProgram(ctx, "budgets", program, func(tx pgx.Tx, pid int64) (err error) {
		if out, err = collectRows(ctx, tx, scanBudget, budgetSelect+` WHERE b.program_id = $1 ORDER BY b.year`, pid); err != nil {
			return err
		}
		allocs, err := allocationsOf(ctx, tx, pid, nil)
		if err != nil {
			return err
		}
		for i := range out {
			for _, a := range allocs {
				if a.Year == out[i].Year {
					out[i].Allocations = append(out[i].Allocations, a)
				}
			}
		}
		return nil
	})
	return out, err
}

// Budget returns one year's budget with its allocations.
func (s *Store) Budget(ctx context.Context, program string, year int) (BudgetRecord, error) {
	var b BudgetRecord
	err := s.readProgram(ctx, "budget", program, func(tx pgx.Tx, pid int64) (err error) {
		if b, err = budgetByYear(ctx, tx, pid, year, false); err != nil {
			return err
		}
		b.Allocations, err = allocationsOf(ctx, tx, pid, &year)
		return err
	})
	return b, err
}

// Allocation returns one allocation of a program's budgets.
func (s *Store) Allocation(ctx context.Context, program string, id int64) (AllocationRecord, error) {
	var a AllocationRecord
	err := s.readProgram(ctx, "allocation", program, func(tx pgx.Tx, pid int64) (err error) {
		a, err = allocationByID(ctx, tx, pid, id, false)
		return err
	})
	return a, err
}

func budgetEntity(year int) string { return "budget:" + strconv.Itoa(year) }

// CreateBudget adds a fiscal year's budget; a year that has one is
// ErrConflict.
func (s *Store) CreateBudget(ctx context.Context, program string, b BudgetRecord, actor contest.Actor) (BudgetRecord, error) {
	check := b.clean().OrNil()
	return writeRecord(ctx, s, "create budget", program, b, check, func(tx pgx.Tx, pid int64, out *BudgetRecord) (err error) {
		_, err = tx.Exec(ctx, `INSERT INTO budgets (program_id, year, amount_krw, confidence, note_ko, note_en) VALUES ($1, $2, $3, $4, $5, $6)`,
			pid, b.Year, b.AmountKRW, b.Confidence, b.Note.KO, b.Note.EN)
		if err != nil {
			return conflict(err, "%s already has a budget for %d", program, b.Year)
		}
		*out, err = budgetByYear(ctx, tx, pid, b.Year, false)
		return audited(ctx, tx, err, actor, "budget.create", budgetEntity(out.Year), nil, nil, *out)
	})
}

// UpdateBudget changes the budget now of year (its year too, to b.Year) if
// it is still at b.Version.
func (s *Store) UpdateBudget(ctx context.Context, program string, year int, b BudgetRecord, actor contest.Actor) (BudgetRecord, error) {
	check := b.clean().OrNil()
	return writeRecord(ctx, s, "update budget", program, b, check, func(tx pgx.Tx, pid int64, out *BudgetRecord) (err error) {
		cur, err := budgetByYear(ctx, tx, pid, year, true)
		if err != nil {
			return err
		}
		if err := checkVersion(fmt.Sprintf("budget %d", year), cur.Version, b.Version); err != nil {
			return err
		}
		if cur.sameAs(b) {
			*out = cur
			return nil
		}
		if err := writeVersioned(ctx, tx, fmt.Sprintf("budget %d", year), cur.Version, b.Version, fmt.Sprintf("%s already has a budget for %d", program, b.Year), `
UPDATE budgets SET year = $3, amount_krw = $4, confidence = $5, note_ko = $6, note_en = $7, version = version + 1
WHERE id = $1 AND version = $2`, cur.ID, b.Version, b.Year, b.AmountKRW, b.Confidence, b.Note.KO, b.Note.EN); err != nil {
			return err
		}
		*out, err = budgetByYear(ctx, tx, pid, b.Year, false)
		return audited(ctx, tx, err, actor, "budget.update", budgetEntity(cur.Year), nil, cur, *out)
	})
}

// allocationTeam resolves an allocation's team slug ("" is program-wide)
// and is the last check of an allocation: an unknown team joins fe, and fe
// holding any error is the error.
func allocationTeam(ctx context.Context, db DBTX, fe *FieldErrors, programID int64, team string) (any, error) {
	if team == "" {
		return nil, fe.OrNil()
	}
	var id int64
	err := db.QueryRow(ctx, `SELECT id FROM teams WHERE program_id = $1 AND slug = $2`, programID, team).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		fe.Add("team", "unknown_team", "team", team)
	} else if err != nil {
		return nil, err
	}
	return id, fe.OrNil()
}

// CreateAllocation adds an allocation to a year's budget, after its others.
func (s *Store) CreateAllocation(ctx context.Context, program string, year int, a AllocationRecord, actor contest.Actor) (AllocationRecord, error) {
	fe := a.clean()
	return writeRecord(ctx, s, "create allocation", program, a, nil, func(tx pgx.Tx, pid int64, out *AllocationRecord) (err error) {
		b, err := budgetByYear(ctx, tx, pid, year, true)
		if err != nil {
			return err
		}
		team, err := allocationTeam(ctx, tx, fe, pid, a.Team)
		if err != nil {
			return err
		}
		var id int64
		err = tx.QueryRow(ctx, `
INSERT INTO allocations (budget_id, position, team_id, kind, gpu_model, quantity, amount_krw, confidence, note_ko, note_en)
VALUES ($1, (SELECT coalesce(max(position) + 1, 0) FROM allocations WHERE budget_id = $1), $2, $3, $4, $5, $6, $7, $8, $9)
RETURNING id`, b.ID, team, a.Kind, a.GPUModel, a.Quantity, a.AmountKRW, a.Confidence, a.Note.KO, a.Note.EN).Scan(&id)
		if err != nil {
			return mapErr(err)
		}
		*out, err = allocationByID(ctx, tx, pid, id, false)
		return audited(ctx, tx, err, actor, "allocation.create", budgetEntity(year)+"/allocation:"+strconv.FormatInt(id, 10), nil, nil, *out)
	})
}

// UpdateAllocation changes the allocation a.ID if it is still at
// a.Version. It stays in its budget.
func (s *Store) UpdateAllocation(ctx context.Context, program string, a AllocationRecord, actor contest.Actor) (AllocationRecord, error) {
	fe := a.clean()
	return writeRecord(ctx, s, "update allocation", program, a, nil, func(tx pgx.Tx, pid int64, out *AllocationRecord) (err error) {
		cur, err := allocationByID(ctx, tx, pid, a.ID, true)
		if err != nil {
			return err
		}
		if err := checkVersion(fmt.Sprintf("allocation %d", a.ID), cur.Version, a.Version); err != nil {
			return err
		}
		team, err := allocationTeam(ctx, tx, fe, pid, a.Team)
		if err != nil {
			return err
		}
		if cur.sameAs(a) {
			*out = cur
			return nil
		}
		if err := writeVersioned(ctx, tx, fmt.Sprintf("allocation %d", a.ID), cur.Version, a.Version, "", `
UPDATE allocations SET team_id = $3, kind = $4, gpu_model = $5, quantity = $6, amount_krw = $7, confidence = $8,
  note_ko = $9, note_en = $10, version = version + 1
WHERE id = $1 AND version = $2`, cur.ID, a.Version, team, a.Kind, a.GPUModel, a.Quantity, a.AmountKRW, a.Confidence, a.Note.KO, a.Note.EN); err != nil {
			return err
		}
		*out, err = allocationByID(ctx, tx, pid, cur.ID, false)
		return audited(ctx, tx, err, actor, "allocation.update", budgetEntity(cur.Year)+"/allocation:"+strconv.FormatInt(cur.ID, 10), nil, cur, *out)
	})
}

// DeleteAllocation removes an allocation if it is still at version.
func (s *Store) DeleteAllocation(ctx context.Context, program string, id int64, version int, actor contest.Actor) error {
	err := s.writeProgram(ctx, program, false, func(tx pgx.Tx, pid int64) (err error) {
		cur, err := allocationByID(ctx, tx, pid, id, true)
		if err != nil {
			return err
		}
		if err := writeVersioned(ctx, tx, fmt.Sprintf("allocation %d", id), cur.Version, version, "", `DELETE FROM allocations WHERE id = $1 AND version = $2`, id, version); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "allocation.delete", budgetEntity(cur.Year)+"/allocation:"+strconv.FormatInt(id, 10), nil, cur, nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: delete allocation: %w", err)
	}
	return nil
}
