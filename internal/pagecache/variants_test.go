package pagecache

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// page is a handler of a large public HTML page whose body names its
// render; failing makes it answer 500 as a page does when the database is
// unreachable.
func page(failing *atomic.Bool) (http.Handler, *atomic.Int64) {
	var n atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing != nil && failing.Load() {
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, "database unreachable", http.StatusInternalServerError)
			return
		}
		c := n.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=60")
		io.WriteString(w, "<p>render "+string(rune('0'+c))+" "+r.URL.RawQuery+"</p>"+strings.Repeat("<tr><td>team</td><td>91.25</td></tr>", 500))
	}), &n
}

// cachedPage is a cache of o in front of page's handler, and the count of
// its renders.
func cachedPage(o Options) (*Cache, http.Handler, *atomic.Int64) {
	c := New(o)
	next, n := page(nil)
	return c, c.Handler(next), n
}

func TestEncodingsAndETags(t *testing.T) {
	_, h, n := cachedPage(Options{})
	ident := get(h, "/standings")
	br := get(h, "/standings", "Accept-Encoding", "gzip, deflate, br")
	gz := get(h, "/standings", "Accept-Encoding", "gzip;q=1, br;q=0")
	if n.Load() != 1 {
		t.Fatalf("renders = %d, want 1 for three encodings", n.Load())
	}
	if ident.Header().Get("Content-Encoding") != "" || br.Header().Get("Content-Encoding") != "br" || gz.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("encodings: %q %q %q", ident.Header().Get("Content-Encoding"), br.Header().Get("Content-Encoding"), gz.Header().Get("Content-Encoding"))
	}
	for _, w := range []*http.Response{ident.Result(), br.Result(), gz.Result()} {
		if w.Header.Get("Vary") != "Accept-Encoding" || !strings.Contains(w.Header.Get("Cache-Control"), "stale-if-error") {
			t.Errorf("headers %v", w.Header)
		}
	}
	tags := map[string]bool{ident.Header().Get("ETag"): true, br.Header().Get("ETag"): true, gz.Header().Get("ETag"): true}
	if len(tags) != 3 {
		t.Errorf("ETags not one per encoding: %v", tags)
	}
	if br.Body.Len()*4 > ident.Body.Len() || gz.Body.Len()*4 > ident.Body.Len() {
		t.Errorf("sizes identity %d, br %d, gzip %d: not a quarter", ident.Body.Len(), br.Body.Len(), gz.Body.Len())
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	unz, _ := io.ReadAll(zr)
	unbr, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(br.Body.Bytes())))
	if !bytes.Equal(unz, ident.Body.Bytes()) || !bytes.Equal(unbr, ident.Body.Bytes()) {
		t.Error("a compressed variant does not decode to the identity body")
	}
}

func TestRevalidationPerEncodingAndRange(t *testing.T) {
	_, h, n := cachedPage(Options{})
	ident := get(h, "/standings")
	br := get(h, "/standings", "Accept-Encoding", "br")
	// 304 per encoding: each variant's own ETag, not another's.
	if w := get(h, "/standings", "Accept-Encoding", "br", "If-None-Match", br.Header().Get("ETag")); w.Code != http.StatusNotModified {
		t.Errorf("br revalidation: %d", w.Code)
	}
	if w := get(h, "/standings", "Accept-Encoding", "gzip", "If-None-Match", br.Header().Get("ETag")); w.Code != http.StatusOK {
		t.Errorf("gzip client with the br ETag: %d, want 200", w.Code)
	}
	if w := get(h, "/standings", "If-None-Match", ident.Header().Get("ETag")); w.Code != http.StatusNotModified {
		t.Errorf("identity revalidation: %d", w.Code)
	}
	if w := get(h, "/standings", "Range", "bytes=0-9"); w.Code != http.StatusPartialContent || w.Body.String() != ident.Body.String()[:10] {
		t.Errorf("range: %d %q", w.Code, w.Body.String())
	}
	if n.Load() != 1 {
		t.Errorf("renders = %d, want 1", n.Load())
	}
}

func TestConditionalMissRendersOnceAndAnswers304(t *testing.T) {
	c, h, n := cachedPage(Options{})
	etag := get(h, "/rounds").Header().Get("ETag")
	c.Invalidate()
	// The page did not change, so its ETag is the same; the revalidation
	// renders once into the cache and is answered 304 from it.
	for range 50 {
		if w := get(h, "/rounds", "If-None-Match", etag); w.Code != http.StatusOK && w.Code != http.StatusNotModified {
			t.Fatalf("revalidation: %d", w.Code)
		}
	}
	if n.Load() != 2 {
		t.Errorf("renders = %d, want 2 (one per generation)", n.Load())
	}
	if c.Len() != 1 {
		t.Errorf("len = %d", c.Len())
	}
}

func TestStaleWhileTheDatabaseIsDown(t *testing.T) {
	var failing atomic.Bool
	c := New(Options{})
	next, n := page(&failing)
	h := c.Handler(next)
	first := get(h, "/")
	failing.Store(true)
	c.Invalidate() // the listener lost its connection
	for range 10 {
		w := get(h, "/")
		if w.Code != http.StatusOK || w.Body.String() != first.Body.String() || w.Header().Get("X-Cache") != "STALE" {
			t.Fatalf("while down: %d %q X-Cache=%q", w.Code, w.Header().Get("X-Cache"), w.Body.String()[:20])
		}
	}
	if c.Len() != 1 {
		t.Fatal("the stale entry was dropped")
	}
	// Back up: the next render after the retry pause replaces it.
	failing.Store(false)
	c.now = func() time.Time { return time.Now().Add(retryFailed + time.Second) }
	w := get(h, "/")
	if w.Code != http.StatusOK || w.Header().Get("X-Cache") != "HIT" || w.Body.String() == first.Body.String() {
		t.Errorf("after recovery: %d %q", w.Code, w.Header().Get("X-Cache"))
	}
	if n.Load() != 2 {
		t.Errorf("renders = %d, want 2", n.Load())
	}
}

func TestRebuildAfterChange(t *testing.T) {
	c := New(Options{Hot: []string{"/", "/standings"}})
	next, n := page(nil)
	h := c.Handler(next)
	get(h, "/rounds/r1")
	c.Invalidate()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.Rebuild(ctx)
	if n.Load() != 4 {
		t.Fatalf("renders after rebuild = %d, want 4 (the page and two hot pages rebuilt)", n.Load())
	}
	for _, p := range []string{"/", "/standings", "/rounds/r1"} {
		if w := get(h, p); w.Header().Get("X-Cache") != "HIT" {
			t.Errorf("%s after rebuild: X-Cache %q", p, w.Header().Get("X-Cache"))
		}
	}
	if n.Load() != 4 {
		t.Errorf("a visitor waited for a render after the rebuild (renders %d)", n.Load())
	}
}

// Pages that HotPages lists when asked are rebuilt with the hot pages,
// before any visitor asks for them.
func TestRebuildHotPagesOfTheRecord(t *testing.T) {
	c := New(Options{Hot: []string{"/"}})
	next, n := page(nil)
	h := c.Handler(next)
	rounds := []string{"/rounds/r1"}
	c.HotPages(func(context.Context) []string { return rounds })
	c.Rebuild(context.Background())
	rounds = append(rounds, "/rounds/r2")
	c.Invalidate()
	c.Rebuild(context.Background())
	if n.Load() != 5 {
		t.Fatalf("renders = %d, want 5 (/ and r1, then /, r1 and the new r2)", n.Load())
	}
	for _, p := range []string{"/", "/rounds/r1", "/rounds/r2"} {
		if w := get(h, p); w.Header().Get("X-Cache") != "HIT" {
			t.Errorf("%s after rebuild: X-Cache %q", p, w.Header().Get("X-Cache"))
		}
	}
}

func TestCanonicalQuery(t *testing.T) {
	c := New(Options{Canonical: func(r *http.Request) (string, error) {
		q := r.URL.Query()
		if len(q.Get("q")) > 10 {
			return "", ErrBadRequest
		}
		if v := q.Get("q"); v != "" {
			return "q=" + v, nil
		}
		return "", nil
	}})
	next, n := page(nil)
	h := c.Handler(next)
	base := get(h, "/search?q=ai").Body.String()
	for i := range 60 {
		w := get(h, "/search?q=ai&utm_source=x"+strings.Repeat("y", i))
		if w.Body.String() != base {
			t.Fatal("an unknown parameter changed the page")
		}
	}
	if n.Load() != 1 || c.Len() != 1 {
		t.Errorf("renders = %d, entries = %d; want 1 and 1", n.Load(), c.Len())
	}
	if w := get(h, "/search?q="+strings.Repeat("x", 11)); w.Code != http.StatusBadRequest {
		t.Errorf("invalid parameter: %d", w.Code)
	}
}

// While one render refreshes a changed page, the other visitors get the
// previous response at once (stale-while-revalidate) instead of waiting;
// once the render is in, everyone gets the new one.
func TestVisitorsDoNotWaitForARefresh(t *testing.T) {
	c := New(Options{})
	started, release := make(chan struct{}), make(chan struct{})
	var n atomic.Int64
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 2 {
			close(started)
			<-release // the render after the change is slow
		}
		w.Header().Set("Cache-Control", "public, max-age=60")
		io.WriteString(w, "render "+string(rune('0'+n.Load())))
	}))
	if body := get(h, "/standings").Body.String(); body != "render 1" {
		t.Fatalf("first: %q", body)
	}
	c.Invalidate()
	done := make(chan string)
	go func() { done <- get(h, "/standings").Body.String() }() // renders, slowly
	<-started
	for range 20 {
		w := get(h, "/standings")
		if w.Body.String() != "render 1" || w.Header().Get("X-Cache") != "STALE" {
			t.Fatalf("during the refresh: %q X-Cache=%q", w.Body.String(), w.Header().Get("X-Cache"))
		}
	}
	close(release)
	if body := <-done; body != "render 2" {
		t.Errorf("the refreshing request got %q", body)
	}
	if w := get(h, "/standings"); w.Body.String() != "render 2" || w.Header().Get("X-Cache") != "HIT" || n.Load() != 2 {
		t.Errorf("after the refresh: %q X-Cache=%q renders=%d", w.Body.String(), w.Header().Get("X-Cache"), n.Load())
	}
}
