package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
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
