package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/web/admin"
)

// budgetFields are the inputs of the budget form. Amounts are won, typed
// with or without thousands separators; empty is not disclosed.
var budgetFields = []string{"year", "amount_krw", "confidence", "note_ko", "note_en"}

// allocationFields are the inputs of an allocation form; an empty team is
// program-wide support.
var allocationFields = []string{"team", "kind", "gpu_model", "quantity", "amount_krw", "confidence", "note_ko", "note_en"}

func budgetValues(b postgres.BudgetRecord) map[string]string {
	v := map[string]string{
		"year": strconv.Itoa(b.Year), "amount_krw": krwValue(b.AmountKRW), "confidence": b.Confidence,
		"version": strconv.Itoa(b.Version),
	}
	putText(v, "note", b.Note)
	return v
}

func (ar *adminReq) budgetOf(f adminview.Form) postgres.BudgetRecord {
	return postgres.BudgetRecord{
		Year: ar.whole(f, "year", 0, true), AmountKRW: ar.amount(f, "amount_krw"),
		Confidence: f.V("confidence"), Note: textOf(f, "note"),
	}
}

func allocationValues(a postgres.AllocationRecord) map[string]string {
	v := map[string]string{
		"team": a.Team, "kind": a.Kind, "gpu_model": a.GPUModel, "quantity": intValue(a.Quantity),
		"amount_krw": krwValue(a.AmountKRW), "confidence": a.Confidence, "version": strconv.Itoa(a.Version),
	}
	putText(v, "note", a.Note)
	return v
}

func (ar *adminReq) allocationOf(f adminview.Form) postgres.AllocationRecord {
	return postgres.AllocationRecord{
		Team: f.V("team"), Kind: f.V("kind"), GPUModel: f.V("gpu_model"), Quantity: ar.optWhole(f, "quantity"),
		AmountKRW: ar.amount(f, "amount_krw"), Confidence: f.V("confidence"), Note: textOf(f, "note"),
	}
}

// budgetYear reads the route's year; anything else is no such page.
func budgetYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(chi.URLParam(r, "year"))
	if err != nil {
		return 0, contest.ErrNotFound
	}
	return y, nil
}

// allocationRow shows an allocation; teams names the program's teams.
func (ar *adminReq) allocationRow(a postgres.AllocationRecord, teams, kinds, confidences []adminview.Option) adminview.AllocationRow {
	row := adminview.AllocationRow{
		ID:         strconv.FormatInt(a.ID, 10),
		Team:       label(teams, a.Team),
		Kind:       label(kinds, a.Kind),
		GPU:        a.GPUModel,
		Quantity:   intValue(a.Quantity),
		Confidence: label(confidences, a.Confidence),
		Version:    strconv.Itoa(a.Version),
		Edit:       savedForm(allocationValues(a)),
	}
	if a.AmountKRW != nil {
		row.Amount = ar.L.Money(a.AmountKRW)
	}
	return row
}

// teamChoices lists the program's teams for an allocation, program-wide
// first.
func (s *server) teamChoices(ar *adminReq, program string) ([]adminview.Option, error) {
	teams, err := s.store.Teams(ar.r.Context(), program)
	if err != nil {
		return nil, err
	}
	out := []adminview.Option{{Value: "", Label: ar.T("records.allocations.program_wide")}}
	for _, t := range teams {
		out = append(out, adminview.Option{Value: t.Slug, Label: ar.textIn(t.Name)})
	}
	return out, nil
}

func (ar *adminReq) allocationKinds() []adminview.Option {
	return ar.options("allocation.", contest.AllocationKinds, ar.T("records.choose"))
}

// budgetsPage lists the fiscal years; create is the add form as typed.
func (s *server) budgetsPage(ar *adminReq, program string, create adminview.Form) (adminview.BudgetsPage, error) {
	budgets, err := s.store.Budgets(ar.r.Context(), program)
	if err != nil {
		return adminview.BudgetsPage{}, err
	}
	teams, err := s.teamChoices(ar, program)
	if err != nil {
		return adminview.BudgetsPage{}, err
	}
	v := adminview.BudgetsPage{AdminPage: ar.page("budgets", ar.T("records.budgets.title")), Create: create, Confidences: ar.confidenceOptions()}
	v.Path = "/admin/budgets"
	if v.Create.Values == nil {
		v.Create = adminview.NewForm(map[string]string{"confidence": contest.Confirmed})
	}
	v.CreateHint = ar.amountHint(v.Create.V("amount_krw"))
	kinds := ar.allocationKinds()
	for _, b := range budgets {
		row := adminview.BudgetRow{
			Year:       strconv.Itoa(b.Year),
			Amount:     ar.L.Money(b.AmountKRW),
			Confidence: label(v.Confidences, b.Confidence),
			URL:        ar.L.URL("/admin/budgets/" + strconv.Itoa(b.Year)),
		}
		for _, a := range b.Allocations {
			row.Allocations = append(row.Allocations, ar.allocationRow(a, teams, kinds, v.Confidences))
		}
		v.Budgets = append(v.Budgets, row)
	}
	return v, nil
}

func (s *server) handleBudgets(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	v, err := s.budgetsPage(ar, prog.Slug, adminview.Form{})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, admin.Budgets(v))
}

// handleBudgetCreate adds a fiscal year's budget and goes to its page,
// where allocations are added.
func (s *server) handleBudgetCreate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	f := formOf(r, budgetFields...)
	b := ar.budgetOf(f)
	ref := ar.invalid()
	if !f.Invalid() {
		out, err := s.store.CreateBudget(r.Context(), prog.Slug, b, ar.actor())
		if err == nil {
			ar.flash(ar.T("records.budgets.created", "year", out.Year))
			return ar.redirect(w, "/admin/budgets/"+strconv.Itoa(out.Year))
		}
		var ok bool
		if ref, ok = ar.refusal(err, f, "year"); !ok {
			return err
		}
	}
	v, err := s.budgetsPage(ar, prog.Slug, f)
	if err != nil {
		return err
	}
	v.Notice, v.NoticeKind = ref.notice, "error"
	return s.render(w, r, ref.status, admin.Budgets(v))
}

// budgetEditPage is the page of a saved fiscal year with its allocations,
// every form showing the saved values.
func (s *server) budgetEditPage(ar *adminReq, program string, year int) (adminview.BudgetEditPage, postgres.BudgetRecord, error) {
	b, err := s.store.Budget(ar.r.Context(), program, year)
	if err != nil {
		return adminview.BudgetEditPage{}, b, err
	}
	teams, err := s.teamChoices(ar, program)
	if err != nil {
		return adminview.BudgetEditPage{}, b, err
	}
	y := strconv.Itoa(b.Year)
	v := adminview.BudgetEditPage{
		AdminPage:     ar.page("budgets", ar.T("records.budgets.edit", "year", y)),
		Year:          y,
		Edit:          savedForm(budgetValues(b)),
		Confidences:   ar.confidenceOptions(),
		NewAllocation: adminview.NewForm(map[string]string{"confidence": contest.Confirmed}),
		Teams:         teams,
		Kinds:         ar.allocationKinds(),
		FundingURL:    ar.L.URL("/funding"),
	}
	v.Path = "/admin/budgets/" + y
	for _, a := range b.Allocations {
		v.Allocations = append(v.Allocations, ar.allocationRow(a, teams, v.Kinds, v.Confidences))
	}
	return v, b, nil
}

// hints spells the amounts of a year page's forms as they stand.
func (ar *adminReq) hints(v *adminview.BudgetEditPage) {
	v.EditHint = ar.amountHint(v.Edit.V("amount_krw"))
	v.NewHint = ar.amountHint(v.NewAllocation.V("amount_krw"))
	for i := range v.Allocations {
		v.Allocations[i].Hint = ar.amountHint(v.Allocations[i].Edit.V("amount_krw"))
	}
}

func (s *server) handleBudgetEdit(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	year, err := budgetYear(r)
	if err != nil {
		return err
	}
	v, _, err := s.budgetEditPage(ar, prog.Slug, year)
	if err != nil {
		return err
	}
	ar.hints(&v)
	return s.render(w, r, http.StatusOK, admin.BudgetEdit(v))
}

// refuseBudget re-renders a year's page after a refused write; edit puts
// the refused form (as typed) in its place.
func (s *server) refuseBudget(w http.ResponseWriter, ar *adminReq, program string, year int, ref refusal, edit func(*adminview.BudgetEditPage, postgres.BudgetRecord)) error {
	v, b, err := s.budgetEditPage(ar, program, year)
	if err != nil {
		return err
	}
	edit(&v, b)
	ar.hints(&v)
	v.Notice, v.NoticeKind = ref.notice, "error"
	return s.render(w, ar.r, ref.status, admin.BudgetEdit(v))
}

// handleBudgetUpdate changes a fiscal year's budget if nobody saved it
// since the form was made.
func (s *server) handleBudgetUpdate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	year, err := budgetYear(r)
	if err != nil {
		return err
	}
	f := editFormOf(r, budgetFields...)
	ver, err := version(f)
	if err != nil {
		return err
	}
	b := ar.budgetOf(f)
	b.Version = ver
	ref := ar.invalid()
	if !f.Invalid() {
		out, err := s.store.UpdateBudget(r.Context(), prog.Slug, year, b, ar.actor())
		if err == nil {
			ar.flash(ar.T("records.budgets.updated", "year", out.Year))
			return ar.redirect(w, "/admin/budgets/"+strconv.Itoa(out.Year))
		}
		var ok bool
		if ref, ok = ar.refusal(err, f, "year"); !ok {
			return err
		}
	}
	return s.refuseBudget(w, ar, prog.Slug, year, ref, func(v *adminview.BudgetEditPage, cur postgres.BudgetRecord) {
		v.Edit = adminview.EditForm{Form: f}
		if ref.stale {
			v.Edit = ar.staleForm(f, budgetFields, budgetValues(cur), map[string][]adminview.Option{"confidence": v.Confidences})
		}
	})
}

// handleAllocationCreate adds an allocation to a fiscal year's budget.
func (s *server) handleAllocationCreate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	year, err := budgetYear(r)
	if err != nil {
		return err
	}
	f := formOf(r, allocationFields...)
	a := ar.allocationOf(f)
	ref := ar.invalid()
	if !f.Invalid() {
		_, err := s.store.CreateAllocation(r.Context(), prog.Slug, year, a, ar.actor())
		if err == nil {
			ar.flash(ar.T("records.allocations.created"))
			return ar.redirect(w, "/admin/budgets/"+strconv.Itoa(year))
		}
		var ok bool
		if ref, ok = ar.refusal(err, f, "kind"); !ok {
			return err
		}
	}
	return s.refuseBudget(w, ar, prog.Slug, year, ref, func(v *adminview.BudgetEditPage, _ postgres.BudgetRecord) {
		v.NewAllocation = f
	})
}

// allocationIn finds an allocation of a year's budget by the route's id;
// one of another year is no such page.
func allocationIn(b postgres.BudgetRecord, r *http.Request) (postgres.AllocationRecord, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err == nil {
		for _, a := range b.Allocations {
			if a.ID == id {
				return a, nil
			}
		}
	}
	return postgres.AllocationRecord{}, contest.ErrNotFound
}

// handleAllocationUpdate changes an allocation if nobody saved it since the
// form was made.
func (s *server) handleAllocationUpdate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	year, err := budgetYear(r)
	if err != nil {
		return err
	}
	b, err := s.store.Budget(r.Context(), prog.Slug, year)
	if err != nil {
		return err
	}
	cur, err := allocationIn(b, r)
	if err != nil {
		return err
	}
	f := editFormOf(r, allocationFields...)
	ver, err := version(f)
	if err != nil {
		return err
	}
	a := ar.allocationOf(f)
	a.ID, a.Version = cur.ID, ver
	ref := ar.invalid()
	if !f.Invalid() {
		_, err := s.store.UpdateAllocation(r.Context(), prog.Slug, a, ar.actor())
		if err == nil {
			ar.flash(ar.T("records.allocations.updated"))
			return ar.redirect(w, "/admin/budgets/"+strconv.Itoa(year))
		}
		var ok bool
		if ref, ok = ar.refusal(err, f, "kind"); !ok {
			return err
		}
	}
	return s.refuseBudget(w, ar, prog.Slug, year, ref, func(v *adminview.BudgetEditPage, now postgres.BudgetRecord) {
		for i := range v.Allocations {
			if v.Allocations[i].ID != strconv.FormatInt(cur.ID, 10) {
				continue
			}
			v.Allocations[i].Edit = adminview.EditForm{Form: f}
			if !ref.stale {
				continue
			}
			for _, na := range now.Allocations {
				if na.ID == cur.ID {
					v.Allocations[i].Edit = ar.staleForm(f, allocationFields, allocationValues(na),
						map[string][]adminview.Option{"team": v.Teams, "kind": v.Kinds, "confidence": v.Confidences})
				}
			}
		}
	})
}

// handleAllocationDelete removes an allocation if nobody changed it since
// the page was made.
func (s *server) handleAllocationDelete(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	year, err := budgetYear(r)
	if err != nil {
		return err
	}
	b, err := s.store.Budget(r.Context(), prog.Slug, year)
	if err != nil {
		return err
	}
	cur, err := allocationIn(b, r)
	if err != nil {
		return err
	}
	f := formOf(r, "version")
	ver, err := version(f)
	if err != nil {
		return err
	}
	if err := s.store.DeleteAllocation(r.Context(), prog.Slug, cur.ID, ver, ar.actor()); err != nil {
		ref, ok := ar.refusal(err, f, "version")
		if !ok {
			return err
		}
		return s.refuseBudget(w, ar, prog.Slug, year, ref, func(*adminview.BudgetEditPage, postgres.BudgetRecord) {})
	}
	ar.flash(ar.T("records.allocations.deleted"))
	return ar.redirect(w, "/admin/budgets/"+strconv.Itoa(year))
}
