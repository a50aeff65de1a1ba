package rules

import (
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// TestLeafPoints pins rule 1: direct values and the three panel aggregates,
// including the fallbacks used while scores are missing.
func TestLeafPoints(t *testing.T) {
	tests := []struct {
		name      string
		criterion Criterion
		values    []string // by evaluator from 1 ("" = absent); a direct leaf uses values[0]
		want      LeafDetail
	}{
		{
			name:      "direct value",
			criterion: leaf("nia", "10"),
			values:    []string{"7.25"},
			want: LeafDetail{Direct: true, Exact: rat("7.25"),
				Values: []EvaluatorValue{{0, rat("7.25")}}},
		},
		{
			// A figure that does not exist is nil, never 0.
			name:      "direct value absent has no points",
			criterion: leaf("nia", "10"),
			values:    []string{""},
			want:      LeafDetail{Direct: true, Missing: []int{0}},
		},
		{
			name:      "mean is exact",
			criterion: panelLeaf("p", "10", 3, AggregateMean),
			values:    []string{"3", "4", "6"},
			want:      LeafDetail{Aggregate: AggregateMean, Applied: AggregateMean, Exact: rat("13/3")},
		},
		{
			name:      "median of an odd count is the middle value",
			criterion: panelLeaf("p", "10", 3, AggregateMedian),
			values:    []string{"9", "1", "2"},
			want:      LeafDetail{Aggregate: AggregateMedian, Applied: AggregateMedian, Exact: rat("2")},
		},
		{
			// Lower middle would give 2, upper middle 3, mean 4.
			name:      "median of an even count is the mean of the two middle values",
			criterion: panelLeaf("p", "10", 4, AggregateMedian),
			values:    []string{"1", "10", "2", "3"},
			want:      LeafDetail{Aggregate: AggregateMedian, Applied: AggregateMedian, Exact: rat("2.5")},
		},
		{
			name:      "trimmed mean drops the lowest and the highest",
			criterion: panelLeaf("p", "10", 5, AggregateTrimmedMean),
			values:    []string{"1", "2", "3", "4", "10"},
			want: LeafDetail{Aggregate: AggregateTrimmedMean, Applied: AggregateTrimmedMean,
				Dropped: []int{1, 5}, Exact: rat("3")},
		},
		{
			// Dropping every 5 and every 9 would leave 8.
			name:      "trimmed mean drops exactly one of duplicate extremes, lowest evaluator first",
			criterion: panelLeaf("p", "10", 5, AggregateTrimmedMean),
			values:    []string{"9", "5", "9", "5", "8"},
			want: LeafDetail{Aggregate: AggregateTrimmedMean, Applied: AggregateTrimmedMean,
				Dropped: []int{2, 1}, Exact: rat("22/3")},
		},
		{
			name:      "trimmed mean of equal values drops two distinct evaluators",
			criterion: panelLeaf("p", "10", 3, AggregateTrimmedMean),
			values:    []string{"4", "4", "4"},
			want: LeafDetail{Aggregate: AggregateTrimmedMean, Applied: AggregateTrimmedMean,
				Dropped: []int{1, 2}, Exact: rat("4")},
		},
		{
			name:      "trimmed mean with three of five present trims what is present",
			criterion: panelLeaf("p", "10", 5, AggregateTrimmedMean),
			values:    []string{"", "1", "", "5", "3"},
			want: LeafDetail{Aggregate: AggregateTrimmedMean, Applied: AggregateTrimmedMean,
				Dropped: []int{2, 4}, Exact: rat("3"), Missing: []int{1, 3}},
		},
		{
			// It used to fall back to the mean (4 here): a trimmed mean
			// never runs on fewer than three values, so the figure does
			// not exist.
			name:      "trimmed mean with fewer than three present has no points",
			criterion: panelLeaf("p", "10", 5, AggregateTrimmedMean),
			values:    []string{"2", "", "6", "", ""},
			want:      LeafDetail{Aggregate: AggregateTrimmedMean, Missing: []int{2, 4, 5}},
		},
		{
			name:      "mean of the values present",
			criterion: panelLeaf("p", "10", 3, AggregateMean),
			values:    []string{"3", "", "4"},
			want: LeafDetail{Aggregate: AggregateMean, Applied: AggregateMean,
				Exact: rat("3.5"), Missing: []int{2}},
		},
		{
			name:      "panel without values has no points",
			criterion: panelLeaf("p", "10", 3, AggregateMedian),
			values:    []string{"", "", ""},
			want:      LeafDetail{Aggregate: AggregateMedian, Missing: []int{1, 2, 3}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Kind: KindStage, Rule: Rule{Advance: 1}, Criteria: []Criterion{tc.criterion},
				Entries: []Entry{{Team: "a"}}}
			want := tc.want
			want.Criterion, want.Category, want.Max = tc.criterion.Code, tc.criterion.Code, tc.criterion.Max
			// Without a scale and rounded by category, the raw aggregate,
			// the exact and the counted points are one figure.
			want.Raw, want.Rounded = want.Exact, want.Exact
			if tc.criterion.Panel == nil {
				if tc.values[0] != "" {
					in.Scores = append(in.Scores, direct("a", tc.criterion.Code, tc.values[0]))
				}
			} else {
				in.Scores = byEvaluator("a", tc.criterion.Code, tc.values...)
				for _, s := range in.Scores {
					want.Values = append(want.Values, EvaluatorValue{s.Evaluator, s.Value})
				}
			}
			res, err := Compute(in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := gocmp.Diff(want, res.Teams[0].Leaves[0], ratComparer); diff != "" {
				t.Errorf("leaf detail (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCategoryPointsAndTotal pins rule 2: nodes add their children's exact
// points, categories round half-up to cents, and the total adds the
// rounded categories.
func TestCategoryPointsAndTotal(t *testing.T) {
	tests := []struct {
		name     string
		criteria []Criterion
		scores   []Score
		want     []CategoryPoints
		total    string
	}{
		{
			// Rounding each child first would give 1.01 + 1.01 = 2.02.
			name: "a category adds its children's exact points before rounding",
			criteria: []Criterion{category("c", "20",
				panelLeaf("x", "10", 2, AggregateMean), panelLeaf("y", "10", 2, AggregateMean))},
			scores: append(byEvaluator("a", "x", "1.00", "1.01"), byEvaluator("a", "y", "1.00", "1.01")...),
			want:   []CategoryPoints{{"c", rat("2.01"), rat("2.01")}},
			total:  "2.01",
		},
		{
			// Half-even rounding would give 10.12.
			name:     "half-up at exactly half a cent",
			criteria: []Criterion{panelLeaf("c", "20", 4, AggregateMean)},
			scores:   byEvaluator("a", "c", "10.12", "10.13", "10.12", "10.13"),
			want:     []CategoryPoints{{"c", rat("10.125"), rat("10.13")}},
			total:    "10.13",
		},
		{
			name:     "below half a cent rounds down",
			criteria: []Criterion{panelLeaf("c", "20", 3, AggregateMean)},
			scores:   byEvaluator("a", "c", "10.12", "10.12", "10.13"),
			want:     []CategoryPoints{{"c", rat("3037/300"), rat("10.12")}},
			total:    "10.12",
		},
		{
			// Truncation would give 10.12.
			name:     "above half a cent rounds up",
			criteria: []Criterion{panelLeaf("c", "20", 3, AggregateMean)},
			scores:   byEvaluator("a", "c", "10.12", "10.13", "10.13"),
			want:     []CategoryPoints{{"c", rat("3038/300"), rat("10.13")}},
			total:    "10.13",
		},
		{
			// Adding exact categories then rounding would give 20.25.
			name:     "the total is the sum of the rounded categories",
			criteria: []Criterion{panelLeaf("c1", "20", 4, AggregateMean), panelLeaf("c2", "20", 4, AggregateMean)},
			scores: append(byEvaluator("a", "c1", "10.12", "10.13", "10.12", "10.13"),
				byEvaluator("a", "c2", "10.12", "10.13", "10.12", "10.13")...),
			want: []CategoryPoints{
				{"c1", rat("10.125"), rat("10.13")},
				{"c2", rat("10.125"), rat("10.13")},
			},
			total: "20.26",
		},
		{
			name: "nested categories keep declared order",
			criteria: []Criterion{
				category("benchmark", "40", leaf("nia", "10"), category("global", "30", leaf("common", "20"), leaf("individual", "10"))),
				panelLeaf("expert", "35", 3, AggregateTrimmedMean),
			},
			scores: []Score{
				direct("a", "individual", "10"), direct("a", "nia", "9.2"), direct("a", "common", "14.4"),
				{Team: "a", Criterion: "expert", Evaluator: 3, Value: rat("35")},
				{Team: "a", Criterion: "expert", Evaluator: 1, Value: rat("30")},
				{Team: "a", Criterion: "expert", Evaluator: 2, Value: rat("31.6")},
			},
			want: []CategoryPoints{
				{"benchmark", rat("33.6"), rat("33.6")},
				{"expert", rat("31.6"), rat("31.6")},
			},
			total: "65.20",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Kind: KindStage, Rule: Rule{Advance: 1}, Criteria: tc.criteria,
				Entries: []Entry{{Team: "a"}}, Scores: tc.scores}
			res := mustCompute(t, in)
			got := res.Teams[0]
			if diff := gocmp.Diff(tc.want, got.Categories, ratComparer); diff != "" {
				t.Errorf("categories (-want +got):\n%s", diff)
			}
			if s := FormatCents(got.Total); s != tc.total || got.Total.Cmp(rat(tc.total)) != 0 {
				t.Errorf("total = %s (%s), want %s", s, got.Total.RatString(), tc.total)
			}
		})
	}
}

func TestLeafTrailNamesCategories(t *testing.T) {
	in := Input{
		Kind: KindStage, Rule: Rule{Advance: 1},
		Criteria: []Criterion{
			category("benchmark", "30", leaf("nia", "10"), category("global", "20", leaf("common", "20"))),
			panelLeaf("expert", "35", 3, AggregateMean),
		},
		Entries: []Entry{{Team: "a"}},
	}
	res := mustCompute(t, in)
	var got [][2]string
	for _, l := range res.Teams[0].Leaves {
		got = append(got, [2]string{l.Criterion, l.Category})
	}
	want := [][2]string{{"nia", "benchmark"}, {"common", "benchmark"}, {"expert", "expert"}}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("leaves (-want +got):\n%s", diff)
	}
}
