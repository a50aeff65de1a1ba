package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

const secondAdmin = "second@msit.go.kr"

var approveRe = regexp.MustCompile(`/admin/requests/\d+/approve`)

// publicationRows is the results table of a confirmation page.
func publicationRows(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `data-testid="publication-table"`)
	j := strings.Index(body, `</table>`)
	if i < 0 || j < i {
		t.Fatal("no results table on the confirmation page")
	}
	return body[i:j]
}

// With two approvals, admin A's request leaves the round unpublished and
// A cannot approve it; admin B sees the same results and approves them,
// which publishes them. A stale fingerprint is refused with both shown.
func TestFourEyesPublication(t *testing.T) {
	t.Parallel()
	env, a, b := twoAdmins(t, "192.0.2.120", "192.0.2.121")

	// The confirmation page says what the button does.
	page := a.get("/admin/rounds/r2/publish")
	wantStatus(t, "confirmation", page, http.StatusOK)
	if !strings.Contains(page.body, "다른 관리자가 같은 결과를 보고 승인해야 공개됩니다") || !strings.Contains(page.body, `data-testid="pub-t1"`) {
		t.Errorf("the confirmation page does not say what happens or lacks the results")
	}
	if en := a.get("/en/admin/rounds/r2/publish"); !strings.Contains(en.body, "Request publication") {
		t.Errorf("the English confirmation page lacks its button")
	}

	// Results other than those reviewed are refused, with both fingerprints.
	before := env.dump()
	r := a.post("/admin/rounds/r2/publish", url.Values{"fingerprint": {"00000000000000000000"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, `data-testid="stale-results"`) || !strings.Contains(r.body, "000000000000") {
		t.Errorf("stale fingerprint: %d, want 409 with both fingerprints", r.status)
	}
	env.wantUnchanged(t, before, "a stale request changed the database")

	// A requests: the round stays unpublished.
	wantStatus(t, "request", a.publish(t, "r2"), http.StatusSeeOther)
	if st := env.roundStatus("r2"); st != "closed" {
		t.Fatalf("r2 is %s after a request that needs approval", st)
	}
	own := a.get("/admin/rounds/r2/publish")
	if !strings.Contains(own.body, `data-testid="own-request"`) || strings.Contains(own.body, `data-testid="approve-form"`) {
		t.Errorf("the requester is offered the approval")
	}

	// B sees the same results and the approval form.
	seen, vals := b.formAt(t, "/admin/rounds/r2/publish", "approve-form")
	if publicationRows(t, seen.body) != publicationRows(t, own.body) {
		t.Errorf("the approver sees other results than the requester")
	}
	approve := approveRe.FindString(seen.body)
	if approve == "" {
		t.Fatal("no approval form for the second admin")
	}

	// A cannot approve their own request, even by posting the form.
	r = a.post(approve, vals)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "요청한 관리자가 아닌 다른 관리자가 승인해야") {
		t.Errorf("self-approval: %d, want 422 with the notice", r.status)
	}
	if st := env.roundStatus("r2"); st != "closed" {
		t.Fatalf("the requester's own approval published r2 (%s)", st)
	}

	// B approves: published.
	wantStatus(t, "approve", b.post(approve, vals), http.StatusSeeOther)
	if st := env.roundStatus("r2"); st != "published" {
		t.Fatalf("r2 is %s after the approval", st)
	}
	env.wantAudit(t, "round.publish", 1)
}

// A scheduled publication that fails at its time (the round was never
// closed) stays on the console's dashboard until someone acts.
func TestFailedScheduleBanner(t *testing.T) {
	t.Parallel()
	env := newConsole(t, "http://localhost:8080")
	c := env.signedIn("192.0.2.122", adminEmail)
	if r := c.get("/admin"); strings.Contains(r.body, `data-testid="failed-schedules"`) {
		t.Fatal("a banner without any failed schedule")
	}
	due := time.Date(2026, 3, 1, 0, 30, 0, 0, time.UTC)
	if _, err := env.pool.Exec(t.Context(), `UPDATE rounds SET publish_at = $1, scheduled_by = $2 WHERE slug = 'r1'`, due, adminEmail); err != nil {
		t.Fatal(err)
	}
	published, failed, err := env.store.PublishDue(t.Context(), due.Add(time.Minute))
	if err != nil || len(published) != 0 || len(failed) != 1 {
		t.Fatalf("publish due: %v, %v, %v", published, failed, err)
	}
	for _, lang := range []string{"", "/en"} {
		r := c.get(lang + "/admin")
		i := strings.Index(r.body, `data-testid="failed-schedules"`)
		if r.status != http.StatusOK || i < 0 || !strings.Contains(r.body[i:], lang+"/admin/rounds/r1") || !strings.Contains(r.body[i:], adminEmail) {
			t.Errorf("%s/admin: %d, no banner naming r1 and who scheduled it", lang, r.status)
		}
	}
}
