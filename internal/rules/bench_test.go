package rules

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"
)

// benchInput is a large round: 100 teams, 20 leaves in 4 categories of 5
// (2 panel leaves of 50 evaluators and 3 direct leaves each), every score
// present: 41,200 scores.
func benchInput() Input {
	rng := rand.New(rand.NewPCG(100, 20))
	in := Input{Kind: KindStage, Rule: Rule{Advance: 10}}
	aggs := []Aggregate{AggregateTrimmedMean, AggregateMedian, AggregateMean}
	var leaves []Criterion
	for c := range 4 {
		cat := Criterion{Code: fmt.Sprintf("cat%d", c), Max: big.NewRat(25, 1)}
		for l := range 5 {
			leaf := Criterion{Code: fmt.Sprintf("cat%d-leaf%d", c, l), Max: big.NewRat(5, 1)}
			if l < 2 {
				leaf.Panel = &Panel{Size: 50, Aggregate: aggs[(c+l)%len(aggs)]}
			}
			cat.Children = append(cat.Children, leaf)
			leaves = append(leaves, leaf)
		}
		in.Criteria = append(in.Criteria, cat)
	}
	for t := range 100 {
		team := fmt.Sprintf("team-%03d", t)
		e := Entry{Team: team}
		if t%37 == 36 {
			e.Status, e.Reason = StatusDisqualified, Text{KO: "실격", EN: "disqualified"}
		}
		in.Entries = append(in.Entries, e)
		for _, l := range leaves {
			if l.Panel == nil {
				in.Scores = append(in.Scores, Score{Team: team, Criterion: l.Code, Value: big.NewRat(int64(rng.IntN(501)), 100)})
				continue
			}
			for ev := 1; ev <= l.Panel.Size; ev++ {
				in.Scores = append(in.Scores, Score{Team: team, Criterion: l.Code, Evaluator: ev, Value: big.NewRat(int64(rng.IntN(501)), 100)})
			}
		}
	}
	return in
}

func BenchmarkCompute(b *testing.B) {
	in := benchInput()
	if res, err := Compute(in); err != nil || !res.Complete || len(res.Teams) != 100 {
		b.Fatalf("bad benchmark input: %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compute(in); err != nil {
			b.Fatal(err)
		}
	}
}
