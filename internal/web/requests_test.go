package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/contest"
)

var requestRe = regexp.MustCompile(`/admin/requests/(\d+)"`)

// twoApprovals makes the console fixture's program require two approvals
// and adds the second admin.
func twoApprovals(t *testing.T, env *consoleEnv) {
	t.Helper()
	ctx := context.Background()
	if _, err := env.pool.Exec(ctx, `UPDATE programs SET approvals = 2`); err != nil {
		t.Fatal(err)
	}
	if _, err := env.store.CreateUser(ctx, secondAdmin, "두 번째 관리자", auth.RoleAdmin, hashOf(t), contest.Actor{Name: "cli"}); err != nil {
		t.Fatal(err)
	}
}

// twoAdmins is the console fixture with two approvals required and r2
// closed, with the admin (a) and the second admin (b) signed in from the
// two addresses.
func twoAdmins(t *testing.T, addrA, addrB string) (env *consoleEnv, a, b *staffClient) {
	t.Helper()
	env = newConsole(t, "http://localhost:8080")
	twoApprovals(t, env)
	a = env.signedIn(addrA, adminEmail)
	b = env.signedIn(addrB, secondAdmin)
	wantStatus(t, "close r2", a.post("/admin/rounds/r2/close", nil), http.StatusSeeOther)
	return env, a, b
}

// fourEyes is twoAdmins with r2 published by A's request and B's approval.
func fourEyes(t *testing.T) (env *consoleEnv, a, b *staffClient) {
	t.Helper()
	env, a, b = twoAdmins(t, "192.0.2.150", "192.0.2.151")
	wantStatus(t, "request r2", a.publish(t, "r2"), http.StatusSeeOther)
	_, vals := b.formAt(t, "/admin/rounds/r2/publish", "approve-form")
	wantStatus(t, "approve r2", b.post(approveRe.FindString(b.get("/admin/rounds/r2/publish").body), vals), http.StatusSeeOther)
	return env, a, b
}

// With two approvals, a correction waits: the round page and the
// dashboard show who requested what and when; the requester sees the diff
// and cannot approve (the page says why) but can withdraw; the second
// admin sees the same per-team diff and approves it, which publishes the
// new revision.
func TestCorrectionRequestReview(t *testing.T) {
	t.Parallel()
	env, a, b := fourEyes(t)
	form := url.Values{"kind": {"score"}, "team": {"t3"}, "criterion": {"a"}, "value": {"45"}, "why_ko": {"입력 오류"}, "why_en": {"Data entry error"}}
	confirm, done := a.correct(t, env, "r2", form)
	wantStatus(t, "correction request", done, http.StatusSeeOther)
	if n := env.auditCount("round.correct"); n != 0 {
		t.Fatalf("the requested correction was applied (%d events)", n)
	}

	// The pending request on the round page and the dashboard.
	for _, path := range []string{"/admin/rounds/r2", "/admin"} {
		r := b.get(path)
		got := selText(t, r.body, testid("pending-requests"))
		if !strings.Contains(got, adminEmail) || !strings.Contains(got, "정정") {
			t.Errorf("%s: the pending notice reads %q", path, got)
		}
		wantNone(t, path+" for another admin", r.body, `[data-testid^="withdraw-"]`)
	}
	own := a.get("/admin/rounds/r2")
	one(t, own.body, `[data-testid^="withdraw-"]`)
	m := requestRe.FindStringSubmatch(own.body)
	if m == nil {
		t.Fatal("no link to the request")
	}
	page := "/admin/requests/" + m[1]

	// The requester sees the diff, why they cannot approve, and no approval.
	mine := a.get(page)
	wantStatus(t, "own request", mine, http.StatusOK)
	one(t, mine.body, testid("own-request"))
	wantNone(t, "own request", mine.body, testid("approve-form"))
	one(t, mine.body, testid("withdraw-form"))

	// The second admin sees the same diff and approves.
	seen, vals := b.formAt(t, page, "approve-form")
	wantDiff := textOf(one(t, confirm.body, testid("correction-diff")))
	if got := textOf(one(t, seen.body, testid("correction-diff"))); got != wantDiff || !strings.Contains(got, "→") {
		t.Errorf("the approver sees\n%s\nthe requester saw\n%s", got, wantDiff)
	}
	if en := b.get("/en" + page); !strings.Contains(selText(t, en.body, testid("happens")), "new revision") {
		t.Errorf("the English review page does not say what approving does")
	}
	action, _ := one(t, seen.body, testid("approve-form")).Attr("action")
	self := a.post(action, vals)
	if self.status != http.StatusUnprocessableEntity || !strings.Contains(self.body, "다른 관리자가 승인해야") {
		t.Errorf("self-approval: %d, want 422 with why", self.status)
	}
	wantStatus(t, "approve", b.post(action, vals), http.StatusSeeOther)
	if st := env.roundStatus("r2"); st != "corrected" {
		t.Fatalf("r2 is %s after the approved correction", st)
	}
	if r := b.get(page); !strings.Contains(selText(t, r.body, testid("refused")), "승인됨") {
		t.Errorf("the approved request still offers itself")
	}
	wantNone(t, "after approval", b.get("/admin").body, testid("pending-requests"))
}

// Only its requester withdraws a pending request; a withdrawn request is
// gone from the notices.
func TestWithdrawRequest(t *testing.T) {
	t.Parallel()
	env, a, b := twoAdmins(t, "192.0.2.152", "192.0.2.153")
	wantStatus(t, "request r2", a.publish(t, "r2"), http.StatusSeeOther)
	r := a.get("/admin/rounds/r2")
	wantNone(t, "pending request", r.body, testid("publish"))
	btn := one(t, r.body, `[data-testid^="withdraw-"]`)
	action, _ := btn.Parent().Attr("action")
	if other := b.post(action, nil); other.status != http.StatusUnprocessableEntity || !strings.Contains(other.body, adminEmail) {
		t.Errorf("another admin's withdrawal: %d, want 422 naming the requester", other.status)
	}
	wantStatus(t, "withdraw", a.post(action, nil), http.StatusSeeOther)
	r = a.get("/admin/rounds/r2")
	wantNone(t, "withdrawn", r.body, testid("pending-requests"))
	one(t, r.body, testid("publish"))
	env.wantAudit(t, "round.request_withdraw", 1)
	if st := env.roundStatus("r2"); st != "closed" {
		t.Errorf("r2 is %s after the withdrawal", st)
	}
}

// With two approvals, a schedule confirmed by A is a request to publish
// at that time: nothing is scheduled until B approves it, having seen the
// time in KST; scorers are not shown the request.
func TestScheduleRequest(t *testing.T) {
	t.Parallel()
	env, a, b := twoAdmins(t, "192.0.2.154", "192.0.2.155")
	page, vals := a.formAt(t, "/admin/rounds/r2/schedule?at=2031-03-01T09%3A30", "request-form")
	if got := selText(t, page.body, testid("happens")); !strings.Contains(got, "승인해야") || !strings.Contains(got, "09:30 KST") {
		t.Errorf("the schedule request says %q", got)
	}
	wantStatus(t, "schedule request", a.post("/admin/rounds/r2/schedule", vals), http.StatusSeeOther)
	d, err := env.store.AdminRound(context.Background(), "console-test", "r2")
	if err != nil || d.PublishAt != nil {
		t.Fatalf("scheduled before the approval: %v, %v", d.PublishAt, err)
	}
	scorer := env.signedIn("192.0.2.156", scorerEmail)
	wantNone(t, "scorer", scorer.get("/admin/rounds/r2").body, testid("pending-requests"))

	seen, approval := b.formAt(t, "/admin/rounds/r2/publish", "approve-form")
	if got := selText(t, seen.body, testid("request-at")); !strings.Contains(got, "09:30 KST") {
		t.Errorf("the approver sees the time as %q", got)
	}
	if got := selText(t, seen.body, testid("happens")); !strings.Contains(got, "예약") {
		t.Errorf("the approval of a schedule says %q", got)
	}
	action, _ := one(t, seen.body, testid("approve-form")).Attr("action")
	wantStatus(t, "approve", b.post(action, approval), http.StatusSeeOther)
	d, err = env.store.AdminRound(context.Background(), "console-test", "r2")
	if err != nil || d.PublishAt == nil || !d.PublishAt.Equal(time.Date(2031, 3, 1, 0, 30, 0, 0, time.UTC)) || env.roundStatus("r2") != "closed" {
		t.Fatalf("after the approval: scheduled at %v (%v), %s", d.PublishAt, err, env.roundStatus("r2"))
	}
}

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
