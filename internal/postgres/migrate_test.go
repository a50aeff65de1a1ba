package postgres_test

import (
	"errors"
	"os"

	"testing"

	"github.com/golang-migrate/migrate/v4"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
)

func tableCount(t *testing.T, url string) int {
	t.Helper()
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Every migration must have a down migration that really undoes it, so a
// bad release can be rolled back: up, down and up again must all work, and
// down must leave no table behind.
func TestMigrationsUpDownUp(t *testing.T) {
	t.Parallel()
	url := pgtest.EmptyURL(t)
	if err := postgres.Migrate(url); err != nil {
		t.Fatalf("up: %v", err)
	}
	if n := tableCount(t, url); n < 10 {
		t.Fatalf("after up: %d tables, want the whole schema", n)
	}
	if err := postgres.MigrateDown(url); err != nil {
		t.Fatalf("down: %v", err)
	}
	if n := tableCount(t, url); n != 0 {
		t.Fatalf("after down: %d tables left", n)
	}
	if err := postgres.Migrate(url); err != nil {
		t.Fatalf("up again: %v", err)
	}
	// Step down and up one migration at a time, so each down file is exercised alone.
	for {
		err := postgres.MigrateSteps(url, -1)
		if errors.Is(err, migrate.ErrNilVersion) || errors.Is(err, os.ErrNotExist) {
			break // every migration is down
		}
		if err != nil {
			t.Fatalf("step down: %v", err)
		}
	}
	if n := tableCount(t, url); n != 0 {
		t.Fatalf("after stepping down: %d tables left", n)
	}
	if err := postgres.Migrate(url); err != nil {
		t.Fatalf("up after steps: %v", err)
	}
}

// RuntimeReady is true only for a login that needs nothing from the owner:
// the runtime role on a schema at the newest migration, not dirty.
func TestRuntimeReady(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	app, owner := pgtest.AppURL(t)
	_, runtime := openStore(t, app)
	_, asOwner := openStore(t, owner)
	if !postgres.RuntimeReady(ctx, runtime, true) {
		t.Fatal("the runtime role on a migrated database is not ready")
	}
	if !postgres.RuntimeReady(ctx, asOwner, false) {
		t.Error("any login on a migrated database (ownRole false) is not ready")
	}
	if postgres.RuntimeReady(ctx, asOwner, true) {
		t.Error("the owner's login passes for the runtime role")
	}
	for _, q := range []string{
		`UPDATE schema_migrations SET dirty = true`,
		`UPDATE schema_migrations SET dirty = false, version = version - 1`,
		`DELETE FROM schema_migrations`,
	} {
		if _, err := pgtest.Conn(t, owner).Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
		if postgres.RuntimeReady(ctx, runtime, true) || postgres.RuntimeReady(ctx, asOwner, false) {
			t.Errorf("ready after %s", q)
		}
	}
}
