package devdb

import (
	"context"
	"os"
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
