package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/kai-challenge/portal/internal/web"
)

// chromiumPath finds the headless browser the project's
// scripts/browser-deps.sh installs (CHROMIUM names another), preferring
// the headless shell, which needs less CPU than the full browser. There
// is no skip: without one the browser tests fail.
func chromiumPath() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium-headless-shell", "chrome-headless-shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	return "", errors.New("no Chromium found for the browser tests: run scripts/browser-deps.sh (make test does)")
}

// chromium is the one headless Chromium of the package's browser tests:
// the first test that needs it starts it, TestMain closes it. Starting a
// browser per test cost each test its own browser, GPU and network
// processes on a machine whose cores the tests already fill.
var chromium struct {
	once  sync.Once
	root  context.Context // the browser's first tab
	close func()
	err   error
}

func startChromium() {
	path, err := chromiumPath()
	if err != nil {
		chromium.err = err
		return
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		// Every page a test opens is a new document that compiles axe-core's
		// half megabyte again and runs it once: V8's optimizing compilers
		// (on background threads) never repay their work there. Without them
		// the browser tests take about a third less CPU.
		chromedp.Flag("js-flags", "--no-opt --no-maglev --single-threaded"),
		// Headless Chromium otherwise paints and rasterizes frames no one
		// sees; the tests read the DOM, layout and styles, which the browser
		// computes on demand. Under begin-frame control it draws only when
		// asked (never here): about a quarter less CPU for the browser
		// tests. TestAxeSeesViolations shows axe-core still sees contrast.
		chromedp.Flag("enable-begin-frame-control", true),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	root, cancelRoot := chromedp.NewContext(alloc)
	chromium.root = root
	chromium.close = func() { cancelRoot(); cancelAlloc() }
	if err := chromedp.Do(root); err != nil {
		chromium.err = fmt.Errorf("start Chromium: %w (run scripts/browser-deps.sh)", err)
	}
}

// closeChromium stops the shared Chromium, if a test started it.
func closeChromium() {
	if chromium.close != nil {
		chromium.close()
	}
}

// browserLimit is how long a browser test may take: long enough for a
// machine whose cores other work shares, short of go test's own timeout.
const browserLimit = 8 * time.Minute

// browsers returns a function that opens a fresh browser context of the
// shared Chromium (its own cookies, like another person's browser), closed
// when the test ends; every action in it fails after browserLimit.
func browsers(t *testing.T) func() context.Context {
	t.Helper()
	chromium.once.Do(startChromium)
	if chromium.err != nil {
		t.Fatal(chromium.err)
	}
	deadline := time.Now().Add(browserLimit)
	return func() context.Context {
		tab, closeTab := chromedp.NewContext(chromium.root, chromedp.WithNewBrowserContext())
		ctx, cancel := context.WithDeadline(tab, deadline)
		t.Cleanup(func() { cancel(); closeTab() })
		quietTab(t, ctx)
		return ctx
	}
}

// quietTab opens the tab of ctx and turns off two of the protocol domains
// chromedp enables in every tab and the tests do not use: CSS (style sheet
// tracking, which its computed- and matched-style queries need) and
// Network (request events and a copy of every response body, which its
// RunResponse needs). With them on, a page load cost the browser a quarter
// to a third more CPU. The DOM domain stays: the queries use it.
func quietTab(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a browser tab: %v", err)
	}
	if _, err := chromedp.Call(ctx, css.Disable, cdp.Empty{}); err != nil {
		t.Fatalf("turn off the CSS domain: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Disable, cdp.Empty{}); err != nil {
		t.Fatalf("turn off the Network domain: %v", err)
	}
}

// byID selects the element of a data-testid.
func byID(id string) chromedp.CSS { return chromedp.CSS(testid(id)) }

// consoleServer serves the console fixture of the program file at path
// (newConsoleWith) over HTTP to a browser, after prepare, if any, changed
// its database; it returns the portal and its address.
func consoleServer(t *testing.T, path string, prepare ...func(*testing.T, *consoleEnv)) (*consoleEnv, string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	env := newConsoleWith(t, base, path)
	for _, p := range prepare {
		p(t, env)
	}
	srv.Config.Handler = web.NewServer(env.deps)
	srv.Start()
	t.Cleanup(srv.Close)
	return env, base
}

// signIn is the sign-in on the login page a browser shows, as email with
// the staff password, followed by the steps then.
func signIn(email string, then ...chromedp.Action[chromedp.Void]) []chromedp.Action[chromedp.Void] {
	return append([]chromedp.Action[chromedp.Void]{
		chromedp.WaitVisible(byID("login-form")),
		chromedp.SendKeys(byID("login-email"), email),
		chromedp.SendKeys(byID("login-password"), staffPW),
		chromedp.Click(byID("login-submit")),
	}, then...)
}

// signInAt opens the login page and signs in as email, until the console
// shows its rounds.
func signInAt(t *testing.T, b context.Context, base, email string) {
	t.Helper()
	mustStep(t, "login page", chromedp.Do(b, chromedp.Navigate(base+"/login")))
	mustStep(t, "sign-in "+email, chromedp.Do(b, signIn(email, chromedp.WaitVisible(byID("admin-rounds")))...))
}

// The staff journey in a real browser: an admin signs in, enters a round's
// scores in the grid with one invalid cell that is then corrected, and
// publishes; an anonymous visitor then sees the results; a scorer cannot
// reach publishing.
func TestBrowserJourney(t *testing.T) {
	t.Parallel()
	env, base := consoleServer(t, "testdata/admin-program.yaml")
	newBrowser := browsers(t)
	css := byID
	cell := func(key string) chromedp.CSS { return css("cell-" + key) }

	// The admin signs in, asked to on the way to the grid.
	admin := newBrowser()
	mustStep(t, "the grid asks to sign in", chromedp.Do(admin, chromedp.Navigate(base+"/admin/rounds/r1/scores")))
	mustStep(t, "admin sign-in", chromedp.Do(admin, signIn(adminEmail, chromedp.WaitVisible(css("score-grid")))...))

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
	msg := must(t, "cell message", admin, chromedp.Text(css("cell-error-t2.nia.0")))
	kept := must(t, "kept value", admin, chromedp.Value(cell("t3.global.0")))
	if !strings.Contains(msg, "30.00") || kept != "8.25" {
		t.Fatalf("invalid cell: message %q, other cell kept %q", msg, kept)
	}
	if n := env.auditCount("scores.save"); n != 0 {
		t.Fatalf("the refused grid saved something (%d events)", n)
	}
	must(t, "clear the invalid cell", admin, chromedp.Evaluate[bool](`(document.querySelector('[data-testid="cell-t2.nia.0"]').value = '', true)`))
	mustStep(t, "corrected grid", chromedp.Do(admin,
		chromedp.SendKeys(cell("t2.nia.0"), "28"),
		chromedp.Click(css("save-scores")),
		chromedp.WaitVisible(css("flash")),
	))
	flash := must(t, "flash", admin, chromedp.Text(css("flash")))
	if !strings.Contains(flash, "15") {
		t.Fatalf("after saving: %q", flash)
	}

	// Close scoring, then publish now.
	mustStep(t, "round page", chromedp.Do(admin, chromedp.Navigate(base+"/admin/rounds/r1"), chromedp.WaitVisible(css("preview-table"))))
	mustStep(t, "close", chromedp.Do(admin, confirmThrough("close", "close-form", "confirm")...))
	if env.roundStatus("r1") != "closed" {
		t.Fatalf("r1 is %s after closing", env.roundStatus("r1"))
	}
	mustStep(t, "publish", chromedp.Do(admin, confirmThrough("publish", "publication-table", "request-publish")...))
	if env.roundStatus("r1") != "published" {
		t.Fatalf("r1 is %s after publishing", env.roundStatus("r1"))
	}

	// An anonymous visitor sees the published results.
	visitor := newBrowser()
	mustStep(t, "public round page", chromedp.Do(visitor,
		chromedp.Navigate(base+"/rounds/r1"),
		chromedp.WaitVisible(css("round-status")),
	))
	page := must(t, "public page text", visitor, chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"발표됨", "가팀", "나팀", "다팀", "통과", "탈락"} {
		if !strings.Contains(page, want) {
			t.Errorf("public round page lacks %q:\n%s", want, page)
		}
	}
	checkResultsAPI(t, base)

	// A scorer sees no publishing control, and the server refuses the
	// request anyway.
	scorer := newBrowser()
	signInAt(t, scorer, base, scorerEmail)
	mustStep(t, "scorer", chromedp.Do(scorer,
		chromedp.Navigate(base+"/admin/rounds/r2"),
		chromedp.WaitVisible(css("preview-table")),
	))
	controls := countOf(t, scorer, `[data-testid="publish"], [data-testid="schedule-form"], [data-testid="admin-nav-users"]`)
	code := must(t, "scorer publish request", scorer, chromedp.Evaluate[int](
		`fetch('/admin/rounds/r2/publish', {method: 'POST'}).then(r => r.status)`, chromedp.EvalAwaitPromise))
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

// must runs the action a in the browser b and returns its result; an
// error ends the test.
func must[T any](t *testing.T, step string, b context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(b, a)
	mustStep(t, step, err)
	return v
}

// checkResultsAPI checks the totals the JSON API, where it exists,
// publishes for the journey's round r1.
func checkResultsAPI(t *testing.T, base string) {
	t.Helper()
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
}

// confirmThrough clicks a round page's button and, on the confirmation
// page (shown by what), its button confirm, until the round page's flash.
func confirmThrough(button, what, confirm string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{chromedp.WaitVisible(byID(button)), chromedp.Click(byID(button)),
		chromedp.WaitVisible(byID(what)), chromedp.Click(byID(confirm)), chromedp.WaitVisible(byID("flash"))}
}

// countOf counts the elements that match the CSS selector sel in the
// browser b.
func countOf(t *testing.T, b context.Context, sel string) int {
	t.Helper()
	return must(t, "count "+sel, b, chromedp.Evaluate[int](`document.querySelectorAll('`+sel+`').length`))
}

func mustStep(t *testing.T, step string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}
