package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

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
