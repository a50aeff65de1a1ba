package rules

import (
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// TestCompleteness pins rule 7: the required scores, the order of the
// missing list, and the preview computed from what is present.
func TestCompleteness(t *testing.T) {
	criteria := []Criterion{
		category("benchmark", "30", leaf("nia", "10"), leaf("common", "20")),
		panelLeaf("expert", "35", 3, AggregateMean),
	}
	entries := []Entry{
		{Team: "c", Status: StatusDisqualified, Reason: Text{KO: "실격", EN: "disqualified"}},
		{Team: "b", Status: StatusWithdrew},
		{Team: "a"},
	}
	// Scrambled on purpose: the missing list must not follow input order.
	scores := []Score{
		{Team: "a", Criterion: "expert", Evaluator: 3, Value: rat("30")},
		direct("c", "common", "15"),
		direct("a", "common", "12.5"),
		{Team: "a", Criterion: "expert", Evaluator: 1, Value: rat("20")},
	}
	tests := []struct {
		name     string
		backfill bool
		want     []Missing
	}{
		{
			name:     "without backfill disqualified teams are ranked and need every score",
			backfill: false,
			want: []Missing{
				{Team: "a", Criterion: "nia"}, {Team: "a", Criterion: "expert", Evaluator: 2},
				{Team: "c", Criterion: "nia"}, {Team: "c", Criterion: "expert", Evaluator: 1}, {Team: "c", Criterion: "expert", Evaluator: 2}, {Team: "c", Criterion: "expert", Evaluator: 3},
			},
		},
		{
			// This used to leave c's scores out of the missing list, so a
			// round reported complete and published a made-up 0.00 for c.
			// A required score is required whatever the team's status;
			// only a team that withdrew takes no scores.
			name:     "with backfill disqualified teams need every score too",
			backfill: true,
			want: []Missing{
				{Team: "a", Criterion: "nia"}, {Team: "a", Criterion: "expert", Evaluator: 2},
				{Team: "c", Criterion: "nia"}, {Team: "c", Criterion: "expert", Evaluator: 1}, {Team: "c", Criterion: "expert", Evaluator: 2}, {Team: "c", Criterion: "expert", Evaluator: 3},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Kind: KindStage, Rule: Rule{Advance: 1, Backfill: tc.backfill},
				Criteria: criteria, Entries: entries, Scores: scores}
			res := mustCompute(t, in)
			if res.Complete {
				t.Error("Complete with scores missing")
			}
			if diff := gocmp.Diff(tc.want, res.Missing); diff != "" {
				t.Errorf("missing (-want +got):\n%s", diff)
			}
			// The preview sums the points that exist: nia has none yet,
			// expert is the mean of 20 and 30.
			a := teamResult(t, res, "a")
			want := []CategoryPoints{{"benchmark", rat("12.5"), rat("12.5")}, {"expert", rat("25"), rat("25")}}
			if diff := gocmp.Diff(want, a.Categories, ratComparer); diff != "" {
				t.Errorf("preview categories (-want +got):\n%s", diff)
			}
			if a.Outcome != OutcomeAdvanced {
				t.Errorf("preview outcome %s", a.Outcome)
			}
			// The trail lists absent values for teams that are not required too.
			b := teamResult(t, res, "b")
			if got := b.Leaves[2].Missing; !gocmp.Equal(got, []int{1, 2, 3}) {
				t.Errorf("withdrawn team's expert trail missing = %v", got)
			}
		})
	}

	t.Run("complete", func(t *testing.T) {
		in := oneCriterion(KindStage, Rule{Advance: 1}, ok("a", "1"), wd("b", ""))
		res := mustCompute(t, in)
		if !res.Complete || res.Missing != nil {
			t.Errorf("Complete = %v, Missing = %v", res.Complete, res.Missing)
		}
	})
}

// TestExplanations pins rule 6: every outcome explained in Korean and
// English with its figures.
func TestExplanations(t *testing.T) {
	jan := []contender{ok("lg", "90.2"), ok("skt", "84.6"), ok("upstage", "82.4"), dq("naver", "80"), ok("nc-ai", "69.2")}
	decided := oneCriterion(KindStage, Rule{Advance: 2}, ok("a", "90"), ok("b", "80"), ok("c", "80"))
	decided.Decision = &Decision{Advance: []string{"c"}, Reason: Text{KO: "전문가 평가 우위", EN: "higher expert score"}}
	decidedSel := decided
	decidedSel.Kind = KindSelection
	withdrew := oneCriterion(KindStage, Rule{Advance: 1}, ok("a", "1"), wd("b", ""), wd("c", ""))
	withdrew.Entries[2].Reason = Text{KO: "재도전 포기", EN: "declined to continue"}

	tests := []struct {
		name string
		in   Input
		team string
		want Text
	}{
		{"within the cut", oneCriterion(KindStage, Rule{Advance: 4}, jan...), "lg",
			Text{"1위 (90.20점) — 4팀 진출 기준 안", "ranked 1st (90.20), within the 4 advancing places"}},
		{"below the cut", oneCriterion(KindStage, Rule{Advance: 4}, jan...), "nc-ai",
			Text{"5위 (69.20점) — 4팀 진출 기준 밖", "ranked 5th (69.20), outside the 4 advancing places"}},
		{"disqualified with its rank", oneCriterion(KindStage, Rule{Advance: 4}, jan...), "naver",
			Text{"4위 (80.00점)였으나 실격: 독자성 기준 미충족", "ranked 4th (80.00) but disqualified: failed the independence requirement"}},
		{"disqualified unranked with backfill", oneCriterion(KindStage, Rule{Advance: 4, Backfill: true}, jan...), "naver",
			Text{"실격: 독자성 기준 미충족", "disqualified: failed the independence requirement"}},
		{"disqualified while tied", oneCriterion(KindStage, Rule{Advance: 1}, ok("a", "80"), dq("b", "80")), "b",
			Text{"공동 1위 (80.00점)였으나 실격: 독자성 기준 미충족", "tied 1st (80.00) but disqualified: failed the independence requirement"}},
		{"selected", oneCriterion(KindSelection, Rule{Advance: 5}, ok("a", "90")), "a",
			Text{"1위 (90.00점) — 5팀 선정 기준 안", "ranked 1st (90.00), within the 5 selected places"}},
		{"one place", oneCriterion(KindAdditional, Rule{Advance: 1}, ok("motif", "81.5"), ok("trillion", "80")), "trillion",
			Text{"2위 (80.00점) — 1팀 선정 기준 밖", "ranked 2nd (80.00), outside the 1 selected place"}},
		{"no places", oneCriterion(KindAdditional, Rule{Advance: 0}, ok("a", "50")), "a",
			Text{"1위 (50.00점) — 선정 인원 없음 (0팀)", "ranked 1st (50.00), with no selected places"}},
		{"tied within the cut", oneCriterion(KindStage, Rule{Advance: 3}, ok("a", "90"), ok("b", "80"), ok("c", "80")), "c",
			Text{"공동 2위 (80.00점) — 3팀 진출 기준 안", "tied 2nd (80.00), within the 3 advancing places"}},
		{"tied below the cut at 11th", oneCriterion(KindStage, Rule{Advance: 10},
			ok("a1", "99"), ok("a2", "98"), ok("a3", "97"), ok("a4", "96"), ok("a5", "95"), ok("a6", "94"),
			ok("a7", "93"), ok("a8", "92"), ok("a9", "91"), ok("b1", "90"), ok("b2", "10"), ok("b3", "10")), "b3",
			Text{"공동 11위 (10.00점) — 10팀 진출 기준 밖", "tied 11th (10.00), outside the 10 advancing places"}},
		{"below the minimum total", oneCriterion(KindStage, Rule{Advance: 3, MinTotal: rat("70")}, ok("a", "90"), ok("b", "80"), ok("c", "65")), "c",
			Text{"3위 (65.00점) — 3팀 진출 기준 안이나 최소 총점 70.00점 미달", "ranked 3rd (65.00), within the 3 advancing places but below the minimum total of 70.00"}},
		{"withdrew", withdrew, "b", Text{"참가 철회", "withdrew"}},
		{"withdrew with a reason", withdrew, "c", Text{"참가 철회: 재도전 포기", "withdrew: declined to continue"}},
		{"tie at the cut", oneCriterion(KindStage, Rule{Advance: 4},
			ok("a", "90"), ok("b", "85"), ok("c", "80"), ok("d", "75"), ok("e", "75")), "e",
			Text{"공동 4위 (75.00점) — 진출 기준에 걸친 동점, 결정 대기", "tied 4th (75.00) across the cut; awaiting a decision"}},
		{"tie at the cut in a selection", oneCriterion(KindSelection, Rule{Advance: 1}, ok("a", "75"), ok("b", "75")), "a",
			Text{"공동 1위 (75.00점) — 선정 기준에 걸친 동점, 결정 대기", "tied 1st (75.00) across the cut; awaiting a decision"}},
		{"advanced by decision", decided, "c",
			Text{"공동 2위 (80.00점) — 진출 기준에 걸친 동점, 결정에 따라 진출: 전문가 평가 우위", "tied 2nd (80.00) across the cut; advanced by decision: higher expert score"}},
		{"eliminated by decision", decided, "b",
			Text{"공동 2위 (80.00점) — 진출 기준에 걸친 동점, 결정에 따라 탈락: 전문가 평가 우위", "tied 2nd (80.00) across the cut; eliminated by decision: higher expert score"}},
		{"selected by decision", decidedSel, "c",
			Text{"공동 2위 (80.00점) — 선정 기준에 걸친 동점, 결정에 따라 선정: 전문가 평가 우위", "tied 2nd (80.00) across the cut; selected by decision: higher expert score"}},
		{"not selected by decision", decidedSel, "b",
			Text{"공동 2위 (80.00점) — 선정 기준에 걸친 동점, 결정에 따라 미선정: 전문가 평가 우위", "tied 2nd (80.00) across the cut; not selected by decision: higher expert score"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := mustCompute(t, tc.in)
			if diff := gocmp.Diff(tc.want, teamResult(t, res, tc.team).Reason); diff != "" {
				t.Errorf("reason (-want +got):\n%s", diff)
			}
		})
	}
}
