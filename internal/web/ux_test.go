package web_test

import (
	"bytes"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web"
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
		r := getOK(t, env.h, tc.path)
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
		r := getOK(t, env.h, tc.path)
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
		r := getOK(t, env.h, tc.path)
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
		r := getOK(t, env.h, path)
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
		r := getOK(t, env.h, tc.path)
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

// TestSearchPage: teams, organizations and rounds are found by Korean or
// English name, case-insensitively, grouped by kind with links to their
// pages; an empty query shows a hint; the query is escaped everywhere.
func TestSearchPage(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	for _, tc := range []struct {
		path       string
		want, not  []string
		groups     []string
		hint, none bool
	}{
		{path: "/search", hint: true},
		{path: "/en/search?q=", hint: true},
		{path: "/search?q=%20%20", hint: true},
		{path: "/search?q=lg", groups: []string{"teams", "organizations"},
			want: []string{`href="/teams/lg"`, "LG AI연구원 컨소시엄", `href="/organizations/lg-ai-research"`, "K-EXAONE", "연구기관"}},
		{path: "/en/search?q=LG", groups: []string{"teams", "organizations"},
			want: []string{`href="/en/teams/lg"`, "LG AI Research consortium", `href="/en/organizations/lg-uplus"`, "research institute"}},
		{path: "/search?q=" + url.QueryEscape("업스테이지"), groups: []string{"teams", "organizations"},
			want: []string{`href="/teams/upstage"`, `href="/organizations/upstage"`}},
		{path: "/en/search?q=UPSTAGE", groups: []string{"teams", "organizations"}, want: []string{"Upstage consortium"}},
		{path: "/search?q=" + url.QueryEscape("단계평가"), groups: []string{"rounds"},
			want: []string{`href="/rounds/stage-1"`, `href="/rounds/stage-2"`, "1차 단계평가", "2차 단계평가"}},
		{path: "/en/search?q=additional", groups: []string{"rounds"}, want: []string{`href="/en/rounds/additional-call"`, "Additional call"}},
		{path: "/search?q=kaist", groups: []string{"teams", "organizations"}, want: []string{`href="/teams/kaist"`, `href="/organizations/kaist"`}},
		{path: "/search?q=%25", none: true},
		{path: "/search?q=_", none: true},
		{path: "/en/search?q=" + url.QueryEscape(`<script>alert(1)</script>`), none: true, not: []string{"<script>alert"}},
	} {
		r := get(t, env.h, tc.path)
		if r.status != http.StatusOK {
			t.Errorf("%s: %d", tc.path, r.status)
			continue
		}
		lang := "ko"
		if strings.HasPrefix(tc.path, "/en/") {
			lang = "en"
		}
		doc := parseHTML(t, r.body)
		if doc.Find("html").AttrOr("lang", "") != lang || strings.Contains(r.body, "⟦") {
			t.Errorf("%s: wrong language or untranslated message", tc.path)
		}
		if got := doc.Find(testid("search-hint")).Length() > 0; got != tc.hint {
			t.Errorf("%s: hint shown %v, want %v", tc.path, got, tc.hint)
		}
		if got := doc.Find(testid("search-none")).Length() > 0; got != tc.none {
			t.Errorf("%s: 'nothing found' shown %v, want %v", tc.path, got, tc.none)
		}
		var groups []string
		doc.Find("section").Each(func(_ int, s *goquery.Selection) {
			switch id := s.AttrOr("data-testid", ""); id {
			case "search-teams", "search-organizations", "search-rounds":
				groups = append(groups, strings.TrimPrefix(id, "search-"))
			}
		})
		if strings.Join(groups, ",") != strings.Join(tc.groups, ",") {
			t.Errorf("%s: groups %v, want %v", tc.path, groups, tc.groups)
		}
		text := textOf(doc.Selection)
		for _, w := range tc.want {
			if href, ok := strings.CutPrefix(w, `href="`); ok {
				if doc.Find(`a[href="`+strings.TrimSuffix(href, `"`)+`"]`).Length() == 0 {
					t.Errorf("%s: no link %s", tc.path, w)
				}
			} else if !strings.Contains(text, w) {
				t.Errorf("%s: missing %q", tc.path, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(r.body, n) {
				t.Errorf("%s: shows %q unescaped", tc.path, n)
			}
		}
	}

	// The language switch keeps the query.
	r := get(t, env.h, "/search?q="+url.QueryEscape("모티프"))
	doc := parseHTML(t, r.body)
	if sw := doc.Find("a"+testid("lang-switch")).AttrOr("href", ""); sw != "/en/search?q="+url.QueryEscape("모티프") {
		t.Errorf("language switch %s does not keep the query", sw)
	}
	if doc.Find(`a[href="/teams/motif"]`).Length() == 0 || doc.Find(`input[name="q"][value="모티프"]`).Length() == 0 {
		t.Errorf("search for 모티프 lacks Motif or the query in the form")
	}
	// A search in the draft round's planted data finds the round, never its results.
	plantSentinels(t, env.pool)
	for _, q := range []string{"stage", "sentinel", "센티널", "lg"} {
		odCheckNoSentinel(t, "/search?q="+q, get(t, env.h, "/search?q="+url.QueryEscape(q)).body)
	}
}

// Round and team pages name a 1200×630 PNG preview image that answers, and
// the stage-1 image draws a bar per team with LG's (advanced, 90.2) first
// in the dark colour across most of the width.
func TestOpenGraphImages(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	for _, tc := range []struct{ page, image string }{
		{"/rounds/stage-1", "/og/rounds/stage-1.png"},
		{"/en/rounds/document-review", "/og/rounds/document-review.png"},
		{"/teams/lg", "/og/teams/lg.png"},
		{"/en/teams/naver-cloud", "/og/teams/naver-cloud.png"},
	} {
		doc := parseHTML(t, get(t, env.h, tc.page).body)
		if got := doc.Find(`meta[property="og:image"]`).AttrOr("content", ""); got != baseURL+tc.image {
			t.Errorf("%s: og:image %q, want %q", tc.page, got, baseURL+tc.image)
		}
		if doc.Find(`meta[property="og:image:alt"]`).AttrOr("content", "") == "" ||
			doc.Find(`meta[name="twitter:card"]`).AttrOr("content", "") != "summary_large_image" {
			t.Errorf("%s: no image alt or large card", tc.page)
		}
		r := get(t, env.h, tc.image)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "image/png" {
			t.Fatalf("%s: %d %q", tc.image, r.status, r.header.Get("Content-Type"))
		}
		img, err := png.Decode(bytes.NewReader([]byte(r.body)))
		if err != nil {
			t.Fatalf("%s: %v", tc.image, err)
		}
		if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 630 {
			t.Errorf("%s: %v", tc.image, b)
		}
		if tc.image == "/og/rounds/stage-1.png" {
			navy := color.RGBAModel.Convert(color.RGBA{0x12, 0x35, 0x5b, 0xff})
			// LG's bar: the first, at 90.2 of 100 points of the 1056-pixel track.
			y := 96 + 36 + 5
			if got := color.RGBAModel.Convert(img.At(72+900, y)); got != navy {
				t.Errorf("stage-1 image: LG's bar at 90%% is %v, want navy", got)
			}
			if got := color.RGBAModel.Convert(img.At(72+1000, y)); got == navy {
				t.Errorf("stage-1 image: LG's bar runs past 90.2 points")
			}
		}
	}
	if r := get(t, env.h, "/og/rounds/no-such-round.png"); r.status != http.StatusNotFound {
		t.Errorf("unknown round image: %d", r.status)
	}
	if strings.Contains(get(t, env.h, "/standings").body, `property="og:image"`) {
		t.Error("standings page names an image it has none of")
	}
}

// The official e-government masthead appears only when the deployment
// says it is the official site, and the footer names the operating agency
// from the settings, or says the portal is not an official site. The
// footer's feed link leads to the readable feed page.
func TestSiteIdentity(t *testing.T) {
	t.Parallel()
	st := postgres.New(pgtest.NewRecordDB(t))
	plain := testServer(st)
	official := testServer(st, func(d *web.Deps) {
		d.Official, d.Operator = true, contest.Text{KO: "과학기술정보통신부", EN: "Ministry of Science and ICT"}
	})

	for _, path := range []string{"/", "/standings", "/en/teams/lg", "/search?q=%EB%8F%85%EC%9E%90%EC%84%B1"} {
		body := getPage(t, plain, path).body
		if n := parseHTML(t, body).Find(testid("masthead")).Length(); n != 0 {
			t.Errorf("%s: masthead shown on a deployment that is not the official site", path)
		}
		want := "이 포털은 정부 공식 누리집이 아닙니다. 정부 발표와 언론 보도를 모아 기록하는 공개 기록입니다."
		if path == "/en/teams/lg" {
			want = "This portal is not an official government website. It is a public record compiled from government announcements and press reports."
		}
		if got := selText(t, body, "footer "+testid("operator")); got != want {
			t.Errorf("%s: footer operator %q, want %q", path, got, want)
		}
		feed := one(t, body, "footer "+testid("footer-feed"))
		wantFeed := "/feed"
		if path == "/en/teams/lg" {
			wantFeed = "/en/feed"
		}
		if href, _ := feed.Attr("href"); href != wantFeed {
			t.Errorf("%s: footer feed link %q, want %q", path, href, wantFeed)
		}
		if _, typed := feed.Attr("type"); typed {
			t.Errorf("%s: footer feed link still typed as the raw Atom document", path)
		}
	}

	for path, want := range map[string][3]string{
		"/standings":    {"이 누리집은 대한민국 공식 전자정부 누리집입니다.", "공식 누리집 확인 방법", "운영: 과학기술정보통신부"},
		"/en/standings": {"This is an official e-government website of the Republic of Korea.", "How to tell", "Operated by Ministry of Science and ICT"},
	} {
		body := getPage(t, official, path).body
		m := one(t, body, "header.site-header > "+testid("masthead"))
		if got := textOf(m.Find(".masthead-text")); got != want[0] {
			t.Errorf("%s: masthead %q, want %q", path, got, want[0])
		}
		if got := textOf(m.Find(".masthead-how")); got != want[1] {
			t.Errorf("%s: masthead link %q, want %q", path, got, want[1])
		}
		if m.Find("details > summary").Length() != 1 || m.Find(".masthead-body p").Length() != 2 {
			t.Errorf("%s: the masthead does not fold how to tell an official site", path)
		}
		if got := selText(t, body, "footer "+testid("operator")); got != want[2] {
			t.Errorf("%s: footer operator %q, want %q", path, got, want[2])
		}
	}
}
