package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/contest"
)

// Every console page renders in Korean and English with no untranslated
// message, the headers of a private page and no inline style or script.
func TestConsolePagesTranslated(t *testing.T) {
	t.Parallel()
	env := newConsole(t, "https://portal.example")
	c := env.signedIn("192.0.2.100", adminEmail)
	wantStatus(t, "close r2", c.post("/admin/rounds/r2/close", nil), http.StatusSeeOther)
	if r := c.publish(t, "r2"); r.status != http.StatusSeeOther {
		t.Fatalf("publish r2: %d", r.status)
	}
	for _, path := range []string{
		"/admin", "/admin/rounds/r1", "/admin/rounds/r2", "/admin/rounds/r3", "/admin/rounds/r1/scores",
		"/admin/rounds/r2/scores", "/admin/audit", "/admin/users", "/admin/password",
	} {
		for _, lang := range []string{"", "/en"} {
			p := lang + path
			r := c.get(p)
			if r.status != http.StatusOK {
				t.Errorf("%s: %d", p, r.status)
				continue
			}
			want := map[string]string{"": `<html lang="ko">`, "/en": `<html lang="en">`}[lang]
			if !strings.Contains(r.body, want) {
				t.Errorf("%s: not %s", p, want)
			}
			if i := strings.Index(r.body, "⟦"); i >= 0 {
				t.Errorf("%s: untranslated message near %q", p, r.body[i:min(len(r.body), i+60)])
			}
			if strings.Contains(r.body, "<script") || strings.Contains(r.body, " style=") {
				t.Errorf("%s: inline script or style", p)
			}
			checkSecurityHeaders(t, p, r, true)
		}
	}
	for _, p := range []string{"/login", "/en/login"} {
		r := env.client("192.0.2.101").get(p)
		if r.status != http.StatusOK || strings.Contains(r.body, "⟦") {
			t.Errorf("%s: %d", p, r.status)
		}
	}
}

// The message ids the console builds from codes exist in both languages.
func TestConsoleDynamicMessages(t *testing.T) {
	t.Parallel()
	errs := []string{"401", "403", "404", "409", "422", "500", "cross_origin"}
	var titles []string
	for _, c := range errs {
		titles = append(titles, c+".title")
	}
	wantMessages(t, map[string][]string{
		"admin.status.": {
			contest.StatusDraft, contest.StatusScoring, contest.StatusClosed, contest.StatusPublished, contest.StatusCorrected,
		},
		"admin.results.": {"preview", contest.StatusPublished, contest.StatusCorrected},
		"admin.role.":    auth.Roles,
		"entry.":         contest.EntryStatuses,
		"round.kind.":    contest.RoundKinds,
		"admin.nav.":     {"rounds", "audit", "users", "password"},
		"admin.error.":   append(errs, titles...),
	})
}
