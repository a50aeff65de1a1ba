package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kai-challenge/portal/internal/web"
)

// chromiumPath finds the headless browser the project's
// scripts/browser-deps.sh installs. There is no skip: without it the
// browser tests fail.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	t.Fatal("no Chromium found for the browser tests: run scripts/browser-deps.sh (make test does)")
	return ""
}

// startChromium starts one headless Chromium for the test; each call of the
// returned function opens a fresh browser context (its own cookies), like
// another person's browser.
func startChromium(t *testing.T, ctx context.Context) func() context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	root, cancelRoot := chromedp.NewContext(alloc)
	t.Cleanup(cancelRoot)
	if err := chromedp.Do(root); err != nil {
		t.Fatalf("start Chromium: %v (run scripts/browser-deps.sh)", err)
	}
	return func() context.Context {
		c, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		return c
	}
}

// The staff journey in a real browser: an admin signs in, enters a round's
// scores in the grid with one invalid cell that is then corrected, and
// publishes; an anonymous visitor then sees the results; a scorer cannot
// reach publishing.
func TestBrowserJourney(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	env := newConsole(t, base)
	env.deps.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv.Config.Handler = web.NewServer(env.deps)
	srv.Start()
	t.Cleanup(srv.Close)

	newBrowser := startChromium(t, ctx)
	css := func(testid string) chromedp.CSS { return chromedp.CSS(`[data-testid="` + testid + `"]`) }
	cell := func(key string) chromedp.CSS { return css("cell-" + key) }

	// The admin signs in, asked to on the way to the grid.
	admin := newBrowser()
	mustStep(t, "admin sign-in", chromedp.Do(admin,
		chromedp.Navigate(base+"/admin/rounds/r1/scores"),
		chromedp.WaitVisible(css("login-form")),
		chromedp.SendKeys(css("login-email"), adminEmail),
		chromedp.SendKeys(css("login-password"), staffPW),
		chromedp.Click(css("login-submit")),
		chromedp.WaitVisible(css("score-grid")),
	))

	// The grid, typed cell by cell: t1 first, t2 second, t3 below the cut
	// of two places. One cell exceeds its maximum of 30.
	values := [][2]string{
		{"t1.nia.0", "25"}, {"t1.global.0", "15"}, {"t1.expert.1", "40"}, {"t1.expert.2", "41"}, {"t1.expert.3", "42"},
		{"t2.nia.0", "31"}, {"t2.global.0", "12.5"}, {"t2.expert.1", "30"}, {"t2.expert.2", "31.5"}, {"t2.expert.3", "33"},
		{"t3.nia.0", "10"}, {"t3.global.0", "8.25"}, {"t3.expert.1", "20"}, {"t3.expert.2", "21"}, {"t3.expert.3", "22"},
	}
	var fill []chromedp.Action[chromedp.Void]
	for _, kv := range values {
		fill = append(fill, chromedp.SendKeys(cell(kv[0]), kv[1]))
	}
	fill = append(fill, chromedp.Click(css("save-scores")), chromedp.WaitVisible(css("cell-error-t2.nia.0")))
	mustStep(t, "grid with an invalid cell", chromedp.Do(admin, fill...))
	msg, err := chromedp.Run(admin, chromedp.Text(css("cell-error-t2.nia.0")))
	mustStep(t, "cell message", err)
	kept, err := chromedp.Run(admin, chromedp.Value(cell("t3.global.0")))
	mustStep(t, "kept value", err)
	if !strings.Contains(msg, "30.00") || kept != "8.25" {
		t.Fatalf("invalid cell: message %q, other cell kept %q", msg, kept)
	}
	if n := env.auditCount("scores.save"); n != 0 {
		t.Fatalf("the refused grid saved something (%d events)", n)
	}
	_, err = chromedp.Run(admin, chromedp.Evaluate[bool](`(document.querySelector('[data-testid="cell-t2.nia.0"]').value = '', true)`))
	mustStep(t, "clear the invalid cell", err)
	mustStep(t, "corrected grid", chromedp.Do(admin,
		chromedp.SendKeys(cell("t2.nia.0"), "28"),
		chromedp.Click(css("save-scores")),
		chromedp.WaitVisible(css("flash")),
	))
	flash, err := chromedp.Run(admin, chromedp.Text(css("flash")))
	mustStep(t, "flash", err)
	if !strings.Contains(flash, "15") {
		t.Fatalf("after saving: %q", flash)
	}

	// Close scoring, then publish now.
	mustStep(t, "close", chromedp.Do(admin,
		chromedp.Navigate(base+"/admin/rounds/r1"),
		chromedp.WaitVisible(css("preview-table")),
		chromedp.Click(css("close")),
		chromedp.WaitVisible(css("close-form")),
		chromedp.Click(css("confirm")),
		chromedp.WaitVisible(css("flash")),
	))
	if env.roundStatus("r1") != "closed" {
		t.Fatalf("r1 is %s after closing", env.roundStatus("r1"))
	}
	mustStep(t, "publish", chromedp.Do(admin,
		chromedp.WaitVisible(css("publish")),
		chromedp.Click(css("publish")),
		chromedp.WaitVisible(css("publication-table")),
		chromedp.Click(css("request-publish")),
		chromedp.WaitVisible(css("flash")),
	))
	if env.roundStatus("r1") != "published" {
		t.Fatalf("r1 is %s after publishing", env.roundStatus("r1"))
	}

	// An anonymous visitor sees the published results.
	visitor := newBrowser()
	mustStep(t, "public round page", chromedp.Do(visitor,
		chromedp.Navigate(base+"/rounds/r1"),
		chromedp.WaitVisible(css("round-status")),
	))
	page, err := chromedp.Run(visitor, chromedp.Text(chromedp.CSS("main")))
	mustStep(t, "public page text", err)
	for _, want := range []string{"발표됨", "가팀", "나팀", "다팀", "통과", "탈락"} {
		if !strings.Contains(page, want) {
			t.Errorf("public round page lacks %q:\n%s", want, page)
		}
	}
	// t1: 25 + 15 + mean(40, 41, 42) = 81.00; the JSON API, where it
	// exists, publishes the totals.
	if res, err := http.Get(base + "/api/v1/rounds/r1/results"); err == nil {
		defer res.Body.Close()
		if res.StatusCode == http.StatusOK {
			var doc struct {
				Teams []struct {
					Team  string  `json:"team"`
					Total *string `json:"total"`
				} `json:"teams"`
			}
			if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
				t.Errorf("results API: %v", err)
			}
			totals := map[string]string{}
			for _, tm := range doc.Teams {
				if tm.Total != nil {
					totals[tm.Team] = *tm.Total
				}
			}
			if totals["t1"] != "81.00" || totals["t2"] != "72.00" || totals["t3"] != "39.25" {
				t.Errorf("results API totals %v", totals)
			}
		}
	}

	// A scorer sees no publishing control, and the server refuses the
	// request anyway.
	scorer := newBrowser()
	mustStep(t, "scorer", chromedp.Do(scorer,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css("login-form")),
		chromedp.SendKeys(css("login-email"), scorerEmail),
		chromedp.SendKeys(css("login-password"), staffPW),
		chromedp.Click(css("login-submit")),
		chromedp.WaitVisible(css("admin-rounds")),
		chromedp.Navigate(base+"/admin/rounds/r2"),
		chromedp.WaitVisible(css("preview-table")),
	))
	controls, err := chromedp.Run(scorer, chromedp.Evaluate[int](
		`document.querySelectorAll('[data-testid="publish"], [data-testid="schedule-form"], [data-testid="admin-nav-users"]').length`))
	mustStep(t, "scorer controls", err)
	code, err := chromedp.Run(scorer, chromedp.Evaluate[int](
		`fetch('/admin/rounds/r2/publish', {method: 'POST'}).then(r => r.status)`, chromedp.EvalAwaitPromise))
	mustStep(t, "scorer publish request", err)
	if controls != 0 {
		t.Errorf("the scorer sees %d publishing or user controls", controls)
	}
	if code != http.StatusForbidden {
		t.Errorf("the scorer's publish request: %d, want 403", code)
	}
	if env.roundStatus("r2") == "published" {
		t.Error("the scorer published r2")
	}
}

func mustStep(t *testing.T, step string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}
