// Package programgen writes synthetic program files of a chosen size for
// benchmarks and load tests: one published, scored stage round of N teams,
// each panel leaf scored by every evaluator. The same options always give
// the same bytes, so measurements on different machines see the same file.
package programgen

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
)

// Options is the size and seed of a generated program.
type Options struct {
	Teams      int // teams entered in the scored round
	Leaves     int // leaf criteria, spread over Categories
	Categories int // top-level categories
	Evaluators int // evaluators per panel
	Seed       uint64
}

// Size returns the options of the standard sizes: n teams, 20 leaves in 4
// categories, 50 evaluators per panel (n × 1,000 scores), seed 1.
func Size(n int) Options {
	return Options{Teams: n, Leaves: 20, Categories: 4, Evaluators: 50, Seed: 1}
}

// Scores is how many scores the program holds.
func (o Options) Scores() int { return o.Teams * o.Leaves * o.Evaluators }

// Program slugs of a generated file.
const (
	ProgramSlug = "synthetic"
	RoundSlug   = "big-round"
)

// TeamSlug is the slug of the i-th generated team (from 0).
func TeamSlug(i int) string { return fmt.Sprintf("team-%03d", i+1) }

// ErrOptions is a size Write cannot generate.
var ErrOptions = errors.New("programgen: want teams ≥ 1, categories ≥ 1, leaves ≥ categories, evaluators ≥ 1")

// Write writes the program file in YAML. Every leaf is out of 5 points;
// a team's scores gather around a strength of its own, so ranks differ
// clearly while evaluators disagree a little. One team in ten is
// disqualified, so the what-if explorer has a team to restore.
func Write(w io.Writer, o Options) error {
	if o.Teams < 1 || o.Categories < 1 || o.Leaves < o.Categories || o.Evaluators < 1 {
		return ErrOptions
	}
	b := bufio.NewWriterSize(w, 1<<16)
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	fmt.Fprintf(b, "# Synthetic program: %d teams, %d leaves, %d evaluators per panel, %d scores (seed %d).\n",
		o.Teams, o.Leaves, o.Evaluators, o.Scores(), o.Seed)
	fmt.Fprintf(b, "program: {slug: %s, name: {ko: 합성 프로그램, en: Synthetic program}, ministry: {ko: 과학기술정보통신부, en: Ministry of Science and ICT}}\n", ProgramSlug)
	b.WriteString("organizations:\n")
	for t := range o.Teams {
		fmt.Fprintf(b, "  - {slug: org-%03d, name: {ko: 기관 %d, en: Organization %d}, kind: company}\n", t+1, t+1, t+1)
	}
	b.WriteString("teams:\n")
	for t := range o.Teams {
		fmt.Fprintf(b, "  - {slug: %s, name: {ko: 팀 %d, en: Team %d}, lead: org-%03d}\n", TeamSlug(t), t+1, t+1, t+1)
	}
	fmt.Fprintf(b, `rounds:
  - slug: %s
    kind: stage
    name: {ko: 대형 단계평가, en: Large stage evaluation}
    evaluated_on: 2026-07-31
    announce_at: 2026-08-07T14:00:00+09:00
    rule: {advance: %d}
    publish: true
    disclosure: full
    criteria:
`, RoundSlug, max(1, o.Teams/2))
	leaves := leafCodes(o)
	for c := range o.Categories {
		n := len(leaves[c])
		fmt.Fprintf(b, "      - code: cat%d\n        name: {ko: 평가 항목 %d, en: Category %d}\n        max: %d\n        children:\n", c+1, c+1, c+1, 5*n)
		for _, code := range leaves[c] {
			fmt.Fprintf(b, "          - {code: %s, name: {ko: 세부 %s, en: Item %s}, max: 5, panel: {size: %d, aggregate: trimmed_mean}}\n",
				code, code, code, o.Evaluators)
		}
	}
	b.WriteString("    entries:\n")
	for t := range o.Teams {
		if t%10 == 9 {
			fmt.Fprintf(b, "      - {team: %s, status: disqualified, reason: {ko: 독자성 요건 미충족, en: Failed the independence requirement}}\n", TeamSlug(t))
			continue
		}
		fmt.Fprintf(b, "      - {team: %s}\n", TeamSlug(t))
	}
	b.WriteString("    scores:\n")
	for t := range o.Teams {
		strength := 200 + rng.IntN(250) // the team's typical score, in cents
		for c := range o.Categories {
			for _, code := range leaves[c] {
				for e := 1; e <= o.Evaluators; e++ {
					v := min(500, max(0, strength+rng.IntN(101)-50))
					fmt.Fprintf(b, "      - {team: %s, criterion: %s, evaluator: %d, value: %d.%02d}\n", TeamSlug(t), code, e, v/100, v%100)
				}
			}
		}
	}
	return b.Flush()
}

// leafCodes spreads the leaves over the categories, the first categories
// taking one more when they do not divide evenly.
func leafCodes(o Options) [][]string {
	out := make([][]string, o.Categories)
	for l := range o.Leaves {
		c := l % o.Categories
		out[c] = append(out[c], fmt.Sprintf("c%d-%d", c+1, len(out[c])+1))
	}
	return out
}
