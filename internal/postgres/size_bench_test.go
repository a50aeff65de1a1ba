package postgres_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programfile"
	"github.com/kai-challenge/portal/internal/programgen"
)

// benchSizes are the team counts of the generated benchmark programs.
var benchSizes = []int{5, 25, 100}

// generated returns the bytes of the generated program of n teams.
func generated(tb testing.TB, n int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := programgen.Write(&buf, programgen.Size(n)); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImportGenerated measures `portal import` of the generated
// program of 5, 25 and 100 teams into an empty database: parsing and
// validating the file (parse-ms) and writing it in one transaction,
// publication included (store-ms).
func BenchmarkImportGenerated(b *testing.B) {
	for _, n := range benchSizes {
		data := generated(b, n)
		b.Run(fmt.Sprintf("teams=%d", n), func(b *testing.B) {
			var parse, store time.Duration
			for b.Loop() {
				b.StopTimer()
				st := postgres.New(pgtest.New(b))
				b.StartTimer()
				t0 := time.Now()
				f, err := programfile.Parse(data)
				if err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				sum, err := st.ImportProgram(b.Context(), f)
				if err != nil {
					b.Fatal(err)
				}
				parse += t1.Sub(t0)
				store += time.Since(t1)
				if sum.Scores != n*1000 || len(sum.Notes) > 0 {
					b.Fatalf("imported %d scores, notes %v", sum.Scores, sum.Notes)
				}
			}
			b.ReportMetric(float64(parse.Milliseconds())/float64(b.N), "parse-ms/op")
			b.ReportMetric(float64(store.Milliseconds())/float64(b.N), "store-ms/op")
		})
	}
}

// BenchmarkResultsGenerated measures `portal results` (load the round from
// PostgreSQL and run the rule engine) on the generated programs.
func BenchmarkResultsGenerated(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("teams=%d", n), func(b *testing.B) {
			f, err := programfile.Parse(generated(b, n))
			if err != nil {
				b.Fatal(err)
			}
			st := postgres.New(pgtest.New(b))
			if _, err := st.ImportProgram(b.Context(), f); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				rr, err := st.Results(b.Context(), programgen.ProgramSlug, programgen.RoundSlug)
				if err != nil {
					b.Fatal(err)
				}
				if !rr.Report.Complete || len(rr.Report.Teams) != n {
					b.Fatalf("complete=%v teams=%d", rr.Report.Complete, len(rr.Report.Teams))
				}
			}
		})
	}
}
