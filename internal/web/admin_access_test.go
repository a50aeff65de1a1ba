package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// stateRoute is a state-changing console route with a form that would
// change the database if it were let through.
type stateRoute struct {
	path      string
	form      url.Values
	adminOnly bool
}

func stateRoutes(env *consoleEnv) []stateRoute {
	scorerID := env.userID(scorerEmail)
	return append([]stateRoute{
		{"/admin/rounds/r1/scores", url.Values{"v.t1.nia.0": {"12.5"}, "o.t1.nia.0": {""}, "n.t1.nia.0": {"0"}}, false},
		{"/admin/rounds/r1/scores/import", url.Values{"confirm": {"1"}, "csv": {"team,criterion,evaluator,value\nt1,nia,,12.5\n"}}, false},
		{"/admin/password", url.Values{"current": {staffPW}, "password": {"Another-Long-Passphrase-42"}, "password2": {"Another-Long-Passphrase-42"}}, false},
		{"/admin/rounds/r2/eligibility", url.Values{"team": {"t2"}, "status": {"disqualified"}, "reason_ko": {"독자성 요건 미충족"}, "reason_en": {"Failed the independence requirement"}}, true},
		{"/admin/rounds/r2/close", url.Values{}, true},
		{"/admin/rounds/r2/reopen", url.Values{}, true},
		{"/admin/rounds/r2/publish", url.Values{}, true},
		{"/admin/rounds/r2/schedule", url.Values{"at": {"2031-01-15T14:00"}}, true},
		{"/admin/rounds/r3/decide", url.Values{"advance": {"t1"}, "reason_ko": {"발표 평가 우위"}, "reason_en": {"Better presentation"}}, true},
		{"/admin/rounds/r2/correct", url.Values{"kind": {"score"}, "team": {"t1"}, "criterion": {"a"}, "value": {"10"}, "why_ko": {"오기"}, "why_en": {"Typo"}}, true},
		{"/admin/users", url.Values{"email": {"new@msit.go.kr"}, "name": {"New"}, "role": {"admin"}, "password": {"Yet-Another-Passphrase-77"}}, true},
		{"/admin/users/" + scorerID + "/role", url.Values{"role": {"admin"}, "version": {"1"}}, true},
		{"/admin/users/" + scorerID + "/disable", url.Values{}, true},
		{"/admin/users/" + scorerID + "/enable", url.Values{}, true},
		{"/en/admin/rounds/r2/publish", url.Values{}, true},
		{"/en/admin/rounds/r1/scores", url.Values{"v.t1.nia.0": {"12.5"}, "o.t1.nia.0": {""}, "n.t1.nia.0": {"0"}}, false},
	}, recordRoutes(env)...) // teams, organizations, rounds, criteria, entries, budgets (admin_records_test.go)
}

// Every state-changing console route refuses the anonymous (401), scorers
// on admin-only routes (403) and cross-origin requests (403), and in each
// case the database stays exactly as it was.
func TestConsoleRouteAccess(t *testing.T) {
	t.Parallel()
	env := newConsole(t, "https://portal.example")
	anon := env.client("198.51.100.7")
	scorer := env.signedIn("192.0.2.20", scorerEmail)
	admin := env.signedIn("192.0.2.10", adminEmail)
	evil := env.client("192.0.2.10")
	evil.cookies = admin.cookies // the admin's browser, driven by another site
	evil.header.Set("Origin", "https://evil.example")
	evil.header.Set("Sec-Fetch-Site", "cross-site")
	seedRecords(env)
	before := env.dump()

	for _, rt := range stateRoutes(env) {
		if r := anon.post(rt.path, rt.form); r.status != http.StatusUnauthorized {
			t.Errorf("anonymous POST %s: %d, want 401", rt.path, r.status)
		}
		if rt.adminOnly {
			if r := scorer.post(rt.path, rt.form); r.status != http.StatusForbidden {
				t.Errorf("scorer POST %s: %d, want 403", rt.path, r.status)
			} else if !strings.Contains(r.body, `data-testid="error-403"`) {
				t.Errorf("scorer POST %s: no 403 page", rt.path)
			}
		}
		if r := evil.post(rt.path, rt.form); r.status != http.StatusForbidden {
			t.Errorf("cross-origin POST %s: %d, want 403", rt.path, r.status)
		}
	}
	// Signing in and out from another site is refused too.
	for _, path := range []string{"/login", "/logout", "/admin/setup"} {
		if r := evil.post(path, url.Values{"email": {adminEmail}, "password": {staffPW}}); r.status != http.StatusForbidden {
			t.Errorf("cross-origin POST %s: %d, want 403", path, r.status)
		}
	}
	// Origin alone (a browser without Sec-Fetch-Site) is enough.
	old := env.client("192.0.2.10")
	old.cookies = admin.cookies
	old.header.Set("Origin", "https://evil.example")
	if r := old.post("/admin/rounds/r2/publish", nil); r.status != http.StatusForbidden {
		t.Errorf("POST with a foreign Origin: %d, want 403", r.status)
	}
	env.wantUnchanged(t, before, "refused requests changed the database (-before +after)")

	// Pages: the anonymous are sent to sign in, scorers may not read the
	// audit log or the accounts.
	for _, tc := range []struct {
		path      string
		adminOnly bool
	}{
		{"/admin", false}, {"/admin/rounds/r1", false}, {"/admin/rounds/r1/scores", false},
		{"/admin/password", false}, {"/admin/audit", true}, {"/admin/users", true}, {"/en/admin/users", true},
		{"/admin/organizations", true}, {"/admin/teams/t1", true}, {"/admin/rounds/new", true}, {"/admin/rounds/r1/edit", true},
		{"/en/admin/budgets", true}, {"/admin/budgets/2026", true},
	} {
		r := anon.get(tc.path)
		wantLogin := "/login?next=" + url.QueryEscape(tc.path)
		if strings.HasPrefix(tc.path, "/en/") {
			wantLogin = "/en" + wantLogin
		}
		if r.status != http.StatusSeeOther || r.header.Get("Location") != wantLogin {
			t.Errorf("anonymous GET %s: %d → %q, want 303 → %q", tc.path, r.status, r.header.Get("Location"), wantLogin)
		}
		r = scorer.get(tc.path)
		if want := map[bool]int{false: http.StatusOK, true: http.StatusForbidden}[tc.adminOnly]; r.status != want {
			t.Errorf("scorer GET %s: %d, want %d", tc.path, r.status, want)
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", tc.path, cc)
		}
		checkSecurityHeaders(t, tc.path, r, true)
	}

	// The same requests from the admin's own pages do change the record:
	// the checks above refused something real.
	wantStatus(t, "admin close", admin.post("/admin/rounds/r2/close", nil), http.StatusSeeOther)
	wantStatus(t, "admin schedule", admin.post("/admin/rounds/r2/schedule", url.Values{"at": {"2031-01-15T14:00"}}), http.StatusSeeOther)
	if cmp.Equal(before, env.dump()) {
		t.Fatal("the admin's own request changed nothing")
	}
}

// A scorer sees the preview but no workflow controls, and a scorer's grid
// works.
func TestScorerSeesNoPublishing(t *testing.T) {
	_, scorer := consoleTest(t, "192.0.2.20", scorerEmail)
	r := scorer.get("/admin/rounds/r2")
	if r.status != http.StatusOK || !strings.Contains(r.body, `data-testid="preview-table"`) {
		t.Fatalf("scorer round page: %d, no preview", r.status)
	}
	for _, id := range []string{`data-testid="publish"`, `data-testid="close"`, `data-testid="schedule-form"`, `data-testid="elig-form-t1"`, `data-testid="decide"`, `data-testid="admin-nav-users"`} {
		if strings.Contains(r.body, id) {
			t.Errorf("scorer page shows %s", id)
		}
	}
	if r := scorer.get("/admin/rounds/r1/scores"); r.status != http.StatusOK || !strings.Contains(r.body, `data-testid="save-scores"`) {
		t.Errorf("scorer grid: %d", r.status)
	}
}

func checkSecurityHeaders(t *testing.T, path string, r response, https bool) {
	t.Helper()
	h := r.header
	if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || strings.Contains(h.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Errorf("%s: CSP %q", path, h.Get("Content-Security-Policy"))
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
		t.Errorf("%s: missing nosniff or Referrer-Policy", path)
	}
	if got := h.Get("Strict-Transport-Security"); (got != "") != https {
		t.Errorf("%s: Strict-Transport-Security %q over https=%v", path, got, https)
	}
}
