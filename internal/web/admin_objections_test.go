package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kai-challenge/portal/internal/fixtures"
	"github.com/kai-challenge/portal/internal/postgres"
)

// objectionsOf reads the stage-2 objections as staff see them.
func objectionsOf(t *testing.T, env *consoleEnv) []postgres.Objection {
	t.Helper()
	objs, err := env.store.AdminObjections(context.Background(), "sovereign-ai", "stage-2")
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// Filing an objection from the console: a refused form comes back as typed
// with a message per field in the page's language and nothing saved; a
// valid one is recorded with its sources and an audit event, and shows
// publicly on the round and team pages.
func TestConsoleFilesObjection(t *testing.T) {
	env := newConsoleWith(t, "https://portal.example", fixtures.RecordDecemberFile())
	admin := env.signedIn("192.0.2.10", adminEmail)

	round := admin.get("/admin/rounds/stage-2")
	wantStatus(t, "round page", round, http.StatusOK)
	link := one(t, round.body, testid("objections-link"))
	if href, _ := link.Attr("href"); href != "/admin/rounds/stage-2/objections" {
		t.Errorf("objections link = %q", href)
	}
	page := admin.get("/admin/rounds/stage-2/objections")
	wantStatus(t, "objections page", page, http.StatusOK)
	motif := objectionsOf(t, env)[0]
	id := strconv.FormatInt(motif.ID, 10)
	if one(t, page.body, testid("objection-"+id)).Find(testid("decide-"+id)).Length() != 1 {
		t.Error("Motif's pending objection has no link to decide it")
	}

	before := env.dump()
	for _, c := range []struct{ path, required, date, source string }{
		{"/admin/rounds/stage-2/objections", "필수 항목입니다.", "날짜", "http(s)"},
		{"/en/admin/rounds/stage-2/objections", "Required.", "date", "http(s)"},
	} {
		bad := url.Values{"team": {""}, "filed_on": {"2026-13-01"}, "summary_ko": {""}, "summary_en": {"Asked for the raw ratings"},
			"decision_due": {""}, "sources": {"ftp://example.org/x"}}
		r := admin.post(c.path, bad)
		wantStatus(t, "refused filing "+c.path, r, http.StatusUnprocessableEntity)
		for field, want := range map[string]string{"team": c.required, "summary_ko": c.required, "filed_on": c.date, "sources": c.source} {
			if got := selText(t, r.body, testid("error-"+field)); !strings.Contains(got, want) {
				t.Errorf("%s: message on %s = %q, want %q", c.path, field, got, want)
			}
		}
		typed := parseHTML(t, r.body)
		if v, _ := typed.Find(`input[name="filed_on"]`).Attr("value"); v != "2026-13-01" {
			t.Errorf("%s: filed_on re-rendered as %q", c.path, v)
		}
		if v := typed.Find(`textarea[name="summary_en"]`).Text(); v != "Asked for the raw ratings" {
			t.Errorf("%s: summary_en re-rendered as %q", c.path, v)
		}
	}
	// The store's own check comes back on its field: a decision due
	// before the filing.
	early := url.Values{"team": {"upstage"}, "filed_on": {"2026-08-28"}, "summary_ko": {"원점수 공개 요구"},
		"summary_en": {"Asked for the raw ratings"}, "decision_due": {"2026-08-01"}, "sources": {""}}
	r := admin.post("/admin/rounds/stage-2/objections", early)
	wantStatus(t, "decision due before filing", r, http.StatusUnprocessableEntity)
	if got := selText(t, r.body, testid("error-decision_due")); got != "신청일보다 앞설 수 없습니다" {
		t.Errorf("decision_due message = %q", got)
	}
	env.wantUnchanged(t, before, "refused filings")

	early.Set("decision_due", "2026-09-11")
	early.Set("sources", "https://example.org/upstage-objection\nhttps://example.org/upstage-objection-2")
	r = admin.post("/admin/rounds/stage-2/objections", early)
	wantStatus(t, "filing", r, http.StatusSeeOther)
	env.wantAudit(t, "objection.file", 1)
	objs := objectionsOf(t, env)
	if len(objs) != 2 || objs[1].Team.Slug != "upstage" || len(objs[1].Sources) != 2 || objs[1].Status != postgres.ObjectionPending {
		t.Fatalf("objections after filing: %+v", objs)
	}
	// Filed twice on the same day: refused on the date.
	r = admin.post("/admin/rounds/stage-2/objections", early)
	wantStatus(t, "same filing again", r, http.StatusUnprocessableEntity)
	if got := selText(t, r.body, testid("error-filed_on")); !strings.Contains(got, "같은 날") {
		t.Errorf("duplicate filing message = %q", got)
	}

	pub := getPage(t, env.h, "/en/rounds/stage-2")
	if n := parseHTML(t, pub.body).Find(testid("objection")).Length(); n != 2 {
		t.Errorf("public round page lists %d objections, want 2", n)
	}
	team := textOf(one(t, getPage(t, env.h, "/en/teams/upstage").body, testid("team-objections")))
	if !strings.Contains(team, "Asked for the raw ratings") || !strings.Contains(team, "pending") {
		t.Errorf("Upstage's team page: %q", team)
	}
}

// Deciding an objection records who (the signed-in account), when and why
// in both languages, in the objection and the audit log; a refused form
// keeps what was typed; the decision shows publicly; a second decision is
// refused.
func TestConsoleDecidesObjection(t *testing.T) {
	env := newConsoleWith(t, "https://portal.example", fixtures.RecordDecemberFile())
	admin := env.signedIn("192.0.2.10", adminEmail)
	motif := objectionsOf(t, env)[0]
	path := "/admin/rounds/stage-2/objections/" + strconv.FormatInt(motif.ID, 10)

	page, form := admin.formAt(t, "/en"+path, "objection-decide-form")
	if form.Get("version") != strconv.Itoa(motif.Version) {
		t.Fatalf("decide form version = %q", form.Get("version"))
	}
	if !strings.Contains(page.body, "Four demands") {
		t.Error("the decide page does not show what was filed")
	}
	before := env.dump()
	setForm(form, map[string]string{"status": "pending", "decided_on": "10 Sept", "decision_ko": "", "decision_en": "The criteria were applied to every team alike"})
	r := admin.post("/en"+path, form)
	wantStatus(t, "refused decision", r, http.StatusUnprocessableEntity)
	for field, want := range map[string]string{"status": "Choose", "decided_on": "date", "decision_ko": "Required."} {
		if got := selText(t, r.body, testid("error-"+field)); !strings.Contains(got, want) {
			t.Errorf("message on %s = %q, want %q", field, got, want)
		}
	}
	if v := parseHTML(t, r.body).Find(`textarea[name="decision_en"]`).Text(); v != "The criteria were applied to every team alike" {
		t.Errorf("decision_en re-rendered as %q", v)
	}
	env.wantUnchanged(t, before, "refused decision")

	form.Set("status", postgres.ObjectionRejected)
	form.Set("decided_on", "2026-09-10")
	form.Set("decision_ko", "모든 팀에 같은 기준을 적용함")
	r = admin.post("/en"+path, form)
	wantStatus(t, "decision", r, http.StatusSeeOther)

	got := objectionsOf(t, env)[0]
	if got.Status != postgres.ObjectionRejected || got.DecidedBy != adminEmail || got.DecidedOn == nil ||
		got.DecidedOn.Format("2006-01-02") != "2026-09-10" || got.Decision.KO != "모든 팀에 같은 기준을 적용함" {
		t.Errorf("decided objection: %+v", got)
	}
	var actor, after string
	if err := env.pool.QueryRow(context.Background(),
		`SELECT actor, after::text FROM audit_events WHERE action = 'objection.decide'`).Scan(&actor, &after); err != nil {
		t.Fatal(err)
	}
	if actor != adminEmail || !strings.Contains(after, "every team alike") || !strings.Contains(after, `"decided_by": "`+adminEmail) {
		t.Errorf("audit event: %s %s", actor, after)
	}
	list := admin.get("/admin/rounds/stage-2/objections")
	if by := selText(t, list.body, testid("objection-decided-by")); !strings.Contains(by, adminEmail) {
		t.Errorf("console list: decided by %q", by)
	}

	for _, c := range []struct{ path, status, reason string }{
		{"/rounds/stage-2", "기각", "모든 팀에 같은 기준을 적용함"},
		{"/en/rounds/stage-2", "rejected", "The criteria were applied to every team alike"},
		{"/en/teams/motif", "rejected", "The criteria were applied to every team alike"},
	} {
		body := getPage(t, env.h, c.path).body
		if s := selText(t, body, testid("objection-status")); s != c.status {
			t.Errorf("%s: objection status %q, want %q", c.path, s, c.status)
		}
		if d := selText(t, body, testid("objection-decision")); !strings.Contains(d, c.reason) || !strings.Contains(d, "2026") {
			t.Errorf("%s: decision %q", c.path, d)
		}
		if strings.Contains(body, adminEmail) {
			t.Errorf("%s names the staff account", c.path)
		}
	}
	api := get(t, env.h, "/api/v1/rounds/stage-2").body
	if !strings.Contains(api, `"status": "rejected"`) || !strings.Contains(api, `"decided_on": "2026-09-10"`) || strings.Contains(api, adminEmail) {
		t.Error("the API does not show the decision, or names the staff account")
	}
	if h := selText(t, getPage(t, env.h, "/en/history").body, testid("history-objection")); !strings.Contains(h, "rejected") {
		t.Errorf("history: %q", h)
	}

	// The same form again (its version is now stale): refused, nothing
	// changed, and the page says it was decided meanwhile.
	before = env.dump()
	r = admin.post("/en"+path, form)
	wantStatus(t, "second decision", r, http.StatusConflict)
	if !strings.Contains(r.body, "already decided") && !strings.Contains(r.body, `data-testid="conflict-objection"`) {
		t.Error("a second decision is refused without saying why")
	}
	if got := selText(t, r.body, testid("notice")); !strings.Contains(got, "already decided") {
		t.Errorf("the refusal notice reads %q, want the objection already decided", got)
	}
	env.wantUnchanged(t, before, "second decision")

	scorer := env.signedIn("192.0.2.20", scorerEmail)
	if r := scorer.get(path); r.status != http.StatusForbidden {
		t.Errorf("scorer on the decide page: %d", r.status)
	}
	if r := admin.get("/admin/rounds/stage-2/objections/999999"); r.status != http.StatusNotFound {
		t.Errorf("no such objection: %d", r.status)
	}
}
