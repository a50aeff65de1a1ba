package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kai-challenge/portal/internal/pagecache"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web"
)

// dbProxy forwards TCP connections to the test database, so a test can make
// the database unreachable (cut) and reachable again (restore).
type dbProxy struct {
	ln     net.Listener
	dial   func() (net.Conn, error)
	mu     sync.Mutex
	down   bool
	active map[net.Conn]bool
}

func newDBProxy(t *testing.T, url string) (*dbProxy, *pgxpool.Config) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	host, port := cfg.ConnConfig.Host, cfg.ConnConfig.Port
	dial := func() (net.Conn, error) {
		if strings.HasPrefix(host, "/") {
			return net.Dial("unix", filepath.Join(host, ".s.PGSQL."+strconv.Itoa(int(port))))
		}
		return net.Dial("tcp", net.JoinHostPort(host, strconv.Itoa(int(port))))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &dbProxy{ln: ln, dial: dial, active: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go p.accept()
	addr := ln.Addr().(*net.TCPAddr)
	cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Fallbacks = "127.0.0.1", uint16(addr.Port), nil
	return p, cfg
}

func (p *dbProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		p.mu.Unlock()
		if down {
			c.Close()
			continue
		}
		up, err := p.dial()
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.active[c], p.active[up] = true, true
		p.mu.Unlock()
		go func() { _, _ = io.Copy(up, c); up.Close(); c.Close() }()
		go func() { _, _ = io.Copy(c, up); up.Close(); c.Close() }()
	}
}

// cut closes every connection and refuses new ones.
func (p *dbProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.active {
		c.Close()
	}
	p.active = map[net.Conn]bool{}
}

func (p *dbProxy) restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

// cachedEnv is a portal with its page cache and change listener, as
// `portal serve` runs it, on a database holding the record reached through
// a proxy.
type cachedEnv struct {
	h     http.Handler
	cache *pagecache.Cache
	store *postgres.Store
	pool  *pgxpool.Pool
	proxy *dbProxy

	mu      sync.Mutex
	renders map[string]int
}

// rendersOf counts the renders of a cache key.
func (e *cachedEnv) rendersOf(key string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.renders[key]
}

func newCachedEnv(t *testing.T) *cachedEnv {
	t.Helper()
	proxy, cfg := newDBProxy(t, pgtest.RecordURL(t))
	cfg.ConnConfig.ConnectTimeout = 2 * time.Second
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	st := postgres.New(pool)
	env := &cachedEnv{proxy: proxy, renders: map[string]int{}}
	opt := web.PageCacheOptions(0)
	opt.OnRender = func(key string) {
		env.mu.Lock()
		env.renders[key]++
		env.mu.Unlock()
	}
	cache := pagecache.New(opt)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go cache.Run(ctx)
	go st.ListenChanges(ctx, cache.Invalidate)
	h := web.NewServer(web.Deps{Store: st, Logger: slog.New(slog.DiscardHandler), BaseURL: baseURL, PageCache: cache})
	env.h, env.cache, env.store, env.pool = h, cache, st, pool
	return env
}

// waitFor polls cond every 20 ms for up to limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCacheUnknownParametersCauseNoRender(t *testing.T) {
	env := newCachedEnv(t)
	base := get(t, env.h, "/standings")
	if base.status != http.StatusOK {
		t.Fatalf("/standings: %d", base.status)
	}
	renders, entries := env.cache.Renders(), env.cache.Len()
	for i := range 60 {
		r := get(t, env.h, fmt.Sprintf("/standings?utm_source=share%d&fbclid=%x", i, i*7919))
		if r.status != http.StatusOK || r.body != base.body {
			t.Fatalf("request %d: %d, or another body", i, r.status)
		}
	}
	if got := env.cache.Renders() - renders; got != 0 {
		t.Errorf("60 unknown query strings caused %d renders, want 0", got)
	}
	if env.cache.Len() != entries {
		t.Errorf("entries %d → %d: unknown parameters made entries", entries, env.cache.Len())
	}
	// A parameter the page uses is kept, and its order does not matter.
	a := get(t, env.h, "/en/rounds/stage-1/what-if?advance=2&backfill=on&utm_medium=x")
	renders = env.cache.Renders()
	b := get(t, env.h, "/en/rounds/stage-1/what-if?backfill=on&advance=2")
	if a.status != http.StatusOK || b.body != a.body || env.cache.Renders() != renders {
		t.Errorf("what-if scenario not canonical: %d, renders %d → %d", a.status, renders, env.cache.Renders())
	}
	if !strings.Contains(a.body, "advance=2") {
		t.Error("the scenario lost its parameters")
	}
	for _, bad := range []string{
		"/en/rounds/stage-1/what-if?advance=" + strings.Repeat("9", 300),
		"/en/rounds/stage-1/what-if?status.x=%ff",
		"/search?q=%ff",
		"/search?q=a%00b",
		"/teams/%00",
		"/teams/%ff",
		"/search?q=%zz",
	} {
		if r := get(t, env.h, bad); r.status != http.StatusBadRequest && r.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 400 or 404", bad, r.status)
		}
	}
}

func TestCacheMemoryIsBounded(t *testing.T) {
	env := newCachedEnv(t)
	get(t, env.h, "/standings")
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	filler := strings.Repeat("x", 50<<10)
	paths := []string{"/standings?utm_source=", "/en/teams?ref=", "/search?q=", "/rounds/stage-1/what-if?max.x=", "/data/teams.csv?v="}
	for i := range 300 {
		r := get(t, env.h, paths[i%len(paths)]+strconv.Itoa(i)+filler)
		if r.status >= 500 {
			t.Fatalf("request %d: %d", i, r.status)
		}
	}
	grown := int64(heap()) - int64(before)
	t.Logf("300 requests with 50 KB query strings: heap grew %d KB, cache holds %d entries, %d KB", grown>>10, env.cache.Len(), env.cache.Bytes()>>10)
	if grown > 64<<20 {
		t.Errorf("heap grew %d MB, want < 64 MB", grown>>20)
	}
	if env.cache.Bytes() > pagecache.DefaultMaxBytes {
		t.Errorf("cache holds %d bytes, over its bound", env.cache.Bytes())
	}
}

func TestCacheCompressedETagsAndRevalidation(t *testing.T) {
	env := newCachedEnv(t)
	ident := get(t, env.h, "/standings")
	br := get(t, env.h, "/standings", "Accept-Encoding", "gzip, br")
	gz := get(t, env.h, "/standings", "Accept-Encoding", "gzip")
	if br.header.Get("Content-Encoding") != "br" || gz.header.Get("Content-Encoding") != "gzip" || ident.header.Get("Content-Encoding") != "" {
		t.Fatalf("encodings %q %q %q", br.header.Get("Content-Encoding"), gz.header.Get("Content-Encoding"), ident.header.Get("Content-Encoding"))
	}
	t.Logf("/standings: identity %d B, gzip %d B, br %d B", len(ident.body), len(gz.body), len(br.body))
	if len(br.body)*4 > len(ident.body) || len(gz.body)*4 > len(ident.body) {
		t.Errorf("compressed larger than a quarter: identity %d, gzip %d, br %d", len(ident.body), len(gz.body), len(br.body))
	}
	for _, p := range []string{"/standings", "/api/v1/rounds", "/data/record.json", "/data/teams.csv", "/feed.atom"} {
		r := get(t, env.h, p, "Accept-Encoding", "br")
		tag := r.header.Get("ETag")
		if r.status != http.StatusOK || tag == "" || r.header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("%s: %d ETag %q Vary %q", p, r.status, tag, r.header.Get("Vary"))
			continue
		}
		if !strings.Contains(r.header.Get("Cache-Control"), "stale-if-error") {
			t.Errorf("%s: Cache-Control %q", p, r.header.Get("Cache-Control"))
		}
		if c := get(t, env.h, p, "Accept-Encoding", "br", "If-None-Match", tag); c.status != http.StatusNotModified {
			t.Errorf("%s: revalidation %d, want 304", p, c.status)
		}
	}
	// A change notification: revalidations on the miss render each page at
	// most once and are answered from the cache.
	gen := env.cache.Generation()
	if _, err := env.pool.Exec(context.Background(), "SELECT pg_notify('portal_changes', 'test')"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "the change notification", func() bool { return env.cache.Generation() != gen })
	renders := env.rendersOf("/standings")
	tag := br.header.Get("ETag")
	var wg sync.WaitGroup
	codes := make(chan int, 200)
	for range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest(http.MethodGet, "/standings", nil)
			req.Header.Set("Accept-Encoding", "br")
			req.Header.Set("If-None-Match", tag)
			rec := httptest.NewRecorder()
			env.h.ServeHTTP(rec, req)
			codes <- rec.Code
		}()
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusNotModified {
			t.Fatalf("revalidation after the change: %d, want 304 (the page did not change)", c)
		}
	}
	// The rebuild after the notification may have rendered it already; the
	// 200 revalidations add at most one render of /standings.
	if got := env.rendersOf("/standings") - renders; got > 1 {
		t.Errorf("200 revalidations caused %d renders", got)
	}
}

func TestCacheServesStaleWhileTheDatabaseIsDown(t *testing.T) {
	env := newCachedEnv(t)
	pages := []string{"/", "/standings", "/en/rounds", "/api/v1/rounds"}
	bodies := map[string]string{}
	for _, p := range pages {
		r := getOK(t, env.h, p)
		bodies[p] = r.body
	}
	gen := env.cache.Generation()
	env.proxy.cut()
	// Losing the listener's connection marks the cache stale; it does not
	// clear it.
	waitFor(t, 10*time.Second, "the lost listener", func() bool { return env.cache.Generation() != gen })
	for _, p := range pages {
		r := get(t, env.h, p)
		if r.status != http.StatusOK || r.body != bodies[p] || r.header.Get("X-Cache") != "STALE" {
			t.Errorf("%s while the database is down: %d X-Cache %q", p, r.status, r.header.Get("X-Cache"))
		}
	}
	if r := get(t, env.h, "/readyz"); r.status != http.StatusServiceUnavailable {
		t.Errorf("/readyz while the database is down: %d", r.status)
	}
	if r := get(t, env.h, "/teams/never-cached"); r.status != http.StatusInternalServerError || r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("uncached page while down: %d %q", r.status, r.header.Get("Cache-Control"))
	}
	env.proxy.restore()
	start := time.Now()
	waitFor(t, 10*time.Second, "the portal to be ready again", func() bool {
		return get(t, env.h, "/readyz").status == http.StatusOK
	})
	waitFor(t, 10*time.Second, "fresh pages", func() bool {
		return get(t, env.h, "/standings").header.Get("X-Cache") == "HIT"
	})
	t.Logf("fresh again %v after the database came back", time.Since(start).Round(time.Millisecond))
}

func TestEdgeLimits(t *testing.T) {
	env := newCachedEnv(t)
	count := func() int {
		var n int
		if err := env.pool.QueryRow(context.Background(), "SELECT count(*) FROM audit_events").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	body := strings.NewReader(strings.Repeat("a", 5<<20))
	req := httptest.NewRequest(http.MethodPost, "/login", body)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	env.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("5 MB login POST: %d, want 413", rec.Code)
	}
	if count() != before {
		t.Error("an oversized POST left an audit event")
	}
	// The score import takes a larger body: 1.5 MB is not refused at the edge.
	req = httptest.NewRequest(http.MethodPost, "/admin/rounds/stage-1/scores/import", strings.NewReader(strings.Repeat("a", 3<<19)))
	rec = httptest.NewRecorder()
	env.h.ServeHTTP(rec, req)
	if rec.Code == http.StatusRequestEntityTooLarge {
		t.Error("the score import refused a 1.5 MB body")
	}
}

// TestThreeInstancesServeAPublication runs three portal
// instances on one database, as several processes behind a load balancer
// run: each has its own connection pool, page cache and change listener. A
// publication through the first is served by all three; the test log
// reports the median and maximum delay (the target is one second).
func TestThreeInstancesServeAPublication(t *testing.T) {
	url := pgtest.URL(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stores []*postgres.Store
	var handlers []http.Handler
	for i := range 3 {
		pool, err := pgxpool.New(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		st := postgres.New(pool)
		if i == 0 {
			if _, err := st.ImportProgram(ctx, odDemoFile()); err != nil {
				t.Fatal(err)
			}
		}
		cache := pagecache.New(web.PageCacheOptions(0))
		go cache.Run(ctx)
		go st.ListenChanges(ctx, cache.Invalidate)
		stores = append(stores, st)
		handlers = append(handlers, web.NewServer(web.Deps{Store: st, Logger: slog.New(slog.DiscardHandler), BaseURL: baseURL, PageCache: cache}))
	}
	// Every instance has the unpublished round in its cache.
	for i, h := range handlers {
		r := get(t, h, "/api/v1/rounds/r1")
		if r.status != http.StatusOK || !strings.Contains(r.body, `"published": false`) {
			t.Fatalf("instance %d before: %d %s", i, r.status, r.body[:min(200, len(r.body))])
		}
		if again := get(t, h, "/api/v1/rounds/r1"); again.header.Get("X-Cache") != "HIT" {
			t.Fatalf("instance %d did not cache the round: %q", i, again.header.Get("X-Cache"))
		}
	}
	// Publishing needs a closed round; closing is not public.
	if err := stores[0].CloseRound(ctx, "demo", "r1", odActor); err != nil {
		t.Fatal(err)
	}
	// Wait for every listener to be connected: each has seen a notification.
	time.Sleep(200 * time.Millisecond)
	// The clock starts when the publication is committed.
	if _, err := stores[0].PublishRound(ctx, "demo", "r1", odActor, time.Date(2026, 8, 14, 5, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	took := make([]time.Duration, len(handlers))
	var wg sync.WaitGroup
	for i, h := range handlers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Since(start) < 10*time.Second {
				if strings.Contains(get(t, h, "/api/v1/rounds/r1").body, `"published": true`) {
					took[i] = time.Since(start)
					return
				}
				time.Sleep(2 * time.Millisecond)
			}
			took[i] = -1
		}()
	}
	wg.Wait()
	for i, d := range took {
		if d < 0 {
			t.Fatalf("instance %d never served the publication", i)
		}
	}
	sorted := slices.Clone(took)
	slices.Sort(sorted)
	t.Logf("publication served by 3 instances: median %v, max %v (per instance %v)", sorted[1].Round(time.Millisecond), sorted[2].Round(time.Millisecond), took)
	// The target is one second on an idle machine (docs/benchmarks.md); the
	// test asserts only that every instance serves it, since a loaded CI
	// machine is no place for timing assertions.
}
