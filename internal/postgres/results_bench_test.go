package postgres_test

import (
	"fmt"
	"testing"

	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programfile"
)

// bigRound is a program with one stage round of teams × leaves panel-scored
// by evaluators each: the size the benchmarks are asked for.
func bigRound(teams, leaves, evaluators int) *programfile.File {
	f := &programfile.File{Program: programfile.Program{Slug: "bench", Name: programfile.Text{KO: "벤치", EN: "Bench"},
		Ministry: programfile.Text{KO: "부", EN: "Ministry"}}}
	f.Organizations = []programfile.Organization{{Slug: "org", Name: programfile.Text{KO: "기관", EN: "Org"}, Kind: "other"}}
	r := programfile.Round{Slug: "big", Kind: "stage", Name: programfile.Text{KO: "큰 라운드", EN: "Big round"}, Rule: programfile.Rule{Advance: 10}}
	const categories = 4
	for c := 0; c < categories; c++ {
		cat := programfile.Criterion{Code: fmt.Sprintf("cat%d", c), Name: programfile.Text{KO: "항목", EN: "Category"}, Max: "25.00"}
		for l := 0; l < leaves/categories; l++ {
			cat.Children = append(cat.Children, programfile.Criterion{Code: fmt.Sprintf("c%d-l%d", c, l), Name: programfile.Text{KO: "세부", EN: "Leaf"},
				Max: "5.00", Panel: &programfile.Panel{Size: evaluators, Aggregate: "trimmed_mean"}})
		}
		r.Criteria = append(r.Criteria, cat)
	}
	for t := 0; t < teams; t++ {
		slug := fmt.Sprintf("team-%03d", t)
		f.Teams = append(f.Teams, programfile.Team{Slug: slug, Name: programfile.Text{KO: slug, EN: slug}, Lead: "org"})
		r.Entries = append(r.Entries, programfile.Entry{Team: slug, Status: "eligible"})
		for _, leaf := range programfile.Leaves(r.Criteria) {
			for e := 1; e <= evaluators; e++ {
				v := (t*7919 + e*104729 + len(leaf.Code)*31) % 501
				r.Scores = append(r.Scores, programfile.Score{Team: slug, Criterion: leaf.Code, Evaluator: e, Value: fmt.Sprintf("%d.%02d", v/100, v%100)})
			}
		}
	}
	f.Rounds = []programfile.Round{r}
	return f
}

// BenchmarkResults measures what `portal results` does on a round of
// 100 teams × 20 leaf criteria × 50 evaluators (100,000 scores): load the
// round from PostgreSQL and run the rule engine.
func BenchmarkResults(b *testing.B) {
	pool := pgtest.New(b)
	store := postgres.New(pool)
	ctx := b.Context()
	if _, err := store.ImportProgram(ctx, bigRound(100, 20, 50)); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		rr, err := store.Results(ctx, "bench", "big")
		if err != nil {
			b.Fatal(err)
		}
		if !rr.Report.Complete || len(rr.Report.Teams) != 100 {
			b.Fatalf("unexpected report: complete=%v teams=%d", rr.Report.Complete, len(rr.Report.Teams))
		}
	}
}

// BenchmarkImportScores measures importing the same 100,000 scores as a
// program file (first import, in one transaction).
func BenchmarkImportScores(b *testing.B) {
	f := bigRound(100, 20, 50)
	for b.Loop() {
		b.StopTimer()
		pool := pgtest.New(b)
		store := postgres.New(pool)
		b.StartTimer()
		if _, err := store.ImportProgram(b.Context(), f); err != nil {
			b.Fatal(err)
		}
	}
}
