package rules

import (
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// TestRanking pins rule 3: total first, then rounded categories in declared
// order, then a shared competition rank; ties listed by slug.
func TestRanking(t *testing.T) {
	twoCats := []Criterion{leaf("a", "50"), leaf("b", "50")}
	threeCats := []Criterion{leaf("a", "50"), leaf("b", "50"), leaf("c", "50")}
	scores := func(team string, cats []Criterion, values ...string) []Score {
		var s []Score
		for i, v := range values {
			s = append(s, direct(team, cats[i].Code, v))
		}
		return s
	}
	tests := []struct {
		name     string
		criteria []Criterion
		entries  []Entry
		scores   []Score
		want     []line
	}{
		{
			// Ranking the other way round would put y first.
			name:     "equal totals: the first category decides",
			criteria: twoCats,
			entries:  []Entry{{Team: "y"}, {Team: "x"}},
			scores:   append(scores("y", twoCats, "20", "30"), scores("x", twoCats, "30", "20")...),
			want: []line{
				{"x", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"y", 2, false, OutcomeEliminated, ReasonBelowCut},
			},
		},
		{
			name:     "equal totals and first category: the second decides",
			criteria: threeCats,
			entries:  []Entry{{Team: "x"}, {Team: "y"}},
			scores:   append(scores("x", threeCats, "20", "10", "20"), scores("y", threeCats, "20", "20", "10")...),
			want: []line{
				{"y", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"x", 2, false, OutcomeEliminated, ReasonBelowCut},
			},
		},
		{
			// x's exact first category (10.005) is below y's (10.01), but
			// both round to 10.01: they are tied.
			name: "the tie-break uses rounded categories, not exact points",
			criteria: []Criterion{
				panelLeaf("a", "50", 2, AggregateMean), leaf("b", "50"),
			},
			entries: []Entry{{Team: "y"}, {Team: "x"}, {Team: "z"}},
			scores: append(append(append(
				byEvaluator("x", "a", "10.00", "10.01"), byEvaluator("y", "a", "10.01", "10.01")...),
				direct("x", "b", "9.99"), direct("y", "b", "9.99")),
				byEvaluator("z", "a", "1", "1")...),
			want: []line{
				{"x", 1, true, "", ReasonTieAtCut},
				{"y", 1, true, "", ReasonTieAtCut},
				{"z", 3, false, OutcomeEliminated, ReasonBelowCut},
			},
		},
		{
			name:     "competition ranking 1, 2, 2, 4",
			criteria: []Criterion{leaf("points", "100")},
			entries:  []Entry{{Team: "d"}, {Team: "c"}, {Team: "b"}, {Team: "a"}},
			scores: []Score{direct("a", "points", "70"), direct("b", "points", "80"),
				direct("c", "points", "90"), direct("d", "points", "80")},
			want: []line{
				{"c", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"b", 2, true, OutcomeEliminated, ReasonBelowCut},
				{"d", 2, true, OutcomeEliminated, ReasonBelowCut},
				{"a", 4, false, OutcomeEliminated, ReasonBelowCut},
			},
		},
		{
			name:     "competition ranking 1, 1, 1, 4, 5",
			criteria: []Criterion{leaf("points", "100")},
			entries:  []Entry{{Team: "e"}, {Team: "d"}, {Team: "c"}, {Team: "b"}, {Team: "a"}},
			scores: []Score{direct("a", "points", "90"), direct("b", "points", "90"),
				direct("c", "points", "90"), direct("d", "points", "80"), direct("e", "points", "70")},
			want: []line{
				{"a", 1, true, OutcomeAdvanced, ReasonWithinCut},
				{"b", 1, true, OutcomeAdvanced, ReasonWithinCut},
				{"c", 1, true, OutcomeAdvanced, ReasonWithinCut},
				{"d", 4, false, OutcomeEliminated, ReasonBelowCut},
				{"e", 5, false, OutcomeEliminated, ReasonBelowCut},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			advance := 1
			if len(tc.want) == 5 {
				advance = 3
			}
			in := Input{Kind: KindStage, Rule: Rule{Advance: advance}, Criteria: tc.criteria, Entries: tc.entries, Scores: tc.scores}
			res := mustCompute(t, in)
			if diff := gocmp.Diff(tc.want, lines(res)); diff != "" {
				t.Errorf("ranking (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOutcomes pins rules 4 and 5: the cut, backfill, minimum total,
// withdrawals, zero places and ties at the cut.
func TestOutcomes(t *testing.T) {
	jan := []contender{ok("lg", "90.2"), ok("skt", "84.6"), ok("upstage", "82.4"), dq("naver", "77"), ok("nc-ai", "64.4")}
	tests := []struct {
		name    string
		in      Input
		want    []line
		blocked bool
	}{
		{
			name: "stage: within and below the cut",
			in:   oneCriterion(KindStage, Rule{Advance: 2}, ok("c", "70"), ok("a", "90"), ok("b", "80")),
			want: []line{
				{"a", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"b", 2, false, OutcomeAdvanced, ReasonWithinCut},
				{"c", 3, false, OutcomeEliminated, ReasonBelowCut},
			},
		},
		{
			name: "selection rounds select",
			in:   oneCriterion(KindSelection, Rule{Advance: 2}, ok("c", "70"), ok("a", "90"), ok("b", "80")),
			want: []line{
				{"a", 1, false, OutcomeSelected, ReasonWithinCut},
				{"b", 2, false, OutcomeSelected, ReasonWithinCut},
				{"c", 3, false, OutcomeNotSelected, ReasonBelowCut},
			},
		},
		{
			name: "additional calls select",
			in:   oneCriterion(KindAdditional, Rule{Advance: 1}, ok("motif", "81"), ok("trillion", "80")),
			want: []line{
				{"motif", 1, false, OutcomeSelected, ReasonWithinCut},
				{"trillion", 2, false, OutcomeNotSelected, ReasonBelowCut},
			},
		},
		{
			name: "without backfill a disqualified team keeps its place and nobody moves up (January 2026)",
			in:   oneCriterion(KindStage, Rule{Advance: 4}, jan...),
			want: []line{
				{"lg", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"skt", 2, false, OutcomeAdvanced, ReasonWithinCut},
				{"upstage", 3, false, OutcomeAdvanced, ReasonWithinCut},
				{"naver", 4, false, OutcomeDisqualified, ReasonDisqualified},
				{"nc-ai", 5, false, OutcomeEliminated, ReasonBelowCut},
			},
		},
		{
			name: "with backfill a disqualified team is not ranked and the next team moves up",
			in:   oneCriterion(KindStage, Rule{Advance: 4, Backfill: true}, jan...),
			want: []line{
				{"lg", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"skt", 2, false, OutcomeAdvanced, ReasonWithinCut},
				{"upstage", 3, false, OutcomeAdvanced, ReasonWithinCut},
				{"nc-ai", 4, false, OutcomeAdvanced, ReasonWithinCut},
				{"naver", 0, false, OutcomeDisqualified, ReasonDisqualified},
			},
		},
		{
			name: "a disqualified first place leaves its place empty",
			in:   oneCriterion(KindStage, Rule{Advance: 1}, dq("a", "90"), ok("b", "80")),
			want: []line{
				{"a", 1, false, OutcomeDisqualified, ReasonDisqualified},
				{"b", 2, false, OutcomeEliminated, ReasonBelowCut},
			},
		},
		{
			name: "a team within the cut below the minimum total fails",
			in: oneCriterion(KindStage, Rule{Advance: 3, MinTotal: rat("70")},
				ok("a", "90"), ok("b", "70"), ok("c", "69.99"), ok("d", "60")),
			want: []line{
				{"a", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"b", 2, false, OutcomeAdvanced, ReasonWithinCut},
				{"c", 3, false, OutcomeEliminated, ReasonBelowMinTotal},
				{"d", 4, false, OutcomeEliminated, ReasonBelowCut},
			},
		},
		{
			name: "a team failing the minimum total is not replaced",
			in: oneCriterion(KindSelection, Rule{Advance: 2, MinTotal: rat("85"), Backfill: true},
				ok("a", "90"), ok("b", "84"), ok("c", "80")),
			want: []line{
				{"a", 1, false, OutcomeSelected, ReasonWithinCut},
				{"b", 2, false, OutcomeNotSelected, ReasonBelowMinTotal},
				{"c", 3, false, OutcomeNotSelected, ReasonBelowCut},
			},
		},
		{
			name: "a withdrawn team is never ranked and takes no place",
			in:   oneCriterion(KindStage, Rule{Advance: 2}, wd("a", "95"), ok("b", "80"), ok("c", "70"), ok("d", "60"), wd("e", "")),
			want: []line{
				{"b", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"c", 2, false, OutcomeAdvanced, ReasonWithinCut},
				{"d", 3, false, OutcomeEliminated, ReasonBelowCut},
				{"a", 0, false, OutcomeWithdrew, ReasonWithdrew},
				{"e", 0, false, OutcomeWithdrew, ReasonWithdrew},
			},
		},
		{
			name: "zero places: nobody is selected",
			in:   oneCriterion(KindAdditional, Rule{Advance: 0}, ok("a", "90"), ok("b", "90")),
			want: []line{
				{"a", 1, true, OutcomeNotSelected, ReasonBelowCut},
				{"b", 1, true, OutcomeNotSelected, ReasonBelowCut},
			},
		},
		{
			name: "more places than teams",
			in:   oneCriterion(KindSelection, Rule{Advance: 5}, ok("a", "90"), ok("b", "10")),
			want: []line{
				{"a", 1, false, OutcomeSelected, ReasonWithinCut},
				{"b", 2, false, OutcomeSelected, ReasonWithinCut},
			},
		},
		{
			name: "a tie inside the cut is no tie at the cut",
			in:   oneCriterion(KindStage, Rule{Advance: 3}, ok("a", "90"), ok("c", "80"), ok("b", "80"), ok("d", "70")),
			want: []line{
				{"a", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"b", 2, true, OutcomeAdvanced, ReasonWithinCut},
				{"c", 2, true, OutcomeAdvanced, ReasonWithinCut},
				{"d", 4, false, OutcomeEliminated, ReasonBelowCut},
			},
		},
		{
			name: "a tie right after the cut is no tie at the cut",
			in:   oneCriterion(KindStage, Rule{Advance: 2}, ok("a", "90"), ok("b", "80"), ok("c", "70"), ok("d", "70")),
			want: []line{
				{"a", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"b", 2, false, OutcomeAdvanced, ReasonWithinCut},
				{"c", 3, true, OutcomeEliminated, ReasonBelowCut},
				{"d", 3, true, OutcomeEliminated, ReasonBelowCut},
			},
		},
		{
			name: "a tie across the cut blocks the round",
			in:   oneCriterion(KindStage, Rule{Advance: 2}, ok("a", "90"), ok("c", "80"), ok("b", "80"), ok("d", "70")),
			want: []line{
				{"a", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"b", 2, true, "", ReasonTieAtCut},
				{"c", 2, true, "", ReasonTieAtCut},
				{"d", 4, false, OutcomeEliminated, ReasonBelowCut},
			},
			blocked: true,
		},
		{
			name: "a tie of the whole field for one place blocks",
			in:   oneCriterion(KindSelection, Rule{Advance: 1}, ok("a", "50"), ok("b", "50")),
			want: []line{
				{"a", 1, true, "", ReasonTieAtCut},
				{"b", 1, true, "", ReasonTieAtCut},
			},
			blocked: true,
		},
		{
			name: "a disqualified team in the tie stays disqualified",
			in:   oneCriterion(KindStage, Rule{Advance: 2}, ok("a", "90"), dq("b", "80"), ok("c", "80")),
			want: []line{
				{"a", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"b", 2, true, OutcomeDisqualified, ReasonDisqualified},
				{"c", 2, true, "", ReasonTieAtCut},
			},
			blocked: true,
		},
		{
			name: "a tie of disqualified teams only needs no decision",
			in:   oneCriterion(KindStage, Rule{Advance: 2}, ok("a", "90"), dq("b", "80"), dq("c", "80")),
			want: []line{
				{"a", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"b", 2, true, OutcomeDisqualified, ReasonDisqualified},
				{"c", 2, true, OutcomeDisqualified, ReasonDisqualified},
			},
		},
		{
			name: "a tie across the cut below the minimum total needs no decision",
			in:   oneCriterion(KindStage, Rule{Advance: 2, MinTotal: rat("85")}, ok("a", "90"), ok("b", "80"), ok("c", "80")),
			want: []line{
				{"a", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"b", 2, true, OutcomeEliminated, ReasonBelowMinTotal},
				{"c", 2, true, OutcomeEliminated, ReasonBelowMinTotal},
			},
		},
		{
			name: "with backfill a disqualified team cannot cause a tie",
			in:   oneCriterion(KindStage, Rule{Advance: 2, Backfill: true}, ok("a", "90"), dq("b", "80"), ok("c", "80")),
			want: []line{
				{"a", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"c", 2, false, OutcomeAdvanced, ReasonWithinCut},
				{"b", 0, false, OutcomeDisqualified, ReasonDisqualified},
			},
		},
		{
			name: "a withdrawn team cannot cause a tie",
			in:   oneCriterion(KindStage, Rule{Advance: 2}, ok("a", "90"), wd("b", "80"), ok("c", "80")),
			want: []line{
				{"a", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"c", 2, false, OutcomeAdvanced, ReasonWithinCut},
				{"b", 0, false, OutcomeWithdrew, ReasonWithdrew},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := mustCompute(t, tc.in)
			if diff := gocmp.Diff(tc.want, lines(res)); diff != "" {
				t.Errorf("outcomes (-want +got):\n%s", diff)
			}
			if res.Blocked != tc.blocked {
				t.Errorf("Blocked = %v, want %v", res.Blocked, tc.blocked)
			}
		})
	}
}

// TestDecision pins rule 5's resolution: a recorded decision settles the
// tie at the cut, and a decision that does not fit is an error.
func TestDecision(t *testing.T) {
	reason := Text{KO: "발표 평가 점수 우위", EN: "higher presentation score"}
	tie := func(kind Kind, d *Decision) Input {
		in := oneCriterion(kind, Rule{Advance: 2}, ok("a", "90"), ok("b", "80"), ok("c", "80"), ok("d", "70"))
		in.Decision = d
		return in
	}
	tests := []struct {
		name string
		in   Input
		want []line
	}{
		{
			name: "the decision's team advances, the rest of the group is eliminated",
			in:   tie(KindStage, &Decision{Advance: []string{"c"}, Reason: reason}),
			want: []line{
				{"a", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"b", 2, true, OutcomeEliminated, ReasonDecision},
				{"c", 2, true, OutcomeAdvanced, ReasonDecision},
				{"d", 4, false, OutcomeEliminated, ReasonBelowCut},
			},
		},
		{
			name: "selection wording",
			in:   tie(KindSelection, &Decision{Advance: []string{"b"}, Reason: reason}),
			want: []line{
				{"a", 1, false, OutcomeSelected, ReasonWithinCut},
				{"b", 2, true, OutcomeSelected, ReasonDecision},
				{"c", 2, true, OutcomeNotSelected, ReasonDecision},
				{"d", 4, false, OutcomeNotSelected, ReasonBelowCut},
			},
		},
		{
			name: "a decision may let nobody through",
			in:   tie(KindStage, &Decision{Advance: nil, Reason: reason}),
			want: []line{
				{"a", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"b", 2, true, OutcomeEliminated, ReasonDecision},
				{"c", 2, true, OutcomeEliminated, ReasonDecision},
				{"d", 4, false, OutcomeEliminated, ReasonBelowCut},
			},
		},
		{
			name: "two places for three tied teams",
			in: func() Input {
				in := oneCriterion(KindStage, Rule{Advance: 3}, ok("a", "90"), ok("b", "80"), ok("c", "80"), ok("d", "80"))
				in.Decision = &Decision{Advance: []string{"d", "b"}, Reason: reason}
				return in
			}(),
			want: []line{
				{"a", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"b", 2, true, OutcomeAdvanced, ReasonDecision},
				{"c", 2, true, OutcomeEliminated, ReasonDecision},
				{"d", 2, true, OutcomeAdvanced, ReasonDecision},
			},
		},
		{
			name: "a disqualified team in the group stays disqualified",
			in: func() Input {
				in := oneCriterion(KindStage, Rule{Advance: 2}, ok("a", "90"), dq("b", "80"), ok("c", "80"))
				in.Decision = &Decision{Advance: []string{"c"}, Reason: reason}
				return in
			}(),
			want: []line{
				{"a", 1, false, OutcomeAdvanced, ReasonWithinCut},
				{"b", 2, true, OutcomeDisqualified, ReasonDisqualified},
				{"c", 2, true, OutcomeAdvanced, ReasonDecision},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := mustCompute(t, tc.in)
			if diff := gocmp.Diff(tc.want, lines(res)); diff != "" {
				t.Errorf("outcomes (-want +got):\n%s", diff)
			}
			if res.Blocked {
				t.Error("Blocked despite the decision")
			}
		})
	}

	errorTests := []struct {
		name   string
		in     Input
		path   string
		target error
	}{
		{
			name: "no tie at the cut",
			in: func() Input {
				in := tie(KindStage, nil)
				in.Rule.Advance = 3
				in.Decision = &Decision{Advance: []string{"b"}, Reason: reason}
				return in
			}(),
			path:   "decision",
			target: ErrDecisionNotNeeded,
		},
		{
			name: "the tie fails the minimum total anyway",
			in: func() Input {
				in := tie(KindStage, &Decision{Advance: []string{"b"}, Reason: reason})
				in.Rule.MinTotal = rat("85")
				return in
			}(),
			path:   "decision",
			target: ErrDecisionNotNeeded,
		},
		{
			name:   "a team outside the tied group",
			in:     tie(KindStage, &Decision{Advance: []string{"a"}, Reason: reason}),
			path:   "decision.advance[0]",
			target: ErrInvalidDecision,
		},
		{
			name:   "a team below the tie",
			in:     tie(KindStage, &Decision{Advance: []string{"c", "d"}, Reason: reason}),
			path:   "decision.advance[1]",
			target: ErrInvalidDecision,
		},
		{
			name:   "an unknown team",
			in:     tie(KindStage, &Decision{Advance: []string{"zz"}, Reason: reason}),
			path:   "decision.advance[0]",
			target: ErrInvalidDecision,
		},
		{
			name:   "more teams than places left",
			in:     tie(KindStage, &Decision{Advance: []string{"b", "c"}, Reason: reason}),
			path:   "decision.advance",
			target: ErrInvalidDecision,
		},
		{
			name:   "a team named twice",
			in:     tie(KindStage, &Decision{Advance: []string{"b", "b"}, Reason: reason}),
			path:   "decision.advance[1]",
			target: ErrInvalidDecision,
		},
		{
			name:   "no reason",
			in:     tie(KindStage, &Decision{Advance: []string{"b"}, Reason: Text{KO: "이유"}}),
			path:   "decision.reason",
			target: ErrInvalidDecision,
		},
		{
			name: "a disqualified team",
			in: func() Input {
				in := oneCriterion(KindStage, Rule{Advance: 2}, ok("a", "90"), dq("b", "80"), ok("c", "80"))
				in.Decision = &Decision{Advance: []string{"b"}, Reason: reason}
				return in
			}(),
			path:   "decision.advance[0]",
			target: ErrInvalidDecision,
		},
		{
			name: "a withdrawn team",
			in: func() Input {
				in := oneCriterion(KindStage, Rule{Advance: 2}, ok("a", "90"), wd("b", "80"), ok("c", "80"), ok("d", "80"))
				in.Decision = &Decision{Advance: []string{"b"}, Reason: reason}
				return in
			}(),
			path:   "decision.advance[0]",
			target: ErrInvalidDecision,
		},
	}
	for _, tc := range errorTests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compute(tc.in)
			if !isInputErr(err, tc.path, tc.target) {
				t.Fatalf("Compute error = %v; want %v at %s", err, tc.target, tc.path)
			}
			if errs := Validate(tc.in); len(errs) != 1 || !isInputErr(errs[0], tc.path, tc.target) {
				t.Errorf("Validate = %v", errs)
			}
		})
	}
}
