package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kai-challenge/portal/internal/web"
)

// axeSource reads the pinned axe-core that scripts/axe-deps.sh fetches
// (make test runs it); AXE names another copy. There is no skip: without
// it the test fails.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("AXE")
	if path == "" {
		path = filepath.Join("..", "..", ".cache", "axe", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no axe-core for the accessibility test: %v (run scripts/axe-deps.sh; make test does)", err)
	}
	return string(b)
}

// axeViolation is one failed axe-core rule and the elements that fail it.
type axeViolation struct {
	ID    string   `json:"id"`
	Nodes []string `json:"nodes"`
}

// axeCheck loads path and runs axe-core on it; every violation is an error.
func axeCheck(t *testing.T, ctx context.Context, axe, base, path string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitReady("body")); err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
		t.Fatalf("%s: inject axe-core: %v", path, err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ['violations']}).then(r =>
  JSON.stringify(r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Errorf("%s: axe-core: %v", path, err)
		return
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("%s: axe-core result %q: %v", path, out, err)
	}
	for _, v := range vs {
		t.Errorf("%s: axe-core %s on %s", path, v.ID, strings.Join(v.Nodes, ", "))
	}
}

// axePublicPages are the public pages, one of each kind, in Korean; each
// is also checked in English.
var axePublicPages = []string{
	"/feed", "/embed/standings", "/rounds/stage-1/what-if", "/no-such-page",
	"/", "/standings", "/teams", "/teams/lg", "/rounds", "/rounds/stage-1", "/rounds/stage-2", "/history",
	"/organizations", "/organizations/lg-ai-research", "/funding", "/search?q=%EB%8F%85%EC%9E%90%EC%84%B1", "/data",
}

// axe-core finds no violation on any public page, Korean and English.
func TestAxePublicPages(t *testing.T) {
	t.Parallel()
	axe := axeSource(t)
	ctx, cancel := context.WithTimeout(context.Background(), 7*time.Minute)
	defer cancel()
	env := newEnv(t, true, false)
	srv := httptest.NewServer(env.h)
	t.Cleanup(srv.Close)
	browser := startChromium(t, ctx)()
	for _, p := range axePublicPages {
		axeCheck(t, browser, axe, srv.URL, p)
		axeCheck(t, browser, axe, srv.URL, "/en"+p)
	}
}

// axe-core finds no violation on the console pages a signed-in admin
// reaches from the dashboard, Korean and English.
func TestAxeConsolePages(t *testing.T) {
	t.Parallel()
	axe := axeSource(t)
	ctx, cancel := context.WithTimeout(context.Background(), 7*time.Minute)
	defer cancel()
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	env := newConsole(t, base)
	env.deps.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv.Config.Handler = web.NewServer(env.deps)
	srv.Start()
	t.Cleanup(srv.Close)

	admin := startChromium(t, ctx)()
	axeCheck(t, admin, axe, base, "/login")
	signInBrowser(t, admin)
	if err := chromedp.Do(admin, chromedp.Navigate(base+"/admin"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	links, err := chromedp.Run(admin, chromedp.Evaluate[[]string](`[...new Set([...document.querySelectorAll('a[href^="/admin"]')].map(a => a.getAttribute('href')))]`))
	if err != nil {
		t.Fatal(err)
	}
	if len(links) < 3 {
		t.Fatalf("the dashboard links only %v", links)
	}
	pages := append([]string{"/admin"}, links...)
	for _, p := range pages {
		axeCheck(t, admin, axe, base, p)
		axeCheck(t, admin, axe, base, "/en"+p)
	}
	t.Logf("checked %d console pages in two languages", len(pages))
}
