package web_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programgen"
	"github.com/kai-challenge/portal/internal/web"
)

// generatedEnv is a portal (without a page cache unless given one) on a
// database holding only a generated program of o's size.
func generatedEnv(tb testing.TB, o programgen.Options, deps web.Deps) http.Handler {
	tb.Helper()
	var buf bytes.Buffer
	if err := programgen.Write(&buf, o); err != nil {
		tb.Fatal(err)
	}
	f := parseProgram(tb, buf.Bytes())
	st := postgres.New(pgtest.New(tb))
	if sum, err := st.ImportProgram(context.Background(), f); err != nil || len(sum.Notes) > 0 {
		tb.Fatalf("import: %v %v", err, sum.Notes)
	}
	deps.Store, deps.BaseURL = st, baseURL
	deps.Logger = quietLogger()
	return web.NewServer(deps)
}

// A round of more than a dozen teams lists each team's computation on a
// page of its own; the round page keeps every team's figures.
func TestLargeRoundLinksEachTeamsComputation(t *testing.T) {
	t.Parallel()
	o := programgen.Options{Teams: 15, Leaves: 4, Categories: 2, Evaluators: 5, Seed: 3}
	h := generatedEnv(t, o, web.Deps{})
	round := "/rounds/" + programgen.RoundSlug

	res := get(t, h, round)
	if res.status != http.StatusOK {
		t.Fatalf("round page: status %d", res.status)
	}
	doc := parseHTML(t, res.body)
	if n := doc.Find(testid("results-table") + " tbody tr[data-testid^='results-row-']").Length(); n != 15 {
		t.Errorf("results table: %d team rows, want 15", n)
	}
	if n := doc.Find("details.team-method").Length(); n != 0 {
		t.Errorf("the round page shows %d teams' computations inline, want none", n)
	}
	links := doc.Find(testid("computations") + " a")
	if links.Length() != 15 {
		t.Fatalf("%d computation links, want 15", links.Length())
	}
	first, _ := links.First().Attr("href")
	if !strings.HasPrefix(first, round+"/computation/team-") {
		t.Fatalf("first computation link %q", first)
	}

	page := get(t, h, first)
	if page.status != http.StatusOK {
		t.Fatalf("%s: status %d", first, page.status)
	}
	pdoc := parseHTML(t, page.body)
	if n := pdoc.Find("details.team-method").Length(); n != 1 {
		t.Errorf("computation page: %d team computations, want 1", n)
	}
	// 4 leaves × 5 evaluators, each value listed.
	if n := pdoc.Find("details.team-method ul.panel-values li").Length(); n != 20 {
		t.Errorf("computation page: %d evaluator values, want 20", n)
	}
	if title := selText(t, page.body, testid("computation-title")); !strings.Contains(title, "팀") {
		t.Errorf("computation title %q does not name the team", title)
	}
	if en := get(t, h, "/en"+first); en.status != http.StatusOK || !strings.Contains(en.body, "how the total") {
		t.Errorf("English computation page: status %d", en.status)
	}
	for _, p := range []string{round + "/computation/no-such-team", "/rounds/no-such-round/computation/team-001"} {
		if got := get(t, h, p); got.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, got.status)
		}
	}
}
