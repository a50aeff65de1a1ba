package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kai-challenge/portal/internal/web"
)

// The four-eyes journey in a real browser, with two approvals required:
// admin A closes a round (confirming it) and requests its publication; the
// public round page still shows nothing and A is offered no approval;
// admin B signs in, sees the pending request on the dashboard, reviews the
// same results and approves; the public page then shows them. Each kind
// of confirmation and review page on the way passes axe-core.
func TestBrowserFourEyes(t *testing.T) {
	t.Parallel()
	axe := axeSource(t)
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()

	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	env := newConsole(t, base)
	env.deps.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	twoApprovals(t, env)
	srv.Config.Handler = web.NewServer(env.deps)
	srv.Start()
	t.Cleanup(srv.Close)

	newBrowser := startChromium(t, ctx)
	css := func(testid string) chromedp.CSS { return chromedp.CSS(`[data-testid="` + testid + `"]`) }
	count := func(b context.Context, sel string) int {
		t.Helper()
		n, err := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll('`+sel+`').length`))
		mustStep(t, "count "+sel, err)
		return n
	}
	signIn := func(b context.Context, email string) {
		t.Helper()
		mustStep(t, "sign-in "+email, chromedp.Do(b,
			chromedp.Navigate(base+"/login"),
			chromedp.WaitVisible(css("login-form")),
			chromedp.SendKeys(css("login-email"), email),
			chromedp.SendKeys(css("login-password"), staffPW),
			chromedp.Click(css("login-submit")),
			chromedp.WaitVisible(css("admin-rounds")),
		))
	}

	// A closes r2 through its confirmation page.
	a := axeBrowser(t, newBrowser(), axe)
	signIn(a, adminEmail)
	axeCheck(t, a, axeAll, base, "/admin/rounds/r2/close")
	axeCheck(t, a, axeAll, base, "/admin/rounds/r1/close") // refused: scores missing
	// confirmed clicks a round page's button and, on the confirmation page
	// (shown by what), its button, until the round page's flash.
	confirmed := func(step, button, what, confirm string) {
		t.Helper()
		mustStep(t, step, chromedp.Do(a, chromedp.Navigate(base+"/admin/rounds/r2"), chromedp.Click(css(button)),
			chromedp.WaitVisible(css(what)), chromedp.Click(css(confirm)), chromedp.WaitVisible(css("flash"))))
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
	if n := count(visitor, `[data-testid="results-table"], [data-testid="round-results"]`); n != 0 || env.roundStatus("r2") != "closed" {
		t.Fatalf("the requested round shows %d results elements in public (%s)", n, env.roundStatus("r2"))
	}

	// A sees the request as theirs, without an approval.
	mustStep(t, "own request", chromedp.Do(a,
		chromedp.Navigate(base+"/admin/rounds/r2/publish"),
		chromedp.WaitVisible(css("own-request")),
	))
	if n := count(a, `[data-testid="approve"], [data-testid="approve-form"]`); n != 0 {
		t.Fatalf("the requester is offered %d approval controls", n)
	}
	axeCheck(t, a, axeAll, base, "/en/admin/rounds/r2/publish")

	// B sees the pending request on the dashboard, reviews and approves.
	b := axeBrowser(t, newBrowser(), axe)
	signIn(b, secondAdmin)
	notice, err := chromedp.Run(b, chromedp.Text(css("pending-requests")))
	mustStep(t, "pending notice", err)
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
	rows, err := chromedp.Run(b, chromedp.Text(css("publication-table")))
	mustStep(t, "reviewed results", err)
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
	page, err := chromedp.Run(visitor, chromedp.Text(css("results-table")))
	mustStep(t, "public results", err)
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
