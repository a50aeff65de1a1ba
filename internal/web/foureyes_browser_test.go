package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The four-eyes journey in a real browser, with two approvals required:
// admin A closes a round (confirming it) and requests its publication; the
// public round page still shows nothing and A is offered no approval;
// admin B signs in, sees the pending request on the dashboard, reviews the
// same results and approves; the public page then shows them. Each kind
// of confirmation and review page on the way passes axe-core.
func TestBrowserFourEyes(t *testing.T) {
	t.Parallel()
	env, base := consoleServer(t, "testdata/admin-program.yaml", twoApprovals)
	newBrowser := browsers(t)
	css := byID

	// A closes r2 through its confirmation page.
	a := axeBrowser(t, newBrowser())
	signInAt(t, a, base, adminEmail)
	axeCheck(t, a, axeAll, base, "/admin/rounds/r2/close")
	axeCheck(t, a, axeAll, base, "/admin/rounds/r1/close") // refused: scores missing
	// confirmed goes through the confirmation page of a button of r2's
	// round page.
	confirmed := func(step, button, what, confirm string) {
		t.Helper()
		mustStep(t, step, chromedp.Do(a, append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(base + "/admin/rounds/r2")},
			confirmThrough(button, what, confirm)...)...))
	}
	confirmed("close", "close", "close-form", "confirm")
	if st := env.roundStatus("r2"); st != "closed" {
		t.Fatalf("r2 is %s after the confirmed close", st)
	}
	axeCheck(t, a, axeAll, base, "/en/admin/rounds/r2/schedule?at=2031-03-01T09%3A30")

	// A requests the publication: nothing is public yet.
	confirmed("request", "publish", "publication-table", "request-publish")
	visitor := newBrowser()
	mustStep(t, "public page before", chromedp.Do(visitor,
		chromedp.Navigate(base+"/rounds/r2"),
		chromedp.WaitVisible(css("round-embargo")),
	))
	if n := countOf(t, visitor, `[data-testid="results-table"], [data-testid="round-results"]`); n != 0 || env.roundStatus("r2") != "closed" {
		t.Fatalf("the requested round shows %d results elements in public (%s)", n, env.roundStatus("r2"))
	}

	// A sees the request as theirs, without an approval.
	mustStep(t, "own request", chromedp.Do(a,
		chromedp.Navigate(base+"/admin/rounds/r2/publish"),
		chromedp.WaitVisible(css("own-request")),
	))
	if n := countOf(t, a, `[data-testid="approve"], [data-testid="approve-form"]`); n != 0 {
		t.Fatalf("the requester is offered %d approval controls", n)
	}
	axeCheck(t, a, axeAll, base, "/en/admin/rounds/r2/publish")

	// B sees the pending request on the dashboard, reviews and approves.
	b := axeBrowser(t, newBrowser())
	signInAt(t, b, base, secondAdmin)
	notice := must(t, "pending notice", b, chromedp.Text(css("pending-requests")))
	if !strings.Contains(notice, adminEmail) {
		t.Errorf("the dashboard's pending notice reads %q", notice)
	}
	axeCheck(t, b, axeAll, base, "/admin")
	mustStep(t, "review", chromedp.Do(b,
		chromedp.Navigate(base+"/admin"),
		chromedp.Click(`[data-testid="pending-requests"] a`),
		chromedp.WaitVisible(css("publication-table")),
		chromedp.WaitVisible(css("approve")),
	))
	rows := must(t, "reviewed results", b, chromedp.Text(css("publication-table")))
	for _, want := range []string{"가팀", "81.00", "통과"} {
		if !strings.Contains(rows, want) {
			t.Errorf("the approver's preview lacks %q:\n%s", want, rows)
		}
	}
	mustStep(t, "approve", chromedp.Do(b,
		chromedp.Click(css("approve")),
		chromedp.WaitVisible(css("flash")),
	))
	if st := env.roundStatus("r2"); st != "published" {
		t.Fatalf("r2 is %s after the approval", st)
	}

	// The public page shows the results (to a browser that has not
	// cached the page from before: public pages are cached for a minute).
	visitor = newBrowser()
	mustStep(t, "public page after", chromedp.Do(visitor,
		chromedp.Navigate(base+"/rounds/r2"),
		chromedp.WaitVisible(css("results-table")),
	))
	page := must(t, "public results", visitor, chromedp.Text(css("results-table")))
	for _, want := range []string{"가팀", "나팀", "다팀", "81.00", "통과", "탈락"} {
		if !strings.Contains(page, want) {
			t.Errorf("the public results lack %q:\n%s", want, page)
		}
	}

	// The confirmation pages of the published round: a wider disclosure,
	// and a role change.
	axeCheck(t, b, axeAll, base, "/admin/rounds/r2")
	axeCheck(t, b, axeAll, base, "/admin/rounds/r2/disclosure?level=full&on=2030-07-01&note_ko=%EA%B3%B5%EA%B0%9C&note_en=Disclosed")
	axeCheck(t, b, axeAll, base, "/admin/users/"+env.userID(scorerEmail)+"/role?role=admin&version=1")
}
