package pgtest_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// Each clone of the record template holds the whole record, and a change to
// one clone is not seen by the next.
func TestRecordDBClonesAreIndependent(t *testing.T) {
	ctx := context.Background()
	first := pgtest.NewRecordDB(t)
	var teams int
	if err := first.QueryRow(ctx, `SELECT count(*) FROM teams t JOIN programs p ON p.id = t.program_id WHERE p.slug = 'sovereign-ai'`).Scan(&teams); err != nil {
		t.Fatal(err)
	}
	if teams == 0 {
		t.Fatal("the record database holds no teams of sovereign-ai")
	}
	if _, err := first.Exec(ctx, `UPDATE teams SET model = 'changed by a test' WHERE slug = 'lg'`); err != nil {
		t.Fatal(err)
	}
	second := pgtest.NewRecordDB(t)
	var model string
	if err := second.QueryRow(ctx, `SELECT model FROM teams WHERE slug = 'lg'`).Scan(&model); err != nil || model == "changed by a test" {
		t.Errorf("the next clone: model = %q (%v), want the record's", model, err)
	}
	empty := pgtest.New(t)
	if err := empty.QueryRow(ctx, `SELECT count(*) FROM teams`).Scan(&teams); err != nil || teams != 0 {
		t.Errorf("a plain test database holds %d teams (%v), want none", teams, err)
	}
}

// A prepared template is built once per key, and its clones start from what
// the build put in, each on its own.
func TestPreparedURLBuildsOncePerKey(t *testing.T) {
	ctx := context.Background()
	var builds atomic.Int32
	build := func(ctx context.Context, url string) error {
		builds.Add(1)
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, `CREATE TABLE marks (note text); INSERT INTO marks VALUES ('built')`)
		return err
	}
	first := pgtest.Conn(t, pgtest.PreparedURL(t, "marks", build))
	if _, err := first.Exec(ctx, `UPDATE marks SET note = 'changed by a test'`); err != nil {
		t.Fatal(err)
	}
	second := pgtest.Conn(t, pgtest.PreparedURL(t, "marks", build))
	var note string
	if err := second.QueryRow(ctx, `SELECT note FROM marks`).Scan(&note); err != nil || note != "built" {
		t.Errorf("the second clone: note = %q (%v), want built", note, err)
	}
	if n := builds.Load(); n != 1 {
		t.Errorf("built %d times for two clones, want once", n)
	}
}
