package web_test

// Fixtures and helpers shared by the open-data tests (API, OpenAPI,
// downloads, feed, search). Their names start with od so they stay apart
// from the other tests of the package.

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programfile"
	"github.com/kai-challenge/portal/internal/web"
)

// odBase is the BASE_URL of the open-data test servers.
const odBase = "https://data.example"

// odEnv is a portal on a fresh database.
type odEnv struct {
	h     http.Handler
	pool  *pgxpool.Pool
	store *postgres.Store
}

// odServer returns a portal on a fresh database holding the real record
// (data/sovereign-ai.yaml, the default program) when record is set, and the
// small scored program "demo" (see odDemoFile) when demo is set, imported
// in that order.
func odServer(t *testing.T, record, demo bool) *odEnv {
	t.Helper()
	pool := pgtest.New(t)
	st := postgres.New(pool)
	ctx := context.Background()
	if record {
		data, err := os.ReadFile("../../data/sovereign-ai.yaml")
		if err != nil {
			t.Fatal(err)
		}
		f, err := programfile.Parse(data)
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		if _, err := st.ImportProgram(ctx, f); err != nil {
			t.Fatalf("import: %v", err)
		}
	}
	if demo {
		if _, err := st.ImportProgram(ctx, odDemoFile()); err != nil {
			t.Fatalf("import demo: %v", err)
		}
	}
	h := web.NewServer(web.Deps{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: odBase})
	return &odEnv{h: h, pool: pool, store: st}
}

// odDemoFile is a small program with one fully scored stage round r1 that
// is not published: two direct categories of 50 points, three teams, the
// top two advance (t1 80, t2 60, t3 40).
func odDemoFile() *programfile.File {
	txt := func(ko, en string) programfile.Text { return programfile.Text{KO: ko, EN: en} }
	f := &programfile.File{Program: programfile.Program{Slug: "demo", Name: txt("시범 사업", "Demo program"), Ministry: txt("부처", "Ministry")}}
	f.Organizations = []programfile.Organization{{Slug: "demo-org", Name: txt("시범 기관", "Demo organization"), Kind: "other"}}
	r := programfile.Round{Slug: "r1", Kind: "stage", Name: txt("시범 평가", "Demo evaluation"), Rule: programfile.Rule{Advance: 2},
		Criteria: []programfile.Criterion{{Code: "a", Name: txt("가 영역", "Area A"), Max: "50.00"}, {Code: "b", Name: txt("나 영역", "Area B"), Max: "50.00"}}}
	vals := map[string]string{"t1": "40.00", "t2": "30.00", "t3": "20.00"}
	for i, team := range []string{"t1", "t2", "t3"} {
		n := strconv.Itoa(i + 1)
		f.Teams = append(f.Teams, programfile.Team{Slug: team, Name: txt("시범 팀 "+n, "Demo team "+n), Lead: "demo-org"})
		r.Entries = append(r.Entries, programfile.Entry{Team: team, Status: "eligible"})
		r.Scores = append(r.Scores, programfile.Score{Team: team, Criterion: "a", Value: vals[team]}, programfile.Score{Team: team, Criterion: "b", Value: vals[team]})
	}
	f.Rounds = []programfile.Round{r}
	return f
}

// odActor publishes and corrects in the tests.
var odActor = contest.Actor{Name: "test@example.com"}

type odResponse struct {
	status int
	header http.Header
	body   string
}

// odDo sends a request with the given headers (name, value, ...).
func odDo(t *testing.T, h http.Handler, method, path string, headers ...string) odResponse {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return odResponse{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

func odGet(t *testing.T, h http.Handler, path string, headers ...string) odResponse {
	t.Helper()
	return odDo(t, h, http.MethodGet, path, headers...)
}

// Sentinels planted in the draft round stage-2: none may leave the portal.
var odSentinels = []string{"SENTINEL", "77.77", "55.55", "66.66"}

// odPlantSentinels writes embargoed results into the draft round stage-2: a
// score, a published figure and statistic, an announced outcome, a computed
// result revision with a correction, and an eligibility decision.
func odPlantSentinels(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	_, err := pool.Exec(context.Background(), `
WITH r AS (SELECT id FROM rounds WHERE slug = 'stage-2'),
     lg AS (SELECT id FROM teams WHERE slug = 'lg'),
     skt AS (SELECT id FROM teams WHERE slug = 'skt'),
     c AS (INSERT INTO criteria (round_id, code, name_ko, name_en, max) SELECT r.id, 'sentinel', '센티널', 'Sentinel', 100 FROM r RETURNING id, round_id),
     s AS (INSERT INTO scores (round_id, team_id, criterion_id, value) SELECT c.round_id, lg.id, c.id, 77.77 FROM c, lg),
     p AS (INSERT INTO published_scores (round_id, team_id, criterion_id, value) SELECT r.id, lg.id, NULL, 77.77 FROM r, lg),
     ps AS (INSERT INTO published_stats (round_id, criterion_id, stat, value) SELECT r.id, NULL, 'mean', 66.66 FROM r),
     o AS (INSERT INTO announced_outcomes (round_id, team_id, outcome, reason_ko, reason_en)
           SELECT r.id, lg.id, 'eliminated', 'SENTINEL-EMBARGO', 'SENTINEL-EMBARGO' FROM r, lg),
     rv AS (INSERT INTO result_revisions (round_id, revision, snapshot)
            SELECT r.id, 1, '{"teams": [{"team": "lg", "rank": 1, "total": "77.77", "categories": {"sentinel": "55.55"},
              "outcome": "eliminated", "reason_code": "below_cut", "reason": {"ko": "SENTINEL-REVISION", "en": "SENTINEL-REVISION"}}]}' FROM r),
     rv2 AS (INSERT INTO result_revisions (round_id, revision, reason_ko, reason_en, snapshot, change)
            SELECT r.id, 2, 'SENTINEL-CORRECTION', 'SENTINEL-CORRECTION', '{"teams": []}', '{"kind": "score", "team": "lg", "old": "77.77", "new": "55.55"}' FROM r)
UPDATE entries SET status = 'disqualified', reason_ko = 'SENTINEL-ENTRY', reason_en = 'SENTINEL-ENTRY'
WHERE round_id = (SELECT id FROM r) AND team_id = (SELECT id FROM skt)`)
	if err != nil {
		t.Fatalf("plant sentinels: %v", err)
	}
}

// odCheckNoSentinel fails when a response shows an embargoed value.
func odCheckNoSentinel(t *testing.T, path, body string) {
	t.Helper()
	for _, s := range odSentinels {
		if strings.Contains(body, s) {
			i := strings.Index(body, s)
			t.Errorf("%s shows the embargoed %q near %q", path, s, body[max(0, i-80):min(len(body), i+40)])
		}
	}
}
