package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
)

// process is the portal running as a separate process (this test binary,
// see TestMain), so that it gets real signals and exits for real.
type process struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error // set when done is closed
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// startPortal starts `portal args...` with the environment env (and nothing
// else of this process's environment but PATH and HOME).
func startPortal(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append([]string{"PORTAL_TEST_RUN_MAIN=1", "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	p := &process{cmd: cmd, out: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = cmd.Process.Signal(syscall.SIGTERM)
			<-p.done
		}
	})
	return p
}

// wait waits at most limit for the process to exit and returns its exit
// status (-1: still running).
func (p *process) wait(limit time.Duration) int {
	select {
	case <-p.done:
		var ee *exec.ExitError
		if errors.As(p.err, &ee) {
			return ee.ExitCode()
		}
		return 0
	case <-time.After(limit):
		return -1
	}
}

// waitReady waits until the portal at addr answers /readyz with 200; it
// fails the test when exited reports the portal gone, or after 90 seconds,
// showing the portal's output.
func waitReady(t *testing.T, addr string, exited func() bool, output func() string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) || exited() {
			t.Fatalf("portal at %s never became ready: %v\n%s", addr, err, output())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// `portal serve` on an address already in use exits non-zero within a
// second, naming the address, and starts nothing (no private cluster).
func TestServeRefusesBusyAddress(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	dataDir := filepath.Join(t.TempDir(), "data")
	start := time.Now()
	p := startPortal(t, []string{"DATA_DIR=" + dataDir}, "serve", "-addr", addr)
	code := p.wait(5 * time.Second)
	took := time.Since(start)
	if code <= 0 {
		t.Fatalf("exit status %d, want non-zero\n%s", code, p.out.String())
	}
	if took > time.Second {
		t.Errorf("took %v to give up, want under a second", took)
	}
	if !strings.Contains(p.out.String(), addr) {
		t.Errorf("the message does not name %s:\n%s", addr, p.out.String())
	}
	if _, err := os.Stat(dataDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a private cluster was prepared in %s (%v)", dataDir, err)
	}
}

// With the private cluster: a second server on the same data folder refuses
// at once; on SIGTERM /readyz answers 503 first, a slow request in flight
// completes with 200, and the process stops its cluster and exits within
// the grace period.
func TestServeOneServerPerFolderAndGracefulShutdown(t *testing.T) {
	t.Parallel()
	base, err := os.MkdirTemp("", "portal-serve-") // short: the socket path is limited
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	env := []string{"DATA_DIR=" + filepath.Join(base, "d")}
	addr := freeAddr(t)
	const grace = 8 * time.Second
	first := startPortal(t, env, "serve", "-addr", addr, "-shutdown-timeout", grace.String(), "-drain-delay", "1s",
		"-import", stage1Program(t, false, stage1Entries))
	waitReady(t, addr, func() bool { return first.wait(0) != -1 }, first.out.String)

	secondServerRefused(t, env)

	// Make a request slow: it waits for a lock held by the test.
	ctx := context.Background()
	dbURL := "postgres://postgres@/portal?host=" + filepath.Join(base, "d", "postgres") + "&sslmode=disable"
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE programs IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	type result struct {
		status int
		err    error
	}
	slow := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			slow <- result{err: err}
			return
		}
		resp.Body.Close()
		slow <- result{status: resp.StatusCode}
	}()
	waitBlocked(t, conn)

	if err := first.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	signalled := time.Now()
	time.Sleep(300 * time.Millisecond)
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatalf("/readyz while draining: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz while draining: %d, want 503", resp.StatusCode)
	}
	time.Sleep(time.Second) // the listener is closed now; the request still waits
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if r := <-slow; r.err != nil || r.status != http.StatusOK {
		t.Errorf("the request in flight at SIGTERM: %d %v, want 200", r.status, r.err)
	}
	code := first.wait(grace)
	if code != 0 {
		t.Fatalf("exit status %d (-1: still running %v after SIGTERM)\n%s", code, grace, first.out.String())
	}
	t.Logf("exited %v after SIGTERM", time.Since(signalled).Round(time.Millisecond))
	pidFile := filepath.Join(base, "d", "postgres", "data", "postmaster.pid")
	if _, err := os.Stat(pidFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the private cluster is still running after the server exited (%v)", err)
	}

	// A second signal during the orderly shutdown ends the server at once,
	// and its private cluster is not left running either.
	again := startPortal(t, env, "serve", "-addr", addr, "-drain-delay", "5s")
	waitReady(t, addr, func() bool { return again.wait(0) != -1 }, again.out.String)
	for range 2 {
		if err := again.cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if code := again.wait(5 * time.Second); code != 130 {
		t.Fatalf("after two signals: exit status %d, want 130 (-1: still running)\n%s", code, again.out.String())
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if _, err := os.Stat(pidFile); errors.Is(err, os.ErrNotExist) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the private cluster is left running after the server was ended at once")
		}
	}
}

// secondServerRefused checks that another `portal serve` on the data folder
// of env refuses at once, saying why.
func secondServerRefused(t *testing.T, env []string) {
	t.Helper()
	start := time.Now()
	second := startPortal(t, env, "serve", "-addr", freeAddr(t))
	if code := second.wait(5 * time.Second); code <= 0 {
		t.Fatalf("second server on the folder: exit status %d, want non-zero\n%s", code, second.out.String())
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("the second server took %v to refuse", took)
	}
	if !strings.Contains(second.out.String(), "used by the portal server") {
		t.Errorf("the refusal does not say why:\n%s", second.out.String())
	}
}

// waitBlocked waits until some session of conn's database waits for a lock.
func waitBlocked(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the request never waited for the lock")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

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
	t.Cleanup(cancel)
	waitReady(t, addr, func() bool { return false }, out.String)
	return addr, func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}
}

// stage1Server imports the stage-1 test program into a fresh database and
// serves it until the test ends; it returns the database URL and the
// server's address.
func stage1Server(t *testing.T) (url, addr string) {
	t.Helper()
	url = pgtest.URL(t)
	mustCLI(t, url, "import", stage1Program(t, false, stage1Entries))
	addr, stop := startServe(t, url)
	t.Cleanup(stop)
	return url, addr
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
	if err := store.CloseRound(ctx, "test-program", "stage-1", contest.Actor{Name: "admin@example.com"}); err != nil {
		t.Fatal(err)
	}
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
	url, addr := stage1Server(t)
	page := func() string { return getPage(t, addr, "/rounds/stage-1") }
	// The first request renders the page and caches it; the second is
	// served from the cache: neither may show the results yet.
	if first, cached := page(), page(); strings.Contains(first, "84.60") || strings.Contains(cached, "84.60") {
		t.Fatal("results visible before publication")
	}
	mustCLI(t, url, "round", "close", "stage-1")
	mustCLI(t, url, "round", "publish", "stage-1", "--as", addAdmin(t, url, "admin@example.com")) // another process
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(page(), "84.60") {
		if time.Now().After(deadline) {
			t.Fatal("the cached page never showed the published results")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
