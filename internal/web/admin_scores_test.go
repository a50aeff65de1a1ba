package web_test

import (
	"fmt"
	"net/http"

	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
)

// A grid with refused cells saves nothing and comes back (422) with every
// typed value and a message at each refused cell.
func TestScoreGridValidation(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.80", scorerEmail)
	page := c.get("/admin/rounds/r1/scores")
	if page.status != http.StatusOK {
		t.Fatalf("grid: %d", page.status)
	}
	for _, want := range []string{`inputmode="decimal"`, `name="v.t1.nia.0"`, `name="n.t1.expert.3"`, "최대 30.00", "0 / 9"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("grid lacks %s", want)
		}
	}
	form := formValues(t, page.body, "score-grid-form")
	typed := map[string]string{
		"v.t1.nia.0":      "25.5",
		"v.t1.global.0":   "12.345", // three decimals
		"v.t2.nia.0":      "31",     // above the maximum 30
		"v.t2.global.0":   "9,5",    // decimal comma
		"v.t3.nia.0":      "abc",
		"v.t1.expert.1":   "-1",
		"v.t3.expert.3":   "44.25",
		"v.t3.global.0":   "20",
		"v.t2.expert.2":   "0",
		"v.t1.expert.2":   "50",
		"v.t1.expert.3":   "49.99",
		"v.t2.expert.1":   "1.5",
		"v.t2.expert.3":   "2.50",
		"v.t3.expert.1":   "3",
		"v.t3.expert.2":   "4",
		"v.t1.nonsense.0": "5", // not on the page: ignored
	}
	for k, v := range typed {
		form.Set(k, v)
	}
	before := env.dump()
	r := c.post("/admin/rounds/r1/scores", form)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid grid: %d, want 422", r.status)
	}
	env.wantUnchanged(t, before, "an invalid grid changed the database")
	for k, v := range typed {
		if k == "v.t1.nonsense.0" {
			continue
		}
		if !strings.Contains(r.body, `name="`+k+`" value="`+v+`"`) {
			t.Errorf("the re-rendered grid lost %s = %q", k, v)
		}
	}
	for key, msg := range map[string]string{
		"t1.global.0": "소수점 둘째 자리까지만",
		"t2.nia.0":    "최대 30.00점을 넘을 수 없습니다",
		"t2.global.0": "쉼표가 아니라 점(.)",
		"t3.nia.0":    "0에서 30.00 사이의 숫자",
		"t1.expert.1": "0 이상이어야",
	} {
		i := strings.Index(r.body, `data-testid="cell-error-`+key+`"`)
		if i < 0 || !strings.Contains(r.body[i:min(len(r.body), i+300)], msg) {
			t.Errorf("cell %s: no message %q", key, msg)
		}
	}
	if !strings.Contains(r.body, "5개 칸을 확인하세요") {
		t.Errorf("no error summary")
	}
	// Fixing the cells saves them all at once.
	form = formValues(t, r.body, "score-grid-form")
	setForm(form, map[string]string{"v.t1.global.0": "12.35", "v.t2.nia.0": "30", "v.t2.global.0": "9.5", "v.t3.nia.0": "7", "v.t1.expert.1": "1"})
	wantStatus(t, "corrected grid", c.post("/admin/rounds/r1/scores", form), http.StatusSeeOther)
	if got := env.score("r1", "t1", "global", 0); got != "12.35" {
		t.Errorf("t1/global = %q", got)
	}
	env.wantAudit(t, "scores.save", 1)
	r = c.get("/admin/rounds/r1/scores")
	if !strings.Contains(r.body, "점수 15개를 저장했습니다") || !strings.Contains(r.body, "필수 점수 15개 중 15개 입력 (0개 누락)") {
		t.Errorf("no confirmation or completeness after saving")
	}
}

// Two staff editing the same cell: the second save is refused (409) and
// shows both values; nothing is overwritten; saving again is a deliberate
// overwrite.
func TestScoreGridConflict(t *testing.T) {
	env, a := consoleTest(t, "192.0.2.81", adminEmail)
	b := env.signedIn("192.0.2.82", scorerEmail)
	formA := formValues(t, a.get("/admin/rounds/r1/scores").body, "score-grid-form")
	formB := formValues(t, b.get("/admin/rounds/r1/scores").body, "score-grid-form")

	formA.Set("v.t1.nia.0", "10")
	if r := a.post("/admin/rounds/r1/scores", formA); r.status != http.StatusSeeOther {
		t.Fatalf("first save: %d", r.status)
	}
	formB.Set("v.t1.nia.0", "11")
	formB.Set("v.t2.nia.0", "20") // not in conflict, but not saved either
	r := b.post("/admin/rounds/r1/scores", formB)
	if r.status != http.StatusConflict {
		t.Fatalf("second save: %d, want 409", r.status)
	}
	i := strings.Index(r.body, `data-testid="cell-conflict-t1.nia.0"`)
	if i < 0 {
		t.Fatalf("no conflict shown at the cell:\n%s", r.body)
	}
	note := r.body[i:min(len(r.body), i+400)]
	for _, want := range []string{"입력한 값: 11.00", "저장된 값: 10.00", adminEmail} {
		if !strings.Contains(note, want) {
			t.Errorf("conflict note lacks %q: %s", want, note)
		}
	}
	if !strings.Contains(r.body, `name="v.t2.nia.0" value="20"`) {
		t.Error("the re-rendered grid lost the other typed value")
	}
	if got := env.score("r1", "t1", "nia", 0); got != "10.00" {
		t.Errorf("stored value = %q, want the first save's 10.00", got)
	}
	if got := env.score("r1", "t2", "nia", 0); got != "" {
		t.Errorf("a conflicting save wrote t2/nia = %q", got)
	}
	env.wantAudit(t, "scores.save", 1)
	// Having seen both values, B saves again on purpose.
	wantStatus(t, "deliberate save", b.post("/admin/rounds/r1/scores", formValues(t, r.body, "score-grid-form")), http.StatusSeeOther)
	if got := env.score("r1", "t1", "nia", 0); got != "11.00" {
		t.Errorf("after the deliberate save t1/nia = %q", got)
	}
}

// A CSV upload is previewed by a dry run that writes nothing; bad lines are
// named; confirming imports.
func TestScoreCSVImport(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.83", scorerEmail)
	before := env.dump()

	bad := "team,criterion,evaluator,value\nt1,nia,,12.5\nt9,nia,,1\nt2,expert,,3\n"
	r := c.upload("/admin/rounds/r1/scores/import", "file", "bad.csv", []byte(bad))
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad CSV: %d", r.status)
	}
	for _, want := range []string{"3번째 줄", "4번째 줄", "팀 t9: 이 라운드에 참가하지 않은 팀입니다"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("bad CSV: no %q", want)
		}
	}
	good := "\ufeffteam,criterion,evaluator,value\nt1,nia,,12.5\nt1,expert,2,33\nt2,global,,20\n"
	r = c.upload("/admin/rounds/r1/scores/import", "file", "good.csv", []byte(good))
	if r.status != http.StatusOK || !strings.Contains(r.body, "새 점수 3개") {
		t.Fatalf("dry run: %d\n%s", r.status, r.body)
	}
	env.wantUnchanged(t, before, "the dry run changed the database")
	confirm := formValues(t, r.body, "import-confirm-form")
	wantStatus(t, "confirm", c.post("/admin/rounds/r1/scores/import", confirm), http.StatusSeeOther)
	if got := env.score("r1", "t1", "expert", 2); got != "33.00" {
		t.Errorf("imported t1/expert/2 = %q", got)
	}
	env.wantAudit(t, "scores.import", 1)
	// Changing one value previews as changed.
	r = c.upload("/admin/rounds/r1/scores/import", "file", "again.csv", []byte("team,criterion,evaluator,value\nt1,nia,,13\nt2,global,,20\n"))
	if !strings.Contains(r.body, "바뀌는 점수 1개, 그대로인 점수 1개") {
		t.Errorf("second dry run: %d\n%s", r.status, r.body)
	}
}

// A clerk's CSV with three different kinds of error (a malformed value, an
// unknown team, a score above the maximum) sees all three at once, in
// Korean with line numbers and the names of teams and criteria; the
// English console says the same in English.
func TestScoreCSVAllErrorsAtOnce(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.89", scorerEmail)
	before := env.dump()
	bad := "team,criterion,evaluator,value\nt1,nia,,\"1,5\"\nt9,global,,1\nt2,nia,,31\nt3,expert,4,1\n"
	r := c.upload("/admin/rounds/r1/scores/import", "file", "bad.csv", []byte(bad))
	wantStatus(t, "bad CSV", r, http.StatusUnprocessableEntity)
	env.wantUnchanged(t, before, "a refused CSV changed the database")
	got := textsOf(parseHTML(t, r.body).Find(testid("import-errors") + " li"))
	want := []string{
		`2번째 줄: 점수 "1,5": 소수점 둘째 자리까지의 숫자를 점(.)으로 써야 합니다 (예: 1.5).`,
		`3번째 줄: 팀 t9: 이 라운드에 참가하지 않은 팀입니다.`,
		`4번째 줄: 점수 31: 평가 항목 NIA 벤치마크의 만점 30.00점을 넘습니다.`,
		`5번째 줄: 평가위원 4: 평가 항목 전문가 평가의 평가위원단(1–3) 밖의 번호입니다.`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	r = c.upload("/en/admin/rounds/r1/scores/import", "file", "bad.csv", []byte(bad))
	got = textsOf(parseHTML(t, r.body).Find(testid("import-errors") + " li"))
	if len(got) != 4 || !strings.Contains(got[3], `evaluator 4 is outside the panel of "Expert panel" (1–3)`) {
		t.Errorf("English errors: %q", got)
	}
}

// A file with many bad rows lists the first hundred problems and counts the
// rest, so it cannot make a huge page.
func TestScoreCSVErrorsCapped(t *testing.T) {
	_, c := consoleTest(t, "192.0.2.90", scorerEmail)
	var b strings.Builder
	b.WriteString("team,criterion,evaluator,value\n")
	for i := 0; i < 150; i++ {
		fmt.Fprintf(&b, "x%d,nia,,1\n", i)
	}
	r := c.upload("/admin/rounds/r1/scores/import", "file", "bad.csv", []byte(b.String()))
	wantStatus(t, "bad CSV", r, http.StatusUnprocessableEntity)
	got := textsOf(parseHTML(t, r.body).Find(testid("import-errors") + " li"))
	if len(got) != 101 || !strings.Contains(got[100], "외 50건") {
		t.Errorf("%d problems listed, last %q; want 100 and a count of 50 more", len(got), got[len(got)-1])
	}
}

// The scores of a closed or published round are read-only: no inputs, and
// a save is refused.
func TestScoreGridReadOnly(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.84", adminEmail)
	wantStatus(t, "close", c.post("/admin/rounds/r2/close", nil), http.StatusSeeOther)
	r := c.get("/admin/rounds/r2/scores")
	if strings.Contains(r.body, "<input type=\"text\"") || !strings.Contains(r.body, `data-testid="read-only"`) || !strings.Contains(r.body, ">40.00<") {
		t.Errorf("closed round grid is not read-only:\n%s", r.body)
	}
	before := env.dump()
	form := url.Values{"v.t1.a.0": {"1"}, "o.t1.a.0": {"40.00"}, "n.t1.a.0": {"1"}}
	if r := c.post("/admin/rounds/r2/scores", form); r.status != http.StatusConflict {
		t.Errorf("save on a closed round: %d, want 409", r.status)
	}
	env.wantUnchanged(t, before, "a closed round's scores changed")
}

// A CSV import confirmed after a colleague saved a score since the preview
// imports nothing: it comes back (409) with the preview against the scores
// as they are now, which can then be confirmed deliberately. A
// confirmation that carries no preview base is treated the same way.
func TestScoreCSVImportAfterColleagueEdit(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.85", scorerEmail)
	colleague := env.signedIn("192.0.2.86", adminEmail)

	csv := "team,criterion,evaluator,value\nt1,nia,,12.5\nt2,global,,20\n"
	r := c.upload("/admin/rounds/r1/scores/import", "file", "scores.csv", []byte(csv))
	if r.status != http.StatusOK {
		t.Fatalf("dry run: %d\n%s", r.status, r.body)
	}
	confirm := formValues(t, r.body, "import-confirm-form")
	if confirm.Get("base") == "" {
		t.Fatal("the confirm form carries no base")
	}

	// Meanwhile the colleague saves t1/nia in the grid.
	grid := formValues(t, colleague.get("/admin/rounds/r1/scores").body, "score-grid-form")
	grid.Set("v.t1.nia.0", "15")
	if r := colleague.post("/admin/rounds/r1/scores", grid); r.status != http.StatusSeeOther {
		t.Fatalf("colleague's save: %d", r.status)
	}

	before := env.dump()
	r = c.post("/admin/rounds/r1/scores/import", confirm)
	if r.status != http.StatusConflict {
		t.Fatalf("confirm after a colleague's edit: %d, want 409\n%s", r.status, r.body)
	}
	if !strings.Contains(r.body, "그사이 다른 사람이 바꾸었습니다") {
		t.Error("the 409 page does not say someone changed the scores")
	}
	env.wantUnchanged(t, before, "a stale confirmation changed the database")
	if got := env.score("r1", "t1", "nia", 0); got != "15.00" {
		t.Errorf("t1/nia = %q, want the colleague's 15.00", got)
	}
	env.wantAudit(t, "scores.import", 0)
	// The new preview shows the colleague's value as the one to change.
	i := strings.Index(r.body, `data-testid="import-changes"`)
	if i < 0 || !strings.Contains(r.body[i:], ">15.00<") || !strings.Contains(r.body, "새 점수 1개, 바뀌는 점수 1개") {
		t.Errorf("the new preview does not show the current value:\n%s", r.body)
	}
	again := formValues(t, r.body, "import-confirm-form")
	if again.Get("base") == confirm.Get("base") {
		t.Error("the new preview carries the old base")
	}

	// Without a base a confirmation is refused too.
	noBase := url.Values{"csv": {csv}, "confirm": {"1"}}
	if r := c.post("/admin/rounds/r1/scores/import", noBase); r.status != http.StatusConflict {
		t.Errorf("confirm without a base: %d, want 409", r.status)
	}
	env.wantUnchanged(t, before, "a confirmation without a base changed the database")

	// Confirming the new preview imports, over the colleague's value.
	wantStatus(t, "deliberate confirm", c.post("/admin/rounds/r1/scores/import", again), http.StatusSeeOther)
	if got := env.score("r1", "t1", "nia", 0); got != "12.50" {
		t.Errorf("after the deliberate import t1/nia = %q, want 12.50", got)
	}
	env.wantAudit(t, "scores.import", 1)
}

// The CSV template of a grid page has the import's header and a line per
// team, leaf and evaluator with the value empty; filled in, it imports.
func TestScoreCSVTemplate(t *testing.T) {
	_, c := consoleTest(t, "192.0.2.90", scorerEmail)
	page := c.get("/admin/rounds/r1/scores")
	href, _ := one(t, page.body, testid("import-template")).Attr("href")
	if href != "/admin/rounds/r1/scores/template.csv" {
		t.Errorf("template link = %q", href)
	}
	r := c.get(href)
	wantStatus(t, "template", r, http.StatusOK)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type = %q", ct)
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(r.body, "\ufeff")), "\r\n")
	// 3 teams × (nia, global, expert × 3 evaluators)
	if len(lines) != 1+3*5 || lines[0] != "team,criterion,evaluator,value" || lines[1] != "t1,nia,," || lines[3] != "t1,expert,1," {
		t.Errorf("template:\n%s", r.body)
	}
	filled := strings.Replace(r.body, "t2,expert,3,", "t2,expert,3,12.5", 1)
	filled = strings.Replace(filled, "t1,nia,,", "t1,nia,,7", 1)
	// Empty values are refused line by line, so keep only the filled lines.
	var keep []string
	for _, l := range strings.Split(filled, "\r\n") {
		if !strings.HasSuffix(l, ",") {
			keep = append(keep, l)
		}
	}
	up := c.upload("/admin/rounds/r1/scores/import", "file", "filled.csv", []byte(strings.Join(keep, "\n")))
	wantStatus(t, "filled template", up, http.StatusOK)
	if got := selText(t, up.body, testid("import-summary")); !strings.Contains(got, "새 점수 2개") {
		t.Errorf("summary = %q", got)
	}
	wantStatus(t, "panel template", c.get("/admin/rounds/r1/scores/template.csv?criterion=nia"), http.StatusNotFound)
}

// The import preview comes before the grid: its confirm button first, the
// counts per team by name, and the score-by-score details folded.
func TestScoreCSVPreviewByTeam(t *testing.T) {
	_, c := consoleTest(t, "192.0.2.91", scorerEmail)
	seed := c.upload("/admin/rounds/r1/scores/import", "file", "a.csv", []byte("team,criterion,evaluator,value\nt1,nia,,10\n"))
	wantStatus(t, "seed", c.post("/admin/rounds/r1/scores/import", formValues(t, seed.body, "import-confirm-form")), http.StatusSeeOther)
	csv := "team,criterion,evaluator,value\nt1,nia,,10\nt1,global,,5\nt2,expert,1,3\nt2,expert,2,4\n"
	r := c.upload("/admin/rounds/r1/scores/import", "file", "b.csv", []byte(csv))
	wantStatus(t, "preview", r, http.StatusOK)
	doc := parseHTML(t, r.body)
	var rows [][]string
	doc.Find(testid("import-teams") + " tbody tr").Each(func(_ int, s *goquery.Selection) { rows = append(rows, cellsOf(s)) })
	want := [][]string{{"가팀", "1", "0", "1"}, {"나팀", "2", "0", "0"}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("per team (-want +got):\n%s", diff)
	}
	if doc.Find(testid("import-details")+" "+testid("import-changes")).Length() != 1 {
		t.Error("the details are not folded in <details>")
	}
	// The confirm form comes before the details and before the grid.
	body := r.body
	confirm, details, grid := strings.Index(body, `data-testid="import-confirm-form"`), strings.Index(body, `data-testid="import-details"`), strings.Index(body, `data-testid="score-grid-form"`)
	if confirm < 0 || confirm > details || details > grid {
		t.Errorf("order: confirm %d, details %d, grid %d", confirm, details, grid)
	}
	if got := cellsOf(doc.Find(testid("import-changes") + " tbody tr").First()); len(got) < 3 || got[1] != "가팀" || got[2] != "글로벌 벤치마크" {
		t.Errorf("details row %q, want the names 가팀 and 글로벌 벤치마크", got)
	}
}

// A round's missing scores are grouped by team and criterion, a panel's
// evaluators as ranges, instead of a line per missing score. (textOf
// puts a space between the team's <strong> and the colon.)
func TestMissingScoresGrouped(t *testing.T) {
	_, c := consoleTest(t, "192.0.2.92", scorerEmail)
	seed := c.upload("/admin/rounds/r1/scores/import", "file", "a.csv", []byte("team,criterion,evaluator,value\nt1,nia,,10\nt1,expert,2,5\nt2,expert,1,5\nt2,expert,2,5\nt2,expert,3,5\n"))
	wantStatus(t, "seed", c.post("/admin/rounds/r1/scores/import", formValues(t, seed.body, "import-confirm-form")), http.StatusSeeOther)
	r := c.get("/admin/rounds/r1")
	got := textsOf(parseHTML(t, r.body).Find(testid("missing") + " li"))
	want := []string{
		"가팀 : 글로벌 벤치마크, 전문가 평가 (평가위원 2명: 1, 3)",
		"나팀 : NIA 벤치마크, 글로벌 벤치마크",
		"다팀 : NIA 벤치마크, 글로벌 벤치마크, 전문가 평가 (평가위원 3명: 1–3)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}
}

// A large panel's grid pages through its evaluators 20 at a time; each
// row ends with the panel's mean over all its evaluators, the main grid's
// rows with their total; required cells not yet entered are marked.
func TestScoreGridPagesAndSums(t *testing.T) {
	_, c := consoleTest(t, "192.0.2.93", adminEmail)
	add := mapForm(map[string]string{"code": "public", "name_ko": "국민 평가", "name_en": "Public panel", "max": "10", "panel_size": "45", "aggregate": "mean"})
	wantRedirect(t, "create panel", c.post("/admin/rounds/r1/criteria", add), "/admin/rounds/r1/edit")
	csv := "team,criterion,evaluator,value\nt1,public,1,4\nt1,public,2,5\nt1,public,30,9\nt1,nia,,20\nt1,expert,1,30\nt1,expert,2,40\n"
	up := c.upload("/admin/rounds/r1/scores/import", "file", "s.csv", []byte(csv))
	wantStatus(t, "import", c.post("/admin/rounds/r1/scores/import", formValues(t, up.body, "import-confirm-form")), http.StatusSeeOther)

	page := c.get("/admin/rounds/r1/scores?criterion=public")
	wantStatus(t, "panel page", page, http.StatusOK)
	doc := parseHTML(t, page.body)
	if n := doc.Find(`input[name^="v.t1.public."]`).Length(); n != 20 {
		t.Errorf("first page shows %d evaluators of t1, want 20", n)
	}
	if got := selText(t, page.body, testid("grid-page")); got != "평가위원 1–20 (전체 45명)" {
		t.Errorf("pager = %q", got)
	}
	next, _ := one(t, page.body, testid("grid-next")).Attr("href")
	if next != "/admin/rounds/r1/scores?criterion=public&from=21" {
		t.Errorf("next = %q", next)
	}
	// t1's mean counts evaluator 30, on another page: (4+5+9)/3 = 6.00.
	if got := textOf(doc.Find(testid("grid-row-t1") + " td.grid-sum")); got != "6.00" {
		t.Errorf("t1 mean = %q, want 6.00", got)
	}
	if doc.Find(`td.cell-missing input[name="v.t2.public.1"]`).Length() != 1 || doc.Find(`td.cell-missing input[name="v.t1.public.1"]`).Length() != 0 {
		t.Error("missing cells are not marked, or an entered one is")
	}
	if got := selText(t, c.get(next).body, testid("grid-page")); got != "평가위원 21–40 (전체 45명)" {
		t.Errorf("second page = %q", got)
	}
	if got := selText(t, c.get("/admin/rounds/r1/scores?criterion=public&from=41").body, testid("grid-page")); got != "평가위원 41–45 (전체 45명)" {
		t.Errorf("last page = %q", got)
	}
	// The main grid: t1's total is nia 20 + expert mean 35 = 55.00.
	main := parseHTML(t, c.get("/admin/rounds/r1/scores").body)
	if got := textsOf(main.Find(testid("grid-row-t1") + " td.grid-sum")); !cmp.Equal(got, []string{"35.00", "55.00"}) {
		t.Errorf("main grid sums = %q, want expert mean 35.00 and total 55.00", got)
	}
	if main.Find(testid("grid-pager")).Length() != 0 {
		t.Error("the main grid has a pager")
	}
}
