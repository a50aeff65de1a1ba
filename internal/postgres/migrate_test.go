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
