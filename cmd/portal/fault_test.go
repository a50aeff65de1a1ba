package main

// Fault tests: the portal and its database as real processes, broken on
// purpose. Each is bounded in time. docs/reliability.md lists what they
// guarantee.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/config"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/devdb"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
)

// durableCluster starts a private cluster with the settings `portal serve`
// uses (durable: not Throwaway) in a fresh folder, stopped and removed when
// the test ends, and returns it with the URL of its database "portal".
func durableCluster(t *testing.T) (*devdb.Cluster, string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "portal-fault-")
	if err != nil {
		t.Fatal(err)
	}
	c, err := devdb.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := c.Start(ctx, "portal"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = c.Stop()
		_ = os.RemoveAll(dir)
	})
	return c, c.URL("portal")
}

// killCluster ends the cluster's postmaster and all its children with
// SIGKILL, as a crash would, and waits until they are gone.
func killCluster(t *testing.T, c *devdb.Cluster) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(c.Dir, "data", "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil || pid <= 0 {
		t.Fatalf("postmaster pid: %q", b)
	}
	// The server runs in its own process group (devdb starts it so).
	if err := syscall.Kill(-pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = c.Stop() // reaps the killed server
	deadline := time.Now().Add(10 * time.Second)
	for syscall.Kill(-pid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatal("the killed PostgreSQL processes did not go away")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// openStore opens the store as the runtime role, the way serve does.
func openStore(t *testing.T, url string) *postgres.Store {
	t.Helper()
	db, err := openDatabase(context.Background(), configFor(t, url), &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db.Store
}

// restartAfterCrash starts the killed cluster again. PostgreSQL refuses to
// start while a process of the crashed server is still attached to its
// shared memory ("pre-existing shared memory block"); as an operator would,
// it tries again until those are gone, for at most the context.
func restartAfterCrash(t *testing.T, ctx context.Context, c *devdb.Cluster) {
	t.Helper()
	for {
		err := c.Start(ctx, "portal")
		if err == nil {
			return
		}
		if !strings.Contains(err.Error(), "pre-existing shared memory block") || ctx.Err() != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Every write PostgreSQL acknowledged, and its audit event, is there after
// the database processes are killed (kill -9) in the middle of a stream of
// writes and the cluster is started again.
func TestFaultKilledDatabaseKeepsAcknowledgedWrites(t *testing.T) {
	t.Parallel()
	c, url := durableCluster(t)
	store := openStore(t, url)
	ctx := context.Background()
	ackedSoFar, stopWriting := writeUntilStopped(t, store, 30)
	killCluster(t, c)
	stopWriting()
	acked := ackedSoFar()
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	restartAfterCrash(t, sctx, c)
	after := openStore(t, url)
	users, err := after.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, u := range users {
		have[u.Email] = true
	}
	events, err := after.AuditEvents(ctx, postgres.AuditFilter{Action: "user.create", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	audited := map[string]bool{}
	for _, e := range events {
		audited[strings.TrimPrefix(e.Entity, "user:")] = true
	}
	for _, email := range acked {
		if !have[email] || !audited[email] {
			t.Errorf("acknowledged write %s lost after the crash (row %v, audit event %v)", email, have[email], audited[email])
		}
	}
	if vr, err := after.VerifyAudit(ctx); err != nil || vr.BrokenAt != 0 || vr.Events < len(acked) {
		t.Errorf("audit after the crash: %+v %v (%d writes acknowledged)", vr, err, len(acked))
	}
	if !t.Failed() {
		t.Logf("%d acknowledged writes, all kept", len(acked))
	}
}

// writeUntilStopped creates accounts one after another until stop is
// called, and waits until at least n were acknowledged. stop returns the
// emails of the acknowledged ones.
func writeUntilStopped(t *testing.T, store *postgres.Store, n int) (acked func() []string, stop func()) {
	t.Helper()
	hash := testPasswordHash(t)
	var mu sync.Mutex
	var emails []string
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-quit:
				return
			default:
			}
			email := fmt.Sprintf("writer%d@example.com", i)
			if _, err := store.CreateUser(context.Background(), email, "", "scorer", hash, contest.Actor{Name: "fault-test"}); err != nil {
				continue // the database is gone: not acknowledged
			}
			mu.Lock()
			emails = append(emails, email)
			mu.Unlock()
		}
	}()
	acked = func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(emails)
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(acked()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d writes acknowledged in 20 s", len(acked()))
		}
		time.Sleep(5 * time.Millisecond)
	}
	return acked, func() { close(quit); <-done }
}

// PostgreSQL stopped while the portal is under load: /readyz answers 503
// (the process does not fall over), and after PostgreSQL is started again
// it answers 200 within 10 seconds.
func TestFaultDatabaseRestartUnderLoad(t *testing.T) {
	t.Parallel()
	c, url := durableCluster(t)
	mustCLI(t, url, "import", stage1Program(t, false, stage1Entries))
	addr := freeAddr(t)
	p := startPortal(t, []string{"DATABASE_URL=" + url}, "serve", "-addr", addr)
	exited := func() bool {
		select {
		case <-p.done:
			return true
		default:
			return false
		}
	}
	waitReady(t, addr, exited, p.out.String)

	// Load: public pages and readiness checks from 8 clients, each asking
	// every 5 ms (1,600 requests a second in all) rather than as fast as it
	// can, which would only take the machine from the other tests.
	var requests, failures atomic.Int64
	loadCtx, stopLoad := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 5 * time.Second}
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := []string{"/rounds/stage-1", "/", "/teams", "/readyz"}[i%4]
			tick := time.NewTicker(5 * time.Millisecond)
			defer tick.Stop()
			for loadCtx.Err() == nil {
				<-tick.C
				resp, err := client.Get("http://" + addr + path)
				requests.Add(1)
				if err != nil {
					failures.Add(1)
					continue
				}
				resp.Body.Close()
			}
		}()
	}
	defer func() { stopLoad(); wg.Wait() }()
	time.Sleep(500 * time.Millisecond)

	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, addr, http.StatusServiceUnavailable, 10*time.Second)
	time.Sleep(time.Second) // down for a while under load
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := c.Start(ctx, "portal"); err != nil {
		t.Fatal(err)
	}
	restarted := time.Now()
	waitStatus(t, addr, http.StatusOK, 10*time.Second)
	t.Logf("ready %v after PostgreSQL accepted connections again; %d requests under load, %d transport errors",
		time.Since(restarted).Round(time.Millisecond), requests.Load(), failures.Load())
	if exited() {
		t.Fatalf("the portal exited:\n%s", p.out.String())
	}
	if out := p.out.String(); strings.Contains(out, "panic") {
		t.Errorf("the portal panicked:\n%s", out)
	}
	if failures.Load() != 0 {
		t.Errorf("%d requests got no HTTP answer while the database was down", failures.Load())
	}
}

// waitStatus waits at most limit for /readyz to answer status.
func waitStatus(t *testing.T, addr string, status int, limit time.Duration) {
	t.Helper()
	client := &http.Client{Timeout: 3 * time.Second}
	deadline := time.Now().Add(limit)
	last := 0
	for time.Now().Before(deadline) {
		resp, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			last = resp.StatusCode
			if last == status {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("/readyz did not answer %d within %v (last %d)", status, limit, last)
}

// The change listener's connection is cut (its backend terminated): the
// portal listens again, and a change made afterwards still reaches the
// cached pages.
func TestFaultListenerReconnects(t *testing.T) {
	t.Parallel()
	url, addr := stage1Server(t)
	super := pgtest.Conn(t, url)
	ctx := context.Background()
	listener := func() int {
		var pid int
		_ = super.QueryRow(ctx, `SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN portal_changes'`).Scan(&pid)
		return pid
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s did not happen within 10 s", what)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	var old int
	waitFor("the listener", func() bool { old = listener(); return old != 0 })
	var terminated bool
	if err := super.QueryRow(ctx, `SELECT pg_terminate_backend($1)`, old).Scan(&terminated); err != nil || !terminated {
		t.Fatalf("terminate the listener: %v %v", terminated, err)
	}
	waitFor("listening again", func() bool { pid := listener(); return pid != 0 && pid != old })
	page := func() string { return getPage(t, addr, "/rounds/stage-1") }
	if first, cached := page(), page(); strings.Contains(first, "84.60") || strings.Contains(cached, "84.60") {
		t.Fatal("results visible before publication")
	}
	admin := addAdmin(t, url, "admin@example.com")
	mustCLI(t, url, "round", "close", "stage-1")
	mustCLI(t, url, "round", "publish", "stage-1", "--as", admin)
	waitFor("the cached page showing the publication", func() bool { return strings.Contains(page(), "84.60") })
}

func configFor(t *testing.T, url string) config.Config {
	t.Helper()
	cfg, _, err := config.Load("test", nil, func(k string) string {
		if k == "DATABASE_URL" {
			return url
		}
		return ""
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func testPasswordHash(t *testing.T) string {
	t.Helper()
	h, err := auth.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// getPage returns the body of the page at path.
func getPage(t *testing.T, addr, path string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
