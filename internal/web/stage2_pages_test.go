package web_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/kai-challenge/portal/internal/fixtures"
	"github.com/kai-challenge/portal/internal/postgres"
)

// stage2Server serves a fresh database holding the stage-2 test program
// (the ministry's scheme: raw AAII scaled to points, leaf rounding at one
// decimal), its source edited by edit.
func stage2Server(t *testing.T, edit func(string) string) (http.Handler, *postgres.Store) {
	t.Helper()
	src, err := fixtures.Stage2Program(edit)
	if err != nil {
		t.Fatal(err)
	}
	return serveProgramSource(t, src)
}

// The stage-2 round page shows its figures with the round's one decimal
// and the scaled leaves' trail from raw value to rounded points.
func TestStage2RoundDecimals(t *testing.T) {
	h, _ := stage2Server(t, nil)
	for _, path := range []string{"/rounds/stage-2", "/en/rounds/stage-2"} {
		r := getPage(t, h, path)
		doc := parseHTML(t, r.body)
		var cells []string
		doc.Find(testid("results-table") + " tbody tr").Each(func(_ int, row *goquery.Selection) {
			cells = append(cells, cellsOf(row)...)
		})
		for _, want := range []string{"70.6", "69.9", "69.0", "65.8"} {
			if !slices.Contains(cells, want) {
				t.Errorf("%s: results table has no cell %q: %q", path, want, cells)
			}
		}
		if !strings.Contains(r.body, "70.6") || strings.Contains(r.body, "70.60") {
			i := strings.Index(r.body, "70.60")
			t.Errorf("%s: want 70.6 and never 70.60: %s", path, r.body[max(0, i-300):min(len(r.body), i+50)])
		}
		if !strings.Contains(r.body, "35.0 → 8.75 → 8.8") {
			t.Errorf("%s: no trail 35.0 → 8.75 → 8.8 for the scaled AAII leaf", path)
		}
	}
}

// The round page shows the dated disclosure steps, the computed averages
// and Motif's pending objection, in Korean and English.
func TestStage2RoundDisclosuresAndObjection(t *testing.T) {
	h, _ := stage2Server(t, nil)
	for _, c := range []struct{ path, note, status, summary, due string }{
		{"/rounds/stage-2", "영역별 평균과 격차만 공개", "심사 중", "항목별 점수와 기준 공개 요구", "결정 예정"},
		{"/en/rounds/stage-2", "Block averages and gaps only", "pending", "Asked for per-item scores and criteria", "Decision due"},
	} {
		r := getPage(t, h, c.path)
		doc := parseHTML(t, r.body)
		steps := textsOf(doc.Find(testid("disclosure-step")))
		if len(steps) != 3 || !strings.Contains(steps[0], c.note) || !strings.Contains(steps[0], "2026") {
			t.Errorf("%s: disclosure steps = %q", c.path, steps)
		}
		if doc.Find(testid("disclosure-step")+` a[href="https://example.org/stage-2-table"]`).Length() != 1 {
			t.Errorf("%s: the full-table step does not cite its source", c.path)
		}
		obj := textOf(one(t, r.body, testid("objection")))
		for _, want := range []string{c.status, c.summary, c.due, "2026"} {
			if !strings.Contains(obj, want) {
				t.Errorf("%s: objection %q lacks %q", c.path, obj, want)
			}
		}
		if doc.Find(testid("objection")+` a[href="https://example.org/motif-objection"]`).Length() != 1 {
			t.Errorf("%s: objection does not cite its source", c.path)
		}
		if doc.Find(testid("aggregates-table")).Length() != 1 {
			t.Errorf("%s: no averages table", c.path)
		}
	}
}

// At the outcomes level the round page prints no figure: no results
// table, no averages, no points, only the outcomes.
func TestStage2OutcomesLevelNoFigures(t *testing.T) {
	h, _ := stage2Server(t, outcomesOnly)
	for _, path := range []string{"/rounds/stage-2", "/en/rounds/stage-2", "/teams/motif", "/en/teams/skt"} {
		r := getPage(t, h, path)
		doc := parseHTML(t, r.body)
		for _, sel := range []string{testid("results-table"), testid("aggregates-table"), testid("scores-table"), testid("stats-table")} {
			if doc.Find(sel).Length() != 0 {
				t.Errorf("%s: %s shown at the outcomes level", path, sel)
			}
		}
		main := textOf(doc.Find("main"))
		for _, fig := range []string{"70.6", "69.9", "69.0", "65.8", "8.8", "22.5"} {
			if strings.Contains(main, fig) {
				t.Errorf("%s: figure %s shown at the outcomes level", path, fig)
			}
		}
	}
}

// Motif's team page shows its objection with the round it concerns.
func TestStage2TeamObjection(t *testing.T) {
	h, _ := stage2Server(t, nil)
	for _, c := range []struct{ path, summary string }{
		{"/teams/motif", "항목별 점수와 기준 공개 요구"},
		{"/en/teams/motif", "Asked for per-item scores and criteria"},
	} {
		r := getPage(t, h, c.path)
		sec := one(t, r.body, testid("team-objections"))
		if !strings.Contains(textOf(sec), c.summary) || sec.Find(`a[href$="/rounds/stage-2"]`).Length() != 1 {
			t.Errorf("%s: objections section = %q", c.path, textOf(sec))
		}
	}
	if r := getPage(t, h, "/teams/skt"); strings.Contains(r.body, `data-testid="team-objections"`) {
		t.Error("SK Telecom filed no objection but its page lists one")
	}
}

// The feed has an entry for each disclosure step and for the objection.
func TestStage2FeedDisclosuresAndObjection(t *testing.T) {
	h, _ := stage2Server(t, nil)
	r := getOK(t, h, "/feed.atom")
	if n := strings.Count(r.body, `term="disclosure"`); n != 3 {
		t.Errorf("feed has %d disclosure entries, want 3", n)
	}
	if n := strings.Count(r.body, `term="objection"`); n != 1 {
		t.Errorf("feed has %d objection entries, want 1", n)
	}
	if !strings.Contains(r.body, "모티프 정예팀 이의신청") || !strings.Contains(r.body, "objection by Motif consortium") {
		t.Error("the objection entry does not name the team in both languages")
	}
}
