package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
)

var adminActor = contest.Actor{Name: adminEmail}

// budgetFixture is a 2026 budget of 2,000억원.
func budgetFixture() postgres.BudgetRecord {
	amount := int64(200_000_000_000)
	return postgres.BudgetRecord{Year: 2026, AmountKRW: &amount, Confidence: contest.Confirmed}
}

// mapForm is a form of single values.
func mapForm(m map[string]string) url.Values {
	v := url.Values{}
	for k, s := range m {
		v.Set(k, s)
	}
	return v
}

// Budgets and allocations: amounts typed with commas, shown in 억원 beside
// the field; refused and stale forms keep what was typed; the public
// funding page shows the result.
func TestRecordsBudgets(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.140", adminEmail)

	_, form := c.formAt(t, "/admin/budgets", "budget-create-form")
	wantValues(t, "new budget", form, map[string]string{"confidence": "confirmed"})
	setForm(form, map[string]string{"year": "20x6", "amount_krw": "12,3a", "note_ko": "정부 예산안"})
	before := env.dump()
	r := c.postRefused(t, "unreadable budget", "/admin/budgets", form, http.StatusUnprocessableEntity, "budget-create-form", map[string]string{"year": "20x6", "amount_krw": "12,3a", "note_ko": "정부 예산안"},
		map[string]string{"year": "정수", "amount_krw": "원 단위"})
	form.Set("year", "1999")
	form.Set("amount_krw", "200,000,000,000")
	r = c.postRefused(t, "invalid budget", "/admin/budgets", form, http.StatusUnprocessableEntity, "budget-create-form", map[string]string{"year": "1999", "amount_krw": "200,000,000,000"},
		map[string]string{"year": "2000에서 2100 사이", "note_en": "영어로도"})
	if !strings.Contains(r.body, `data-testid="b-new-amount-words">= 2,000억원<`) {
		t.Error("the typed amount is not spelled in 억원 beside the field")
	}
	r = c.post("/en/admin/budgets", form)
	wantForm(t, r, "budget-create-form", map[string]string{"year": "1999"}, map[string]string{"year": "between 2000 and 2100", "note_en": "required when"})
	if !strings.Contains(r.body, `data-testid="b-new-amount-words">= ₩200bn<`) {
		t.Error("the English page does not spell the amount")
	}
	env.wantUnchanged(t, before, "refused budgets changed the database")
	form.Set("year", "2026")
	form.Set("note_en", "Government budget proposal")
	wantRedirect(t, "create budget", c.post("/admin/budgets", form), "/admin/budgets/2026")
	r = c.postRefused(t, "year twice", "/admin/budgets", form, http.StatusUnprocessableEntity, "budget-create-form", map[string]string{"year": "2026"}, map[string]string{"year": "이 연도의 예산이 이미"})

	edit, bf := c.formAt(t, "/admin/budgets/2026", "budget-edit-form")
	staleBF := fillForm(t, edit.body, "budget-edit-form")
	if bf.Get("amount_krw") != "200,000,000,000" || !strings.Contains(edit.body, "= 2,000억원") {
		t.Fatalf("budget form shows %q", bf.Get("amount_krw"))
	}
	bf.Set("amount_krw", "210000000000")
	wantRedirect(t, "update budget", c.post("/admin/budgets/2026", bf), "/admin/budgets/2026")
	staleBF.Set("confidence", "reported")
	before = env.dump()
	r = c.post("/admin/budgets/2026", staleBF)
	wantConflict(t, r, "budget", "budget-edit-form", "amount_krw", "200,000,000,000", "210,000,000,000")
	if !strings.Contains(r.body, `<td data-testid="conflict-yours">보도</td>`) {
		t.Error("the conflict box does not name the chosen confidence")
	}
	if !strings.Contains(r.body, `data-testid="b-amount-words">= 2,000억원<`) {
		t.Error("the refused form's amount is not spelled as typed")
	}
	env.wantUnchanged(t, before, "a stale budget save changed the database")

	// Allocations: one team's GPUs and a program-wide fund.
	edit = c.get("/admin/budgets/2026")
	af := fillForm(t, edit.body, "allocation-create-form")
	setForm(af, map[string]string{"team": "t1", "gpu_model": "H200", "quantity": "many"})
	r = c.postRefused(t, "unreadable allocation", "/admin/budgets/2026/allocations", af, http.StatusUnprocessableEntity, "allocation-create-form", map[string]string{"team": "t1", "gpu_model": "H200", "quantity": "many"}, map[string]string{"quantity": "정수"})
	af.Set("quantity", "1,024")
	r = c.post("/admin/budgets/2026/allocations", af)
	wantForm(t, r, "allocation-create-form", map[string]string{"quantity": "1,024"}, map[string]string{"kind": "필수 항목입니다"})
	af.Set("kind", "gpu")
	wantRedirect(t, "create allocation", c.post("/admin/budgets/2026/allocations", af), "/admin/budgets/2026")
	wantRedirect(t, "program-wide allocation", c.post("/admin/budgets/2026/allocations",
		mapForm(map[string]string{"team": "", "kind": "funding", "amount_krw": "5,000,000,000", "confidence": "reported"})), "/admin/budgets/2026")
	b, err := env.store.Budget(t.Context(), "console-test", 2026)
	if err != nil || len(b.Allocations) != 2 {
		t.Fatalf("budget: %+v, %v", b, err)
	}
	gpu, fund := b.Allocations[0], b.Allocations[1]
	if gpu.Team != "t1" || gpu.Quantity == nil || *gpu.Quantity != 1024 || fund.Team != "" || fund.AmountKRW == nil || *fund.AmountKRW != 5_000_000_000 {
		t.Fatalf("allocations: %+v / %+v", gpu, fund)
	}
	pub := c.get("/funding")
	if !strings.Contains(pub.body, "H200") || !strings.Contains(pub.body, "2,100억원") {
		t.Error("the public funding page does not show the edits")
	}

	gid := strconv.FormatInt(gpu.ID, 10)
	edit = c.get("/admin/budgets/2026")
	gf := fillForm(t, edit.body, "allocation-form-"+gid)
	staleGF := fillForm(t, edit.body, "allocation-form-"+gid)
	staleDelete := fillForm(t, edit.body, "allocation-delete-"+gid)
	gf.Set("quantity", "2048")
	wantRedirect(t, "update allocation", c.post("/admin/budgets/2026/allocations/"+gid, gf), "/admin/budgets/2026")
	staleGF.Set("gpu_model", "B200")
	before = env.dump()
	wantConflict(t, c.post("/admin/budgets/2026/allocations/"+gid, staleGF), "allocation-"+gid, "allocation-form-"+gid, "quantity", "1024", "2048")
	wantStatus(t, "stale delete", c.post("/admin/budgets/2026/allocations/"+gid+"/delete", staleDelete), http.StatusConflict)
	// An allocation is reached only through its own year.
	wantStatus(t, "other year", c.post("/admin/budgets/2027/allocations/"+gid+"/delete", staleDelete), http.StatusNotFound)
	env.wantUnchanged(t, before, "refused allocation writes changed the database")
	edit = c.get("/admin/budgets/2026")
	wantRedirect(t, "delete allocation", c.post("/admin/budgets/2026/allocations/"+gid+"/delete", fillForm(t, edit.body, "allocation-delete-"+gid)), "/admin/budgets/2026")
	if b, _ := env.store.Budget(t.Context(), "console-test", 2026); len(b.Allocations) != 1 {
		t.Errorf("%d allocations left, want 1", len(b.Allocations))
	}
	list := c.get("/admin/budgets")
	if !regexp.MustCompile(`(?s)data-testid="budget-2026".*2,100억원`).MatchString(list.body) {
		t.Error("the budgets list does not show the year's amount")
	}
	for action, want := range map[string]int{"budget.create": 1, "budget.update": 1, "allocation.create": 2, "allocation.update": 1, "allocation.delete": 1} {
		if n := env.auditCount(action); n != want {
			t.Errorf("%d %s events, want %d", n, action, want)
		}
	}
}
