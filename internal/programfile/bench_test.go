package programfile

import (
	"bytes"

	"fmt"
	"strings"
	"testing"

	"github.com/kai-challenge/portal/internal/cputime"
	"github.com/kai-challenge/portal/internal/programgen"
)

// largeProgram writes a program file with one scored round of teams teams,
// leaves panel leaves of evaluators evaluators each, and every score.
func largeProgram(teams, leaves, evaluators int) []byte {
	var b strings.Builder
	b.WriteString("program: {slug: big, name: {ko: 큰 프로그램, en: Big program}, ministry: {ko: 부처, en: Ministry}}\n")
	b.WriteString("organizations:\n")
	for t := range teams {
		fmt.Fprintf(&b, "  - {slug: org-%d, name: {ko: 기관 %d, en: Org %d}, kind: company}\n", t, t, t)
	}
	b.WriteString("teams:\n")
	for t := range teams {
		fmt.Fprintf(&b, "  - {slug: team-%d, name: {ko: 팀 %d, en: Team %d}, lead: org-%d}\n", t, t, t, t)
	}
	b.WriteString("rounds:\n  - slug: r\n    kind: stage\n    name: {ko: 평가, en: Evaluation}\n    rule: {advance: 10}\n    criteria:\n")
	for l := range leaves {
		fmt.Fprintf(&b, "      - {code: c%d, name: {ko: 항목 %d, en: Item %d}, max: 5, panel: {size: %d, aggregate: trimmed_mean}}\n", l, l, l, evaluators)
	}
	b.WriteString("    entries:\n")
	for t := range teams {
		fmt.Fprintf(&b, "      - {team: team-%d}\n", t)
	}
	b.WriteString("    scores:\n")
	for t := range teams {
		for l := range leaves {
			for e := 1; e <= evaluators; e++ {
				fmt.Fprintf(&b, "      - {team: team-%d, criterion: c%d, evaluator: %d, value: %d.%02d}\n", t, l, e, (t+l+e)%5, (t*e)%100)
			}
		}
	}
	return []byte(b.String())
}

// BenchmarkParseLarge parses 100 teams × 20 leaves × 50 evaluators, that
// is 100,000 scores.
func BenchmarkParseLarge(b *testing.B) {
	data := largeProgram(100, 20, 50)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseGenerated parses the generated benchmark programs of 5, 25
// and 100 teams (5,000, 25,000 and 100,000 scores).
func BenchmarkParseGenerated(b *testing.B) {
	for _, n := range []int{5, 25, 100} {
		var buf bytes.Buffer
		if err := programgen.Write(&buf, programgen.Size(n)); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		b.Run(fmt.Sprintf("teams=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			cpu := cputime.Process()
			for b.Loop() {
				if _, err := Parse(data); err != nil {
					b.Fatal(err)
				}
			}
			cputime.Report(b, cpu, b.N)
		})
	}
}
