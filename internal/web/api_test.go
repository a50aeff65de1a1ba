package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/web"
)

// apiJSON gets path and decodes its JSON body into v.
func apiJSON(t *testing.T, h http.Handler, path string, v any) response {
	t.Helper()
	r := get(t, h, path)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, r.status, r.body)
	}
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return r
}

// TestAPIRecord checks the API's figures against the public record: the
// stage-1 results, LG's team page, undisclosed values as null, both
// languages, KST timestamps and stable links.
func TestAPIRecord(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	h := env.h

	var results struct {
		Program, Round, Status string
		Teams                  []struct {
			Team       string
			Rank       *int
			Total      *string
			Categories map[string]string
			Outcome    *string
			ReasonCode string `json:"reason_code"`
			Reason     contest.Text
		}
	}
	apiJSON(t, h, "/api/v1/rounds/stage-1/results", &results)
	if results.Program != "sovereign-ai" || results.Round != "stage-1" || results.Status != "published" || len(results.Teams) != 5 {
		t.Fatalf("results = %+v", results)
	}
	byTeam := map[string]int{}
	for i, tm := range results.Teams {
		byTeam[tm.Team] = i
	}
	lg := results.Teams[byTeam["lg"]]
	if lg.Total == nil || *lg.Total != "90.20" || lg.Categories["benchmark"] != "33.60" || lg.Categories["expert"] != "31.60" ||
		lg.Categories["user"] != "25.00" || *lg.Outcome != "advanced" || lg.ReasonCode != "announced" {
		t.Errorf("LG = %+v", lg)
	}
	nc := results.Teams[byTeam["nc-ai"]]
	if nc.Total != nil || len(nc.Categories) != 0 || *nc.Outcome != "eliminated" || nc.Reason.KO == "" || nc.Reason.EN == "" {
		t.Errorf("NC AI (scores not disclosed) = %+v", nc)
	}
	if o := results.Teams[byTeam["naver-cloud"]].Outcome; *o != "disqualified" {
		t.Errorf("Naver Cloud outcome %s", *o)
	}

	// The results document is the store's, byte for byte as the CLI prints it.
	rr, err := env.store.PublishedResults(context.Background(), "sovereign-ai", "stage-1")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.MarshalIndent(rr.Report, "", "  ")
	if got := get(t, h, "/api/v1/rounds/stage-1/results").body; got != string(want)+"\n" {
		t.Errorf("results body differs from the store's document:\n%s", got)
	}

	var team map[string]any
	apiJSON(t, h, "/api/v1/teams/lg", &team)
	name := team["name"].(map[string]any)
	if name["ko"] != "LG AI연구원 컨소시엄" || name["en"] != "LG AI Research consortium" || team["status"] != "competing" ||
		team["href"] != baseURL+"/api/v1/teams/lg" || team["web_url"].(map[string]any)["en"] != baseURL+"/en/teams/lg" {
		t.Errorf("LG team = %v", team)
	}
	members := team["members"].([]any)
	if len(members) != 10 {
		t.Errorf("LG has %d members, want 10", len(members))
	}
	scores := team["latest_scores"].(map[string]any)
	if scores["round"].(map[string]any)["slug"] != "stage-1" || len(scores["figures"].([]any)) != 7 {
		t.Errorf("LG latest scores = %v", scores)
	}
	rounds := team["rounds"].([]any)
	stage2 := rounds[len(rounds)-1].(map[string]any)
	if stage2["round"].(map[string]any)["slug"] != "stage-2" || stage2["published"] != false || stage2["outcome"] != nil ||
		stage2["eligibility"] != nil || stage2["status"] != "planned" {
		t.Errorf("LG stage 2 before publication = %v", stage2)
	}

	var budgets struct {
		Budgets []struct {
			Year        int
			AmountKRW   *int64 `json:"amount_krw"`
			Allocations []struct {
				Team      *struct{ Slug string }
				AmountKRW *int64 `json:"amount_krw"`
				Quantity  *int
			}
		}
	}
	apiJSON(t, h, "/api/v1/budgets", &budgets)
	if len(budgets.Budgets) != 2 || *budgets.Budgets[0].AmountKRW != 200_000_000_000 || budgets.Budgets[1].AmountKRW != nil {
		t.Errorf("budgets = %+v", budgets)
	}
	if a := budgets.Budgets[0].Allocations[5]; a.Team != nil || a.AmountKRW == nil || *a.AmountKRW != 10_000_000_000 {
		t.Errorf("program-wide allocation = %+v", a)
	}

	var rounds2 struct {
		Program string
		Rounds  []struct {
			Slug, Status string
			Published    bool
			PublishedAt  *string `json:"published_at"`
			AnnounceAt   *string `json:"announce_at"`
			Through      *int
			ResultsHref  *string `json:"results_href"`
		}
	}
	apiJSON(t, h, "/api/v1/rounds", &rounds2)
	var got []string
	for _, r := range rounds2.Rounds {
		got = append(got, r.Slug+":"+r.Status)
		if r.Published != (r.PublishedAt != nil) || r.Published != (r.Through != nil) || r.Published != (r.ResultsHref != nil) {
			t.Errorf("round %s: published %v, published_at %v, through %v, results %v", r.Slug, r.Published, r.PublishedAt, r.Through, r.ResultsHref)
		}
		if r.AnnounceAt != nil && !strings.HasSuffix(*r.AnnounceAt, "+09:00") {
			t.Errorf("round %s announced at %s, not in KST", r.Slug, *r.AnnounceAt)
		}
	}
	want2 := []string{"document-review:published", "presentation-review:published", "stage-1:published", "additional-call:published",
		"stage-2:planned", "final:planned"}
	if diff := cmp.Diff(want2, got); diff != "" {
		t.Errorf("rounds (-want +got):\n%s", diff)
	}
	if r := rounds2.Rounds[2]; *r.PublishedAt != "2026-01-15T00:00:00+09:00" || *r.ResultsHref != baseURL+"/api/v1/rounds/stage-1/results" {
		t.Errorf("stage 1 = %+v", r)
	}

	var prog map[string]any
	apiJSON(t, h, "/api/v1/programs/sovereign-ai", &prog)
	if prog["next_round"].(map[string]any)["slug"] != "stage-2" || prog["latest_round"].(map[string]any)["slug"] != "additional-call" ||
		len(prog["still_in"].([]any)) != 4 {
		t.Errorf("program overview = next %v latest %v still in %v", prog["next_round"], prog["latest_round"], prog["still_in"])
	}
}

// TestAPIErrors: unknown resources are 404, malformed parameters 400,
// writes 405, all as JSON errors that are never cached.
func TestAPIErrors(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	for _, tc := range []struct {
		method, path string
		status       int
		code         string
	}{
		{"GET", "/api/v1/teams/nobody", 404, "not_found"},
		{"GET", "/api/v1/rounds/stage-9", 404, "not_found"},
		{"GET", "/api/v1/rounds/stage-2/results", 404, "not_found"},
		{"GET", "/api/v1/rounds/stage-1/revisions/1", 404, "not_found"},
		{"GET", "/api/v1/organizations/nowhere", 404, "not_found"},
		{"GET", "/api/v1/programs/nope", 404, "not_found"},
		{"GET", "/api/v1/teams?program=nope", 404, "not_found"},
		{"GET", "/api/v1/nothing/here", 404, "not_found"},
		{"GET", "/api/v1", 404, "not_found"},
		{"GET", "/api/v1/", 404, "not_found"},
		{"GET", "/api/v1/teams?program=Not%20A%20Slug", 400, "bad_request"},
		{"GET", "/api/v1/teams?program=", 400, "bad_request"},
		{"GET", "/api/v1/rounds/stage-1/revisions/x", 400, "bad_request"},
		{"GET", "/api/v1/rounds/stage-1/revisions/-1", 400, "bad_request"},
		{"POST", "/api/v1/teams", 405, "method_not_allowed"},
		{"DELETE", "/api/v1/teams/lg", 405, "method_not_allowed"},
		{"PUT", "/api/v1/rounds/stage-1/results", 405, "method_not_allowed"},
	} {
		r := do(t, env.h, tc.method, tc.path)
		if r.status != tc.status {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, r.status, tc.status)
			continue
		}
		var e struct {
			Error struct {
				Status  int
				Code    string
				Message string
			}
		}
		if err := json.Unmarshal([]byte(r.body), &e); err != nil || e.Error.Status != tc.status || e.Error.Code != tc.code || e.Error.Message == "" {
			t.Errorf("%s %s: error body %s (%v)", tc.method, tc.path, r.body, err)
		}
		if r.header.Get("Content-Type") != "application/json; charset=utf-8" || r.header.Get("Cache-Control") != "no-store" ||
			r.header.Get("ETag") != "" || r.header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s %s: headers %v", tc.method, tc.path, r.header)
		}
		if tc.status == 405 && r.header.Get("Allow") != "GET, HEAD, OPTIONS" {
			t.Errorf("%s %s: Allow %q", tc.method, tc.path, r.header.Get("Allow"))
		}
		if strings.Contains(r.body, "postgres") || strings.Contains(r.body, "<html") {
			t.Errorf("%s %s leaks internals or HTML: %s", tc.method, tc.path, r.body)
		}
	}
}

// TestAPIConditional: a strong ETag that is a hash of the body, 304 for a
// matching If-None-Match (weak or strong, in a list, or *), HEAD answered
// like GET.
func TestAPIConditional(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	h := env.h
	r := get(t, h, "/api/v1/teams")
	etag := r.header.Get("ETag")
	if !regexp.MustCompile(`^"[0-9a-f]{32}"$`).MatchString(etag) {
		t.Fatalf("ETag %q is not a strong validator", etag)
	}
	if again := get(t, h, "/api/v1/teams"); again.header.Get("ETag") != etag || again.body != r.body {
		t.Errorf("the same resource gave another ETag")
	}
	if other := get(t, h, "/api/v1/teams/lg"); other.header.Get("ETag") == etag {
		t.Errorf("two resources share an ETag")
	}
	for _, inm := range []string{etag, "W/" + etag, `"nope", ` + etag, "*"} {
		r2 := get(t, h, "/api/v1/teams", "If-None-Match", inm)
		if r2.status != http.StatusNotModified || r2.body != "" || r2.header.Get("ETag") != etag || r2.header.Get("Cache-Control") != "public, max-age=60" {
			t.Errorf("If-None-Match %s: %d, ETag %q, body %d bytes", inm, r2.status, r2.header.Get("ETag"), len(r2.body))
		}
	}
	if r2 := get(t, h, "/api/v1/teams", "If-None-Match", `"0123"`); r2.status != http.StatusOK || r2.body != r.body {
		t.Errorf("stale If-None-Match: %d", r2.status)
	}
	head := do(t, h, http.MethodHead, "/api/v1/teams")
	if head.status != http.StatusOK || head.header.Get("ETag") != etag || head.header.Get("Content-Length") == "" {
		t.Errorf("HEAD: %d %v", head.status, head.header)
	}
	// A publication changes the representation, hence the ETag.
	before := get(t, h, "/api/v1/rounds/stage-2")
	if _, err := env.pool.Exec(context.Background(), `UPDATE rounds SET note_en = 'changed' WHERE slug = 'stage-2'`); err != nil {
		t.Fatal(err)
	}
	if after := get(t, h, "/api/v1/rounds/stage-2", "If-None-Match", before.header.Get("ETag")); after.status != http.StatusOK {
		t.Errorf("a changed round still answers 304")
	}
}

// TestAPICORS: any origin may read the API, a preflight is answered for
// GET and HEAD only.
func TestAPICORS(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	h := env.h
	r := get(t, h, "/api/v1/rounds", "Origin", "https://news.example")
	if r.header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(r.header.Get("Access-Control-Expose-Headers"), "ETag") {
		t.Errorf("GET: CORS headers %v", r.header)
	}
	pre := do(t, h, http.MethodOptions, "/api/v1/rounds/stage-1/results", "Origin", "https://news.example",
		"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "If-None-Match")
	if pre.status != http.StatusNoContent || pre.header.Get("Access-Control-Allow-Origin") != "*" ||
		pre.header.Get("Access-Control-Allow-Methods") != "GET, HEAD" || !strings.Contains(pre.header.Get("Access-Control-Allow-Headers"), "If-None-Match") ||
		pre.header.Get("Access-Control-Max-Age") == "" {
		t.Errorf("preflight GET: %d %v", pre.status, pre.header)
	}
	for _, m := range []string{"POST", "DELETE", "PUT"} {
		bad := do(t, h, http.MethodOptions, "/api/v1/teams", "Origin", "https://news.example", "Access-Control-Request-Method", m)
		if bad.status != http.StatusMethodNotAllowed || bad.header.Get("Access-Control-Allow-Methods") != "" {
			t.Errorf("preflight %s: %d %v", m, bad.status, bad.header)
		}
	}
	plain := do(t, h, http.MethodOptions, "/api/v1/teams")
	if plain.status != http.StatusNoContent || plain.header.Get("Allow") != "GET, HEAD, OPTIONS" {
		t.Errorf("OPTIONS: %d %v", plain.status, plain.header)
	}
	// Errors are readable cross-origin too.
	if nf := get(t, h, "/api/v1/teams/nobody", "Origin", "https://news.example"); nf.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("404 without CORS")
	}
}

// TestAPIPublication follows issue 3's acceptance: before publication the
// results are 404; after publishing a fully scored round they are the
// published document; after a correction the new revision is served and
// the old one stays available.
func TestAPIPublication(t *testing.T) {
	t.Parallel()
	env := newEnv(t, false, true)
	h := env.h
	ctx := context.Background()
	if r := get(t, h, "/api/v1/rounds/r1/results"); r.status != http.StatusNotFound {
		t.Fatalf("results before publication: %d %s", r.status, r.body)
	}
	var round map[string]any
	apiJSON(t, h, "/api/v1/rounds/r1", &round)
	if round["published"] != false || round["results_href"] != nil || len(round["outcomes"].([]any)) != 0 ||
		len(round["published_scores"].([]any)) != 0 || round["entries"].([]any)[0].(map[string]any)["eligibility"] != nil {
		t.Errorf("unpublished round shows results: %v", round)
	}

	at := time.Date(2026, 8, 14, 5, 0, 0, 0, time.UTC)
	closeAndPublish(ctx, t, env.store, "demo", "r1", odActor, at)
	var rep struct {
		Status string
		Teams  []struct {
			Team       string
			Rank       *int
			Total      *string
			Outcome    *string
			ReasonCode string `json:"reason_code"`
		}
	}
	apiJSON(t, h, "/api/v1/rounds/r1/results", &rep)
	if rep.Status != "published" || len(rep.Teams) != 3 || *rep.Teams[0].Total != "80.00" || *rep.Teams[2].Outcome != "eliminated" ||
		rep.Teams[2].ReasonCode != "below_cut" || *rep.Teams[2].Rank != 3 {
		t.Errorf("published results = %+v", rep)
	}
	apiJSON(t, h, "/api/v1/rounds/r1", &round)
	if round["published"] != true || round["published_at"] != "2026-08-14T14:00:00+09:00" || round["computed"] != true ||
		len(round["revisions"].([]any)) != 1 || len(round["outcomes"].([]any)) != 3 {
		t.Errorf("published round = %v", round)
	}

	odCorrect(t, env.store, at.Add(24*time.Hour))
	apiJSON(t, h, "/api/v1/rounds/r1/results", &rep)
	if rep.Status != "corrected" || rep.Teams[1].Team != "t3" || *rep.Teams[1].Outcome != "advanced" {
		t.Errorf("corrected results = %+v", rep)
	}
	var v1, v2 struct {
		Revision    int
		PublishedAt string `json:"published_at"`
		Reason      *contest.Text
		Change      map[string]any
		AuditHead   *string `json:"audit_head"`
		Results     struct{ Status string }
	}
	apiJSON(t, h, "/api/v1/rounds/r1/revisions/1", &v1)
	apiJSON(t, h, "/api/v1/rounds/r1/revisions/2", &v2)
	if v1.Revision != 1 || v1.Reason != nil || v1.Change != nil || v1.Results.Status != "published" || v1.AuditHead == nil {
		t.Errorf("revision 1 = %+v", v1)
	}
	if v2.Revision != 2 || *v2.Reason != odWhy || v2.Change["kind"] != "score" || v2.Results.Status != "corrected" || v2.PublishedAt != "2026-08-15T14:00:00+09:00" {
		t.Errorf("revision 2 = %+v", v2)
	}
	apiJSON(t, h, "/api/v1/rounds/r1", &round)
	revs := round["revisions"].([]any)
	if len(revs) != 2 || revs[1].(map[string]any)["reason"].(map[string]any)["en"] != odWhy.EN || round["status"] != "corrected" {
		t.Errorf("revisions = %v", revs)
	}
}

// TestAPIDatabaseDown: a server error is a logged 500 in JSON that tells
// the client nothing internal.
func TestAPIDatabaseDown(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	h := web.NewServer(web.Deps{Store: downStore{}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	for _, p := range []string{"/api/v1/teams", "/api/v1/rounds/stage-1/results"} {
		r := get(t, h, p)
		if r.status != http.StatusInternalServerError || !strings.Contains(r.body, `"internal_error"`) || strings.Contains(r.body, "refused") ||
			r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d %s", p, r.status, r.body)
		}
	}
	if !strings.Contains(logs.String(), "connection refused") || !strings.Contains(logs.String(), "path=/api/v1/teams") {
		t.Errorf("the error is not logged with the request: %s", logs.String())
	}
	// The OpenAPI document needs no database.
	if r := get(t, h, "/api/v1/openapi.json"); r.status != http.StatusOK {
		t.Errorf("openapi.json without a database: %d", r.status)
	}
}

// TestAPIEmpty: with no program yet the program list is empty and the
// rest is 404.
func TestAPIEmpty(t *testing.T) {
	t.Parallel()
	env := newEnv(t, false, false)
	if r := get(t, env.h, "/api/v1/programs"); r.status != http.StatusOK || !strings.Contains(r.body, `"programs": []`) {
		t.Errorf("programs: %d %s", r.status, r.body)
	}
	for _, p := range []string{"/api/v1/teams", "/api/v1/rounds/stage-1/results", "/data/teams.csv", "/feed.atom"} {
		if r := get(t, env.h, p); r.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, r.status)
		}
	}
}

// TestAPIEmbargo plants results in the draft round stage-2 (a score, a
// published figure and statistic, an announced outcome, computed result
// revisions with a correction, an eligibility decision) and then reads
// every API resource, every download and both feeds: none shows any of it,
// and the round's results stay 404.
func TestAPIEmbargo(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	plantSentinels(t, env.pool)
	h := env.h

	paths := []string{"/api/v1/programs", "/api/v1/programs/sovereign-ai", "/api/v1/rounds", "/api/v1/teams", "/api/v1/organizations",
		"/api/v1/budgets", "/data/record.json", "/feed.atom", "/en/feed.atom", "/data", "/en/data"}
	paths = append(paths, csvFiles...)
	for _, list := range []struct{ path, key, prefix string }{
		{"/api/v1/rounds", "rounds", "/api/v1/rounds/"},
		{"/api/v1/teams", "teams", "/api/v1/teams/"},
		{"/api/v1/organizations", "organizations", "/api/v1/organizations/"},
	} {
		var v map[string]json.RawMessage
		var items []struct{ Slug string }
		if err := json.Unmarshal([]byte(get(t, h, list.path).body), &v); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(v[list.key], &items); err != nil {
			t.Fatal(err)
		}
		for _, x := range items {
			paths = append(paths, list.prefix+x.Slug)
			if list.key == "rounds" {
				paths = append(paths, list.prefix+x.Slug+"/results", list.prefix+x.Slug+"/revisions/1", list.prefix+x.Slug+"/revisions/2")
				for _, f := range roundCSVFiles {
					paths = append(paths, "/data/rounds/"+x.Slug+"/"+f)
				}
			}
		}
	}
	served := 0
	for _, p := range paths {
		r := get(t, h, p)
		odCheckNoSentinel(t, p, r.body)
		if r.status == http.StatusOK {
			served++
		}
		unpublished := strings.Contains(p, "/stage-2/") || strings.Contains(p, "/final/")
		if unpublished && r.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404 before publication", p, r.status)
		}
	}
	if served < 120 {
		t.Errorf("only %d of %d addresses answered 200", served, len(paths))
	}
	// The draft round itself is public, without results or eligibility.
	var round map[string]any
	apiJSON(t, h, "/api/v1/rounds/stage-2", &round)
	for _, key := range []string{"outcomes", "published_scores", "statistics", "revisions"} {
		if n := len(round[key].([]any)); n != 0 {
			t.Errorf("stage 2 has %d %s before publication", n, key)
		}
	}
	if round["through"] != nil || round["results_href"] != nil || round["published"] != false {
		t.Errorf("stage 2 = %v", round)
	}
	for _, e := range round["entries"].([]any) {
		if e.(map[string]any)["eligibility"] != nil {
			t.Errorf("stage 2 entry shows an eligibility before publication: %v", e)
		}
	}
}
