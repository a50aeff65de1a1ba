package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/contest"
)

// wantNone fails when body has any element sel selects.
func wantNone(t *testing.T, what, body, sel string) {
	t.Helper()
	if n := parseHTML(t, body).Find(sel).Length(); n != 0 {
		t.Errorf("%s: %d elements match %s, want none", what, n, sel)
	}
}

// wantConfirm checks a confirmation page: status, what happens (or why
// not) and the form offered, and that showing it changed nothing.
func wantConfirm(t *testing.T, env *consoleEnv, c *staffClient, path string, status int, form string) response {
	t.Helper()
	before := env.dump()
	r := c.get(path)
	wantStatus(t, path, r, status)
	env.wantUnchanged(t, before, "showing a confirmation page changed the database")
	if form == "" {
		if selText(t, r.body, testid("refused")) == "" {
			t.Errorf("%s: a refusal without its reason", path)
		}
		wantNone(t, path, r.body, "main form")
		return r
	}
	if selText(t, r.body, testid("happens")) == "" {
		t.Errorf("%s: the page does not say what will happen", path)
	}
	if m, _ := one(t, r.body, testid(form)).Attr("method"); m != "post" {
		t.Errorf("%s: the form %s is sent with %q, want post", path, form, m)
	}
	return r
}

// wantRefused checks a confirmation page that refuses its action with a
// reason containing want, and offers no form.
func wantRefused(t *testing.T, env *consoleEnv, c *staffClient, path string, status int, want string) {
	t.Helper()
	r := wantConfirm(t, env, c, path, status, "")
	if got := selText(t, r.body, testid("refused")); !strings.Contains(got, want) {
		t.Errorf("%s: refused with %q, want %q", path, got, want)
	}
}

// Closing and scheduling ask for confirmation on a page that says what
// happens (the time in KST) and change nothing until confirmed; an open,
// incomplete or blocked round offers neither publication nor schedule and
// the confirmation refuses it with the reason.
func TestConfirmCloseAndSchedule(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.140", adminEmail)

	// r1 is open with no score: no publication or schedule is offered,
	// and closing it is refused on its confirmation page with the count.
	r := c.get("/admin/rounds/r1")
	wantNone(t, "open round", r.body, testid("publish")+", "+testid("schedule-form"))
	one(t, r.body, testid("close"))
	wantRefused(t, env, c, "/admin/rounds/r1/close", http.StatusConflict, "필수 점수 15개가 없어")
	wantRefused(t, env, c, "/admin/rounds/r1/schedule?at=2031-03-01T09%3A30", http.StatusUnprocessableEntity, "먼저 채점을 마감하세요")

	// r2 is complete: the close confirmation says what happens; its form
	// closes the round.
	page := wantConfirm(t, env, c, "/admin/rounds/r2/close", http.StatusOK, "close-form")
	if en := c.get("/en/admin/rounds/r2/close"); !strings.Contains(selText(t, en.body, testid("happens")), "closes scoring") {
		t.Errorf("the English close confirmation does not say what happens")
	}
	wantStatus(t, "close", c.post("/admin/rounds/r2/close", fillForm(t, page.body, "close-form")), http.StatusSeeOther)
	if st := env.roundStatus("r2"); st != "closed" {
		t.Fatalf("r2 is %s after the confirmed close", st)
	}
	r = c.get("/admin/rounds/r2")
	wantNone(t, "closed round", r.body, testid("close"))
	one(t, r.body, testid("publish"))
	if m, _ := one(t, r.body, testid("schedule-form")).Attr("method"); m != "get" {
		t.Errorf("the schedule form goes straight to the action (%s)", m)
	}

	// The schedule's confirmation shows the time in KST and the results.
	page = wantConfirm(t, env, c, "/admin/rounds/r2/schedule?at=2031-03-01T09%3A30", http.StatusOK, "request-form")
	if got := selText(t, page.body, testid("schedule-at")); !strings.Contains(got, "2031") || !strings.Contains(got, "09:30 KST") {
		t.Errorf("the schedule's time reads %q", got)
	}
	if !strings.Contains(selText(t, page.body, testid("happens")), "09:30 KST") {
		t.Errorf("what happens does not name the time")
	}
	one(t, page.body, testid("pub-t1"))
	if en := c.get("/en/admin/rounds/r2/schedule?at=2031-03-01T09%3A30"); !strings.Contains(selText(t, en.body, testid("schedule-at")), "09:30 KST") {
		t.Errorf("the English schedule confirmation lacks the KST time")
	}
	past := c.get("/admin/rounds/r2/schedule?at=2001-01-01T00%3A00")
	wantStatus(t, "schedule in the past", past, http.StatusUnprocessableEntity)
	one(t, past.body, testid("error-at"))
	vals := fillForm(t, page.body, "request-form")
	if vals.Get("fingerprint") == "" || vals.Get("at") != "2031-03-01T09:30" {
		t.Fatalf("the schedule's form lacks its binding: %v", vals)
	}
	wantStatus(t, "schedule", c.post("/admin/rounds/r2/schedule", vals), http.StatusSeeOther)
	d, err := env.store.AdminRound(t.Context(), "console-test", "r2")
	if err != nil || d.PublishAt == nil || !d.PublishAt.Equal(time.Date(2031, 3, 1, 0, 30, 0, 0, time.UTC)) {
		t.Fatalf("scheduled at %v (%v), want 2031-03-01 09:30 KST", d.PublishAt, err)
	}

	// r3 is a tie at the cut: once closed it is blocked, and neither
	// publication nor schedule is offered; the page says why.
	wantStatus(t, "close r3", c.post("/admin/rounds/r3/close", nil), http.StatusSeeOther)
	r = c.get("/admin/rounds/r3")
	wantNone(t, "blocked round", r.body, testid("publish")+", "+testid("schedule-form"))
	if got := selText(t, r.body, testid("not-ready")); !strings.Contains(got, "동점") {
		t.Errorf("the blocked round says %q", got)
	}
	wantRefused(t, env, c, "/admin/rounds/r3/schedule?at=2031-03-01T09%3A30", http.StatusConflict, "동점")
}

// A role change and a widened disclosure ask for confirmation first; the
// same role, the last admin and a narrower disclosure are refused with why.
func TestConfirmRoleAndDisclosure(t *testing.T) {
	env, c := consoleTest(t, "192.0.2.141", adminEmail)

	users := c.get("/admin/users")
	if m, _ := one(t, users.body, testid("role-form-"+scorerEmail)).Attr("method"); m != "get" {
		t.Errorf("the role form changes the role without confirmation (%s)", m)
	}
	u, _, err := env.store.UserByEmail(t.Context(), scorerEmail)
	if err != nil {
		t.Fatal(err)
	}
	base := "/admin/users/" + env.userID(scorerEmail) + "/role?version=" + strconv.Itoa(u.Version)
	page := wantConfirm(t, env, c, base+"&role=admin", http.StatusOK, "role-confirm")
	if got := selText(t, page.body, testid("role-new")); !strings.Contains(got, "관리자") {
		t.Errorf("the new role reads %q", got)
	}
	wantRefused(t, env, c, base+"&role=scorer", http.StatusUnprocessableEntity, "이미 그 역할")
	self := "/admin/users/" + env.userID(adminEmail) + "/role?version=1&role=scorer"
	wantRefused(t, env, c, self, http.StatusConflict, "마지막 관리자")
	wantStatus(t, "role change", c.post(strings.SplitN(base, "?", 2)[0], fillForm(t, page.body, "role-confirm")), http.StatusSeeOther)
	if u, _, err := env.store.UserByEmail(t.Context(), scorerEmail); err != nil || u.Role != auth.RoleAdmin {
		t.Fatalf("the confirmed role change: %v, %v", u.Role, err)
	}

	// A published round disclosing outcomes widens to aggregates.
	closeAndPublish(t.Context(), t, env.store, "console-test", "r2", contest.Actor{Name: "cli"}, time.Date(2030, 6, 15, 5, 0, 0, 0, time.UTC))
	if _, err := env.pool.Exec(t.Context(), `UPDATE rounds SET disclosure = 'aggregates' WHERE slug = 'r2'`); err != nil {
		t.Fatal(err)
	}
	r := c.get("/admin/rounds/r2")
	if opts := textsOf(one(t, r.body, testid("disclose-form")).Find("select[name=level] option")); len(opts) != 2 {
		t.Errorf("the disclosure offers %v, want aggregates and full only", opts)
	}
	q := url.Values{"on": {"2030-07-01"}, "note_ko": {"전체 점수 공개"}, "note_en": {"Full scores disclosed"}}
	q.Set("level", "outcomes")
	wantRefused(t, env, c, "/admin/rounds/r2/disclosure?"+q.Encode(), http.StatusUnprocessableEntity, "좁힐 수 없습니다")
	q.Set("level", "full")
	page = wantConfirm(t, env, c, "/admin/rounds/r2/disclosure?"+q.Encode(), http.StatusOK, "disclose-confirm")
	one(t, page.body, testid("irreversible"))
	if got := selText(t, page.body, testid("disclosure-on")); !strings.Contains(got, "2030") {
		t.Errorf("the disclosure's date reads %q", got)
	}
	wantStatus(t, "widen", c.post("/admin/rounds/r2/disclosure", fillForm(t, page.body, "disclose-confirm")), http.StatusSeeOther)
	steps, err := env.store.Disclosures(t.Context(), "console-test", "r2")
	if err != nil || len(steps) == 0 || steps[len(steps)-1].Level != "full" {
		t.Fatalf("disclosure steps %v, %v", steps, err)
	}
	env.wantAudit(t, "round.disclose", 1)
}
