package pagecache

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func counting(cacheControl string) (http.Handler, *atomic.Int64) {
	var n atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := n.Add(1)
		w.Header().Set("Cache-Control", cacheControl)
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprintf(w, "render %d of %s", c, r.URL.Path)
	}), &n
}

func get(h http.Handler, path string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestServesFromMemoryUntilInvalidated(t *testing.T) {
	c := New(Options{})
	next, n := counting("public, max-age=60")
	h := c.Handler(next)
	first := get(h, "/teams").Body.String()
	if second := get(h, "/teams").Body.String(); second != first || n.Load() != 1 {
		t.Fatalf("second request rendered again: %q, renders=%d", second, n.Load())
	}
	if get(h, "/teams?x=1"); n.Load() != 2 {
		t.Error("a different query shared the entry")
	}
	if w := get(h, "/teams", "If-None-Match", `"v1"`); w.Code != http.StatusNotModified {
		t.Errorf("If-None-Match on a cached page: %d", w.Code)
	}
	c.Invalidate()
	if body := get(h, "/teams").Body.String(); body == first || n.Load() != 3 {
		t.Errorf("after Invalidate: %q, renders=%d", body, n.Load())
	}
}

func TestExpires(t *testing.T) {
	c := New(Options{TTL: time.Second})
	now := time.Unix(1000, 0)
	c.now = func() time.Time { return now }
	next, n := counting("public")
	h := c.Handler(next)
	get(h, "/")
	now = now.Add(2 * time.Second)
	get(h, "/")
	if n.Load() != 2 {
		t.Errorf("renders = %d, want 2 after expiry", n.Load())
	}
}

func TestOnlyPublicPagesAreCached(t *testing.T) {
	c := New(Options{})
	next, n := counting("no-store")
	h := c.Handler(next)
	get(h, "/admin")
	get(h, "/admin")
	if n.Load() != 2 || c.Len() != 0 {
		t.Errorf("a no-store page was cached (renders=%d, len=%d)", n.Load(), c.Len())
	}
	pub, m := counting("public")
	c = New(Options{Skip: func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/admin") }})
	skipAdmin := c.Handler(pub)
	get(skipAdmin, "/admin/x")
	get(skipAdmin, "/admin/x")
	if m.Load() != 2 {
		t.Error("a skipped path was cached")
	}
	post := httptest.NewRequest(http.MethodPost, "/teams", nil)
	skipAdmin.ServeHTTP(httptest.NewRecorder(), post)
	skipAdmin.ServeHTTP(httptest.NewRecorder(), post)
	if m.Load() != 4 {
		t.Error("a POST was cached")
	}
}

func TestConcurrentMissesRenderOnce(t *testing.T) {
	c := New(Options{})
	var n atomic.Int64
	release := make(chan struct{})
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		<-release
		w.Header().Set("Cache-Control", "public")
		w.Write([]byte("page"))
	}))
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if body := get(h, "/").Body.String(); body != "page" {
				t.Errorf("body %q", body)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n.Load() > 2 {
		t.Errorf("%d renders for one page under a burst", n.Load())
	}
}

func TestBounded(t *testing.T) {
	// Room for three small entries.
	c := New(Options{MaxBytes: 3*(entryOverhead+40) + 20})
	next, _ := counting("public")
	h := c.Handler(next)
	for i := 0; i < 10; i++ {
		get(h, fmt.Sprintf("/p%d", i))
	}
	if c.Len() > 3 || c.Len() == 0 {
		t.Errorf("len = %d, want 1 to 3", c.Len())
	}
	if c.Bytes() > 3*(entryOverhead+40)+20 {
		t.Errorf("bytes = %d over the bound", c.Bytes())
	}
	// The least recently used entry went first: the last one is still there.
	before := c.Renders()
	get(h, "/p9")
	if c.Renders() != before {
		t.Error("the most recent entry was evicted")
	}
}
