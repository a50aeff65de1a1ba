package main

import (
	"bytes"
	"context"
	"flag"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kai-challenge/portal/internal/fixtures"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestMain(m *testing.M) {
	if os.Getenv("PORTAL_TEST_RUN_MAIN") == "1" {
		main() // this test binary acting as the portal: see startPortal
		os.Exit(0)
	}
	pgtest.Main(m)
}

// cli runs the portal's run function against the database at url and
// returns stdout, stderr and the error.
func cli(t *testing.T, url string, args ...string) (string, string, error) {
	t.Helper()
	return cliIn(t, url, "", args...)
}

// cliIn is cli with stdin as given.
func cliIn(t *testing.T, url, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string {
		if k == "DATABASE_URL" {
			return url
		}
		return ""
	}
	err := run(context.Background(), args, getenv, strings.NewReader(stdin), &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

func mustCLI(t *testing.T, url string, args ...string) string {
	t.Helper()
	out, errOut, err := cli(t, url, args...)
	if err != nil {
		t.Fatalf("portal %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// The whole program boots: run serves, /healthz and /readyz answer, and
// cancelling the context shuts it down cleanly.
func TestServeBootsAndStops(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stdout, stderr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve", "-addr", addr}, func(k string) string {
			if k == "DATABASE_URL" {
				return url
			}
			return ""
		}, strings.NewReader(""), &stdout, &stderr)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for _, path := range []string{"/healthz", "/readyz"} {
		for {
			resp, err := http.Get("http://" + addr + path)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s never answered 200: %v\n%s", path, err, stderr.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
}

// stage1Program writes the stage-1 test program (fixtures.Stage1Program)
// with the given entries, its scores in the CSV's order or shuffled, and
// returns its path.
func stage1Program(t *testing.T, shuffle bool, entries string) string {
	t.Helper()
	src, err := fixtures.Stage1Program(entries, fixtures.Stage1Options{Shuffle: shuffle})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "program.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const stage1Entries = fixtures.Stage1Entries

// Shuffled entries: the order of a file must never matter.
const stage1EntriesShuffled = `      - {team: nc-ai}
      - {team: naver-cloud, status: disqualified, reason: {ko: "독자성 기준 미충족", en: "failed the independence requirement"}}
      - {team: upstage}
      - {team: lg}
      - {team: skt}`

func TestResultsJSONIsExactAndOrderIndependent(t *testing.T) {
	t.Parallel()
	got := map[bool]string{}
	for _, shuffled := range []bool{false, true} {
		url := pgtest.URL(t)
		entries := stage1Entries
		if shuffled {
			entries = stage1EntriesShuffled
		}
		mustCLI(t, url, "import", stage1Program(t, shuffled, entries))
		got[shuffled] = mustCLI(t, url, "results", "stage-1", "--json")
	}
	golden := "testdata/stage1-results.json"
	if *update {
		if err := os.WriteFile(golden, []byte(got[false]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got[false]); diff != "" {
		t.Errorf("results --json differs from %s (-want +got):\n%s", golden, diff)
	}
	if got[true] != got[false] {
		t.Errorf("the same data in a different order gave different output:\n%s", cmp.Diff(got[false], got[true]))
	}
	for _, s := range []string{`"status": "preview"`, `"team": "nc-ai"`, `"reason_code": "below_cut"`, `"outcome": "disqualified"`, `"total": "90.20"`} {
		if !strings.Contains(got[false], s) {
			t.Errorf("results JSON lacks %s", s)
		}
	}
}

func TestPublishFreezesResults(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	mustCLI(t, url, "import", stage1Program(t, false, stage1Entries))
	preview := mustCLI(t, url, "results", "stage-1", "--json")
	admin := addAdmin(t, url, "admin@example.com")
	mustCLI(t, url, "round", "close", "stage-1")
	out := mustCLI(t, url, "round", "publish", "stage-1", "--as", admin)
	if !strings.Contains(out, "published") {
		t.Errorf("publish said %q", out)
	}
	published := mustCLI(t, url, "results", "stage-1", "--json")
	if want := strings.Replace(preview, `"status": "preview"`, `"status": "published"`, 1); published != want {
		t.Errorf("published results differ from the preview:\n%s", cmp.Diff(want, published))
	}
	// Scores of a published round are read-only.
	csvPath := filepath.Join(t.TempDir(), "s.csv")
	os.WriteFile(csvPath, []byte("team,criterion,evaluator,value\nlg,nia,,1.00\n"), 0o644)
	if _, _, err := cli(t, url, "scores", "import", "stage-1", csvPath); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("score import into a published round: err = %v, want read-only", err)
	}
	// Re-importing the same file is fine; a file that changes a published
	// score is refused, and nothing changes.
	prog := stage1Program(t, false, stage1Entries)
	mustCLI(t, url, "import", prog)
	data, _ := os.ReadFile(prog)
	changed := strings.Replace(string(data), "{team: lg, criterion: nia, value: 9.20}", "{team: lg, criterion: nia, value: 9.10}", 1)
	if changed == string(data) {
		t.Fatal("fixture edit did not apply")
	}
	os.WriteFile(prog, []byte(changed), 0o644)
	if _, _, err := cli(t, url, "import", prog); err == nil || !strings.Contains(err.Error(), "only through a correction") {
		t.Errorf("re-import changing a published score: err = %v", err)
	}
	if again := mustCLI(t, url, "results", "stage-1", "--json"); again != published {
		t.Error("a refused import changed the published results")
	}
	// Publishing twice is refused.
	if _, _, err := cli(t, url, "round", "publish", "stage-1", "--as", admin); err == nil {
		t.Error("second publish accepted")
	}
}

func TestPublishRefusesIncompleteRound(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	path := stage1Program(t, false, stage1Entries)
	data, _ := os.ReadFile(path)
	// Drop NC AI's expert evaluator 3 score.
	lines := strings.Split(string(data), "\n")
	var kept []string
	for _, l := range lines {
		if strings.Contains(l, "team: nc-ai, criterion: expert, evaluator: 3,") {
			continue
		}
		kept = append(kept, l)
	}
	os.WriteFile(path, []byte(strings.Join(kept, "\n")), 0o644)
	mustCLI(t, url, "import", path)
	js := mustCLI(t, url, "results", "stage-1", "--json")
	if !strings.Contains(js, `"complete": false`) || !strings.Contains(js, `"criterion": "expert",`+"\n"+`      "evaluator": 3`) {
		t.Errorf("results do not report the missing score:\n%s", js)
	}
	admin := addAdmin(t, url, "admin@example.com")
	for _, cmd := range []string{"close", "publish"} {
		_, _, err := cli(t, url, "round", cmd, "stage-1", "--as", admin)
		if err == nil || !strings.Contains(err.Error(), "team nc-ai, criterion expert, evaluator 3") {
			t.Errorf("round %s of an incomplete round: err = %v, want it to list the missing score", cmd, err)
		}
	}
}

// A tie across the cut blocks publication until a decision is recorded; the
// decision and its reason then appear in the results.
func TestTieAtCutBlocksUntilDecided(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	// Everyone eligible, N = 4: make NC AI's scores equal to Naver Cloud's so
	// the two tie for 4th place.
	path := stage1Program(t, false, strings.Replace(stage1Entries,
		`{team: naver-cloud, status: disqualified, reason: {ko: "독자성 기준 미충족", en: "failed the independence requirement"}}`,
		`{team: naver-cloud}`, 1))
	data, _ := os.ReadFile(path)
	var out []string
	naver := map[string]string{}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, "team: naver-cloud, criterion:") {
			naver[strings.SplitN(strings.SplitN(l, "criterion: ", 2)[1], ", value", 2)[0]] = l
		}
	}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, "team: nc-ai, criterion:") {
			key := strings.SplitN(strings.SplitN(l, "criterion: ", 2)[1], ", value", 2)[0]
			l = strings.Replace(naver[key], "naver-cloud", "nc-ai", 1)
		}
		out = append(out, l)
	}
	os.WriteFile(path, []byte(strings.Join(out, "\n")), 0o644)
	mustCLI(t, url, "import", path)
	js := mustCLI(t, url, "results", "stage-1", "--json")
	if !strings.Contains(js, `"blocked": true`) || strings.Count(js, `"reason_code": "tie_at_cut"`) != 2 {
		t.Fatalf("tie not blocked:\n%s", js)
	}
	admin := addAdmin(t, url, "admin@example.com")
	mustCLI(t, url, "round", "close", "stage-1")
	if _, _, err := cli(t, url, "round", "publish", "stage-1", "--as", admin); err == nil || !strings.Contains(err.Error(), "tie") {
		t.Errorf("publish of a blocked round: err = %v", err)
	}
	if _, _, err := cli(t, url, "round", "decide", "stage-1", "--advance", "lg", "--reason-ko", "가", "--reason-en", "a"); err == nil {
		t.Error("a decision naming a team outside the tie was accepted")
	}
	mustCLI(t, url, "round", "decide", "stage-1", "--advance", "nc-ai", "--reason-ko", "사용자 평가 우위로 결정", "--reason-en", "decided on the user evaluation")
	js = mustCLI(t, url, "results", "stage-1", "--json")
	if !strings.Contains(js, `"blocked": false`) || strings.Count(js, `"reason_code": "decision"`) != 2 || !strings.Contains(js, "decided on the user evaluation") {
		t.Errorf("decision not applied:\n%s", js)
	}
	mustCLI(t, url, "round", "publish", "stage-1", "--as", admin)
}

func TestScoresImportCSV(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	mustCLI(t, url, "import", stage1Program(t, false, stage1Entries))
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	before := mustCLI(t, url, "results", "stage-1", "--json")
	const header = "team,criterion,evaluator,value\n"
	good := "lg,nia,,9.10\nskt,expert,2,30.5\n"
	cases := []struct{ name, body, want string }{
		{"unknown team", good + "kt,nia,,5\n", "line 4: unknown team \"kt\""},
		{"above max", good + "lg,global_common,,20.5\n", "line 4: value 20.5 exceeds the maximum 20.00"},
		{"decimal comma", good + "lg,nia,,\"1,5\"\n", "line 4: value \"1,5\" must be a number"},
		{"missing evaluator", good + "lg,expert,,30\n", "line 4: criterion \"expert\" is scored by a panel; evaluator (1–10) is missing"},
		{"duplicate key", good + "lg,nia,,9.00\n", "line 4: duplicate score for team \"lg\", criterion \"nia\""},
		{"category", good + "lg,benchmark,,30\n", "line 4: criterion \"benchmark\" is a category"},
		{"missing column", "team,criterion,value\nlg,nia,9\n", "line 1: missing column \"evaluator\""},
	}
	for _, c := range cases {
		body := c.body
		if !strings.HasPrefix(body, "team,") {
			body = header + body
		}
		_, _, err := cli(t, url, "scores", "import", "stage-1", write(c.name+".csv", body))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "nothing was imported") {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
	if after := mustCLI(t, url, "results", "stage-1", "--json"); after != before {
		t.Fatal("a rejected CSV changed the scores")
	}
	// A BOM is tolerated; the dry run reports and writes nothing.
	p := write("good.csv", "\ufeff"+header+good+"upstage,nia,,8.6\n") // 8.6 = the 8.60 already stored
	out := mustCLI(t, url, "scores", "import", "stage-1", p, "--dry-run")
	if !strings.Contains(out, "dry run") || !strings.Contains(out, "0 new, 2 changed, 1 unchanged") {
		t.Errorf("dry run said:\n%s", out)
	}
	if after := mustCLI(t, url, "results", "stage-1", "--json"); after != before {
		t.Fatal("the dry run changed the scores")
	}
	out = mustCLI(t, url, "scores", "import", "stage-1", p)
	if !strings.Contains(out, "0 new, 2 changed, 1 unchanged") || !strings.Contains(out, "lg nia 9.20 → 9.10") {
		t.Errorf("import said:\n%s", out)
	}
	if after := mustCLI(t, url, "results", "stage-1", "--json"); after == before {
		t.Fatal("the import changed nothing")
	}
}

func TestImportBadFileChangesNothing(t *testing.T) {
	t.Parallel()
	url := pgtest.RecordURL(t)
	data, err := os.ReadFile(fixtures.RecordFile())
	if err != nil {
		t.Fatal(err)
	}
	// One bad value deep in the file: the NIA benchmark's maximum.
	bad := strings.Replace(string(data), "name: {ko: NIA 벤치마크, en: NIA benchmarks}\n            max: 10", "name: {ko: NIA 벤치마크, en: NIA benchmarks}\n            max: 0", 1)
	if bad == string(data) {
		t.Fatal("fixture edit did not apply")
	}
	p := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(p, []byte(bad), 0o644)
	before := mustCLI(t, url, "results", "stage-1", "--json")
	_, _, err = cli(t, url, "import", p)
	if err == nil || !strings.Contains(err.Error(), "rounds[2].criteria[0].children[0].max: must be > 0") {
		t.Fatalf("bad file: err = %v, want the path of the bad value", err)
	}
	if after := mustCLI(t, url, "results", "stage-1", "--json"); after != before {
		t.Error("a rejected file changed the database")
	}
}

// Restarting `serve -import` never overwrites what staff entered since the
// first start: the file seeds an empty database only.
func TestServeImportSeedsOnce(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	pool, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	store := postgres.New(pool)
	var out bytes.Buffer
	if err := seedFrom(context.Background(), store, fixtures.RecordFile(), &out); err != nil || !strings.Contains(out.String(), "imported sovereign-ai") {
		t.Fatalf("first start: %v\n%s", err, out.String())
	}
	if _, err := pool.Exec(context.Background(), `UPDATE teams SET model = 'entered by staff' WHERE slug = 'lg'`); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := seedFrom(context.Background(), store, fixtures.RecordFile(), &out); err != nil || !strings.Contains(out.String(), "already in the database") {
		t.Fatalf("second start: %v\n%s", err, out.String())
	}
	var model string
	if err := pool.QueryRow(context.Background(), `SELECT model FROM teams WHERE slug = 'lg'`).Scan(&model); err != nil || model != "entered by staff" {
		t.Errorf("the restart overwrote staff changes: model = %q (%v)", model, err)
	}
}

// `portal migrate down` rolls the schema back without migrating up first,
// and `migrate up` brings it back.
func TestMigrateCommand(t *testing.T) {
	t.Parallel()
	url := pgtest.EmptyURL(t)
	tables := func() int {
		var n int
		if err := pgtest.Conn(t, url).QueryRow(context.Background(),
			`SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if out := mustCLI(t, url, "migrate", "down"); !strings.Contains(out, "migrate down: done") || tables() != 0 {
		t.Fatalf("down on an empty database: %q, %d tables", out, tables())
	}
	mustCLI(t, url, "migrate", "up")
	if tables() < 10 {
		t.Fatalf("after up: %d tables", tables())
	}
	mustCLI(t, url, "migrate", "down")
	if n := tables(); n != 0 {
		t.Fatalf("after down: %d tables left", n)
	}
	if _, _, err := cli(t, url, "migrate", "sideways"); err == nil || exitCode(err) != 2 {
		t.Errorf("bad direction: %v", err)
	}
	if _, _, err := cli(t, url, "round", "explode", "stage-1"); err == nil || exitCode(err) != 2 {
		t.Errorf("unknown round action: %v", err)
	}
}

// TestResultsStage2: the ministry's stage-2 scheme (raw AAII on a 0–100
// scale, every leaf rounded to one decimal) gives the published table.
func TestResultsStage2(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	mustCLI(t, url, "import", "../../internal/programfile/testdata/stage2.yaml")
	table := mustCLI(t, url, "results", "stage-2")
	var got []string
	for _, line := range strings.Split(table, "\n") {
		if f := strings.Fields(line); len(f) >= 7 && f[0] >= "0" && f[0] <= "9" {
			got = append(got, strings.Join(f[:7], " "))
		}
	}
	want := []string{
		"1 skt 22.2 29.3 19.1 70.6 advanced",
		"2 upstage 22.7 29.1 18.1 69.9 advanced",
		"3 lg 20.6 29.5 18.9 69.0 advanced",
		"4 motif 24.6 27.1 14.1 65.8 eliminated",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results table (-want +got):\n%s\n%s", diff, table)
	}
	if !strings.Contains(table, "rounding: 1 decimal, leaf level; discloses: full") {
		t.Errorf("results table does not say how it rounds:\n%s", table)
	}
	js := mustCLI(t, url, "results", "stage-2", "--json")
	for _, s := range []string{`"total": "70.6"`, `"total": "65.8"`, `"outcome": "eliminated"`} {
		if !strings.Contains(js, s) {
			t.Errorf("results JSON lacks %s:\n%s", s, js)
		}
	}
}

// A command on a database that needs nothing from the owner (schema
// current, runtime role in place) opens one connection: the runtime
// role's, which checks the schema version itself.
func TestCommandOnReadyDatabaseOpensOneConnection(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	ctx := t.Context()
	conn := pgtest.Conn(t, url)
	// This connection's own count is flushed now, not at some later moment.
	if _, err := conn.Exec(ctx, `SELECT pg_stat_force_next_flush()`); err != nil {
		t.Fatal(err)
	}
	// sessions is the number of sessions opened on the database so far,
	// once every other session has ended (each flushes its count then).
	sessions := func() int64 {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			var others, n int64
			if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&others); err != nil {
				t.Fatal(err)
			}
			if others > 0 && time.Now().Before(deadline) {
				continue
			}
			if err := conn.QueryRow(ctx, `SELECT sessions FROM pg_stat_database WHERE datname = current_database()`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	before := sessions()
	mustCLI(t, url, "user", "list")
	if opened := sessions() - before; opened != 1 {
		t.Errorf("portal user list opened %d connections, want 1", opened)
	}
}
