package postgres_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/fixtures"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programfile"
)

func readProgram(t *testing.T, path string) *programfile.File {
	t.Helper()
	data := must(os.ReadFile(path)).val(t)
	return parseProgram(t, path, data)
}

// parseProgram parses the program file text data (named name in the
// failure).
func parseProgram(t *testing.T, name string, data []byte) *programfile.File {
	t.Helper()
	f, err := programfile.Parse(data)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return f
}

var realProgram = fixtures.RecordFile()

func TestImportRealRecordIsIdempotent(t *testing.T) {
	t.Parallel()
	pool := pgtest.New(t)
	store := postgres.New(pool)
	ctx := t.Context()
	f := readProgram(t, realProgram)
	sum := must(store.ImportProgram(ctx, f)).val(t)
	if sum.Teams != 16 || sum.Rounds != 6 {
		t.Errorf("summary = %+v, want 16 teams and 6 rounds", sum)
	}
	unchanged := snapshot(t, pool)
	if _, err := store.ImportProgram(ctx, readProgram(t, realProgram)); err != nil {
		t.Fatal(err)
	}
	unchanged("second import of the same file")

	var published, draft int
	if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status = 'published'), count(*) FILTER (WHERE status = 'draft') FROM rounds`).Scan(&published, &draft); err != nil {
		t.Fatal(err)
	}
	if published != 4 || draft != 2 {
		t.Errorf("published/draft rounds = %d/%d, want 4/2", published, draft)
	}
}

func TestImportChangedFileUpdates(t *testing.T) {
	store, pool, ctx := importRecord(t)
	f := readProgram(t, realProgram)
	// Rename a team, drop a member, drop the last timeline event.
	for i := range f.Teams {
		if f.Teams[i].Slug == "lg" {
			f.Teams[i].Model = "K-EXAONE 2"
			f.Teams[i].Members = f.Teams[i].Members[1:]
		}
	}
	f.Timeline = f.Timeline[:len(f.Timeline)-1]
	if _, err := store.ImportProgram(ctx, f); err != nil {
		t.Fatal(err)
	}
	var model string
	var members, events int
	err := pool.QueryRow(ctx, `SELECT model, (SELECT count(*) FROM memberships m WHERE m.team_id = t.id), (SELECT count(*) FROM events)
FROM teams t WHERE slug = 'lg'`).Scan(&model, &members, &events)
	if err != nil {
		t.Fatal(err)
	}
	orig := readProgram(t, realProgram)
	var origMembers int
	for _, tm := range orig.Teams {
		if tm.Slug == "lg" {
			origMembers = len(tm.Members)
		}
	}
	if model != "K-EXAONE 2" || members != origMembers-1 || events != len(orig.Timeline)-1 {
		t.Errorf("after update: model %q, %d members, %d events; want K-EXAONE 2, %d, %d", model, members, events, origMembers-1, len(orig.Timeline)-1)
	}
}

// A file that passes validation but fails in the database half-way must
// leave the database exactly as it was.
func TestImportIsAtomic(t *testing.T) {
	store, pool, ctx := importRecord(t)
	unchanged := snapshot(t, pool)

	f := readProgram(t, realProgram)
	f.Teams[0].Name.EN = "Renamed first" // would be written early…
	last := &f.Rounds[len(f.Rounds)-1]
	last.Rule.Advance = -1 // …and this fails late, in the database's CHECK
	_, err := store.ImportProgram(ctx, f)
	if !errors.Is(err, contest.ErrInvalid) {
		t.Fatalf("import error = %v, want ErrInvalid", err)
	}
	if !strings.Contains(err.Error(), "advance") {
		t.Errorf("error %q does not name the failing check", err)
	}
	unchanged("failed import")
}

// The database itself refuses scores outside 0..max of their criterion,
// scores on categories, and bad evaluators, whatever the Go code does.
func TestDatabaseEnforcesScoreRules(t *testing.T) {
	_, pool, ctx := importRecord(t)
	insert := `INSERT INTO scores (round_id, team_id, criterion_id, evaluator, value)
SELECT r.id, t.id, c.id, $2, $3 FROM rounds r JOIN criteria c ON c.round_id = r.id AND c.code = $1
JOIN teams t ON t.slug = 'lg' WHERE r.slug = 'stage-1'`
	cases := []struct {
		name      string
		criterion string
		evaluator int
		value     string
		code      string // SQLSTATE expected; "" = the row is inserted
	}{
		{"valid direct", "nia", 0, "9.20", ""},
		{"above max", "global_common", 0, "20.01", "23514"},
		{"negative", "global_individual", 0, "-1", "23514"},
		{"on a category", "benchmark", 0, "30", "23514"},
		{"evaluator on direct leaf", "nia", 1, "5", "23514"},
		{"panel leaf without evaluator", "expert", 0, "30", "23514"},
		{"evaluator beyond panel", "expert", 11, "30", "23514"},
		{"valid panel", "expert", 10, "35.00", ""},
		{"duplicate key", "nia", 0, "1", "23505"},
	}
	for _, c := range cases {
		tag, err := pool.Exec(ctx, insert, c.criterion, c.evaluator, c.value)
		if got := sqlState(err); got != c.code {
			t.Errorf("%s: SQLSTATE %q (%v), want %q", c.name, got, err, c.code)
		}
		if c.code == "" && tag.RowsAffected() != 1 {
			t.Errorf("%s: %d rows inserted, want 1", c.name, tag.RowsAffected())
		}
	}
	// The rules hold per statement: an update out of range, and a statement
	// of many rows with one bad row, change nothing.
	if _, err := pool.Exec(ctx, `UPDATE scores SET value = 99 WHERE value = 9.20`); sqlState(err) != "23514" {
		t.Errorf("updating a score above its maximum: %v", err)
	}
	var before int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM scores`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	_, err := pool.Exec(ctx, `INSERT INTO scores (round_id, team_id, criterion_id, evaluator, value)
SELECT r.id, t.id, c.id, 0, CASE WHEN t.slug = 'skt' THEN 99 ELSE 1 END
FROM rounds r JOIN criteria c ON c.round_id = r.id AND c.code = 'nia' JOIN teams t ON t.slug IN ('skt', 'upstage', 'nc-ai')
WHERE r.slug = 'stage-1' ON CONFLICT DO NOTHING`)
	var after int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM scores`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if sqlState(err) != "23514" || after != before {
		t.Errorf("a statement with one score above its maximum: %v, %d → %d scores", err, before, after)
	}
	// Lowering a maximum below an entered score is refused (at commit).
	if _, err := pool.Exec(ctx, `UPDATE criteria SET max = 5 WHERE code = 'nia'`); sqlState(err) != "23514" {
		t.Errorf("lowering max below a score: %v", err)
	}
	// Enums, slugs and uniqueness.
	for q, code := range map[string]string{
		`INSERT INTO organizations (slug, name_ko, name_en, kind) VALUES ('x', 'x', 'x', 'alien')`: "22P02",
		`INSERT INTO organizations (slug, name_ko, name_en) VALUES ('Bad Slug', 'x', 'x')`:         "23514",
		`INSERT INTO organizations (slug, name_ko, name_en) VALUES ('kaist', 'x', 'x')`:            "23505",
	} {
		if _, err := pool.Exec(ctx, q); sqlState(err) != code {
			t.Errorf("%s: %v, want SQLSTATE %s", q, err, code)
		}
	}
}

func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	if err != nil {
		return "not a PostgreSQL error: " + err.Error()
	}
	return ""
}

// Emptying a list in the file removes every row of it (an empty list of
// kept ids must not be sent as NULL, which would match nothing).
func TestImportEmptiedListsDelete(t *testing.T) {
	store, pool, ctx := importRecord(t)
	f := readProgram(t, realProgram)
	for i := range f.Teams {
		if f.Teams[i].Slug == "lg" {
			f.Teams[i].Members = nil
		}
	}
	f.Timeline = nil
	f.Budgets = nil
	if _, err := store.ImportProgram(ctx, f); err != nil {
		t.Fatal(err)
	}
	var members, events, budgets int
	err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM memberships m JOIN teams t ON t.id = m.team_id WHERE t.slug = 'lg'),
  (SELECT count(*) FROM events), (SELECT count(*) FROM budgets)`).Scan(&members, &events, &budgets)
	if err != nil {
		t.Fatal(err)
	}
	if members != 0 || events != 0 || budgets != 0 {
		t.Errorf("after emptying the lists: %d members, %d events, %d budgets; want none", members, events, budgets)
	}
}

// A published round, and a team that took part in one, stay on the record
// even when a file no longer lists them.
func TestImportKeepsPublishedRecord(t *testing.T) {
	store, pool, ctx := importRecord(t)
	unchanged := snapshot(t, pool)
	f := readProgram(t, realProgram)
	f.Rounds = f.Rounds[1:] // drop the published document review
	if _, err := store.ImportProgram(ctx, f); !errors.Is(err, contest.ErrRoundState) || !strings.Contains(err.Error(), "document-review") {
		t.Errorf("dropping a published round: %v", err)
	}
	f = readProgram(t, realProgram)
	for i := range f.Rounds {
		var entries []programfile.Entry
		for _, e := range f.Rounds[i].Entries {
			if e.Team != "lunit" {
				entries = append(entries, e)
			}
		}
		f.Rounds[i].Entries = entries
		var outcomes []programfile.Outcome
		for _, o := range f.Rounds[i].Outcomes {
			if o.Team != "lunit" {
				outcomes = append(outcomes, o)
			}
		}
		f.Rounds[i].Outcomes = outcomes
	}
	var teams []programfile.Team
	for _, tm := range f.Teams {
		if tm.Slug != "lunit" {
			teams = append(teams, tm)
		}
	}
	f.Teams = teams
	if _, err := store.ImportProgram(ctx, f); !errors.Is(err, contest.ErrRoundState) || !strings.Contains(err.Error(), "lunit") {
		t.Errorf("dropping a team of a published round: %v", err)
	}
	unchanged("a refused import")
}

// One file may lower a criterion's maximum together with the scores above
// it: the maximum is checked against the scores at commit.
func TestImportLowersMaximumWithScores(t *testing.T) {
	t.Parallel()
	pool := pgtest.New(t)
	store := postgres.New(pool)
	ctx := t.Context()
	txt := func(s string) programfile.Text { return programfile.Text{KO: s, EN: s} }
	file := func(max, value string) *programfile.File {
		return &programfile.File{
			Program:       programfile.Program{Slug: "p", Name: txt("P"), Ministry: txt("M")},
			Organizations: []programfile.Organization{{Slug: "o", Name: txt("O"), Kind: "other"}},
			Teams:         []programfile.Team{{Slug: "t", Name: txt("T"), Lead: "o"}},
			Rounds: []programfile.Round{{Slug: "r", Kind: "stage", Name: txt("R"), Rule: programfile.Rule{Advance: 1},
				Criteria: []programfile.Criterion{{Code: "a", Name: txt("A"), Max: max}},
				Entries:  []programfile.Entry{{Team: "t", Status: "eligible"}},
				Scores:   []programfile.Score{{Team: "t", Criterion: "a", Value: value}}}},
		}
	}
	if _, err := store.ImportProgram(ctx, file("20.00", "15.00")); err != nil {
		t.Fatal(err)
	}
	if _, err := store.ImportProgram(ctx, file("10.00", "8.00")); err != nil {
		t.Fatalf("lowering max and score together: %v", err)
	}
	// Lowering the maximum below a score that stays is still refused, at commit.
	_, err := store.ImportProgram(ctx, file("5.00", "8.00"))
	if err == nil {
		t.Fatal("a maximum below an entered score was accepted")
	}
}
