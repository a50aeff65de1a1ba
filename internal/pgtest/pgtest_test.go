package pgtest_test

import (
	"context"
	"testing"

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
