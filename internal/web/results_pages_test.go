package web_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/fixtures"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programfile"
	"github.com/kai-challenge/portal/internal/web"
)

const stage1Entries = fixtures.Stage1Entries

// stage1Program is the stage-1 test program of fixtures.Stage1Program. With
// tie set, NC AI gets Naver Cloud's scores, so the two tie for 4th place
// across the cut of four.
func stage1Program(t *testing.T, entries string, tie bool) *programfile.File {
	t.Helper()
	src, err := fixtures.Stage1Program(entries, fixtures.Stage1Options{Tie: tie})
	if err != nil {
		t.Fatal(err)
	}
	return parseProgram(t, []byte(src))
}

var testActor = contest.Actor{Name: "test"}

// newStage1Server imports the stage-1 test program, publishes its round
// and returns the portal's handler and store.
func newStage1Server(t *testing.T) (http.Handler, *postgres.Store) {
	t.Helper()
	st := importedStore(t, stage1Program(t, stage1Entries, false))
	closeAndPublish(context.Background(), t, st, "test-program", "stage-1", testActor, time.Date(2026, 1, 15, 5, 0, 0, 0, time.UTC))
	return testServer(st), st
}

// visibleText is what a reader sees of an HTML page or fragment.
func visibleText(s string) string {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(s))
	if err != nil {
		panic(err) // the HTML parser reads any input
	}
	return textOf(doc.Selection)
}

// rowCells returns the text of each cell of the table row marked testid.
func rowCells(t *testing.T, body, id string) []string {
	t.Helper()
	return cellsOf(one(t, body, testid(id)))
}

// A published round computed by the rule engine shows the ranked table with
// the cut line after the 4th place, each team's category points, total,
// outcome and reason, the chart, and how each total was computed — trimmed
// means naming the two dropped evaluators, exact points and the rounding —
// in both languages.
func TestComputedRoundPage(t *testing.T) {
	t.Parallel()
	h, _ := newStage1Server(t)
	for _, tc := range []struct {
		path string
		rows map[string][]string
		cut  string
		want []string
	}{
		{
			path: "/rounds/stage-1",
			rows: map[string][]string{
				"results-row-lg":          {"1위", "LG AI연구원 컨소시엄", "33.60", "31.60", "25.00", "90.20", "통과", "1위 (90.20점) — 4팀 진출 기준 안"},
				"results-row-naver-cloud": {"4위", "네이버클라우드 컨소시엄", "29.80", "27.40", "19.80", "77.00", "실격", "4위 (77.00점)였으나 실격: 독자성 기준 미충족"},
			},
			cut: "진출 기준선 (4팀)",
			want: []string{"발표본 1 (현재)", "계산 방법", "평가위원 10명 · 최고·최저 제외 평균",
				"제외한 점수: 평가위원 2 (29.75) — 최저, 평가위원 5 (33.39) — 최고",
				"남은 8개 점수의 합계 252.82 ÷ 8 = 31.6025", "31.6025 → 31.60", "9.2 + 14.4 + 10 = 33.6", "33.6 → 33.60",
				"33.60 + 31.60 + 25.00 = 90.20", "105287/4700 ≈ 22.401489", "감사 로그 체인 머리값", "이 라운드 가정해 보기",
				"네이버클라우드 컨소시엄이(가) 실격되지 않았다면?"},
		},
		{
			path: "/en/rounds/stage-1",
			rows: map[string][]string{
				"results-row-lg":          {"1st", "LG AI Research consortium", "33.60", "31.60", "25.00", "90.20", "advanced", "ranked 1st (90.20), within the 4 advancing places"},
				"results-row-naver-cloud": {"4th", "Naver Cloud consortium", "29.80", "27.40", "19.80", "77.00", "disqualified", "ranked 4th (77.00) but disqualified: failed the independence requirement"},
			},
			cut: "cut: 4 places",
			want: []string{"Revision 1 (current)", "How this was computed", "panel of 10",
				"Dropped: Expert 2 (29.75), the lowest, and Expert 5 (33.39), the highest",
				"sum of the remaining 8 scores 252.82 ÷ 8 = 31.6025", "31.6025 → 31.60", "33.60 + 31.60 + 25.00 = 90.20",
				"Audit chain head", "What if Naver Cloud consortium had not been disqualified?"},
		},
	} {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			r := getPage(t, h, tc.path)
			for id, want := range tc.rows {
				if got := rowCells(t, r.body, id); strings.Join(got, " | ") != strings.Join(want, " | ") {
					t.Errorf("%s:\n got %q\nwant %q", id, got, want)
				}
			}
			// The cut line sits between the 4th place and the 5th.
			doc := parseHTML(t, r.body)
			order := []string{"results-row-lg", "results-row-skt", "results-row-upstage", "results-row-naver-cloud", "cut-line", "results-row-nc-ai"}
			var rows []string
			doc.Find(testid("results-table") + " tr").Each(func(_ int, tr *goquery.Selection) {
				if id := tr.AttrOr("data-testid", ""); slices.Contains(order, id) {
					rows = append(rows, id)
				}
			})
			if !slices.Equal(rows, order) {
				t.Errorf("results table rows %v, want %v", rows, order)
			}
			if got := selText(t, r.body, testid("results-table")+" "+testid("cut-line")); !strings.Contains(got, tc.cut) {
				t.Errorf("cut line %q, want %q", got, tc.cut)
			}
			// Each team's computation is in a <details>, so it opens without JavaScript.
			for _, slug := range []string{"lg", "skt", "upstage", "naver-cloud", "nc-ai"} {
				if doc.Find("details.team-method"+testid("method-"+slug)).Length() != 1 {
					t.Errorf("no computation details for %s", slug)
				}
			}
			page := visibleText(r.body)
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("missing %q", w)
				}
			}
			head := selText(t, r.body, testid("audit-head"))
			if !regexp.MustCompile(`\b[0-9a-f]{64}\b`).MatchString(head) {
				t.Errorf("no audit chain head in %q", head)
			}
			// The computed table replaces the generic figures and outcomes.
			for _, gone := range []string{"scores-table", "outcomes"} {
				if doc.Find(testid(gone)).Length() > 0 {
					t.Errorf("%s shown next to the computed results", gone)
				}
			}
			checkSVG(t, r.body, "round-chart", []string{"LG", "NC AI"})
		})
	}
}

// A tie across the cut resolved by a recorded decision shows the shared
// rank ("공동 4위" / "tied 4th") and the decision with its reason.
func TestTieDecisionOnRoundPage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := postgres.New(pgtest.New(t))
	eligible := strings.Replace(stage1Entries, `{team: naver-cloud, status: disqualified, reason: {ko: "독자성 기준 미충족", en: "failed the independence requirement"}}`, `{team: naver-cloud}`, 1)
	if _, err := st.ImportProgram(ctx, stage1Program(t, eligible, true)); err != nil {
		t.Fatalf("import: %v", err)
	}
	if err := st.DecideRound(ctx, "test-program", "stage-1", []string{"naver-cloud"},
		contest.Text{KO: "독자성 점수 우위", EN: "higher independence score"}, testActor); err != nil {
		t.Fatalf("decide: %v", err)
	}
	closeAndPublish(ctx, t, st, "test-program", "stage-1", testActor, time.Now())
	h := web.NewServer(web.Deps{Store: st, BaseURL: baseURL})
	for _, tc := range []struct{ path, rank, decision string }{
		{"/rounds/stage-1", "공동 4위", "결정에 따라 통과 네이버클라우드 컨소시엄 사유 독자성 점수 우위"},
		{"/en/rounds/stage-1", "tied 4th", "Let through by the decision Naver Cloud consortium Reason higher independence score"},
	} {
		r := getPage(t, h, tc.path)
		for _, slug := range []string{"naver-cloud", "nc-ai"} {
			if got := rowCells(t, r.body, "results-row-"+slug); got[0] != tc.rank {
				t.Errorf("%s %s: rank %q, want %q", tc.path, slug, got[0], tc.rank)
			}
		}
		if got := selText(t, r.body, testid("results-decision")); !strings.Contains(got, tc.decision) {
			t.Errorf("%s: decision %q, want it to contain %q", tc.path, got, tc.decision)
		}
	}
}

// A correction is listed on the round page (what changed, when, why), the
// current revision is shown, and each revision is readable at its own URL,
// the earlier one marked as such with a link to the current results.
func TestCorrectionsAndRevisions(t *testing.T) {
	t.Parallel()
	h, st := newStage1Server(t)
	if _, err := st.CorrectRound(context.Background(), "test-program", "stage-1",
		postgres.Correction{Team: "nc-ai", Criterion: "expert", Evaluator: 3, Value: "10.00"},
		contest.Text{KO: "평가위원 3 입력 오류 정정", EN: "Expert 3's entry corrected"}, testActor, time.Date(2026, 1, 20, 5, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang, prefix, current, change, reason, when, old, oldRev string
	}{
		{"ko", "", "발표본 2 (현재)", "NC AI 컨소시엄 · 전문가 평가 · 평가위원 3:", "평가위원 3 입력 오류 정정", "2026년 1월 20일 14:00 KST", "이전 발표본입니다", "발표본 1"},
		{"en", "/en", "Revision 2 (current)", "NC AI consortium · Expert evaluation · Expert 3:", "Expert 3's entry corrected", "20 Jan 2026, 14:00 KST", "This is an earlier revision", "Revision 1"},
	} {
		r := getPage(t, h, tc.prefix+"/rounds/stage-1")
		page := visibleText(r.body)
		for _, w := range []string{tc.current, tc.change, "→ 10.00", tc.reason} {
			if !strings.Contains(page, w) {
				t.Errorf("%s round page: missing %q", tc.lang, w)
			}
		}
		// The correction says when it was published (05:00 UTC is 14:00 KST).
		corr := one(t, r.body, testid("corrections"))
		if got := textOf(corr); !strings.Contains(got, tc.when) {
			t.Errorf("%s: corrections %q do not give the time %q", tc.lang, got, tc.when)
		}
		for _, link := range []string{tc.prefix + "/rounds/stage-1/revisions/1", tc.prefix + "/rounds/stage-1/revisions/2"} {
			if corr.Find(`a[href="`+link+`"]`).Length() == 0 {
				t.Errorf("%s: corrections do not link %s", tc.lang, link)
			}
		}

		old := getPage(t, h, tc.prefix+"/rounds/stage-1/revisions/1")
		notice := one(t, old.body, testid("old-revision"))
		if !strings.Contains(textOf(notice), tc.old) || notice.Find(`a[href="`+tc.prefix+`/rounds/stage-1"]`).Length() == 0 {
			t.Errorf("%s: revision 1 is not marked old with a link to the current one: %s", tc.lang, textOf(notice))
		}
		if !strings.Contains(visibleText(old.body), tc.oldRev) {
			t.Errorf("%s: revision 1 page does not name its revision", tc.lang)
		}
		// Revision 1 shows the figures as first published: NC AI's expert
		// points differ from revision 2's.
		was, now := rowCells(t, old.body, "results-row-nc-ai"), rowCells(t, r.body, "results-row-nc-ai")
		if was[3] == now[3] {
			t.Errorf("%s: revision 1 shows the corrected expert points %s", tc.lang, now[3])
		}
		cur := get(t, h, tc.prefix+"/rounds/stage-1/revisions/2")
		curDoc := parseHTML(t, cur.body)
		if cur.status != http.StatusOK || curDoc.Find(testid("old-revision")).Length() > 0 || curDoc.Find(testid("current-revision")).Length() == 0 {
			t.Errorf("%s: revision 2 is not the current one (%d)", tc.lang, cur.status)
		}
		if got := rowCells(t, cur.body, "results-row-nc-ai"); strings.Join(got, "|") != strings.Join(now, "|") {
			t.Errorf("%s: revision 2 %v differs from the round page %v", tc.lang, got, now)
		}
	}
	for _, p := range []string{"/rounds/stage-1/revisions/3", "/rounds/stage-1/revisions/0", "/rounds/stage-1/revisions/01", "/en/rounds/stage-1/revisions/x", "/rounds/nope/revisions/1"} {
		if r := get(t, h, p); r.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, r.status)
		}
	}
	seen := crawl(t, h)
	for _, p := range []string{"/rounds/stage-1/revisions/1", "/en/rounds/stage-1/revisions/2", "/rounds/stage-1/what-if?status.naver-cloud=eligible"} {
		if !seen[p] {
			t.Errorf("crawl never reached %s", p)
		}
	}
}

// Before publication the round page shows no results, and neither the
// explorer nor a revision page exists.
func TestUnpublishedRoundHasNoResults(t *testing.T) {
	t.Parallel()
	st := postgres.New(pgtest.New(t))
	if _, err := st.ImportProgram(context.Background(), stage1Program(t, stage1Entries, false)); err != nil {
		t.Fatal(err)
	}
	h := web.NewServer(web.Deps{Store: st, BaseURL: baseURL})
	r := getPage(t, h, "/rounds/stage-1")
	for _, s := range []string{`data-testid="round-results"`, "90.20", "whatif-link", "독자성 기준 미충족"} {
		if strings.Contains(r.body, s) {
			t.Errorf("unpublished round page shows %q", s)
		}
	}
	for _, p := range []string{"/rounds/stage-1/what-if", "/rounds/stage-1/revisions/1", "/en/rounds/stage-1/what-if?status.naver-cloud=eligible"} {
		if r := get(t, h, p); r.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, r.status)
		}
	}
}
