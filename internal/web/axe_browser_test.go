package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// axeSource reads the pinned axe-core that scripts/axe-deps.sh fetches
// (make test runs it) once; AXE names another copy. There is no skip:
// without it the tests fail.
var axeSource = sync.OnceValues(func() (string, error) {
	path := os.Getenv("AXE")
	if path == "" {
		path = filepath.Join("..", "..", ".cache", "axe", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("no axe-core for the accessibility test: %w (run scripts/axe-deps.sh; make test does)", err)
	}
	return string(b), nil
})

// axeViolation is one failed axe-core rule and the elements that fail it.
type axeViolation struct {
	ID    string   `json:"id"`
	Nodes []string `json:"nodes"`
}

// axeOptions are the axe-core run options of a pass. A page's English
// version has the Korean one's markup, classes and colours (one template
// renders both); what differs is its text and language. So the Korean pass
// runs every rule, and the English pass the rules that read text, names,
// language or widths that longer words change: accessible names, labels,
// titles, empty headings, unique landmark labels, the document's language
// and scrollable regions. That is about a tenth of axe-core's time.
const (
	// axe-core fetches and parses every style sheet of the page by default
	// (about a fifth of a full run) for the one rule that reads their text,
	// css-orientation-lock, which is experimental and does not run unless
	// asked for: preloading only media (for no-autoplay-audio) skips that
	// work and no check.
	axeAll     = `{resultTypes: ['violations'], preload: {assets: ['media']}}`
	axeEnglish = `{resultTypes: ['violations'], runOnly: {type: 'rule', values: [
  'aria-command-name', 'aria-dialog-name', 'aria-input-field-name', 'aria-meter-name', 'aria-progressbar-name',
  'aria-toggle-field-name', 'aria-tooltip-name', 'aria-treeitem-name', 'button-name', 'link-name',
  'input-button-name', 'input-image-alt', 'image-alt', 'svg-img-alt', 'role-img-alt', 'object-alt', 'area-alt',
  'select-name', 'label', 'label-title-only', 'frame-title', 'document-title', 'summary-name', 'empty-heading',
  'empty-table-header', 'page-has-heading-one', 'html-has-lang', 'html-lang-valid', 'html-xml-lang-mismatch',
  'valid-lang', 'landmark-unique', 'scrollable-region-focusable']}}`
)

// axeBrowser makes every document the browser context opens carry axe-core,
// so a check is a navigation and a run, without sending the script each time.
func axeBrowser(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	axe, err := axeSource()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: axe}); err != nil {
		t.Fatalf("add axe-core to the browser: %v", err)
	}
	return ctx
}

// axeCheck loads path in a browser prepared by axeBrowser and runs
// axe-core on it with opts; every violation is an error.
func axeCheck(t *testing.T, ctx context.Context, opts, base, path string) {
	t.Helper()
	vs, err := axeRun(ctx, opts, base+path)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	for _, v := range vs {
		t.Errorf("%s: axe-core %s on %s", path, v.ID, strings.Join(v.Nodes, ", "))
	}
}

// axeRun loads url in a browser prepared by axeBrowser and returns what
// axe-core, run with opts, finds wrong there.
func axeRun(ctx context.Context, opts, url string) ([]axeViolation, error) {
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		return nil, err
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, `+opts+`).then(r =>
  JSON.stringify(r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe-core: %w", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		return nil, fmt.Errorf("axe-core result %q: %w", out, err)
	}
	return vs, nil
}

// The browser the accessibility tests use sees what a person would: on a
// page with pale text, an image without a text alternative and an input
// without a label, axe-core reports each (so a setting of the shared
// browser cannot quietly blind the checks above).
func TestAxeSeesViolations(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html lang="ko"><head><title>시험</title></head><body><main><h1>시험</h1>
<p style="color:#c8c8c8;background:#fff">흐린 글씨는 읽기 어렵습니다</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">
<input type="text"></main></body></html>`)
	}))
	t.Cleanup(srv.Close)
	vs, err := axeRun(axeBrowser(t, browsers(t)()), axeAll, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, v := range vs {
		found[v.ID] = true
	}
	for _, id := range []string{"color-contrast", "image-alt", "label"} {
		if !found[id] {
			t.Errorf("axe-core does not report %s on the faulty page (it reports %v)", id, vs)
		}
	}
}

// axeBothLanguages checks path in Korean with every rule and in English
// with the rules its text can break (axeEnglish).
func axeBothLanguages(t *testing.T, ctx context.Context, base, path string) {
	t.Helper()
	axeCheck(t, ctx, axeAll, base, path)
	axeCheck(t, ctx, axeEnglish, base, "/en"+path)
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
	env := newEnv(t, true, false)
	srv := httptest.NewServer(env.h)
	t.Cleanup(srv.Close)
	browser := axeBrowser(t, browsers(t)())
	for _, p := range axePublicPages {
		axeBothLanguages(t, browser, srv.URL, p)
	}
}

// axe-core finds no violation on the console pages a signed-in admin
// reaches from the dashboard, Korean and English.
func TestAxeConsolePages(t *testing.T) {
	t.Parallel()
	_, base := consoleServer(t, "testdata/admin-program.yaml")
	admin := axeBrowser(t, browsers(t)())
	axeCheck(t, admin, axeAll, base, "/login")
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
	pages := []string{"/admin"}
	for _, l := range links {
		if !slices.Contains(pages, l) {
			pages = append(pages, l)
		}
	}
	for _, p := range pages {
		axeBothLanguages(t, admin, base, p)
	}
	t.Logf("checked %d console pages in two languages: %v", len(pages), pages)
}
