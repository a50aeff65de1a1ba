package web_test

// Acceptance of the stage-2 issue on the record as of 2026-12-01 (a frozen
// copy of the program file): stage 2 everywhere in Korean and English, the
// final stage still to come, and the staged disclosure of a round from
// outcomes to aggregates to full, never narrowed.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/fixtures"
	"github.com/kai-challenge/portal/internal/postgres"
)

// serveProgramSource serves a fresh database holding the program file src.
func serveProgramSource(t *testing.T, src string) (http.Handler, *postgres.Store) {
	t.Helper()
	st := importedStore(t, parseProgram(t, []byte(src)))
	return testServer(st), st
}

// decemberServer serves the record as of 2026-12-01.
func decemberServer(t *testing.T) http.Handler {
	t.Helper()
	data, err := os.ReadFile(fixtures.RecordDecemberFile())
	if err != nil {
		t.Fatal(err)
	}
	h, _ := serveProgramSource(t, string(data))
	return h
}

// stage2Lang is what the December record says in one language.
type stage2Lang struct {
	prefix, round, final, pending, earlyTimings, lateTimings string
}

var stage2Langs = []stage2Lang{
	{"", "2차 단계평가", "3차 단계평가", "심사 중", "2027년 초", "2026년 말"},
	{"/en", "Stage 2 evaluation", "Stage 3 (final evaluation)", "pending", "early 2027", "end of 2026"},
}

// langPath is path in the language of prefix ("/en" for the English
// overview, never "/en/").
func langPath(prefix, path string) string {
	if prefix != "" && path == "/" {
		return prefix
	}
	return prefix + path
}

// wantAll fails for each of wants that s lacks.
func wantAll(t *testing.T, what, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// wantNone fails for each of figures that s shows as a number of its own
// (8.8 is not in 28.80, 35.0 not in 35.00).
func wantNoFigure(t *testing.T, what, s string, figures ...string) {
	t.Helper()
	for _, f := range figures {
		re := regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(f) + `($|[^0-9])`)
		if loc := re.FindStringIndex(s); loc != nil {
			t.Errorf("%s shows %q: …%s…", what, f, s[max(0, loc[0]-120):min(len(s), loc[1]+40)])
		}
	}
}

// stage2Totals are the published totals; the two-decimal forms never show.
var stage2Totals = []string{"70.6", "69.9", "69.0", "65.8"}
var stage2Cents = []string{"70.60", "69.90", "69.00", "65.80"}

// Acceptance 1: stage 2 on the overview, standings, round page, team
// pages, history, feed and API, in Korean and English; the final stage
// appears undecided with its conflicting reported timings.
func TestDecemberRecordShowsStage2(t *testing.T) {
	h := decemberServer(t)
	for _, lang := range stage2Langs {
		main := func(path string) (string, *goquery.Document) {
			r := getPage(t, h, langPath(lang.prefix, path))
			doc := parseHTML(t, r.body)
			return textOf(doc.Find("main")), doc
		}
		overview, _ := main("/")
		wantAll(t, langPath(lang.prefix, "/"), overview, append([]string{lang.round, lang.final}, stage2Totals[:3]...)...)
		wantNoFigure(t, langPath(lang.prefix, "/"), overview, stage2Cents...)

		standings, _ := main("/standings")
		wantAll(t, lang.prefix+"/standings", standings, append([]string{lang.round}, stage2Totals...)...)
		wantNoFigure(t, lang.prefix+"/standings", standings, stage2Cents...)

		_, doc := main("/rounds/stage-2")
		var cells []string
		doc.Find(testid("results-table") + " tbody tr").Each(func(_ int, row *goquery.Selection) { cells = append(cells, cellsOf(row)...) })
		for _, want := range append([]string{"22.2", "29.3", "19.1"}, stage2Totals...) {
			if !slices.Contains(cells, want) {
				t.Errorf("%s/rounds/stage-2: results table has no cell %q", lang.prefix, want)
			}
		}
		// Each team's points per leaf, the scaled one from its raw value.
		leaves := textOf(doc.Find(testid("results-method")))
		wantAll(t, lang.prefix+"/rounds/stage-2 per-leaf points", leaves, "35.0 → 8.75 → 8.8", "47.4 → 11.85 → 11.9", "13.4", "12.7", "7.5", "5.7")
		wantNoFigure(t, lang.prefix+"/rounds/stage-2 results", textOf(doc.Find(testid("results-table"))), stage2Cents...)
		if doc.Find(testid("aggregates-table")).Length() != 1 || doc.Find(testid("stats-table")).Length() != 1 {
			t.Errorf("%s/rounds/stage-2: no averages (computed and published)", lang.prefix)
		}
		// The cut: three advance, Motif below it.
		if doc.Find(testid("badge-advanced")).Length() != 3 || !strings.Contains(textOf(doc.Find(testid("results-row-motif"))), "65.8") {
			t.Errorf("%s/rounds/stage-2: the cut does not show three through and Motif out at 65.8", lang.prefix)
		}
		if steps := textsOf(doc.Find(testid("disclosure-step"))); len(steps) != 3 {
			t.Errorf("%s/rounds/stage-2: %d disclosure steps, want 3: %q", lang.prefix, len(steps), steps)
		}
		obj := textOf(one(t, getPage(t, h, lang.prefix+"/rounds/stage-2").body, testid("objection")))
		wantAll(t, lang.prefix+"/rounds/stage-2 objection", obj, lang.pending, "2026")

		team, doc := main("/teams/motif")
		wantAll(t, lang.prefix+"/teams/motif", team, lang.round, "65.8")
		wantNoFigure(t, lang.prefix+"/teams/motif", team, "65.80", "24.60")
		if doc.Find(testid("team-objections")).Length() != 1 {
			t.Errorf("%s/teams/motif: no objections section", lang.prefix)
		}
		if skt, _ := main("/teams/skt"); !strings.Contains(skt, "70.6") || strings.Contains(skt, "70.60") {
			t.Errorf("%s/teams/skt: want 70.6, never 70.60", lang.prefix)
		}

		history, doc := main("/history")
		wantAll(t, lang.prefix+"/history", history, lang.round, lang.final)
		note := textOf(one(t, getPage(t, h, lang.prefix+"/history").body, testid("history-objection")))
		wantAll(t, lang.prefix+"/history objection", note, lang.pending)
		if d := textOf(doc.Find(testid("history-diagram"))); !strings.Contains(d, lang.pending) {
			t.Errorf("%s/history: the diagram does not note Motif's pending objection", lang.prefix)
		}
		if doc.Find(testid("step-upcoming")).Length() != 1 {
			t.Errorf("%s/history: the final stage is not the one round to come", lang.prefix)
		}

		final, doc := main("/rounds/final")
		wantAll(t, lang.prefix+"/rounds/final", final, lang.final, lang.earlyTimings, lang.lateTimings)
		if doc.Find(testid("results-table")+", "+testid("badge-advanced")+", "+testid("badge-eliminated")).Length() != 0 {
			t.Errorf("%s/rounds/final: the undecided final stage shows results", lang.prefix)
		}
	}

	feed := get(t, h, "/feed.atom")
	if n := strings.Count(feed.body, `term="disclosure"`); feed.status != http.StatusOK || n != 3 {
		t.Errorf("feed: %d, %d disclosure entries, want 3", feed.status, n)
	}
	if n := strings.Count(feed.body, `term="objection"`); n != 1 {
		t.Errorf("feed: %d objection entries, want 1", n)
	}

	api := get(t, h, "/api/v1/rounds/stage-2/results")
	wantAll(t, "API results", api.body, `"total": "70.6"`, `"total": "65.8"`, `"outcome": "eliminated"`, `"disclosure": "full"`)
	detail := get(t, h, "/api/v1/rounds/stage-2")
	if err := checkResponse(t, loadOpenAPI(t, h), "/rounds/{slug}", http.MethodGet, "/api/v1/rounds/stage-2", detail); err != nil {
		t.Errorf("API round against the document: %v", err)
	}
	wantAll(t, "API round", detail.body, `"disclosure": "full"`, `"on": "2026-08-18"`, `"on": "2026-08-20"`, `"on": "2026-08-27"`,
		`"filed_on": "2026-08-27"`, `"decision_due": "2026-09-10"`, `"status": "pending"`)
	// The team that filed it lists the objection too, with its round.
	team := get(t, h, "/api/v1/teams/motif")
	if err := checkResponse(t, loadOpenAPI(t, h), "/teams/{slug}", http.MethodGet, "/api/v1/teams/motif", team); err != nil {
		t.Errorf("API team against the document: %v", err)
	}
	var teamDoc struct {
		Objections []struct {
			Round   struct{ Slug string } `json:"round"`
			Team    struct{ Slug string } `json:"team"`
			FiledOn string                `json:"filed_on"`
			Status  string                `json:"status"`
		} `json:"objections"`
	}
	if err := json.Unmarshal([]byte(team.body), &teamDoc); err != nil {
		t.Fatalf("API team: %v", err)
	}
	if o := teamDoc.Objections; len(o) != 1 || o[0].Round.Slug != "stage-2" || o[0].Team.Slug != "motif" ||
		o[0].FiledOn != "2026-08-27" || o[0].Status != "pending" {
		t.Errorf("API team motif objections: %+v, want its pending stage-2 objection filed 2026-08-27", o)
	}
	if final := get(t, h, "/api/v1/rounds/final"); final.status != http.StatusOK || !strings.Contains(final.body, `"published": false`) {
		t.Errorf("API final round: %d %s", final.status, final.body)
	}
	if r := get(t, h, "/api/v1/rounds/final/results"); r.status != http.StatusNotFound {
		t.Errorf("API: the undecided final stage has results (%d)", r.status)
	}
}

// outcomesOnly publishes the stage-2 test program at the outcomes level,
// with no disclosure history yet.
func outcomesOnly(src string) string {
	i := strings.Index(src, "    disclosures:\n")
	j := strings.Index(src, "    criteria:\n")
	return strings.Replace(src[:i]+src[j:], "    disclosure: full\n", "    disclosure: outcomes\n", 1)
}

// publicDocs are every public place a round's figures could show: pages
// in both languages, the API, the downloads, the feed, search and the
// what-if explorer.
var publicDocs = []string{
	"/", "/en", "/standings", "/en/standings", "/rounds/stage-2", "/en/rounds/stage-2", "/rounds/stage-2/what-if",
	"/teams/motif", "/en/teams/skt", "/history", "/feed.atom", "/en/feed.atom", "/search?q=motif", "/en/search?q=stage",
	"/api/v1/rounds/stage-2", "/api/v1/rounds/stage-2/results", "/api/v1/teams/skt", "/api/v1/teams/motif",
	"/data/rounds/stage-2/results.csv", "/data/rounds/stage-2/published-scores.csv", "/data/rounds/stage-2/statistics.csv",
	"/data/outcomes.csv", "/data/record.json", "/embed/standings",
}

// publicText is everything the public sees at path: a page's main text (and
// its diagrams), or a document's body; "" for a document that is not there.
func publicText(t *testing.T, h http.Handler, path string) string {
	t.Helper()
	r := get(t, h, path)
	switch {
	case r.status == http.StatusNotFound:
		return ""
	case r.status != http.StatusOK:
		t.Fatalf("%s: status %d", path, r.status)
	case strings.HasPrefix(r.header.Get("Content-Type"), "text/html"):
		doc := parseHTML(t, r.body)
		return textOf(doc.Find("main, body").First())
	}
	return r.body
}

// leafFigures are the teams' points and raw values per leaf, exact and
// rounded; categoryFigures their points per category.
var (
	leafFigures = []string{"8.8", "9.4", "7.8", "11.9", "13.4", "13.3", "12.8", "12.7", "11.6", "10.8", "11.3", "8.4",
		"7.5", "7.3", "7.6", "5.7", "35.0", "37.4", "31.0", "47.4", "8.75", "9.35", "7.75", "11.85"}
	categoryFigures = []string{"22.2", "22.7", "20.6", "24.6", "29.3", "29.1", "29.5", "27.1", "19.1", "18.1", "18.9", "14.1"}
)

// Acceptance 3: at outcomes no figure shows anywhere public; widening to
// aggregates shows the statistics and still no team's points; full shows
// everything; narrowing is refused and says why.
func TestStagedDisclosureEverywhere(t *testing.T) {
	h, st := stage2Server(t, outcomesOnly)
	ctx := context.Background()
	staff := contest.Actor{Name: "admin@msit.go.kr"}

	for _, path := range publicDocs {
		body := publicText(t, h, path)
		figures := append(append(slices.Clone(leafFigures), categoryFigures...), "70.6", "69.9", "69.0", "65.8", "22.5", "9.48", "68.8")
		wantNoFigure(t, "outcomes "+path, body, figures...)
	}
	if !strings.Contains(publicText(t, h, "/en/rounds/stage-2"), "eliminated") {
		t.Error("outcomes: the round page does not say who was eliminated")
	}

	on := time.Date(2026, 8, 18, 0, 0, 0, 0, time.UTC)
	if err := st.WidenDisclosure(ctx, "sovereign-ai", "stage-2", postgres.DisclosureAggregates, on,
		contest.Text{KO: "영역별 평균", EN: "Block averages"}, staff); err != nil {
		t.Fatal(err)
	}
	// The statistics' extremes are some team's category points or total,
	// unnamed: they show only where the statistics do.
	stats := []string{"/rounds/stage-2", "/en/rounds/stage-2", "/api/v1/rounds/stage-2", "/data/rounds/stage-2/statistics.csv", "/data/record.json"}
	for _, path := range publicDocs {
		figures := append(slices.Clone(leafFigures), "69.9", "69.0")
		if !slices.Contains(stats, path) {
			figures = append(figures, categoryFigures...)
			figures = append(figures, "70.6", "65.8")
		}
		wantNoFigure(t, "aggregates "+path, publicText(t, h, path), figures...)
	}
	round := getPage(t, h, "/en/rounds/stage-2")
	doc := parseHTML(t, round.body)
	if doc.Find(testid("aggregates-table")).Length() != 1 || doc.Find(testid("results-table")).Length() != 0 {
		t.Error("aggregates: want the statistics table and no results table")
	}
	wantAll(t, "aggregates round page", textOf(doc.Find(testid("aggregates-table"))), "22.5")
	wantAll(t, "aggregates statistics.csv", publicText(t, h, "/data/rounds/stage-2/statistics.csv"), "22.5")

	if err := st.WidenDisclosure(ctx, "sovereign-ai", "stage-2", postgres.DisclosureFull, on.AddDate(0, 0, 9),
		contest.Text{KO: "전체 공개", EN: "Full table"}, staff); err != nil {
		t.Fatal(err)
	}
	wantAll(t, "full round page", publicText(t, h, "/en/rounds/stage-2"), append([]string{"8.8", "29.3", "35.0 → 8.75 → 8.8"}, stage2Totals...)...)
	wantAll(t, "full API", publicText(t, h, "/api/v1/rounds/stage-2/results"), `"total": "70.6"`, `"rank": 4`)
	wantAll(t, "full team page", publicText(t, h, "/teams/motif"), "65.8")
	wantAll(t, "full CSV", publicText(t, h, "/data/rounds/stage-2/results.csv"), "70.6", "65.8")
	wantAll(t, "full what-if", publicText(t, h, "/en/rounds/stage-2/what-if"), "70.6")

	err := st.WidenDisclosure(ctx, "sovereign-ai", "stage-2", postgres.DisclosureAggregates, on.AddDate(0, 0, 10),
		contest.Text{KO: "축소", EN: "Narrow"}, staff)
	if !errors.Is(err, contest.ErrInvalid) || !strings.Contains(err.Error(), "cannot narrow") || !strings.Contains(err.Error(), "only ever widens") {
		t.Errorf("narrowing to aggregates: %v", err)
	}
	wantAll(t, "after a refused narrowing", publicText(t, h, "/api/v1/rounds/stage-2/results"), `"total": "70.6"`)
}
