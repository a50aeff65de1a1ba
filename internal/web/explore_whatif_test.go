package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// scenarioOutcomes maps each team to its simulated outcome code, the
// badge of its scenario-outcome cell.
func scenarioOutcomes(t *testing.T, body string) map[string]string {
	t.Helper()
	out := map[string]string{}
	one(t, body, testid("whatif-table")).Find(`tr[data-testid^="whatif-row-"]`).Each(func(_ int, tr *goquery.Selection) {
		team := strings.TrimPrefix(tr.AttrOr("data-testid", ""), "whatif-row-")
		for _, c := range strings.Fields(tr.Find(testid("scenario-outcome")+" > span.badge").AttrOr("class", "")) {
			if code, ok := strings.CutPrefix(c, "badge-"); ok {
				out[team] = code
			}
		}
	})
	return out
}

// Acceptance 5 of issue 5: on stage 1 with full scores, restoring Naver
// Cloud's eligibility lets four teams advance, NC AI stays out, and the
// same URL reproduces the scenario.
func TestWhatIfRestoresDisqualifiedTeam(t *testing.T) {
	t.Parallel()
	h, _ := newStage1Server(t)
	for _, tc := range []struct {
		path, summary, unofficial string
	}{
		{"/rounds/stage-1/what-if?status.naver-cloud=eligible", "이 시나리오에서는 4개 팀이 통과합니다 (공식 결과 3개 팀).", "비공식 시뮬레이션"},
		{"/en/rounds/stage-1/what-if?status.naver-cloud=eligible", "In this scenario 4 teams advance (officially 3).", "Unofficial simulation"},
	} {
		r := getPage(t, h, tc.path)
		if got := selText(t, r.body, testid("unofficial")); !strings.Contains(got, tc.unofficial) {
			t.Errorf("%s: not labelled as unofficial: %q", tc.path, got)
		}
		if got := selText(t, r.body, testid("whatif-summary")); got != tc.summary {
			t.Errorf("%s: summary %q, want %q", tc.path, got, tc.summary)
		}
		got := scenarioOutcomes(t, r.body)
		want := map[string]string{"lg": "advanced", "skt": "advanced", "upstage": "advanced", "naver-cloud": "advanced", "nc-ai": "eliminated"}
		for team, o := range want {
			if got[team] != o {
				t.Errorf("%s: %s simulated %q, want %q", tc.path, team, got[team], o)
			}
		}
		advanced := 0
		for _, o := range got {
			if o == "advanced" {
				advanced++
			}
		}
		if advanced != 4 {
			t.Errorf("%s: %d teams advance, want 4", tc.path, advanced)
		}
		// The change is highlighted on Naver Cloud's row only.
		doc := parseHTML(t, r.body)
		if doc.Find("tr.changed"+testid("whatif-row-naver-cloud")).Length() != 1 {
			t.Errorf("%s: Naver Cloud's changed outcome is not highlighted", tc.path)
		}
		if doc.Find("tr.changed"+testid("whatif-row-nc-ai")).Length() != 0 {
			t.Errorf("%s: NC AI marked as changed", tc.path)
		}
		// The scenario's permalink is its canonical URL and reproduces it.
		share := one(t, r.body, testid("whatif-share"))
		if !strings.Contains(textOf(share), baseURL+tc.path) && share.Find(`[href="`+baseURL+tc.path+`"]`).Length() == 0 {
			t.Errorf("%s: share link %s", tc.path, textOf(share))
		}
		if again := get(t, h, tc.path); again.body != r.body {
			t.Errorf("%s: the same URL gave a different page", tc.path)
		}
		// The form carries the scenario.
		if doc.Find(testid("whatif-form")+` select[name="status.naver-cloud"] option[value="eligible"][selected]`).Length() != 1 {
			t.Errorf("%s: the form does not show the scenario's eligibility", tc.path)
		}
	}
}

// The official scenario reproduces the official result; other rules,
// weights and eligibility recompute with the same engine.
func TestWhatIfScenarios(t *testing.T) {
	t.Parallel()
	h, _ := newStage1Server(t)
	for _, tc := range []struct {
		name, path string
		want       map[string]string
		contains   []string
	}{
		{"official", "/rounds/stage-1/what-if",
			map[string]string{"lg": "advanced", "skt": "advanced", "upstage": "advanced", "naver-cloud": "disqualified", "nc-ai": "eliminated"},
			[]string{"공식 조건 그대로입니다"}},
		{"backfill", "/rounds/stage-1/what-if?backfill=on",
			map[string]string{"lg": "advanced", "skt": "advanced", "upstage": "advanced", "naver-cloud": "disqualified", "nc-ai": "advanced"},
			[]string{"실격 팀 자리 채우기 채우지 않음 → 채움"}},
		{"advance 2", "/en/rounds/stage-1/what-if?advance=2",
			map[string]string{"lg": "advanced", "skt": "advanced", "upstage": "eliminated", "naver-cloud": "disqualified", "nc-ai": "eliminated"},
			[]string{"places 4 → 2"}},
		{"minimum total", "/en/rounds/stage-1/what-if?min_total=83",
			map[string]string{"lg": "advanced", "skt": "advanced", "upstage": "eliminated", "naver-cloud": "disqualified", "nc-ai": "eliminated"},
			[]string{"minimum total none → 83.00", "below the minimum total of 83.00"}},
		{"weights", "/en/rounds/stage-1/what-if?max.benchmark=60",
			map[string]string{"lg": "advanced", "skt": "advanced", "upstage": "advanced", "naver-cloud": "disqualified", "nc-ai": "eliminated"},
			[]string{"Benchmarks maximum 40.00 → 60.00 (category points × 1.5)", "ranked 1st (107.00)", "multiplied by (new maximum ÷ official maximum)"}},
		{"withdrawal", "/rounds/stage-1/what-if?status.lg=withdrew&status.naver-cloud=eligible",
			map[string]string{"lg": "withdrew", "skt": "advanced", "upstage": "advanced", "naver-cloud": "advanced", "nc-ai": "advanced"},
			[]string{"LG AI연구원 컨소시엄: 참가 자격 있음 → 기권", "시나리오에서 기권 처리"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := getPage(t, h, tc.path)
			got := scenarioOutcomes(t, r.body)
			for team, o := range tc.want {
				if got[team] != o {
					t.Errorf("%s simulated %q, want %q", team, got[team], o)
				}
			}
			page := visibleText(r.body)
			for _, w := range tc.contains {
				if !strings.Contains(page, w) {
					t.Errorf("missing %q", w)
				}
			}
		})
	}
	// One scenario, one permalink: "60" and "60.00" are the same scenario.
	r := get(t, h, "/rounds/stage-1/what-if?max.benchmark=60&advance=4&backfill=off")
	doc := parseHTML(t, r.body)
	if canon := doc.Find(`head link[rel="canonical"]`).AttrOr("href", ""); canon != baseURL+"/rounds/stage-1/what-if?max.benchmark=60.00" {
		t.Errorf("the canonical link is not the normalized scenario: %s", canon)
	}
	if sw := doc.Find("a"+testid("lang-switch")).AttrOr("href", ""); sw != "/en/rounds/stage-1/what-if?max.benchmark=60&advance=4&backfill=off" {
		t.Errorf("the language switch loses the scenario: %s", sw)
	}
}

// A scenario that breaks the form's rules is answered 422 with the input
// kept and each error next to its field.
func TestWhatIfInvalid(t *testing.T) {
	t.Parallel()
	h, _ := newStage1Server(t)
	for _, tc := range []struct{ path, field, value string }{
		{"/rounds/stage-1/what-if?advance=abc", "advance", "abc"},
		{"/rounds/stage-1/what-if?advance=9", "advance", "9"},
		{"/en/rounds/stage-1/what-if?max.expert=1%2C5", "max.expert", "1,5"},
		{"/rounds/stage-1/what-if?max.user=0", "max.user", "0"},
		{"/rounds/stage-1/what-if?min_total=-1", "min_total", "-1"},
		{"/rounds/stage-1/what-if?status.lg=banned", "status.lg", ""},
	} {
		r := get(t, h, tc.path)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", tc.path, r.status)
			continue
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: a 422 must not be cached: Cache-Control %q", tc.path, cc)
		}
		checkPage(t, tc.path, r)
		doc := parseHTML(t, r.body)
		if doc.Find(testid("error-"+tc.field)).Length() == 0 {
			t.Errorf("%s: no error next to %s", tc.path, tc.field)
		}
		if tc.value != "" && doc.Find(`[value="`+tc.value+`"]`).Length() == 0 {
			t.Errorf("%s: the input %q was not kept", tc.path, tc.value)
		}
		if doc.Find(testid("whatif-result")).Length() > 0 {
			t.Errorf("%s: shows a result for an invalid scenario", tc.path)
		}
	}
}

// A round whose full scores were never disclosed is not simulated: the
// explorer says so instead of guessing. An unpublished round has none.
func TestWhatIfUndisclosedRound(t *testing.T) {
	t.Parallel()
	h, _ := newServer(t)
	for _, tc := range []struct{ path, want string }{
		{"/rounds/stage-1/what-if", "이 라운드는 전체 점수가 공개되지 않아 시뮬레이션할 수 없습니다"},
		{"/en/rounds/stage-1/what-if?status.naver-cloud=eligible", "this round's full scores were not disclosed, so it cannot be simulated"},
		{"/rounds/additional-call/what-if", "전체 점수가 공개되지 않아"},
	} {
		r := getPage(t, h, tc.path)
		if got := selText(t, r.body, testid("whatif-unavailable")); !strings.Contains(strings.ToLower(got), strings.ToLower(tc.want)) {
			t.Errorf("%s: %q, want %q", tc.path, got, tc.want)
		}
		for _, s := range []string{`data-testid="whatif-form"`, `data-testid="whatif-result"`} {
			if strings.Contains(r.body, s) {
				t.Errorf("%s: shows %s for a round without full scores", tc.path, s)
			}
		}
	}
	if r := get(t, h, "/rounds/stage-2/what-if"); r.status != http.StatusNotFound {
		t.Errorf("unpublished round's explorer: %d, want 404", r.status)
	}
}

// A scenario keeps the round's own rounding: on stage 2 every leaf is
// rounded to one decimal, so the simulated totals are the official ones
// (70.6, not a sum rounded to cents), whether or not a weight changes.
func TestWhatIfStage2KeepsRounding(t *testing.T) {
	t.Parallel()
	h, _ := stage2Server(t, nil)
	for _, path := range []string{"/en/rounds/stage-2/what-if?advance=2", "/en/rounds/stage-2/what-if?backfill=on"} {
		page := visibleText(getPage(t, h, path).body)
		for _, want := range []string{"ranked 1st (70.6)", "ranked 2nd (69.9)"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: missing %q", path, want)
			}
		}
	}
}
