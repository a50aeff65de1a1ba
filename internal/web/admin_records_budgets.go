package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/web/admin"
)

// budgetForm is the form of a fiscal year's budget. Amounts are won,
// typed with or without thousands separators; empty is not disclosed.
type budgetForm struct {
	Year string `form:"year"`
	fundingForm
}

// fundingForm is what a budget and an allocation both say: an amount, how
// sure it is and a note.
type fundingForm struct {
	AmountKRW  string       `form:"amount_krw"`
	Confidence string       `form:"confidence"`
	Note       contest.Text `form:"note"`
}

// amount is the typed amount checked by Validate; nil when not disclosed.
func (f *fundingForm) amount() *int64 {
	n, _ := parseKRW(f.AmountKRW)
	return n
}

// Validate checks the year and the amount are numbers.
func (f *budgetForm) Validate() map[string]string {
	return formErrors{}.whole("year", f.Year, true).amount("amount_krw", f.AmountKRW)
}

func (f *budgetForm) record() postgres.BudgetRecord {
	return postgres.BudgetRecord{
		Year: wholeOr(f.Year, 0), AmountKRW: f.amount(), Confidence: f.Confidence,
		Note: f.Note,
	}
}

// create adds a fiscal year's budget and goes to its page, where
// allocations are added.
func (f *budgetForm) create(s *server, ar *adminReq, program string) (string, string, error) {
	out, err := s.store.CreateBudget(ar.r.Context(), program, f.record(), ar.actor())
	return ar.T("records.budgets.created", "year", out.Year), "/admin/budgets/" + strconv.Itoa(out.Year), err
}

func budgetValues(b postgres.BudgetRecord) map[string]string {
	v := map[string]string{
		"year": strconv.Itoa(b.Year), "amount_krw": krwValue(b.AmountKRW), "confidence": b.Confidence,
		"version": strconv.Itoa(b.Version),
	}
	putText(v, "note", b.Note)
	return v
}

// allocationForm is the form of an allocation; an empty team is
// program-wide support.
type allocationForm struct {
	Team     string `form:"team"`
	Kind     string `form:"kind"`
	GPUModel string `form:"gpu_model"`
	Quantity string `form:"quantity"`
	fundingForm
}

// Validate checks the quantity and the amount are numbers.
func (f *allocationForm) Validate() map[string]string {
	return formErrors{}.whole("quantity", f.Quantity, false).amount("amount_krw", f.AmountKRW)
}

func (f *allocationForm) record() postgres.AllocationRecord {
	a := postgres.AllocationRecord{
		Team: f.Team, Kind: f.Kind, GPUModel: f.GPUModel, AmountKRW: f.amount(), Confidence: f.Confidence,
		Note: f.Note,
	}
	if f.Quantity != "" {
		n := wholeOr(f.Quantity, 0)
		a.Quantity = &n
	}
	return a
}

func allocationValues(a postgres.AllocationRecord) map[string]string {
	v := map[string]string{
		"team": a.Team, "kind": a.Kind, "gpu_model": a.GPUModel, "quantity": intValue(a.Quantity),
		"amount_krw": krwValue(a.AmountKRW), "confidence": a.Confidence, "version": strconv.Itoa(a.Version),
	}
	putText(v, "note", a.Note)
	return v
}

// budgetYear reads the route's year; anything else is no such page.
func budgetYear(key string) (int, error) {
	y, err := strconv.Atoi(key)
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

// budgetsPage lists the program's fiscal years; create is the add form as
// typed.
func (s *server) budgetsPage(ar *adminReq, create adminview.Form) (adminview.BudgetsPage, error) {
	prog, err := ar.program()
	if err != nil {
		return adminview.BudgetsPage{}, err
	}
	program := prog.Slug
	budgets, err := s.store.Budgets(ar.r.Context(), program)
	if err != nil {
		return adminview.BudgetsPage{}, err
	}
	teams, err := s.teamChoices(ar, program)
	if err != nil {
		return adminview.BudgetsPage{}, err
	}
	v := adminview.BudgetsPage{AdminPage: ar.page("budgets", ar.T("records.budgets.title")), Confidences: ar.confidenceOptions(),
		Create: create.Or(map[string]string{"confidence": contest.Confirmed})}
	v.Path = "/admin/budgets"
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

// budgetPage is a fiscal year's page with its allocations; the amounts of
// its forms are spelled as they stand.
var budgetPage = recordPage[adminview.BudgetEditPage, *adminview.BudgetEditPage, postgres.BudgetRecord]{
	key: "year",
	build: func(s *server, ar *adminReq, program, key string) (adminview.BudgetEditPage, postgres.BudgetRecord, error) {
		year, err := budgetYear(key)
		if err != nil {
			return adminview.BudgetEditPage{}, postgres.BudgetRecord{}, err
		}
		return s.budgetEditPage(ar, program, year)
	},
	tmpl:   admin.BudgetEdit,
	finish: (*adminReq).hints,
}

func (s *server) handleBudgetEdit(w http.ResponseWriter, r *http.Request) error {
	return budgetPage.show(s, w, r)
}

// budgetWrite begins a write on a year's page: the route's year must be
// one, and the page it goes back to is that year's.
func (s *server) budgetWrite(w http.ResponseWriter, r *http.Request, fn func(pw pageWrite, year int) error) error {
	return budgetPage.write(s, w, r, func(pw pageWrite) error {
		year, err := budgetYear(pw.slug)
		if err != nil {
			return err
		}
		pw.slug = strconv.Itoa(year)
		return fn(pw, year)
	})
}

// allocationWrite begins a write on an allocation of a year's page: the
// route's allocation must be one of that year's.
func (s *server) allocationWrite(w http.ResponseWriter, r *http.Request, fn func(pw pageWrite, a postgres.AllocationRecord) error) error {
	return s.budgetWrite(w, r, func(pw pageWrite, year int) error {
		b, err := s.store.Budget(r.Context(), pw.program, year)
		if err != nil {
			return err
		}
		a, err := allocationIn(b, r)
		if err != nil {
			return err
		}
		return fn(pw, a)
	})
}

// handleBudgetUpdate changes a fiscal year's budget if nobody saved it
// since the form was made.
func (s *server) handleBudgetUpdate(w http.ResponseWriter, r *http.Request) error {
	var f budgetForm
	return s.budgetWrite(w, r, func(pw pageWrite, year int) error {
		return pw.submit(w, formSave{form: &f, edit: true, taken: "year",
			write: func(ver int) (string, string, error) {
				b := f.record()
				b.Version = ver
				out, err := s.store.UpdateBudget(r.Context(), pw.program, year, b, pw.actor())
				return pw.T("records.budgets.updated", "year", out.Year), "/admin/budgets/" + strconv.Itoa(out.Year), err
			},
			reshow: budgetPage.put(s, pw, func(v *adminview.BudgetEditPage, cur postgres.BudgetRecord, typed adminview.Form, ref refusal) {
				v.Edit = pw.editForm(typed, ref, formFields(&f), budgetValues(cur), map[string][]adminview.Option{"confidence": v.Confidences})
			})})
	})
}

// handleAllocationCreate adds an allocation to a fiscal year's budget.
func (s *server) handleAllocationCreate(w http.ResponseWriter, r *http.Request) error {
	var f allocationForm
	return s.budgetWrite(w, r, func(pw pageWrite, year int) error {
		return pw.submit(w, formSave{form: &f, taken: "kind",
			write: func(int) (string, string, error) {
				_, err := s.store.CreateAllocation(r.Context(), pw.program, year, f.record(), pw.actor())
				return pw.T("records.allocations.created"), "/admin/budgets/" + pw.slug, err
			},
			reshow: budgetPage.put(s, pw, func(v *adminview.BudgetEditPage, _ postgres.BudgetRecord, typed adminview.Form, _ refusal) {
				v.NewAllocation = typed
			})})
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
	var f allocationForm
	return s.allocationWrite(w, r, func(pw pageWrite, saved postgres.AllocationRecord) error {
		id := saved.ID
		return pw.submit(w, formSave{form: &f, edit: true, taken: "kind",
			write: func(ver int) (string, string, error) {
				a := f.record()
				a.ID, a.Version = id, ver
				_, err := s.store.UpdateAllocation(r.Context(), pw.program, a, pw.actor())
				return pw.T("records.allocations.updated"), "/admin/budgets/" + pw.slug, err
			},
			reshow: budgetPage.put(s, pw, func(v *adminview.BudgetEditPage, now postgres.BudgetRecord, typed adminview.Form, ref refusal) {
				i := slices.IndexFunc(v.Allocations, func(row adminview.AllocationRow) bool { return row.ID == strconv.FormatInt(id, 10) })
				j := slices.IndexFunc(now.Allocations, func(a postgres.AllocationRecord) bool { return a.ID == id })
				if i < 0 || j < 0 {
					return
				}
				v.Allocations[i].Edit = pw.editForm(typed, ref, formFields(&f), allocationValues(now.Allocations[j]),
					map[string][]adminview.Option{"team": v.Teams, "kind": v.Kinds, "confidence": v.Confidences})
			})})
	})
}

// handleAllocationDelete removes an allocation if nobody changed it since
// the page was made.
func (s *server) handleAllocationDelete(w http.ResponseWriter, r *http.Request) error {
	return s.allocationWrite(w, r, func(pw pageWrite, a postgres.AllocationRecord) error {
		return pw.remove(w, func(ver int) error {
			return s.store.DeleteAllocation(r.Context(), pw.program, a.ID, ver, pw.actor())
		}, pw.T("records.allocations.deleted"), "/admin/budgets/"+pw.slug, budgetPage.again(s, pw))
	})
}
