package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programfile"
	"github.com/kai-challenge/portal/internal/web"
)

// baseURL is the BASE_URL of the test servers.
const baseURL = "https://portal.example"

// testEnv is a portal on a fresh database.
type testEnv struct {
	h     http.Handler
	pool  *pgxpool.Pool
	store *postgres.Store
}

// newEnv returns a portal on a fresh database holding the real record
// (a frozen copy of the record, the default program) when record is set, and the
// small scored program "demo" (see odDemoFile) when demo is set, imported
// in that order.
func newEnv(t *testing.T, record, demo bool) *testEnv {
	t.Helper()
	var pool *pgxpool.Pool
	if record {
		pool = pgtest.NewRecordDB(t) // a clone of a template holding the frozen record
	} else {
		pool = pgtest.New(t)
	}
	st := postgres.New(pool)
	ctx := context.Background()
	if demo {
		if _, err := st.ImportProgram(ctx, odDemoFile()); err != nil {
			t.Fatalf("import demo: %v", err)
		}
	}
	return &testEnv{h: testServer(st), pool: pool, store: st}
}

// quietLogger is the logger of a server under test: what it logs is not
// asserted.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// testServer is the portal's handler on st with the test base URL; each edit
// changes its settings first.
func testServer(st *postgres.Store, edit ...func(*web.Deps)) http.Handler {
	deps := web.Deps{Store: st, Logger: quietLogger(), BaseURL: baseURL}
	for _, e := range edit {
		e(&deps)
	}
	return web.NewServer(deps)
}

// parseProgram parses a program file the test wrote.
func parseProgram(t testing.TB, src []byte) *programfile.File {
	t.Helper()
	f, err := programfile.Parse(src)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return f
}

// importedStore is a fresh database holding the program file f.
func importedStore(t testing.TB, f *programfile.File) *postgres.Store {
	t.Helper()
	st := postgres.New(pgtest.New(t))
	if _, err := st.ImportProgram(context.Background(), f); err != nil {
		t.Fatalf("import: %v", err)
	}
	return st
}

// newServer returns the portal's handler on a fresh database holding the
// real record, and the database.
func newServer(t *testing.T) (http.Handler, *pgxpool.Pool) {
	t.Helper()
	env := newEnv(t, true, false)
	return env.h, env.pool
}

type response struct {
	status int
	header http.Header
	body   string
}

// get sends a GET request with the given headers (name, value, ...).
func get(t *testing.T, h http.Handler, path string, headers ...string) response {
	t.Helper()
	return do(t, h, http.MethodGet, path, headers...)
}

// do sends a request with the given headers (name, value, ...).
func do(t *testing.T, h http.Handler, method, path string, headers ...string) response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

var (
	attr = func(tag, name string) string {
		m := regexp.MustCompile(`\s` + name + `="([^"]*)"`).FindStringSubmatch(tag)
		if m == nil {
			return ""
		}
		return html.UnescapeString(m[1])
	}
)

// otherLang returns the path of the same page in the other language.
func otherLang(path string) string {
	switch {
	case path == "/en":
		return "/"
	case strings.HasPrefix(path, "/en/"):
		return strings.TrimPrefix(path, "/en")
	case path == "/":
		return "/en"
	}
	return "/en" + path
}

// getPage gets a public page, which must answer 200, and checks it with
// checkPage.
func getPage(t *testing.T, h http.Handler, path string) response {
	t.Helper()
	r := getOK(t, h, path)
	checkPage(t, path, r)
	return r
}

// getOK gets path and fails the test at once unless it answers 200.
func getOK(t *testing.T, h http.Handler, path string) response {
	t.Helper()
	r := get(t, h, path)
	if r.status != http.StatusOK {
		t.Fatalf("%s: status %d", path, r.status)
	}
	return r
}

// checkPage asserts what every public page has: the language of the
// document, the switch to the same page in the other language, alternate
// links, the headers, and no untranslated message id.
func checkPage(t *testing.T, path string, r response) {
	t.Helper()
	lang, other := "ko", "en"
	if path == "/en" || strings.HasPrefix(path, "/en/") {
		lang, other = "en", "ko"
	}
	doc := parseHTML(t, r.body)
	if got := doc.Find("html").AttrOr("lang", ""); got != lang {
		t.Errorf("%s: <html lang=%q>, want %q", path, got, lang)
	}
	sw := doc.Find("a" + testid("lang-switch"))
	if sw.Length() == 0 {
		t.Fatalf("%s: no language switch", path)
	}
	if sw.AttrOr("hreflang", "") != other || sw.AttrOr("lang", "") != other || sw.AttrOr("href", "") != otherLang(path) {
		h, _ := goquery.OuterHtml(sw)
		t.Errorf("%s: language switch %s, want hreflang=%s href=%s", path, h, other, otherLang(path))
	}
	for _, l := range []string{"ko", "en"} {
		alt := doc.Find(`head link[rel="alternate"][hreflang="` + l + `"]`)
		if !strings.HasPrefix(alt.AttrOr("href", ""), baseURL) {
			t.Errorf("%s: no alternate link in %s to %s…", path, l, baseURL)
		}
	}
	if strings.Contains(r.body, "⟦") {
		i := strings.Index(r.body, "⟦")
		t.Errorf("%s: untranslated message near %q", path, r.body[i:min(len(r.body), i+60)])
	}
	if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	if !strings.Contains(r.header.Get("Content-Security-Policy"), "default-src 'self'") ||
		r.header.Get("X-Content-Type-Options") != "nosniff" ||
		r.header.Get("Referrer-Policy") != "strict-origin-when-cross-origin" {
		t.Errorf("%s: security headers %v", path, r.header)
	}
	if strings.Contains(r.body, "style=") || strings.Contains(r.body, "<script") {
		t.Errorf("%s: inline style or script (forbidden by the CSP)", path)
	}
	checkSharing(t, path, lang, r, doc)
}

// checkSharing asserts what makes every page linkable and citable: a title,
// a description, its permalink (canonical link) and the Open Graph tags of
// link previews, the Atom feed and search in the page language, the
// open-data link and, on pages that render, the print stylesheet.
func checkSharing(t *testing.T, path, lang string, r response, doc *goquery.Document) {
	t.Helper()
	prefix := ""
	if lang == "en" {
		prefix = "/en"
	}
	canon, ok := doc.Find(`head link[rel="canonical"]`).Attr("href")
	if !ok {
		t.Errorf("%s: no canonical link", path)
		return
	}
	// A page's permalink is its path; a page whose query is its content (a
	// what-if scenario) keeps the query, normalized.
	p, _, _ := strings.Cut(path, "?")
	if r.status == http.StatusOK && canon != baseURL+p && !strings.HasPrefix(canon, baseURL+p+"?") {
		t.Errorf("%s: canonical %q, want %q", path, canon, baseURL+path)
	}
	if title := doc.Find("head > title"); title.Length() != 1 || strings.TrimSpace(title.Text()) == "" {
		t.Errorf("%s: no <title>", path)
	}
	if d := doc.Find(`head meta[name="description"]`).AttrOr("content", ""); d == "" {
		t.Errorf("%s: no meta description", path)
	}
	locale := map[string]string{"ko": "ko_KR", "en": "en_US"}[lang]
	for key, want := range map[string]string{
		"og:title": "", "og:description": "", "og:site_name": "", "og:type": "",
		"og:url": canon, "og:locale": locale,
	} {
		got := doc.Find(`head meta[property="`+key+`"]`).AttrOr("content", "")
		switch {
		case got == "":
			t.Errorf("%s: no %s", path, key)
		case want != "" && got != want:
			t.Errorf("%s: %s = %q, want %q", path, key, got, want)
		}
	}
	for _, sel := range []string{
		`head link[rel="alternate"][type="application/atom+xml"][href="` + prefix + `/feed.atom"]`,
		`form[action="` + prefix + `/search"] label[for="site-search-q"]`,
		`form[action="` + prefix + `/search"] input#site-search-q[type="search"][name="q"]`,
		`a[href="` + prefix + `/data"]`,
	} {
		if doc.Find(sel).Length() == 0 {
			t.Errorf("%s: nothing matches %s", path, sel)
		}
	}
	if r.status == http.StatusOK {
		print := doc.Find(`head link[rel="stylesheet"][media="print"]`).AttrOr("href", "")
		if !regexp.MustCompile(`^/static/print\.css\?v=[0-9a-f]+$`).MatchString(print) {
			t.Errorf("%s: no print stylesheet", path)
		}
	}
}

func TestPublicPages(t *testing.T) {
	t.Parallel()
	h, _ := newServer(t)
	// nums are figures each page shows in <strong class="num">.
	nums := map[string][]string{"/": {"90.20"}}
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/", []string{"독자 AI 파운데이션 모델 프로젝트", "과학기술정보통신부", "경쟁 중인 팀 (4)",
			"LG AI연구원 컨소시엄", "SK텔레콤 컨소시엄", "업스테이지 컨소시엄", "모티프테크놀로지스 컨소시엄",
			"2차 단계평가", "4개 팀", "3개 팀", "추가 공모", "선정", "트릴리온랩스 컨소시엄", "공개 총점"}},
		{"/en", []string{"Sovereign AI Foundation Model Project", "Ministry of Science and ICT", "Still in (4)",
			"LG AI Research consortium", "SK Telecom consortium", "Upstage consortium", "Motif Technologies consortium",
			"Stage 2 evaluation", "4 teams", "3 teams", "Additional call", "Trillion Labs consortium"}},
		{"/standings", []string{"경쟁 중 (4)", "탈락·미선정 (12)", "90.20", "실격", "탈락(점수)", "5개 팀 중 총점 최하위", "독자성", "비공개"}},
		{"/en/standings", []string{"Still in (4)", "Out (12)", "90.20", "disqualified", "eliminated on score", "Lowest total of the five teams", "independence", "not disclosed"}},
		{"/teams", []string{"경쟁 중", "탈락", "미선정", "네이버클라우드 컨소시엄", "NC AI 컨소시엄", "카카오 컨소시엄", "루닛 컨소시엄", "트릴리온랩스 컨소시엄"}},
		{"/en/teams", []string{"Competing", "Eliminated", "Not selected", "Naver Cloud consortium", "NC AI consortium", "Kakao consortium", "Lunit consortium"}},
		{"/teams/lg", []string{"LG AI연구원 컨소시엄", "LG AI연구원", "K-EXAONE", "236B MoE", "엘리스", "보도", "2026년 2월 25일부터",
			"LG유플러스", "스타트업", "서면 평가", "1차 단계평가", "통과", "90.20", "33.60", "2차 단계평가", "예정", "지원 내역", "28억원", "B200 × 512", "출처"}},
		{"/en/teams/lg", []string{"LG AI Research consortium", "K-EXAONE", "Elice", "reported", "since 25 Feb 2026", "LG Uplus",
			"Startups", "Document review", "Stage 1 evaluation", "advanced", "90.20", "Support received", "₩2.8bn", "Sources"}},
		{"/teams/motif", []string{"모티프테크놀로지스 컨소시엄", "추가 공모", "선정", "미선정", "B200 × 768", "117.5억원", "17개 기관"}},
		{"/teams/naver-cloud", []string{"네이버클라우드 컨소시엄", "실격", "독자성", "탈락"}},
		{"/rounds", []string{"서면 평가", "발표 평가", "1차 단계평가", "추가 공모", "2차 단계평가", "최종 평가", "발표됨", "예정", "2026년 1월 15일", "2026년 2월 20일"}},
		{"/en/rounds", []string{"Document review", "Presentation review", "Stage 1 evaluation", "Additional call", "Stage 2 evaluation", "Final evaluation", "published", "planned", "15 Jan 2026", "20 Feb 2026"}},
		{"/rounds/stage-1", []string{"1차 단계평가", "상위 4개 팀 통과", "벤치마크 평가", "40.00", "평가위원 10명 · 평균", "90.20", "33.60", "31.60", "25.00",
			"비공개", "79.70", "28.56", "평균", "최고", "탈락(점수)", "5개 팀 중 총점 최하위", "실격", "Qwen 2.5", "출처"}},
		{"/en/rounds/stage-1", []string{"Stage 1 evaluation", "Top 4 teams advance", "Benchmarks", "panel of 10 · mean", "90.20", "33.60", "31.60", "25.00",
			"not disclosed", "79.70", "Mean", "Maximum", "eliminated on score", "Lowest total of the five teams", "disqualified", "independence", "Sources"}},
		{"/rounds/stage-2", []string{"2차 단계평가", "상위 3개 팀 통과", "아직 발표되지 않은 라운드", "참가 팀 (4)", "모티프테크놀로지스 컨소시엄"}},
		{"/en/rounds/additional-call", []string{"Additional call", "Up to 1 teams selected", "20 Feb 2026", "selected", "not selected", "narrow margin"}},
		{"/history", []string{"공모 시작", "15개 팀", "서면 평가", "발표 평가", "1차 단계평가", "추가 공모", "추가 선정", "모티프테크놀로지스 컨소시엄",
			"2026년 2월 20일", "출범식 개최", "상충", "보도", "2차 단계평가", "남은 팀"}},
		{"/en/history", []string{"Call opens", "15 teams", "Document review", "Additional call", "added", "Motif Technologies consortium",
			"20 Feb 2026", "Kickoff ceremony", "conflicting", "reported", "Still in the running"}},
		{"/organizations", []string{"기업", "스타트업", "대학", "연구기관", "공공기관", "KAIST", "컨소시엄 6곳"}},
		{"/en/organizations", []string{"Companies", "Universities", "KAIST", "6 consortia"}},
		{"/organizations/kaist", []string{"KAIST", "KAIST 컨소시엄", "주관 기관", "참여 기관", "미선정", "경쟁 중"}},
		{"/en/organizations/elice", []string{"Elice", "LG AI Research consortium", "reported", "since 25 Feb 2026", "competing"}},
		{"/funding", []string{"2025년", "2,000억원", "보도", "2026년", "비공개", "사업 전체", "100억원", "28억원", "117.5억원", "182.1억원", "B200 × 768"}},
		{"/en/funding", []string{"₩200bn", "reported", "not disclosed", "Program-wide", "₩10bn", "₩2.8bn", "₩11.75bn", "₩18.21bn", "B200 × 768"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			r := getPage(t, h, tc.path)
			if cc := r.header.Get("Cache-Control"); cc != "public, max-age=60" {
				t.Errorf("Cache-Control %q", cc)
			}
			// The frame: the site name, and in the footer the program and
			// when the record last changed.
			frame := map[bool][3]string{
				false: {"K-AI 챌린지 포털", "독자 AI 파운데이션 모델 프로젝트", "최종 업데이트: "},
				true:  {"K-AI Challenge Portal", "Sovereign AI Foundation Model Project", "Last updated: "},
			}[tc.path == "/en" || strings.HasPrefix(tc.path, "/en/")]
			if got := selText(t, r.body, testid("brand")); got != "K "+frame[0] {
				t.Errorf("brand %q, want the site name %q", got, frame[0])
			}
			if got := selText(t, r.body, "p.footer-program"); got != frame[1] {
				t.Errorf("footer program %q, want %q", got, frame[1])
			}
			if got := selText(t, r.body, testid("updated-at")); !strings.HasPrefix(got, frame[2]) || len(got) <= len(frame[2]) {
				t.Errorf("footer %q, want %q and a time", got, frame[2])
			}
			// The content is checked in <main>: the frame around it (site
			// name, program, footer legend, last update) is on every page.
			main := mainOf(t, r.body)
			text := textOf(main)
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("missing %q in <main>", w)
				}
			}
			for _, n := range nums[tc.path] {
				found := false
				main.Find("strong.num").Each(func(_ int, s *goquery.Selection) { found = found || s.Text() == n })
				if !found {
					t.Errorf("no <strong class=\"num\">%s</strong> in <main>", n)
				}
			}
		})
	}
}

// mainOf returns the page's one <main> element, its content without the
// frame.
func mainOf(t *testing.T, body string) *goquery.Selection {
	t.Helper()
	if n := parseHTML(t, body).Find("main").Length(); n != 1 {
		t.Errorf("%d <main> elements", n)
	}
	return one(t, body, "main#main")
}

// The stage-1 table shows LG's published figures in their columns, every
// other cell as not disclosed (never 0 or blank), and the two exits.
func TestStageOneRound(t *testing.T) {
	t.Parallel()
	h, _ := newServer(t)
	for _, tc := range []struct {
		path, undisclosed string
	}{{"/rounds/stage-1", "비공개"}, {"/en/rounds/stage-1", "not disclosed"}} {
		body := get(t, h, tc.path).body
		doc := parseHTML(t, body)
		got := textsOf(doc.Find(testid("scores-table-lg") + " td"))
		want := []string{"33.60", "9.20", "14.40", "10.00", "31.60", "25.00", "90.20"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: LG row %v, want %v", tc.path, got, want)
		}
		nc := textsOf(doc.Find(testid("scores-table-nc-ai") + " td"))
		undisclosed := 0
		for _, c := range nc {
			switch {
			case strings.Contains(c, tc.undisclosed):
				undisclosed++
			case c == "" || c == "0.00":
				t.Errorf("%s: NC AI row shows a zero or a blank", tc.path)
			}
		}
		if undisclosed != 7 {
			t.Errorf("%s: NC AI row has %d undisclosed cells, want 7", tc.path, undisclosed)
		}
		for _, id := range []string{"outcome-nc-ai", "outcome-naver-cloud", "badge-eliminated", "badge-disqualified"} {
			if doc.Find(testid(id)).Length() == 0 {
				t.Errorf("%s: missing %s", tc.path, testid(id))
			}
		}
	}
}

// The history lists the steps in order: the call, the two selection rounds,
// stage 1, then the additional call with Motif joining.
func TestHistoryOrder(t *testing.T) {
	t.Parallel()
	h, _ := newServer(t)
	for _, tc := range []struct {
		path  string
		steps []string
	}{
		{"/history", []string{"공모 시작", "서면 평가", "발표 평가", "출범식 개최", "1차 단계평가", "추가 공모", "모티프테크놀로지스 컨소시엄", "2차 단계평가"}},
		{"/en/history", []string{"Call opens", "Document review", "Presentation review", "Kickoff ceremony", "Stage 1 evaluation", "Additional call", "Motif Technologies consortium", "Stage 2 evaluation"}},
	} {
		page := get(t, h, tc.path).body
		body := html.UnescapeString(page)
		body = body[strings.Index(body, `data-testid="history-steps"`):]
		last := -1
		for _, s := range tc.steps {
			i := strings.Index(body[last+1:], s)
			if i < 0 {
				t.Errorf("%s: %q missing or out of order", tc.path, s)
				continue
			}
			last += 1 + i
		}
		added := parseHTML(t, page).Find(testid("history-steps") + " li:has(a[href$='/rounds/additional-call']) " + testid("outcome-motif"))
		if added.Find(testid("badge-added")).Length() == 0 {
			t.Errorf("%s: Motif is not marked as added: %s", tc.path, textOf(added))
		}
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	h, _ := newServer(t)
	for _, tc := range []struct {
		path, want string
	}{
		{"/teams/nobody", "페이지를 찾을 수 없습니다"},
		{"/en/teams/nobody", "Page not found"},
		{"/rounds/stage-9", "페이지를 찾을 수 없습니다"},
		{"/en/rounds/stage-9", "Page not found"},
		{"/organizations/nowhere", "페이지를 찾을 수 없습니다"},
		{"/en/organizations/nowhere", "Page not found"},
		{"/no/such/page", "페이지를 찾을 수 없습니다"},
		{"/en/no/such/page", "Page not found"},
		{"/static/nothing.css", ""},
		{"/static/", ""},
	} {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			r := get(t, h, tc.path)
			if r.status != http.StatusNotFound {
				t.Fatalf("status %d, want 404", r.status)
			}
			if tc.want == "" {
				return
			}
			checkPage(t, tc.path, r)
			if !strings.Contains(visibleText(r.body), tc.want) || parseHTML(t, r.body).Find(testid("error-404")).Length() == 0 {
				t.Errorf("404 page without %q", tc.want)
			}
		})
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	h, _ := newServer(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		r := get(t, h, path)
		if r.status != http.StatusOK || strings.TrimSpace(r.body) != "ok" {
			t.Errorf("%s: %d %q", path, r.status, r.body)
		}
	}
}

func TestStaticAndMethods(t *testing.T) {
	t.Parallel()
	h, _ := newServer(t)
	home := get(t, h, "/").body
	css := regexp.MustCompile(`href="(/static/portal\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(home)
	if css == nil {
		t.Fatal("no versioned stylesheet link")
	}
	r := get(t, h, html.UnescapeString(css[1]))
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") ||
		!strings.Contains(r.header.Get("Cache-Control"), "max-age=31536000") {
		t.Errorf("stylesheet: %d %v", r.status, r.header)
	}
	printCSS := regexp.MustCompile(`<link rel="stylesheet" media="print" href="(/static/print\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(home)
	if printCSS == nil {
		t.Fatal("no versioned print stylesheet link")
	}
	if r := get(t, h, html.UnescapeString(printCSS[1])); r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") ||
		!strings.Contains(r.body, ".site-nav") {
		t.Errorf("print stylesheet: %d %v", r.status, r.header)
	}
	if r := get(t, h, "/static/favicon.svg"); r.status != http.StatusOK || r.header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("favicon: %d %q", r.status, r.header.Get("Content-Type"))
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := srv.Client().Head(srv.URL + "/en/teams/lg")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.ContentLength <= 0 {
		t.Errorf("HEAD: %d, length %d", resp.StatusCode, resp.ContentLength)
	}
	if r := do(t, h, http.MethodPost, "/teams"); r.status != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", r.status)
	}
}

// Only a page that rendered may be cached: an error answer is never
// stored, so a 404 for the results, revisions, explorer or downloads of a
// round cannot outlive its publication in a browser or a CDN. A 405 names
// the methods the path does allow.
func TestErrorResponsesNotCached(t *testing.T) {
	t.Parallel()
	h, _ := newServer(t)
	for _, path := range []string{"/teams/nobody", "/en/no/such/page", "/rounds/stage-2/what-if", "/en/rounds/stage-2/what-if",
		"/rounds/stage-2/revisions/1", "/data/rounds/stage-2/results.csv", "/data/rounds/stage-2/published-scores.csv"} {
		r := get(t, h, path)
		if r.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, r.status)
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: a 404 goes out with Cache-Control %q, want no-store", path, cc)
		}
	}
	for _, tc := range []struct{ method, path, allow string }{
		{http.MethodPost, "/teams", "GET, HEAD"},
		{http.MethodDelete, "/en/rounds/stage-1", "GET, HEAD"},
		{http.MethodPut, "/feed.atom", "GET, HEAD"},
		{http.MethodGet, "/logout", "POST"},
		{http.MethodGet, "/en/logout", "POST"},
		{http.MethodPut, "/login", "GET, HEAD, POST"},
	} {
		r := do(t, h, tc.method, tc.path)
		if r.status != http.StatusMethodNotAllowed {
			t.Errorf("%s %s: status %d, want 405", tc.method, tc.path, r.status)
			continue
		}
		if got := r.header.Get("Allow"); got != tc.allow {
			t.Errorf("%s %s: Allow %q, want %q", tc.method, tc.path, got, tc.allow)
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s %s: a 405 goes out with Cache-Control %q, want no-store", tc.method, tc.path, cc)
		}
		if parseHTML(t, r.body).Find(testid("error-405")).Length() == 0 {
			t.Errorf("%s %s: not the 405 page", tc.method, tc.path)
		}
	}
}

// plantSentinels writes embargoed results into the draft round stage-2
// (pgtest.PlantSentinels), a corrected result revision included.
func plantSentinels(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	pgtest.PlantSentinels(t, pool, "")
	pgtest.PlantCorrectionSentinel(t, pool)
}

var hrefs = regexp.MustCompile(`href="(/[^"]*)"`)

// TestCrawlEmbargo follows every internal link from both home pages: every
// page answers 200 with a correct language switch, and the embargoed
// results of the draft round appear on none of them.
func TestCrawlEmbargo(t *testing.T) {
	t.Parallel()
	h, pool := newServer(t)
	plantSentinels(t, pool)
	seen := crawl(t, h, "77.77", "55.55", "66.66", "SENTINEL")
	if len(seen) < 200 {
		t.Errorf("crawled only %d pages", len(seen))
	}
	for _, p := range []string{"/rounds/stage-2", "/en/rounds/stage-2", "/teams/skt", "/en/organizations/kaist", "/en/funding",
		"/feed", "/en/feed", "/data", "/en/data"} {
		if !seen[p] {
			t.Errorf("crawl never reached %s", p)
		}
	}
}

// crawl follows every internal link from both home pages and checks each
// HTML page with checkPage; no response may contain any of the forbidden
// strings. It returns the paths it reached.
func crawl(t *testing.T, h http.Handler, forbidden ...string) map[string]bool {
	t.Helper()
	seen := map[string]bool{"/": true, "/en": true}
	queue := []string{"/", "/en"}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		r := get(t, h, path)
		if r.status != http.StatusOK {
			t.Errorf("%s: status %d", path, r.status)
			continue
		}
		for _, s := range forbidden {
			if strings.Contains(r.body, s) {
				t.Errorf("%s: shows embargoed %q", path, s)
			}
		}
		if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			continue // the Atom feed and data files: checked for the embargo only
		}
		checkPage(t, path, r)
		for _, m := range hrefs.FindAllStringSubmatch(r.body, -1) {
			link := html.UnescapeString(m[1])
			if strings.HasPrefix(link, "/static/") || seen[link] {
				continue
			}
			seen[link] = true
			queue = append(queue, link)
		}
	}
	return seen
}
