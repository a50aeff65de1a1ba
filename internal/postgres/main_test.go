package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programfile"
	"github.com/kai-challenge/portal/internal/rules"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const manageProgram = "sovereign-ai"

var manageActor = contest.Actor{Name: "editor@msit.go.kr", Addr: "192.0.2.9"}

// openStore returns a store working as the runtime role on the database
// at url and its pool, closed when the test ends.
func openStore(t *testing.T, url string) (*postgres.Store, *pgxpool.Pool) {
	t.Helper()
	pool := must(postgres.Open(t.Context(), url)).val(t)
	t.Cleanup(pool.Close)
	return postgres.New(pool), pool
}

// manageStore marks the test parallel and returns a fresh database holding
// the real public record (imported once into a template), a store working
// as the runtime role on it, a pool to inspect the database with and the
// test's context.
func manageStore(t *testing.T) (*postgres.Store, *pgxpool.Pool, context.Context) {
	t.Helper()
	t.Parallel()
	store, pool := openStore(t, pgtest.RecordURL(t))
	return store, pool, t.Context()
}

// wantFieldErrors checks that err is a *FieldErrors matching
// contest.ErrInvalid with a known message key (worded in English by
// contest.English, in Korean and English by the catalogs, which the web
// tests check) for exactly the given fields.
func wantFieldErrors(t *testing.T, err error, fields ...string) *postgres.FieldErrors {
	t.Helper()
	if !errors.Is(err, contest.ErrInvalid) {
		t.Fatalf("err = %v, want contest.ErrInvalid", err)
	}
	var fe *postgres.FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v (%T), want a *postgres.FieldErrors", err, err)
	}
	var got []string
	for f, msg := range fe.Fields {
		got = append(got, f)
		if _, ok := contest.English[msg.Key]; !ok {
			t.Errorf("field %q: message %+v has no wording", f, msg)
		}
	}
	slices.Sort(got)
	slices.Sort(fields)
	if diff := cmp.Diff(fields, got); diff != "" {
		t.Errorf("fields with errors (-want +got):\n%s\n%v", diff, err)
	}
	return fe
}

// auditEvents returns the events of one action, oldest first.
func auditEvents(t *testing.T, store *postgres.Store, action string) []postgres.AuditEvent {
	t.Helper()
	ev := must(store.AuditEvents(t.Context(), postgres.AuditFilter{Action: action, Limit: 1000})).val(t)
	slices.Reverse(ev)
	return ev
}

// wantAudit checks that action was logged count times and that its last
// event names entity and records the given before/after fields (nil: the
// side must be absent).
func wantAudit(t *testing.T, store *postgres.Store, action string, count int, entity string, before, after map[string]any) {
	t.Helper()
	ev := auditEvents(t, store, action)
	if len(ev) != count {
		t.Fatalf("%d %s events, want %d", len(ev), action, count)
	}
	e := ev[len(ev)-1]
	if e.Actor != manageActor.Name || e.ClientAddr != manageActor.Addr {
		t.Errorf("%s: actor %s from %s, want %s from %s", action, e.Actor, e.ClientAddr, manageActor.Name, manageActor.Addr)
	}
	if e.Entity != entity {
		t.Errorf("%s: entity %q, want %q", action, e.Entity, entity)
	}
	check := func(side string, raw json.RawMessage, want map[string]any) {
		if want == nil {
			if len(raw) != 0 && string(raw) != "null" {
				t.Errorf("%s: %s = %s, want none", action, side, raw)
			}
			return
		}
		var got map[string]any
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatalf("%s: %s = %s: %v", action, side, raw, err)
		}
		for k, v := range want {
			if diff := cmp.Diff(v, got[k]); diff != "" {
				t.Errorf("%s: %s[%s] (-want +got):\n%s", action, side, k, diff)
			}
		}
	}
	check("before", e.Before, before)
	check("after", e.After, after)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// freshStore marks the test parallel and returns a store working as the
// runtime role on a fresh database, and the test's context.
func freshStore(t *testing.T) (*postgres.Store, context.Context) {
	t.Helper()
	t.Parallel()
	store, _ := openStore(t, pgtest.URL(t))
	return store, t.Context()
}

// scoredFixture marks the test parallel and imports a small program: one
// stage round, two direct leaves, three teams, N = 2; fully scored unless
// partial. It returns the store, the database's URL and the test's context.
func scoredFixture(t *testing.T, partial bool) (*postgres.Store, string, context.Context) {
	t.Helper()
	t.Parallel()
	url := pgtest.URL(t)
	store, _ := openStore(t, url)
	txt := func(s string) programfile.Text { return programfile.Text{KO: s, EN: s} }
	f := &programfile.File{Program: programfile.Program{Slug: "p", Name: txt("P"), Ministry: txt("M")}}
	f.Organizations = []programfile.Organization{{Slug: "o", Name: txt("O"), Kind: "other"}}
	r := programfile.Round{Slug: "r1", Kind: "stage", Name: txt("Round"), Rule: programfile.Rule{Advance: 2},
		Criteria: []programfile.Criterion{{Code: "a", Name: txt("A"), Max: "50.00"}, {Code: "b", Name: txt("B"), Max: "50.00"}}}
	vals := map[string][2]string{"t1": {"40.00", "40.00"}, "t2": {"30.00", "30.00"}, "t3": {"20.00", "20.00"}}
	for _, team := range []string{"t1", "t2", "t3"} {
		f.Teams = append(f.Teams, programfile.Team{Slug: team, Name: txt(team), Lead: "o"})
		r.Entries = append(r.Entries, programfile.Entry{Team: team, Status: "eligible"})
		r.Scores = append(r.Scores, programfile.Score{Team: team, Criterion: "a", Value: vals[team][0]})
		if !partial || team != "t3" {
			r.Scores = append(r.Scores, programfile.Score{Team: team, Criterion: "b", Value: vals[team][1]})
		}
	}
	f.Rounds = []programfile.Round{r}
	if _, err := store.ImportProgram(t.Context(), f); err != nil {
		t.Fatal(err)
	}
	return store, url, t.Context()
}

var alice = contest.Actor{Name: "alice@example.com", Addr: "192.0.2.1"}

var bob = contest.Actor{Name: "bob@example.com", Addr: "192.0.2.2"}

func countAudit(t *testing.T, store *postgres.Store, action string) int {
	t.Helper()
	ev := must(store.AuditEvents(t.Context(), postgres.AuditFilter{Action: action})).val(t)
	return len(ev)
}

func reportTeam(t *testing.T, rep rules.Report, team string) rules.ReportTeam {
	t.Helper()
	for _, tm := range rep.Teams {
		if tm.Team == team {
			return tm
		}
	}
	t.Fatalf("team %s is not in the report", team)
	return rules.ReportTeam{}
}

// wantSame reports, without stopping the test, how got differs from want.
func wantSame(t *testing.T, what string, want, got any) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}

// snapshot dumps the database of pool; the function it returns reports
// any change since, made by what must not have changed it.
func snapshot(t *testing.T, pool *pgxpool.Pool) func(what string) {
	t.Helper()
	before := pgtest.Dump(t, pool)
	return func(what string) {
		t.Helper()
		if diff := cmp.Diff(before, pgtest.Dump(t, pool)); diff != "" {
			t.Errorf("%s changed the database (-before +after):\n%s", what, diff)
		}
	}
}

// result is what a call made in a test returned: a value and an error.
type result[T any] struct {
	v   T
	err error
}

// must takes what a call returned, for val: must(store.Teams(ctx, p)).val(t).
func must[T any](v T, err error) result[T] { return result[T]{v, err} }

// val returns the value read, failing the test at once on an error.
func (r result[T]) val(t testing.TB) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}
