package devdb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// A second user of the same folder (say `portal user add` while `portal
// serve` runs) uses the running server and, when it is done, leaves it
// running for its owner; the owner's Stop leaves no server behind.
func TestSharedClusterIsLeftToItsOwner(t *testing.T) {
	dir, err := os.MkdirTemp("", "devdb-test-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	owner, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := owner.Start(ctx, "portal"); err != nil {
		t.Fatal(err)
	}
	defer owner.Stop()
	guest, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := guest.Start(ctx, "portal"); err != nil {
		t.Fatalf("second start on a running cluster: %v", err)
	}
	if err := guest.Stop(); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, owner.URL("portal"))
	if err != nil {
		t.Fatalf("the guest stopped the owner's server: %v", err)
	}
	conn.Close(ctx)
	if err := owner.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := pgx.Connect(ctx, owner.URL("portal")); err == nil {
		t.Fatal("the server still answers after its owner stopped it")
	}
}

func setting(t *testing.T, ctx context.Context, url, name string) string {
	t.Helper()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var v string
	if err := conn.QueryRow(ctx, "SELECT current_setting($1)", name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// Run as root, a cluster inside a private (0700) folder starts: the folder
// is made traversable, never readable, for the server's user, and the
// change is announced. The cluster keeps PostgreSQL's durable settings.
func TestRootInPrivateFolderWithDurableSettings(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: the server then runs as an unprivileged user")
	}
	base, err := os.MkdirTemp("", "devdb-") // short: the socket path is limited
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	home := filepath.Join(base, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := New(filepath.Join(home, "co", ".data", "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	var notices strings.Builder
	c.Log = &notices
	if err := c.Start(ctx, "portal"); err != nil {
		t.Fatalf("start in a private folder: %v", err)
	}
	defer c.Stop()
	fi, err := os.Stat(home)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&0o001 == 0 || perm&0o004 != 0 {
		t.Errorf("private folder is now %v, want search (x) for others and no read", perm)
	}
	if !strings.Contains(notices.String(), home) {
		t.Errorf("no notice names the changed folder %s: %q", home, notices.String())
	}
	for _, name := range []string{"fsync", "synchronous_commit", "full_page_writes"} {
		if v := setting(t, ctx, c.URL("portal"), name); v != "on" {
			t.Errorf("%s = %s, want on (durable)", name, v)
		}
	}
}

// A throwaway cluster runs without durability, for speed.
func TestThrowawayClusterIsFast(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := New(filepath.Join(t.TempDir(), "pg"))
	if err != nil {
		t.Fatal(err)
	}
	c.Throwaway = true
	if err := c.Start(ctx, ""); err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	for _, name := range []string{"fsync", "synchronous_commit", "full_page_writes", "jit"} {
		if v := setting(t, ctx, c.URL("postgres"), name); v != "off" {
			t.Errorf("%s = %s, want off", name, v)
		}
	}
}

// One server per folder: a second Lock fails at once naming the holder,
// until the first is released by Stop.
func TestLockRefusesSecondServer(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pg")
	first, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Lock(); err != nil {
		t.Fatal(err)
	}
	second, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = second.Lock()
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), strconv.Itoa(os.Getpid())) {
		t.Fatalf("second lock: %v, want ErrLocked naming pid %d", err, os.Getpid())
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the refusal took %v", d)
	}
	if err := first.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := second.Lock(); err != nil {
		t.Fatalf("lock after the first was released: %v", err)
	}
	second.Stop()
}
