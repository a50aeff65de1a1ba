package web_test

import (
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// csvFiles are the program-wide CSV downloads.
var csvFiles = []string{"/data/rounds.csv", "/data/outcomes.csv", "/data/teams.csv", "/data/memberships.csv",
	"/data/organizations.csv", "/data/budgets.csv", "/data/allocations.csv"}

// roundCSVFiles are the downloads of each published round.
var roundCSVFiles = []string{"results.csv", "published-scores.csv", "statistics.csv"}

// getCSV fetches a CSV download, checks what every one must be (UTF-8
// with a BOM, an attachment, a bilingual header) and returns its rows keyed
// by the first column, with the header under "".
func getCSV(t *testing.T, h http.Handler, path string) ([][]string, map[string][]string) {
	t.Helper()
	r := getOK(t, h, path)
	if !strings.HasPrefix(r.body, "\xEF\xBB\xBF") {
		t.Errorf("%s: no UTF-8 byte order mark", path)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv; charset=utf-8") {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	cd := r.header.Get("Content-Disposition")
	name := path[strings.LastIndex(path, "/")+1:]
	if !regexp.MustCompile(`^attachment; filename="sovereign-ai-[a-z0-9-]*` + regexp.QuoteMeta(name) + `"$`).MatchString(cd) {
		t.Errorf("%s: Content-Disposition %q", path, cd)
	}
	if r.header.Get("ETag") == "" || r.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("%s: headers %v", path, r.header)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\xEF\xBB\xBF"))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s: empty", path)
	}
	for _, h := range rows[0] {
		if !strings.Contains(h, " / ") || !regexp.MustCompile(`\p{Hangul}`).MatchString(h) {
			t.Errorf("%s: column %q is not named in Korean and English", path, h)
		}
	}
	byKey := map[string][]string{}
	for _, row := range rows[1:] {
		byKey[row[0]] = row
	}
	return rows, byKey
}

// cell returns the value of the column whose name contains col.
func cell(t *testing.T, header, row []string, col string) string {
	t.Helper()
	for i, h := range header {
		if strings.Contains(h, col) {
			return row[i]
		}
	}
	t.Fatalf("no column %q in %v", col, header)
	return ""
}

// TestDownloadCSV: every CSV opens with Korean intact and matches the
// figures of the pages.
func TestDownloadCSV(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	h := env.h
	for _, p := range csvFiles {
		getCSV(t, h, p)
	}

	rows, _ := getCSV(t, h, "/data/rounds/stage-1/results.csv")
	header := rows[0]
	results := map[string][]string{}
	for _, row := range rows[1:] {
		results[cell(t, header, row, "/ team")] = row
	}
	lg, nc := results["lg"], results["nc-ai"]
	if cell(t, header, lg, "(benchmark") != "33.60" || cell(t, header, lg, "(expert") != "31.60" || cell(t, header, lg, "(user") != "25.00" ||
		cell(t, header, lg, "/ total") != "90.20" || cell(t, header, lg, "팀명(한국어)") != "LG AI연구원 컨소시엄" || cell(t, header, lg, "outcome (Korean)") != "통과" {
		t.Errorf("LG row %v", lg)
	}
	if cell(t, header, nc, "/ total") != "" || cell(t, header, nc, "(benchmark") != "" || cell(t, header, nc, "/ outcome") != "eliminated" ||
		cell(t, header, nc, "reason (Korean)") != "5개 팀 중 총점 최하위" {
		t.Errorf("NC AI row (not disclosed must be empty, not 0) %v", nc)
	}
	if !strings.Contains(header[4], "벤치마크 평가 / Benchmarks") || !strings.Contains(header[4], "max 40.00") {
		t.Errorf("category column %q", header[4])
	}
	// The same figures are in LG's row of the round page.
	row := textsOf(parseHTML(t, get(t, h, "/rounds/stage-1").body).Find(testid("scores-table-lg") + " td"))
	for _, v := range []string{"90.20", "33.60", "31.60", "25.00"} {
		if !slices.Contains(row, v) {
			t.Errorf("the round page's LG row %v lacks %s", row, v)
		}
	}

	_, scores := getCSV(t, h, "/data/rounds/stage-1/published-scores.csv")
	rows, _ = getCSV(t, h, "/data/rounds/stage-1/published-scores.csv")
	var lgFigures []string
	for _, row := range rows[1:] {
		if row[0] == "lg" {
			lgFigures = append(lgFigures, row[3]+"="+row[7])
		}
	}
	if strings.Join(lgFigures, " ") != "benchmark=33.60 nia=9.20 global_common=14.40 global_individual=10.00 expert=31.60 user=25.00 total=90.20" {
		t.Errorf("LG published scores %v", lgFigures)
	}
	if len(scores) != 3 {
		t.Errorf("published scores of %d teams, want LG, SKT and Upstage", len(scores))
	}
	rows, _ = getCSV(t, h, "/data/rounds/stage-1/statistics.csv")
	if len(rows) != 12 {
		t.Errorf("%d statistics, want 11", len(rows)-1)
	}

	rows, teams := getCSV(t, h, "/data/teams.csv")
	if len(rows) != 17 {
		t.Errorf("%d teams, want 16", len(rows)-1)
	}
	if lg := teams["lg"]; !strings.Contains(cell(t, rows[0], lg, "member names (Korean)"), "엘리스") ||
		cell(t, rows[0], lg, "consortium size") != "11" || cell(t, rows[0], lg, "상태(한국어)") != "경쟁 중" {
		t.Errorf("LG team row %v", lg)
	}
	rows, _ = getCSV(t, h, "/data/memberships.csv")
	lgRows := 0
	for _, row := range rows[1:] {
		if row[0] == "lg" {
			lgRows++
		}
	}
	if lgRows != 11 {
		t.Errorf("LG has %d membership rows, want 11 (the lead and 10 members)", lgRows)
	}
	rows, orgs := getCSV(t, h, "/data/organizations.csv")
	if k := orgs["kaist"]; k == nil || cell(t, rows[0], k, "consortia") != "6" || cell(t, rows[0], k, "leads") != "kaist" {
		t.Errorf("KAIST row %v", orgs["kaist"])
	}
	rows, budgets := getCSV(t, h, "/data/budgets.csv")
	if cell(t, rows[0], budgets["2025"], "KRW") != "200000000000" || cell(t, rows[0], budgets["2026"], "KRW") != "" {
		t.Errorf("budgets %v", budgets)
	}
	rows, _ = getCSV(t, h, "/data/allocations.csv")
	if len(rows) != 22 {
		t.Errorf("%d allocations, want 21", len(rows)-1)
	}
	rows, rounds := getCSV(t, h, "/data/rounds.csv")
	if cell(t, rows[0], rounds["2"], "/ round") != "stage-1" || cell(t, rows[0], rounds["2"], "through") != "3" ||
		cell(t, rows[0], rounds["4"], "through") != "" || cell(t, rows[0], rounds["4"], "/ status") != "planned" {
		t.Errorf("rounds %v", rounds)
	}
	rows, _ = getCSV(t, h, "/data/outcomes.csv")
	if len(rows) != 1+15+10+5+2 {
		t.Errorf("%d outcomes, want 32", len(rows)-1)
	}
}

// TestDownloadUnpublished: an unpublished round has no downloads, and the
// record holds published rounds only.
func TestDownloadUnpublished(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	for _, round := range []string{"stage-2", "final", "nope"} {
		for _, f := range roundCSVFiles {
			if r := get(t, env.h, "/data/rounds/"+round+"/"+f); r.status != http.StatusNotFound {
				t.Errorf("%s/%s: %d, want 404", round, f, r.status)
			}
		}
	}
	if r := get(t, env.h, "/data/teams.csv?program=Bad!"); r.status != http.StatusBadRequest {
		t.Errorf("bad program: %d, want 400", r.status)
	}
	if r := get(t, env.h, "/data/teams.csv?program=nope"); r.status != http.StatusNotFound {
		t.Errorf("unknown program: %d, want 404", r.status)
	}

	r := get(t, env.h, "/data/record.json")
	if r.status != http.StatusOK || r.header.Get("Content-Disposition") != `attachment; filename="sovereign-ai-record.json"` {
		t.Fatalf("record: %d %v", r.status, r.header)
	}
	var rec struct {
		Format  string
		Version int
		Rounds  []struct {
			Round   struct{ Slug string }
			Results *struct{ Round string }
		}
		Teams []struct {
			Slug   string
			Rounds []struct{ Published bool }
		}
		Organizations []any
		Budgets       []any
		Events        []any
	}
	if err := json.Unmarshal([]byte(r.body), &rec); err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, rd := range rec.Rounds {
		slugs = append(slugs, rd.Round.Slug)
		if rd.Results == nil || rd.Results.Round != rd.Round.Slug {
			t.Errorf("record round %s without its results", rd.Round.Slug)
		}
	}
	if strings.Join(slugs, " ") != "document-review presentation-review stage-1 additional-call" {
		t.Errorf("record rounds %v", slugs)
	}
	if rec.Format != "kai-challenge-portal/record" || rec.Version != 1 || len(rec.Teams) != 16 || len(rec.Organizations) < 80 ||
		len(rec.Budgets) != 2 || len(rec.Events) != 13 {
		t.Errorf("record: %s v%d, %d teams, %d organizations, %d budgets, %d events", rec.Format, rec.Version, len(rec.Teams),
			len(rec.Organizations), len(rec.Budgets), len(rec.Events))
	}
	for _, tm := range rec.Teams {
		for _, tr := range tm.Rounds {
			if !tr.Published {
				t.Errorf("record: team %s lists an unpublished round", tm.Slug)
			}
		}
	}
	// (Notes in free text may mention stage 2; no round object or link may.)
	for _, s := range []string{`"slug": "stage-2"`, `"slug": "final"`, "/rounds/stage-2", "/rounds/final"} {
		if strings.Contains(r.body, s) {
			t.Errorf("record.json names the unpublished round (%q)", s)
		}
	}
}

// TestDownloadPage: the data page lists every download, the API, the
// OpenAPI document and the feeds, in both languages, and every address it
// gives works.
func TestDownloadPage(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/data", []string{"데이터", "전체 공개 기록 (record.json)", "결과표 (results.csv)", "1차 단계평가", "OpenAPI 3 문서", "한국어 피드", "BOM"}},
		{"/en/data", []string{"Open data", "The whole public record (record.json)", "Results table (results.csv)", "Stage 1 evaluation", "OpenAPI 3 document", "English-first feed", "byte order mark"}},
	} {
		r := getOK(t, env.h, tc.path)
		doc := parseHTML(t, r.body)
		body := textOf(doc.Selection)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: missing %q", tc.path, w)
			}
		}
		// Attributes included: the unpublished round is named nowhere.
		if raw := html.UnescapeString(r.body); strings.Contains(raw, "⟦") || strings.Contains(raw, "2차 단계평가") || strings.Contains(raw, "Stage 2 evaluation") {
			t.Errorf("%s: untranslated message or an unpublished round", tc.path)
		}
		lang := "ko"
		if strings.HasPrefix(tc.path, "/en/") {
			lang = "en"
		}
		if got := doc.Find("html").AttrOr("lang", ""); got != lang {
			t.Errorf("%s: document language is %q, not %s", tc.path, got, lang)
		}
		links := map[string]bool{}
		main := doc.Find("main")
		main.Find(`a[href^="/"]`).Each(func(_ int, a *goquery.Selection) { links[a.AttrOr("href", "")] = true })
		full := false
		main.Find("code").Each(func(_ int, c *goquery.Selection) { full = full || c.Text() == baseURL+"/data/record.json" })
		if !full {
			t.Errorf("%s: addresses are not shown in full", tc.path)
		}
		for _, p := range append([]string{"/data/record.json", "/api/v1/openapi.json", "/feed.atom", "/en/feed.atom", "/api/v1/teams",
			"/data/rounds/stage-1/results.csv", "/data/rounds/additional-call/statistics.csv"}, csvFiles...) {
			if !links[p] {
				t.Errorf("%s: no link to %s", tc.path, p)
			}
		}
		for p := range links {
			if r := get(t, env.h, p); r.status != http.StatusOK {
				t.Errorf("%s links %s, which answers %d", tc.path, p, r.status)
			}
		}
	}
}
