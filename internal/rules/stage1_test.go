package rules

import (
	"math/big"
	"path/filepath"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// stage1 is the January 2026 stage-1 evaluation of the Sovereign AI
// Foundation Model project with illustrative scores (testdata/stage1.csv)
// that reproduce every published figure: LG's category points and total,
// the NIA, global-common and global-individual maxima, the five-team
// category averages and the published ranking and outcomes.
func stage1(t testing.TB) Input {
	t.Helper()
	return Input{
		Kind: KindStage,
		Rule: Rule{Advance: 4},
		Criteria: []Criterion{
			category("benchmark", "40",
				leaf("nia", "10"), leaf("global_common", "20"), leaf("global_individual", "10")),
			panelLeaf("expert", "35", 10, AggregateTrimmedMean),
			panelLeaf("user", "25", 49, AggregateTrimmedMean),
		},
		Entries: []Entry{
			{Team: "lg"}, {Team: "skt"}, {Team: "upstage"},
			{Team: "naver", Status: StatusDisqualified, Reason: Text{
				KO: "독자성 기준 미충족 (해외 모델 인코더 가중치 사용)",
				EN: "failed the independence requirement (used a foreign model's encoder weights)",
			}},
			{Team: "nc-ai"},
		},
		Scores: loadScores(t, filepath.Join("testdata", "stage1.csv")),
	}
}

func TestStage1January2026(t *testing.T) {
	in := stage1(t)
	res := mustCompute(t, in)
	if !res.Complete || res.Blocked {
		t.Fatalf("Complete = %v, Blocked = %v; missing %v", res.Complete, res.Blocked, res.Missing)
	}

	want := []line{
		{"lg", 1, false, OutcomeAdvanced, ReasonWithinCut},
		{"skt", 2, false, OutcomeAdvanced, ReasonWithinCut},
		{"upstage", 3, false, OutcomeAdvanced, ReasonWithinCut},
		{"naver", 4, false, OutcomeDisqualified, ReasonDisqualified},
		{"nc-ai", 5, false, OutcomeEliminated, ReasonBelowCut},
	}
	if diff := gocmp.Diff(want, lines(res)); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}

	// LG's published figures.
	lg := teamResult(t, res, "lg")
	if got := figures(lg); !gocmp.Equal(got, []string{"33.60", "31.60", "25.00", "90.20"}) {
		t.Errorf("LG benchmark, expert, user, total = %v; published 33.6 / 31.6 / 25.0 / 90.2", got)
	}
	checkStage1Leaves(t, res)
	checkStage1Maxima(t, res)
	checkStage1Averages(t, res)
	checkStage1Trail(t, lg)
	checkStage1Reasons(t, res)
}

// leafPoints returns a team's exact points for a leaf.
func leafPoints(t *testing.T, res Result, team, criterion string) *big.Rat {
	t.Helper()
	for _, l := range teamResult(t, res, team).Leaves {
		if l.Criterion == criterion {
			return l.Exact
		}
	}
	t.Fatalf("no leaf %s for %s", criterion, team)
	return nil
}

// checkStage1Leaves checks the published leaf points.
func checkStage1Leaves(t *testing.T, res Result) {
	for _, c := range []struct{ team, criterion, want string }{
		{"lg", "nia", "9.2"}, {"lg", "global_common", "14.4"}, {"lg", "global_individual", "10"},
		{"skt", "nia", "9.2"}, {"upstage", "global_individual", "10"},
	} {
		if got := leafPoints(t, res, c.team, c.criterion); got.Cmp(rat(c.want)) != 0 {
			t.Errorf("%s %s = %s, published %s", c.team, c.criterion, FormatCents(got), c.want)
		}
	}
}

// checkStage1Maxima checks the published maxima.
func checkStage1Maxima(t *testing.T, res Result) {
	lg := teamResult(t, res, "lg")

	// Published maxima: LG leads every category; NIA 9.2 (LG, SKT), global
	// common 14.4 (LG alone), global individual 10.0 (LG, Upstage).
	maxima := []struct {
		criterion, max string
		reachedBy      []string
	}{
		{"nia", "9.2", []string{"lg", "skt"}},
		{"global_common", "14.4", []string{"lg"}},
		{"global_individual", "10", []string{"lg", "upstage"}},
	}
	for _, tr := range res.Teams {
		for i, c := range tr.Categories {
			if tr.Team != "lg" && c.Rounded.Cmp(lg.Categories[i].Rounded) >= 0 {
				t.Errorf("%s %s %s is not below LG's", tr.Team, c.Code, FormatCents(c.Rounded))
			}
		}
		for _, m := range maxima {
			v := leafPoints(t, res, tr.Team, m.criterion)
			c := v.Cmp(rat(m.max))
			if c > 0 || (c == 0) != slices.Contains(m.reachedBy, tr.Team) {
				t.Errorf("%s %s %s contradicts the published maximum %s", tr.Team, m.criterion, FormatCents(v), m.max)
			}
		}
	}

}

// checkStage1Averages checks the published averages.
func checkStage1Averages(t *testing.T, res Result) {
	// Published averages over the five teams: 30.4 / 28.56 / 20.76, total
	// 79.7. The category averages are matched to the cent; the total
	// average is 79.72, published as 79.7 (30.4 + 28.56 + 20.76 = 79.72,
	// so the published total average can only hold to one decimal).
	sums := make([]*big.Rat, 4)
	for i := range sums {
		sums[i] = new(big.Rat)
	}
	for _, tr := range res.Teams {
		for i, c := range tr.Categories {
			sums[i].Add(sums[i], c.Rounded)
		}
		sums[3].Add(sums[3], tr.Total)
	}
	five := big.NewRat(5, 1)
	var avg []string
	for _, s := range sums[:3] {
		avg = append(avg, FormatCents(new(big.Rat).Quo(s, five)))
	}
	if !gocmp.Equal(avg, []string{"30.40", "28.56", "20.76"}) {
		t.Errorf("category averages = %v, published 30.4 / 28.56 / 20.76", avg)
	}
	if got := new(big.Rat).Quo(sums[3], five).FloatString(1); got != "79.7" {
		t.Errorf("total average = %s, published 79.7", got)
	}

}

// checkStage1Trail checks LG's user-panel trail.
func checkStage1Trail(t *testing.T, lg TeamResult) {
	// The trail: LG's user panel gave 25.00 but for one low outlier; the
	// trimmed mean drops it and one (the first) of the many 25.00 values.
	var user LeafDetail
	for _, l := range lg.Leaves {
		if l.Criterion == "user" {
			user = l
		}
	}
	low, firstTop := 0, 0
	for _, v := range user.Values {
		if v.Value.Cmp(rat("25")) < 0 {
			low = v.Evaluator
		} else if firstTop == 0 {
			firstTop = v.Evaluator
		}
	}
	if len(user.Values) != 49 || !gocmp.Equal(user.Dropped, []int{low, firstTop}) || user.Applied != AggregateTrimmedMean {
		t.Errorf("LG user trail: %d values, dropped %v (want [%d %d]), applied %s", len(user.Values), user.Dropped, low, firstTop, user.Applied)
	}

}

// checkStage1Reasons checks the explanations of the two teams that left.
func checkStage1Reasons(t *testing.T, res Result) {
	naver := teamResult(t, res, "naver")
	if want := (Text{
		KO: "4위 (77.00점)였으나 실격: 독자성 기준 미충족 (해외 모델 인코더 가중치 사용)",
		EN: "ranked 4th (77.00) but disqualified: failed the independence requirement (used a foreign model's encoder weights)",
	}); naver.Reason != want {
		t.Errorf("naver reason = %+v", naver.Reason)
	}
	nc := teamResult(t, res, "nc-ai")
	if want := (Text{KO: "5위 (64.40점) — 4팀 진출 기준 밖", EN: "ranked 5th (64.40), outside the 4 advancing places"}); nc.Reason != want {
		t.Errorf("nc-ai reason = %+v", nc.Reason)
	}
}

func figures(tr TeamResult) []string {
	var s []string
	for _, c := range tr.Categories {
		s = append(s, FormatCents(c.Rounded))
	}
	return append(s, FormatCents(tr.Total))
}
