package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/web/i18n"
	assets "github.com/kai-challenge/portal/web"
)

func rank(n int) *int { return &n }

func TestCutAt(t *testing.T) {
	t.Parallel()
	team := func(r *int) rules.ReportTeam { return rules.ReportTeam{Rank: r} }
	for _, tc := range []struct {
		name   string
		teams  []rules.ReportTeam
		places int
		want   int
	}{
		{"below the places", []rules.ReportTeam{team(rank(1)), team(rank(2)), team(rank(3))}, 2, 2},
		{"everyone inside", []rules.ReportTeam{team(rank(1)), team(rank(2))}, 2, 2},
		{"withdrawn team after the places", []rules.ReportTeam{team(rank(1)), team(rank(2)), team(rank(3)), team(nil)}, 3, 3},
		{"withdrawn team, fewer ranked than places", []rules.ReportTeam{team(rank(1)), team(rank(2)), team(nil)}, 4, 2},
		{"shared rank inside", []rules.ReportTeam{team(rank(1)), team(rank(2)), team(rank(2)), team(rank(4))}, 2, 3},
		{"no places", []rules.ReportTeam{team(rank(1)), team(nil)}, 0, 0},
		{"no teams", nil, 3, 0},
	} {
		if got := cutAt(tc.teams, tc.places); got != tc.want {
			t.Errorf("%s: cutAt = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// The staff preview and the public results draw the cut line at the same
// row, from the places the result was computed with (the frozen input's,
// not the round's current rule), also when a withdrawn team is listed
// unranked after every ranked team still inside the places.
func TestCutLineSameInPreviewAndPage(t *testing.T) {
	t.Parallel()
	cats, err := i18n.Load(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	in := postgres.FrozenInput{
		Kind: contest.KindStage, Advance: 3,
		Criteria: []postgres.FrozenCriterion{{Code: "a", Name: contest.Text{KO: "가", EN: "A"}, Max: "100"}},
		Entries: []postgres.FrozenEntry{{Team: "t1"}, {Team: "t2"}, {Team: "t3"},
			{Team: "t4", Status: contest.EntryWithdrew, Reason: contest.Text{KO: "포기", EN: "withdrew"}}},
		Scores: []postgres.FrozenScore{{Team: "t1", Criterion: "a", Value: "90"}, {Team: "t2", Criterion: "a", Value: "80"},
			{Team: "t3", Criterion: "a", Value: "70"}},
	}
	res, err := rules.Compute(in.EngineInput())
	if err != nil {
		t.Fatal(err)
	}
	rep := rules.NewReport("p", "r", rules.ReportPublished, res)
	if last := rep.Teams[len(rep.Teams)-1]; last.Team != "t4" || last.Rank != nil {
		t.Fatalf("the withdrawn team is not listed last and unranked: %+v", rep.Teams)
	}
	// The round's rule changed after the result was computed: the cut
	// follows the result.
	rr := postgres.RoundResults{Info: postgres.RoundInfo{Kind: contest.KindStage, Advance: 1}, Report: rep, Result: &res, Input: &in}

	for _, lang := range i18n.Langs {
		L := cats.Localizer(lang)
		r := httptest.NewRequest(http.MethodGet, i18n.Localize(lang, "/rounds/r"), nil)
		pr := &pageReq{r: r, L: L}
		page := pr.resultsView("r", rr, namesOf(nil, &in))
		ar := &adminReq{r: r, L: L}
		preview := ar.resultsTable(rr, nil, nil)
		above := -1
		for i, row := range preview.Rows {
			if row.CutAbove {
				if above >= 0 {
					t.Errorf("%s: the preview draws two cut lines", lang)
				}
				above = i
			}
		}
		if page.CutAt != 3 || above != page.CutAt {
			t.Errorf("%s: cut line before row %d on the page and %d in the preview, want 3 in both", lang, page.CutAt, above)
		}
		if want := L.T("admin.preview.caption", "n", 3); preview.Caption != want {
			t.Errorf("%s: preview caption %q, want %q", lang, preview.Caption, want)
		}
	}
}
