package programfile

import (
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kai-challenge/portal/internal/rules"
)

// TestParseStage2 reads a program file in the ministry's stage-2 scheme
// (rounding, a raw scale, staged disclosure, an objection, four-eyes
// publication) and computes the published table from it.
func TestParseStage2(t *testing.T) {
	f, err := Parse([]byte(readFixture(t, "stage2.yaml")))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if f.Program.Approvals != 2 {
		t.Errorf("approvals = %d, want 2", f.Program.Approvals)
	}
	rd := f.Rounds[0]
	if want := (Rounding{Decimals: 1, Level: "leaf"}); rd.Rule.Rounding != want {
		t.Errorf("rounding = %+v, want %+v", rd.Rule.Rounding, want)
	}
	if got := rd.Criteria[0].Children[0].Scale; got == nil || *got != (Scale{From: "0.00", To: "100.00"}) {
		t.Errorf("aaii scale = %+v", got)
	}
	wantDisclosures := []Disclosure{
		{On: "2026-08-18", Level: "aggregates", Note: txt("영역별 평균과 격차만 공개", "Block averages and gaps only")},
		{On: "2026-08-20", Level: "aggregates", Note: txt("영역별 최고점 공개", "Block top scores")},
		{On: "2026-08-27", Level: "full", Sources: []Source{{URL: "https://example.org/stage-2-table"}}},
	}
	if rd.Disclosure != "full" || !cmp.Equal(wantDisclosures, rd.Disclosures) {
		t.Errorf("disclosure %q, steps %+v", rd.Disclosure, rd.Disclosures)
	}
	wantStats := []PublishedStat{{Criterion: "benchmark", Stat: "mean", Value: "22.50"}, {Criterion: "benchmark", Stat: "spread", Value: "4.00"}, {Criterion: "aaii", Stat: "mean", Value: "9.48"}}
	if diff := cmp.Diff(wantStats, rd.PublishedStats); diff != "" {
		t.Errorf("published stats (-want +got):\n%s", diff)
	}
	wantObjections := []Objection{{
		Team: "motif", FiledOn: "2026-08-27", DecisionDue: "2026-09-10", Status: "pending",
		Summary: txt("항목별 점수와 기준 공개 요구", "Asked for per-item scores and criteria"),
		Sources: []Source{{URL: "https://example.org/motif-objection"}},
	}}
	if diff := cmp.Diff(wantObjections, rd.Objections); diff != "" {
		t.Errorf("objections (-want +got):\n%s", diff)
	}

	res, err := rules.Compute(engineInput(t, rd))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tr := range res.Teams {
		got = append(got, fmt.Sprintf("%d %s %s %s", tr.Rank, tr.Team, rules.FormatDecimals(tr.Total, 1), tr.Outcome))
	}
	want := []string{"1 skt 70.6 advanced", "2 upstage 69.9 advanced", "3 lg 69.0 advanced", "4 motif 65.8 eliminated"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}

// engineInput turns a parsed scored round into the rule engine's input, as
// the store does.
func engineInput(t *testing.T, rd Round) rules.Input {
	t.Helper()
	dec := func(s string) *big.Rat {
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("bad decimal %q", s)
		}
		return r
	}
	var crits func([]Criterion) []rules.Criterion
	crits = func(cs []Criterion) []rules.Criterion {
		var out []rules.Criterion
		for _, c := range cs {
			rc := rules.Criterion{Code: c.Code, Max: dec(c.Max), Children: crits(c.Children)}
			if c.Panel != nil {
				rc.Panel = &rules.Panel{Size: c.Panel.Size, Aggregate: rules.Aggregate(c.Panel.Aggregate)}
			}
			if c.Scale != nil {
				rc.Scale = &rules.Scale{From: dec(c.Scale.From), To: dec(c.Scale.To)}
			}
			out = append(out, rc)
		}
		return out
	}
	in := rules.Input{
		Kind:     rules.Kind(rd.Kind),
		Rule:     rules.Rule{Advance: rd.Rule.Advance, Backfill: rd.Rule.Backfill, Rounding: rules.Rounding{Decimals: rd.Rule.Rounding.Decimals, Level: rules.RoundingLevel(rd.Rule.Rounding.Level)}},
		Criteria: crits(rd.Criteria),
	}
	for _, e := range rd.Entries {
		in.Entries = append(in.Entries, rules.Entry{Team: e.Team, Status: rules.Status(e.Status)})
	}
	for _, s := range rd.Scores {
		in.Scores = append(in.Scores, rules.Score{Team: s.Team, Criterion: s.Criterion, Evaluator: s.Evaluator, Value: dec(s.Value)})
	}
	return in
}

// TestParseStage2Errors pins the checks of rounding, scales, disclosure,
// objections and publication, each error with its path.
func TestParseStage2Errors(t *testing.T) {
	src := readFixture(t, "stage2.yaml")
	pending := "        status: pending\n"
	tests := []struct {
		name     string
		old, new string
		want     string
	}{
		{"children maxima", "        max: 40\n", "        max: 45\n",
			"rounds[0].criteria[0]: children's maxima add up to 40, not 45"},
		{"children maxima below", "{code: public, name: {ko: 국민 평가단, en: Public panel}, max: 10}", "{code: public, name: {ko: 국민 평가단, en: Public panel}, max: 15}",
			"rounds[0].criteria[2]: children's maxima add up to 30, not 25"},
		{"max finer than the rounding", "max: 35}", "max: 35.25}",
			"rounds[0].criteria[1].max: must have at most 1 decimal, as the round rounds to 1 (got 35.25)"},
		{"decimals", "{decimals: 1, level: leaf}", "{decimals: 3, level: leaf}",
			"rounds[0].rule.rounding.decimals: must be 1 or 2 (got 3)"},
		{"level", "{decimals: 1, level: leaf}", "{decimals: 1, level: team}",
			`rounds[0].rule.rounding.level: must be one of category, leaf (got "team")`},
		{"rounding key", "{decimals: 1, level: leaf}", "{decimals: 1, level: leaf, mode: up}",
			"rounds[0].rule.rounding.mode: unknown field"},
		{"scale upside down", "scale: {from: 0, to: 100}", "scale: {from: 100, to: 0}",
			"rounds[0].criteria[0].children[0].scale.to: must be above from (100.00)"},
		{"scale on a category", "        max: 40\n", "        max: 40\n        scale: {from: 0, to: 100}\n",
			"rounds[0].criteria[0].scale: only leaf criteria take raw values on a scale; this criterion has children"},
		{"raw value outside the scale", "{team: skt, criterion: aaii, value: 35.0}", "{team: skt, criterion: aaii, value: 135.0}",
			"rounds[0].scores[0].value: 135.00 is outside the scale 0.00..100.00 of aaii"},
		{"disclosure", "    disclosure: full\n", "    disclosure: everything\n",
			`rounds[0].disclosure: must be one of outcomes, aggregates, full (got "everything")`},
		{"disclosure narrows", "{on: 2026-08-20, level: aggregates,", "{on: 2026-08-20, level: outcomes,",
			"rounds[0].disclosures[1].level: must not narrow the level before it (aggregates): a disclosure only ever widens"},
		{"disclosure dates", "{on: 2026-08-20, level: aggregates,", "{on: 2026-08-17, level: aggregates,",
			"rounds[0].disclosures[1].on: must not be before the step before it (2026-08-18)"},
		{"last step disagrees", "    disclosure: full\n", "    disclosure: aggregates\n",
			"rounds[0].disclosure: the round discloses aggregates but its last disclosure step is full; they must agree"},
		{"disclosure step key", "{on: 2026-08-27, level: full,", "{on: 2026-08-27, level: full, by: minister,",
			"rounds[0].disclosures[2].by: unknown field"},
		{"objection decided without a decision", pending, "        status: rejected\n",
			"rounds[0].objections[0].decided_on: required"},
		{"objection decided without reasons", pending, "        status: upheld\n        decided_on: 2026-09-09\n",
			"rounds[0].objections[0].decision: required"},
		{"objection pending with a decision", pending, pending + "        decided_on: 2026-09-09\n",
			"rounds[0].objections[0].decided_on: must be empty while the objection is pending"},
		{"objection decided before it was filed", pending, "        status: withdrawn\n        decided_on: 2026-08-26\n        decision: {ko: 취하, en: Withdrawn}\n",
			"rounds[0].objections[0].decided_on: must not be before filed_on (2026-08-27)"},
		{"objection status", pending, "        status: open\n",
			`rounds[0].objections[0].status: must be one of pending, upheld, rejected, withdrawn (got "open")`},
		{"objection team", "      - team: motif\n", "      - team: naver\n",
			`rounds[0].objections[0].team: unknown team "naver"`},
		{"objection due", "decision_due: 2026-09-10", "decision_due: 2026-08-01",
			"rounds[0].objections[0].decision_due: must not be before filed_on (2026-08-27)"},
		{"approvals", "publication: {approvals: 2}", "publication: {approvals: 3}",
			"program.publication.approvals: must be 1 or 2 (got 3)"},
		{"publication key", "publication: {approvals: 2}", "publication: {approvals: 2, quorum: 2}",
			"program.publication.quorum: unknown field"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(src, tc.old) {
				t.Fatalf("fixture does not contain %q", tc.old)
			}
			got := errorLines(t, strings.Replace(src, tc.old, tc.new, 1))
			if !contains(got, tc.want) {
				t.Errorf("errors %q\nwant %q", got, tc.want)
			}
		})
	}
}
