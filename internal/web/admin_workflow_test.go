package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web"
)

// The one-time setup link creates the first admin once; afterwards, and
// with any other token, it is dead.
func TestFirstAdminSetup(t *testing.T) {
	t.Parallel()
	pool, err := postgres.Open(t.Context(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	store := postgres.New(pool)
	env := &consoleEnv{t: t, pool: pool, store: store}
	env.h = web.NewServer(web.Deps{Store: store, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SetupToken: "0123456789abcdef"})
	c := env.client("192.0.2.90")

	if r := c.get("/admin/setup?token=wrong"); r.status != http.StatusNotFound {
		t.Errorf("wrong token: %d, want 404", r.status)
	}
	if r := c.get("/admin/setup"); r.status != http.StatusNotFound {
		t.Errorf("no token: %d, want 404", r.status)
	}
	page := c.get("/admin/setup?token=0123456789abcdef")
	if page.status != http.StatusOK {
		t.Fatalf("setup page: %d", page.status)
	}
	form := formValues(t, page.body, "setup-form")
	setForm(form, map[string]string{"email": "first@msit.go.kr", "name": "첫 관리자", "password": "first@msit.go.kr", "password2": "first@msit.go.kr"})
	r := c.post("/admin/setup", form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `value="first@msit.go.kr"`) || !strings.Contains(r.body, `data-testid="error-password"`) {
		t.Fatalf("weak password: %d", r.status)
	}
	form.Set("password", "Sejong-Government-Complex-1")
	form.Set("password2", "Sejong-Government-Complex-2")
	if r := c.post("/admin/setup", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "두 비밀번호가 다릅니다") {
		t.Fatalf("mismatch: %d", r.status)
	}
	form.Set("password2", "Sejong-Government-Complex-1")
	if r := c.post("/admin/setup", form); r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin" {
		t.Fatalf("setup: %d\n%s", r.status, r.body)
	}
	if r := c.get("/admin"); r.status != http.StatusOK || !strings.Contains(r.body, "first@msit.go.kr") {
		t.Errorf("the new admin is not signed in: %d", r.status)
	}
	u, _, err := store.UserByEmail(t.Context(), "first@msit.go.kr")
	if err != nil || u.Role != "admin" {
		t.Fatalf("first admin: %+v, %v", u, err)
	}
	// The link is dead now, for everyone.
	other := env.client("192.0.2.91")
	form.Set("email", "second@msit.go.kr")
	if r := other.post("/admin/setup", form); r.status != http.StatusNotFound {
		t.Errorf("second use: %d, want 404", r.status)
	}
	if r := other.get("/admin/setup?token=0123456789abcdef"); r.status != http.StatusNotFound {
		t.Errorf("second visit: %d, want 404", r.status)
	}
	users, _ := store.Users(t.Context())
	if len(users) != 1 {
		t.Errorf("%d users, want 1", len(users))
	}
	// Without a token the setup never opens, even on an empty database.
	h := web.NewServer(web.Deps{Store: store})
	rec := do(t, h, http.MethodGet, "/admin/setup?token=")
	if rec.status != http.StatusNotFound {
		t.Errorf("setup without a server token: %d", rec.status)
	}
}

// Eligibility: a refused form re-renders with the input and per-field
// messages; a valid one is recorded.
func TestEligibilityForm(t *testing.T) {
	_, c := consoleTest(t, "192.0.2.92", adminEmail)
	r := c.post("/admin/rounds/r2/eligibility", url.Values{"team": {"t2"}, "status": {"disqualified"}, "reason_ko": {"독자성 미충족"}, "reason_en": {""}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("missing English reason: %d", r.status)
	}
	i := strings.Index(r.body, `data-testid="elig-form-t2"`)
	form := r.body[i:min(len(r.body), i+3000)]
	for _, want := range []string{`value="독자성 미충족"`, `data-testid="error-reason_en"`, `<option value="disqualified" selected>`} {
		if !strings.Contains(form, want) {
			t.Errorf("re-rendered eligibility form lacks %s", want)
		}
	}
	r = c.post("/admin/rounds/r2/eligibility", url.Values{"team": {"t2"}, "status": {"disqualified"}, "reason_ko": {"독자성 미충족"}, "reason_en": {"Not independent"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("disqualify: %d\n%s", r.status, r.body)
	}
	r = c.get("/admin/rounds/r2")
	if !strings.Contains(r.body, `data-testid="outcome-t2"`) || !strings.Contains(r.body, "Not independent") {
		t.Errorf("the preview does not show the disqualification")
	}
}

// Close, publish with the cut line, schedule in KST, tie decision and a
// correction as a new revision.
func TestRoundWorkflow(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.93", adminEmail)

	// r1 has no scores and is open: publishing and scheduling it are
	// refused until it is closed, and closing it is refused with the count.
	r := c.post("/admin/rounds/r1/publish", nil)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "먼저 채점을 마감하세요") {
		t.Fatalf("publish an open round: %d, want 422 with the close-first notice", r.status)
	}
	r = c.post("/en/admin/rounds/r1/publish", nil)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Close scoring first.") {
		t.Fatalf("publish an open round (en): %d, want 422 with the close-first notice", r.status)
	}
	r = c.post("/admin/rounds/r1/schedule", url.Values{"at": {"2031-03-01T09:30"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "먼저 채점을 마감하세요") {
		t.Fatalf("schedule an open round: %d, want 422 with the close-first notice", r.status)
	}
	r = c.post("/admin/rounds/r1/close", nil)
	if r.status != http.StatusConflict || !strings.Contains(r.body, "필수 점수 15개가 없어") {
		t.Fatalf("close incomplete: %d", r.status)
	}
	if env.roundStatus("r1") != "draft" {
		t.Fatal("an incomplete round changed status")
	}
	if d, _ := env.store.AdminRound(t.Context(), "console-test", "r1"); d.PublishAt != nil {
		t.Error("an open round was scheduled")
	}

	// r2 is complete: its preview draws the cut line under the two places.
	r = c.get("/admin/rounds/r2")
	if !strings.Contains(r.body, `data-testid="cut-line"`) || strings.Index(r.body, `data-testid="cut-line"`) < strings.Index(r.body, `data-testid="preview-t2"`) {
		t.Errorf("no cut line between t2 and t3")
	}
	if r := c.post("/admin/rounds/r2/close", nil); r.status != http.StatusSeeOther {
		t.Fatalf("close: %d", r.status)
	}
	if r := c.post("/admin/rounds/r2/reopen", nil); r.status != http.StatusSeeOther || env.roundStatus("r2") != "scoring" {
		t.Fatalf("reopen: %d, %s", r.status, env.roundStatus("r2"))
	}
	wantStatus(t, "close again", c.post("/admin/rounds/r2/close", nil), http.StatusSeeOther)
	// Schedule the closed r2 at a KST time; then cancel.
	wantStatus(t, "schedule", c.post("/admin/rounds/r2/schedule", url.Values{"at": {"2031-03-01T09:30"}}), http.StatusSeeOther)
	d, err := env.store.AdminRound(t.Context(), "console-test", "r2")
	if err != nil || d.PublishAt == nil || !d.PublishAt.Equal(time.Date(2031, 3, 1, 0, 30, 0, 0, time.UTC)) {
		t.Fatalf("scheduled at %v (%v), want 2031-03-01 09:30 KST", d.PublishAt, err)
	}
	if r := c.post("/admin/rounds/r2/schedule", url.Values{"at": {"2001-01-01T00:00"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("schedule in the past: %d", r.status)
	}
	if r := c.post("/admin/rounds/r2/schedule", url.Values{"cancel": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("unschedule: %d", r.status)
	}
	if d, _ := env.store.AdminRound(t.Context(), "console-test", "r2"); d.PublishAt != nil {
		t.Error("the schedule was not cancelled")
	}
	wantStatus(t, "publish", c.publish(t, "r2"), http.StatusSeeOther)
	if env.roundStatus("r2") != "published" {
		t.Fatalf("r2 is %s", env.roundStatus("r2"))
	}
	// A correction needs its reason in both languages…
	r = c.post("/admin/rounds/r2/correct", url.Values{"kind": {"score"}, "team": {"t3"}, "criterion": {"a"}, "value": {"25"}, "why_ko": {"입력 오류"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `data-testid="error-why_en"`) {
		t.Fatalf("correction without English reason: %d", r.status)
	}
	// …and then publishes revision 2, keeping revision 1.
	confirm, r := c.correct(t, env, "r2", url.Values{"kind": {"score"}, "team": {"t3"}, "criterion": {"a"}, "value": {"25"}, "why_ko": {"입력 오류"}, "why_en": {"Data entry error"}})
	if i := strings.Index(confirm.body, `data-testid="diff-t3"`); i < 0 || !strings.Contains(confirm.body[i:], " → ") {
		t.Errorf("the confirmation shows no change for t3")
	}
	if r.status != http.StatusSeeOther {
		t.Fatalf("correction: %d\n%s", r.status, r.body)
	}
	r = c.get("/admin/rounds/r2")
	if !strings.Contains(r.body, "Data entry error") && !strings.Contains(r.body, "입력 오류") || !strings.Contains(r.body, "20.00 → 25.00") {
		t.Errorf("revisions list lacks the correction")
	}
	if _, _, err := env.store.Revision(t.Context(), "console-test", "r2", 1); err != nil {
		t.Errorf("revision 1 gone: %v", err)
	}

	// r3 is a tie at the cut: a decision unblocks it.
	r = c.get("/admin/rounds/r3")
	if !strings.Contains(r.body, `data-testid="blocked"`) || !strings.Contains(r.body, `data-testid="decide"`) {
		t.Fatalf("r3 shows no tie decision form")
	}
	if r := c.post("/admin/rounds/r3/decide", url.Values{"advance": {"t1"}, "reason_ko": {""}, "reason_en": {"x"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("decision without Korean reason: %d", r.status)
	}
	if r := c.post("/admin/rounds/r3/decide", url.Values{"advance": {"t1", "t2"}, "reason_ko": {"둘 다"}, "reason_en": {"both"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("decision advancing too many: %d", r.status)
	}
	wantStatus(t, "decide", c.post("/admin/rounds/r3/decide", url.Values{"advance": {"t1"}, "reason_ko": {"발표 평가 우위"}, "reason_en": {"Better presentation score"}}), http.StatusSeeOther)
	wantStatus(t, "close r3", c.post("/admin/rounds/r3/close", nil), http.StatusSeeOther)
	if r := c.publish(t, "r3"); r.status != http.StatusSeeOther {
		t.Fatalf("publish after decision: %d", r.status)
	}

	// The audit log lists it all, filtered, with the chain verified.
	r = c.get("/admin/audit?action=round.publish")
	if r.status != http.StatusOK || !strings.Contains(r.body, "해시 체인 정상") || strings.Count(r.body, "<code>round.publish</code>") != 2 {
		t.Errorf("audit filter by action: %d, %d events", r.status, strings.Count(r.body, "<code>round.publish</code>"))
	}
	r = c.get("/admin/audit?round=r2&actor=" + url.QueryEscape(adminEmail))
	if strings.Contains(r.body, "<code>round.decide</code>") || !strings.Contains(r.body, "<code>round.correct</code>") {
		t.Errorf("audit filter by round and actor")
	}
	today := time.Now().In(time.FixedZone("KST", 9*3600)).Format(time.DateOnly)
	r = c.get("/admin/audit?from=" + today + "&to=" + today + "&action=round.decide")
	if strings.Count(r.body, "<code>round.decide</code>") != 1 {
		t.Errorf("audit filter by KST date")
	}
	if r := c.get("/admin/audit?from=2030-13-45"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("bad date filter: %d", r.status)
	}
}

// Adding users: a generated password is shown once; a duplicate email is
// refused with the input kept.
func TestUsersPage(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.94", adminEmail)
	r := c.post("/admin/users", url.Values{"email": {"kim@msit.go.kr"}, "name": {"김"}, "role": {"scorer"}, "password": {""}})
	if r.status != http.StatusOK || !strings.Contains(r.body, `data-testid="generated-password"`) {
		t.Fatalf("add with generated password: %d", r.status)
	}
	i := strings.Index(r.body, `<code class="secret">`)
	pw := r.body[i+len(`<code class="secret">`):]
	pw = pw[:strings.Index(pw, "<")]
	k := env.client("192.0.2.95")
	if r := k.post("/login", url.Values{"email": {"kim@msit.go.kr"}, "password": {pw}}); r.status != http.StatusSeeOther {
		t.Errorf("the generated password does not sign in: %d", r.status)
	}
	if r := c.get("/admin/users"); strings.Contains(r.body, pw) {
		t.Error("the generated password is shown again")
	}
	r = c.post("/admin/users", url.Values{"email": {"KIM@msit.go.kr"}, "name": {"Kim"}, "role": {"admin"}, "password": {"Another-Long-Passphrase-9"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, `value="KIM@msit.go.kr"`) || !strings.Contains(r.body, "이미 이 이메일을 쓰는 계정이 있습니다") {
		t.Errorf("duplicate email: %d", r.status)
	}
	if r := c.post("/admin/users/"+env.userID("kim@msit.go.kr")+"/disable", nil); r.status != http.StatusSeeOther {
		t.Errorf("disable: %d", r.status)
	}
	if r := k.get("/admin"); r.status != http.StatusSeeOther {
		t.Errorf("a disabled user's session still works: %d", r.status)
	}
}

// The audit page names the first event that no longer verifies after a
// database superuser rewrote it.
func TestAuditPageShowsTampering(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.96", adminEmail)
	if r := c.get("/en/admin/audit"); !strings.Contains(r.body, "Hash chain intact: 4 events") {
		t.Fatalf("clean log not reported intact")
	}
	su := pgtest.Conn(t, env.url)
	for _, sql := range []string{
		`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`,
		`UPDATE audit_events SET actor = 'mallory' WHERE id = 2`,
		`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`,
	} {
		if _, err := su.Exec(context.Background(), sql); err != nil {
			t.Fatal(err)
		}
	}
	r := c.get("/en/admin/audit")
	if !strings.Contains(r.body, "Hash chain broken at event 2") || !strings.Contains(r.body, "notice-error") {
		t.Errorf("tampering not reported:\n%s", r.body)
	}
}

// A disqualification or a withdrawal needs its reason in Korean and
// English, in the eligibility form and in a correction alike; eligible
// needs none.
func TestEntryReasonRules(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.97", adminEmail)
	wantReasonErrors := func(what string, r response, form string) {
		t.Helper()
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", what, r.status)
			return
		}
		i := strings.Index(r.body, `data-testid="`+form+`"`)
		if i < 0 {
			t.Errorf("%s: no form %s", what, form)
			return
		}
		seg := r.body[i:]
		seg = seg[:strings.Index(seg, "</form>")]
		for _, want := range []string{`data-testid="error-reason_ko"`, `data-testid="error-reason_en"`} {
			if !strings.Contains(seg, want) {
				t.Errorf("%s: form %s lacks %s", what, form, want)
			}
		}
	}
	before := env.dump()
	for _, status := range []string{contest.EntryDisqualified, contest.EntryWithdrew} {
		r := c.post("/admin/rounds/r2/eligibility", url.Values{"team": {"t2"}, "status": {status}, "reason_ko": {""}, "reason_en": {""}})
		wantReasonErrors("eligibility "+status+" without a reason", r, "elig-form-t2")
	}
	env.wantUnchanged(t, before, "a refused eligibility form changed the database")
	wantStatus(t, "withdraw with a reason", c.post("/admin/rounds/r2/eligibility", url.Values{"team": {"t2"}, "status": {"withdrew"}, "reason_ko": {"자진 철회"}, "reason_en": {"Withdrew voluntarily"}}), http.StatusSeeOther)
	wantStatus(t, "eligible without a reason", c.post("/admin/rounds/r2/eligibility", url.Values{"team": {"t2"}, "status": {"eligible"}, "reason_ko": {""}, "reason_en": {""}}), http.StatusSeeOther)

	wantStatus(t, "close r2", c.post("/admin/rounds/r2/close", nil), http.StatusSeeOther)
	wantStatus(t, "publish r2", c.publish(t, "r2"), http.StatusSeeOther)
	correct := func(status, ko, en string) response {
		return c.post("/admin/rounds/r2/correct", url.Values{
			"kind": {"eligibility"}, "team": {"t3"}, "status": {status}, "reason_ko": {ko}, "reason_en": {en},
			"why_ko": {"발표 후 확인"}, "why_en": {"Found after publication"},
		})
	}
	before = env.dump()
	for _, status := range []string{contest.EntryDisqualified, contest.EntryWithdrew} {
		wantReasonErrors("correction to "+status+" without a reason", correct(status, "", ""), "correct-eligibility")
	}
	env.wantUnchanged(t, before, "a refused correction changed the database")
	confirm, r := c.correct(t, env, "r2", url.Values{
		"kind": {"eligibility"}, "team": {"t3"}, "status": {contest.EntryWithdrew}, "reason_ko": {"자진 철회"}, "reason_en": {"Withdrew voluntarily"},
		"why_ko": {"발표 후 확인"}, "why_en": {"Found after publication"},
	})
	if i := strings.Index(confirm.body, `data-testid="diff-t3"`); i < 0 || !strings.Contains(confirm.body[i:], "탈락(점수) → 기권") {
		t.Errorf("the confirmation does not show t3's outcome change")
	}
	if r.status != http.StatusSeeOther {
		t.Fatalf("correction to withdrew with a reason: %d\n%s", r.status, r.body)
	}
	env.wantAudit(t, "round.correct", 1)
}

// The console reads the store's refusals one way: a round whose status
// forbids a workflow step is 422 with the same explanation as a record
// edit it forbids, and nothing changes.
func TestWorkflowRefusalStatus(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.98", adminEmail)
	before := env.dump()
	r := c.post("/admin/rounds/r2/reopen", nil) // r2 is being scored, not closed
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "라운드의 현재 상태에서는 할 수 없는 작업입니다") {
		t.Errorf("reopen an open round: %d, want 422 with the round-state notice", r.status)
	}
	r = c.post("/en/admin/rounds/r2/reopen", nil)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "The round&#39;s current status does not allow this.") {
		t.Errorf("reopen an open round (en): %d, want 422 with the round-state notice", r.status)
	}
	// A role change with a garbled version is a bad request, as on every
	// record form.
	if r := c.post("/admin/users/"+env.userID(scorerEmail)+"/role", url.Values{"role": {"admin"}, "version": {"x"}}); r.status != http.StatusBadRequest {
		t.Errorf("role change with a garbled version: %d, want 400", r.status)
	}
	env.wantUnchanged(t, before, "refused steps changed the database")
}
