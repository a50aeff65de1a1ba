package postgres_test

import (
	"errors"
	"testing"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programfile"
)

func TestManageBudgets(t *testing.T) {
	store, pool, ctx := manageStore(t)

	budgets := must(store.Budgets(ctx, manageProgram)).val(t)
	if len(budgets) != 2 || budgets[0].Year != 2025 || len(budgets[0].Allocations) == 0 {
		t.Fatalf("budgets: %+v", budgets)
	}
	amount := int64(250_000_000_000)
	b, err := store.CreateBudget(ctx, manageProgram, postgres.BudgetRecord{Year: 2027, AmountKRW: &amount, Confidence: "reported",
		Note: contest.Text{KO: "계획", EN: "Planned"}}, manageActor)
	if err != nil {
		t.Fatal(err)
	}
	if b.Year != 2027 || *b.AmountKRW != amount || b.Version != 1 {
		t.Errorf("created %+v", b)
	}
	wantAudit(t, store, "budget.create", 1, "budget:2027", nil, map[string]any{"year": float64(2027), "amount_krw": float64(amount)})
	if _, err := store.CreateBudget(ctx, manageProgram, postgres.BudgetRecord{Year: 2025}, manageActor); !errors.Is(err, contest.ErrConflict) {
		t.Errorf("second 2025 budget: err = %v, want ErrConflict", err)
	}
	neg := int64(-1)
	_, err = store.CreateBudget(ctx, manageProgram, postgres.BudgetRecord{Year: 1999, AmountKRW: &neg, Confidence: "rumour"}, manageActor)
	wantFieldErrors(t, err, "year", "amount_krw", "confidence")

	b.AmountKRW = nil
	up := must(store.UpdateBudget(ctx, manageProgram, 2027, b, manageActor)).val(t)
	if up.AmountKRW != nil || up.Version != 2 {
		t.Errorf("updated %+v", up)
	}
	wantAudit(t, store, "budget.update", 1, "budget:2027", map[string]any{"amount_krw": float64(amount)}, map[string]any{"amount_krw": nil})
	if _, err := store.UpdateBudget(ctx, manageProgram, 2027, b, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale budget: err = %v, want ErrStale", err)
	}

	// Allocations.
	qty := 256
	a := must(store.CreateAllocation(ctx, manageProgram, 2027, postgres.AllocationRecord{Team: "motif", Kind: "gpu", GPUModel: "B300", Quantity: &qty}, manageActor)).val(t)
	if a.Team != "motif" || *a.Quantity != 256 || a.Year != 2027 || a.Position != 0 || a.Confidence != "confirmed" {
		t.Errorf("created %+v", a)
	}
	wantAudit(t, store, "allocation.create", 1, "budget:2027/allocation:"+itoa(a.ID), nil, map[string]any{"team": "motif", "gpu_model": "B300"})
	wide := must(store.CreateAllocation(ctx, manageProgram, 2027, postgres.AllocationRecord{Kind: "data"}, manageActor)).val(t)
	if wide.Team != "" || wide.Position != 1 {
		t.Errorf("program-wide allocation %+v", wide)
	}
	negQty := -5
	_, err = store.CreateAllocation(ctx, manageProgram, 2027, postgres.AllocationRecord{Team: "ghost", Kind: "gold", Quantity: &negQty}, manageActor)
	wantFieldErrors(t, err, "team", "kind", "quantity")
	if _, err := store.CreateAllocation(ctx, manageProgram, 2030, postgres.AllocationRecord{Kind: "gpu"}, manageActor); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("allocation of a missing budget: err = %v, want ErrNotFound", err)
	}

	a.Team, a.Quantity = "", nil
	a2 := must(store.UpdateAllocation(ctx, manageProgram, a, manageActor)).val(t)
	if a2.Team != "" || a2.Quantity != nil || a2.Version != 2 {
		t.Errorf("updated %+v", a2)
	}
	wantAudit(t, store, "allocation.update", 1, "budget:2027/allocation:"+itoa(a.ID), map[string]any{"team": "motif", "quantity": float64(256)},
		map[string]any{"team": "", "quantity": nil})
	unchanged := snapshot(t, pool)
	if _, err := store.UpdateAllocation(ctx, manageProgram, a, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale allocation: err = %v, want ErrStale", err)
	}
	if err := store.DeleteAllocation(ctx, manageProgram, a.ID, 1, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale allocation delete: err = %v, want ErrStale", err)
	}
	unchanged("stale allocation writes")
	if err := store.DeleteAllocation(ctx, manageProgram, a.ID, 2, manageActor); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, store, "allocation.delete", 1, "budget:2027/allocation:"+itoa(a.ID), map[string]any{"kind": "gpu"}, nil)
	got := must(store.Budget(ctx, manageProgram, 2027)).val(t)
	if len(got.Allocations) != 1 || got.Allocations[0].ID != wide.ID {
		t.Errorf("allocations left: %+v", got.Allocations)
	}
	// An allocation is reachable through its own program only: import a
	// second program with an allocation of its own, and neither program
	// reaches the other's.
	txt := func(s string) programfile.Text { return programfile.Text{KO: s, EN: s} }
	other := &programfile.File{
		Program:       programfile.Program{Slug: "other-program", Name: txt("Other"), Ministry: txt("M")},
		Organizations: []programfile.Organization{{Slug: "other-org", Name: txt("Other org"), Kind: "other"}},
		Teams:         []programfile.Team{{Slug: "other-team", Name: txt("Other team"), Lead: "other-org"}},
	}
	if _, err := store.ImportProgram(ctx, other); err != nil {
		t.Fatalf("import the other program: %v", err)
	}
	if _, err := store.CreateBudget(ctx, "other-program", postgres.BudgetRecord{Year: 2027}, manageActor); err != nil {
		t.Fatal(err)
	}
	otherAlloc := must(store.CreateAllocation(ctx, "other-program", 2027, postgres.AllocationRecord{Team: "other-team", Kind: "data"}, manageActor)).val(t)
	if got, err := store.Allocation(ctx, "other-program", otherAlloc.ID); err != nil || got.Team != "other-team" {
		t.Errorf("allocation of the other program via itself: %+v, %v", got, err)
	}
	if _, err := store.Allocation(ctx, manageProgram, otherAlloc.ID); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("allocation of the other program via %s: err = %v, want ErrNotFound", manageProgram, err)
	}
	if _, err := store.Allocation(ctx, "other-program", wide.ID); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("allocation via another program: err = %v, want ErrNotFound", err)
	}
	unchanged = snapshot(t, pool)
	if _, err := store.UpdateAllocation(ctx, "other-program", wide, manageActor); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("update via another program: err = %v, want ErrNotFound", err)
	}
	if err := store.DeleteAllocation(ctx, "other-program", wide.ID, wide.Version, manageActor); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("delete via another program: err = %v, want ErrNotFound", err)
	}
	unchanged("writes via another program")
	if got, err := store.Allocation(ctx, manageProgram, wide.ID); err != nil || got.ID != wide.ID {
		t.Errorf("allocation via its own program: %+v, %v", got, err)
	}

	// The audit chain still verifies after all these writes.
	vr, err := store.VerifyAudit(ctx)
	if err != nil || vr.BrokenAt != 0 {
		t.Errorf("verify audit: %+v, %v", vr, err)
	}
}
