package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Searching the reason Naver Cloud left stage 1 finds it, in Korean and
// English, with an excerpt of the reason and a link to the team.
func TestSearchMentions(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	for _, tc := range []struct{ path, href, excerpt string }{
		{"/search?q=" + url.QueryEscape("독자성"), "/teams/naver-cloud", "독자성"},
		{"/search?q=Qwen", "/teams/naver-cloud", "Qwen 2.5"},
		{"/en/search?q=qwen", "/en/teams/naver-cloud", "Qwen 2.5"},
		{"/en/search?q=" + url.QueryEscape("독자성"), "/en/teams/naver-cloud", "독자성"},
	} {
		r := get(t, env.h, tc.path)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", tc.path, r.status)
		}
		sec := one(t, r.body, testid("search-mentions"))
		var found bool
		sec.Find("li").Each(func(_ int, li *goquery.Selection) {
			if li.Find(`a[href="`+tc.href+`"]`).Length() > 0 &&
				strings.Contains(textOf(li.Find(testid("search-excerpt"))), tc.excerpt) {
				found = true
			}
		})
		if !found {
			t.Errorf("%s: no mention of %s quoting %q in %q", tc.path, tc.href, tc.excerpt, textOf(sec))
		}
	}
	// Punctuation alone searches no passage.
	if r := get(t, env.h, "/search?q=%25"); parseHTML(t, r.body).Find(testid("search-mentions")).Length() != 0 {
		t.Error("a lone % listed passages")
	}
}

// The standings rank the teams still in: a rank column, LG first (the only
// published stage-1 total), the round each is ranked by with its date; the
// teams out have no rank column.
func TestStandingsRanking(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	for _, tc := range []struct{ path, rank, lgRound, date string }{
		{"/standings", "순위", "/rounds/stage-1", "2026"},
		{"/en/standings", "Rank", "/en/rounds/stage-1", "2026"},
	} {
		r := get(t, env.h, tc.path)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", tc.path, r.status)
		}
		in := one(t, r.body, testid("standings-in-table"))
		if h := textOf(in.Find("thead th").First()); h != tc.rank {
			t.Errorf("%s: first column %q, want %q", tc.path, h, tc.rank)
		}
		rows := in.Find("tbody tr")
		if rows.Length() != 4 {
			t.Fatalf("%s: %d teams still in, want 4", tc.path, rows.Length())
		}
		first := rows.First()
		if got := textOf(first.Find(testid("rank"))); got != "1" {
			t.Errorf("%s: first rank %q", tc.path, got)
		}
		if first.Find(`th a[href$="/teams/lg"]`).Length() == 0 {
			t.Errorf("%s: LG is not first: %v", tc.path, cellsOf(first))
		}
		by := first.Find(testid("ranked-by"))
		if by.Find(`a[href="`+tc.lgRound+`"]`).Length() == 0 || !strings.Contains(textOf(by), tc.date) {
			t.Errorf("%s: LG ranked by %q", tc.path, textOf(by))
		}
		rows.Slice(1, 4).Each(func(_ int, row *goquery.Selection) {
			if got := textOf(row.Find(testid("rank"))); got != "–" {
				t.Errorf("%s: a team with no published total ranked %q: %v", tc.path, got, cellsOf(row))
			}
		})
		out := one(t, r.body, testid("standings-out-table"))
		if out.Find(testid("rank")).Length() != 0 || out.Find("tbody tr").Length() == 0 {
			t.Errorf("%s: teams out ranked or missing", tc.path)
		}
	}
}

// Round and team pages carry download buttons, each answering 200; the
// what-if link appears only where the explorer can simulate; 데이터 is in
// the main menu.
func TestDownloadButtonsAndMenu(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/rounds/stage-1", []string{"/data/rounds/stage-1/results.csv", "/data/rounds/stage-1/published-scores.csv", "/api/v1/rounds/stage-1/results", "/api/v1/rounds/stage-1"}},
		{"/en/rounds/document-review", []string{"/data/rounds/document-review/results.csv", "/api/v1/rounds/document-review"}},
		{"/teams/naver-cloud", []string{"/api/v1/teams/naver-cloud", "/data/teams.csv", "/data/outcomes.csv"}},
		{"/en/teams/lg", []string{"/api/v1/teams/lg", "/data/teams.csv"}},
	} {
		r := get(t, env.h, tc.path)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", tc.path, r.status)
		}
		bar := one(t, r.body, testid("downloads"))
		for _, href := range tc.want {
			if bar.Find(`a[href="`+href+`"]`).Length() != 1 {
				t.Errorf("%s: no download button %s", tc.path, href)
			}
		}
		bar.Find("a").Each(func(_ int, a *goquery.Selection) {
			href := a.AttrOr("href", "")
			if d := get(t, env.h, href); d.status != http.StatusOK {
				t.Errorf("%s: download %s answers %d", tc.path, href, d.status)
			}
		})
		doc := parseHTML(t, r.body)
		nav := doc.Find(testid("nav-data"))
		if want := map[bool]string{false: "/data", true: "/en/data"}[strings.HasPrefix(tc.path, "/en/")]; nav.AttrOr("href", "") != want {
			t.Errorf("%s: menu data link %q, want %q", tc.path, nav.AttrOr("href", ""), want)
		}
	}
	// Stage 1 was announced, not computed: no what-if link.
	if r := get(t, env.h, "/rounds/stage-1"); parseHTML(t, r.body).Find(testid("whatif-link")).Length() != 0 {
		t.Error("stage 1 links the what-if explorer, which cannot simulate it")
	}
	if one(t, get(t, env.h, "/data").body, testid("nav-data")).AttrOr("aria-current", "") != "page" {
		t.Error("/data does not mark 데이터 as the current menu item")
	}
}

// The standings widget can be framed by any site and sets no cookie; every
// other page still forbids framing. /data shows the snippet to copy.
func TestEmbedStandings(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	for _, path := range []string{"/embed/standings", "/en/embed/standings"} {
		r := get(t, env.h, path)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", path, r.status)
		}
		if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors *") || strings.Contains(csp, "'none'") {
			t.Errorf("%s: CSP %q does not allow framing", path, csp)
		}
		if xfo := r.header.Get("X-Frame-Options"); xfo != "" {
			t.Errorf("%s: X-Frame-Options %q", path, xfo)
		}
		if c := r.header.Values("Set-Cookie"); len(c) != 0 {
			t.Errorf("%s: sets cookies %v", path, c)
		}
		tbl := one(t, r.body, testid("embed-standings"))
		if got := textOf(tbl.Find("tbody tr").First().Find(testid("rank"))); got != "1" || tbl.Find("tbody tr").Length() != 4 {
			t.Errorf("%s: first rank %q, %d rows", path, got, tbl.Find("tbody tr").Length())
		}
		doc := parseHTML(t, r.body)
		if doc.Find(`link[rel="stylesheet"][href*="pretendard-gov"]`).Length() != 1 {
			t.Errorf("%s: the widget loads no webfont: Korean text would need a system font", path)
		}
		if doc.Find("nav, form, script").Length() != 0 || doc.Find(`a[target="_blank"][rel="noopener"]`).Length() < 5 {
			t.Errorf("%s: not a minimal widget whose links leave the frame", path)
		}
	}
	for _, path := range []string{"/standings", "/en/data", "/feed"} {
		r := get(t, env.h, path)
		if r.header.Get("X-Frame-Options") != "DENY" || !strings.Contains(r.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: may be framed: %v", path, r.header)
		}
	}
	r := get(t, env.h, "/data")
	snippet := textOf(one(t, r.body, testid("embed-snippet")))
	if !strings.HasPrefix(snippet, `<iframe src="`+baseURL+`/embed/standings"`) || !strings.Contains(snippet, `title="`) {
		t.Errorf("/data snippet %q", snippet)
	}
	if en := textOf(one(t, get(t, env.h, "/en/data").body, testid("embed-snippet"))); !strings.Contains(en, baseURL+"/en/embed/standings") {
		t.Errorf("/en/data snippet %q", en)
	}
}

// The feed page explains subscribing and links both feeds; the feed points
// browsers at its XSL stylesheet, served as XSLT.
func TestFeedPageAndStylesheet(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	for _, tc := range []struct{ path, first string }{{"/feed", "/feed.atom"}, {"/en/feed", "/en/feed.atom"}} {
		r := get(t, env.h, tc.path)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", tc.path, r.status)
		}
		if one(t, r.body, testid("feed-how")).Find("li").Length() != 3 {
			t.Errorf("%s: no subscribing steps", tc.path)
		}
		links := one(t, r.body, testid("feed-list")).Find("a")
		if links.Length() != 2 || links.First().AttrOr("href", "") != tc.first {
			t.Errorf("%s: feed links %v", tc.path, textsOf(links))
		}
	}
	if one(t, get(t, env.h, "/data").body, testid("feed-page-link")).AttrOr("href", "") != "/feed" {
		t.Error("/data does not link the feed page")
	}
	feed := get(t, env.h, "/feed.atom")
	_, rest, _ := strings.Cut(feed.body, "?>\n")
	pi, _, _ := strings.Cut(rest, "\n")
	href, ok := strings.CutPrefix(pi, `<?xml-stylesheet type="text/xsl" href="`)
	if !ok {
		t.Fatalf("feed has no stylesheet instruction: %q", pi)
	}
	href, _, _ = strings.Cut(href, `"`)
	xsl := get(t, env.h, href)
	if xsl.status != http.StatusOK || !strings.HasPrefix(xsl.header.Get("Content-Type"), "text/xsl") ||
		!strings.Contains(xsl.body, "xsl:for-each select=\"atom:entry\"") {
		t.Errorf("%s: %d %q", href, xsl.status, xsl.header.Get("Content-Type"))
	}
}
