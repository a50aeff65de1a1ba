package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
)

// startServe runs `portal serve` against url and returns its address and a
// stop function that waits for it to exit.
func startServe(t *testing.T, url string) (string, func()) {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve", "-addr", addr}, func(k string) string {
			if k == "DATABASE_URL" {
				return url
			}
			return ""
		}, strings.NewReader(""), io.Discard, &out)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("server did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return addr, func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}
}

// A publication scheduled while one server runs happens on time even when
// that server is stopped before the time and another starts after it.
func TestScheduledPublicationSurvivesRestart(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	mustCLI(t, url, "import", stage1Program(t, false, stage1Entries))
	pool, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	store := postgres.New(pool)
	ctx := context.Background()
	at := time.Now().Add(3 * time.Second)
	if err := store.SchedulePublication(ctx, "test-program", "stage-1", at, contest.Actor{Name: "admin@example.com"}); err != nil {
		t.Fatal(err)
	}

	addr, stop := startServe(t, url)
	resp, err := http.Get("http://" + addr + "/rounds/stage-1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(body), "84.60") {
		t.Error("a score is public before the scheduled publication")
	}
	stop() // the first server goes away before the announcement time
	if _, err := store.PublishedResults(ctx, "test-program", "stage-1"); err == nil {
		t.Fatal("published before its time")
	}

	time.Sleep(time.Until(at) + 200*time.Millisecond)
	_, stop = startServe(t, url) // a new server starts after the time
	defer stop()
	deadline := time.Now().Add(15 * time.Second)
	for {
		rr, err := store.PublishedResults(ctx, "test-program", "stage-1")
		if err == nil {
			if rr.Report.Status != "published" || rr.Info.PublishedAt == nil || rr.Info.PublishedAt.Before(at.Add(-time.Second)) {
				t.Errorf("published as %+v at %v", rr.Report.Status, rr.Info.PublishedAt)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the scheduled publication did not happen after the restart")
		}
		time.Sleep(100 * time.Millisecond)
	}
	events, err := store.AuditEvents(ctx, postgres.AuditFilter{Action: "round.publish"})
	if err != nil || len(events) != 1 || events[0].Actor != "scheduler" {
		t.Errorf("publish audit events: %+v %v", events, err)
	}
}

// The server keeps public pages in memory, and a change made by another
// process (here: a publication through a separate connection) reaches them
// through PostgreSQL's change notifications, not after a timeout.
func TestCachedPagesFollowChanges(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	mustCLI(t, url, "import", stage1Program(t, false, stage1Entries))
	addr, stop := startServe(t, url)
	defer stop()
	page := func() string {
		resp, err := http.Get("http://" + addr + "/rounds/stage-1")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	// The first request renders the page and caches it; the second is
	// served from the cache: neither may show the results yet.
	if first, cached := page(), page(); strings.Contains(first, "84.60") || strings.Contains(cached, "84.60") {
		t.Fatal("results visible before publication")
	}
	mustCLI(t, url, "round", "publish", "stage-1") // another process
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(page(), "84.60") {
		if time.Now().After(deadline) {
			t.Fatal("the cached page never showed the published results")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
