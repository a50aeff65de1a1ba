package rules

import (
	"encoding/json"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// stage2 is the August 2026 stage-2 evaluation as the ministry scored it:
// benchmark 40 = AAII 25 (the Artificial Analysis Intelligence Index, entered
// raw on its 0–100 scale) + NIA 15; expert 35; user 25 = professional users
// 15 + public panel 10; every leaf rounded to one decimal.
func stage2() Input {
	aaii := leaf("aaii", "25")
	aaii.Scale = &Scale{From: rat("0"), To: rat("100")}
	in := Input{
		Kind: KindStage,
		Rule: Rule{Advance: 3, Rounding: Rounding{Decimals: 1, Level: RoundLeaf}},
		Criteria: []Criterion{
			category("benchmark", "40", aaii, leaf("nia", "15")),
			leaf("expert", "35"),
			category("user", "25", leaf("pro_users", "15"), leaf("public", "10")),
		},
		Entries: []Entry{{Team: "skt"}, {Team: "upstage"}, {Team: "lg"}, {Team: "motif"}},
	}
	published := map[string][5]string{ // aaii raw, nia, expert, pro_users, public
		"skt":     {"35.0", "13.4", "29.3", "11.6", "7.5"},
		"upstage": {"37.4", "13.3", "29.1", "10.8", "7.3"},
		"lg":      {"31.0", "12.8", "29.5", "11.3", "7.6"},
		"motif":   {"47.4", "12.7", "27.1", "8.4", "5.7"},
	}
	for team, v := range published {
		for i, code := range []string{"aaii", "nia", "expert", "pro_users", "public"} {
			in.Scores = append(in.Scores, direct(team, code, v[i]))
		}
	}
	return in
}

// TestStage2August2026 reproduces the ministry's published stage-2 table
// to the decimal.
func TestStage2August2026(t *testing.T) {
	res := mustCompute(t, stage2())
	if !res.Complete || res.Blocked {
		t.Fatalf("Complete = %v, Blocked = %v; missing %v", res.Complete, res.Blocked, res.Missing)
	}
	want := []line{
		{"skt", 1, false, OutcomeAdvanced, ReasonWithinCut},
		{"upstage", 2, false, OutcomeAdvanced, ReasonWithinCut},
		{"lg", 3, false, OutcomeAdvanced, ReasonWithinCut},
		{"motif", 4, false, OutcomeEliminated, ReasonBelowCut},
	}
	if diff := gocmp.Diff(want, lines(res)); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	// The published table: benchmark, expert, user, total; and the AAII
	// points (raw × 0.25, rounded to one decimal).
	table := map[string][5]string{
		"skt":     {"22.2", "29.3", "19.1", "70.6", "8.8"},
		"upstage": {"22.7", "29.1", "18.1", "69.9", "9.4"},
		"lg":      {"20.6", "29.5", "18.9", "69.0", "7.8"},
		"motif":   {"24.6", "27.1", "14.1", "65.8", "11.9"},
	}
	for team, w := range table {
		tr := teamResult(t, res, team)
		var got [5]string
		for i, c := range tr.Categories {
			got[i] = FormatDecimals(c.Rounded, 1)
		}
		got[3] = FormatDecimals(tr.Total, 1)
		got[4] = FormatDecimals(tr.Leaves[0].Rounded, 1)
		if got != w {
			t.Errorf("%s: benchmark, expert, user, total, aaii = %v, want %v", team, got, w)
		}
	}

	skt := teamResult(t, res, "skt")
	aaii := skt.Leaves[0]
	if aaii.Raw.Cmp(rat("35")) != 0 || aaii.Exact.Cmp(rat("8.75")) != 0 || aaii.Rounded.Cmp(rat("8.8")) != 0 {
		t.Errorf("skt aaii raw %v, exact %v, rounded %v", aaii.Raw, aaii.Exact, aaii.Rounded)
	}
	if got := aaii.Trail(res.Rounding.Decimals); got != "35.0 → 8.75 → 8.8" {
		t.Errorf("skt aaii trail %q", got)
	}
	if got := skt.Leaves[1].Trail(1); got != "13.4" {
		t.Errorf("skt nia trail %q", got)
	}
	if got, want := skt.Reason, (Text{"1위 (70.6점) — 3팀 진출 기준 안", "ranked 1st (70.6), within the 3 advancing places"}); got != want {
		t.Errorf("skt reason %+v", got)
	}

	// The results document carries one decimal.
	b, err := json.Marshal(NewReport("sovereign-ai", "stage-2", ReportPublished, res).Teams[0])
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := `{"team":"skt","rank":1,"total":"70.6","categories":{"benchmark":"22.2","expert":"29.3","user":"19.1"},` +
		`"outcome":"advanced","reason_code":"within_cut","reason":{"ko":"1위 (70.6점) — 3팀 진출 기준 안","en":"ranked 1st (70.6), within the 3 advancing places"}}`
	if string(b) != wantJSON {
		t.Errorf("skt line = %s\nwant       %s", b, wantJSON)
	}
}

// TestRounding pins the two rounding levels: rounding each leaf first can
// give another category figure than rounding the category's exact sum.
func TestRounding(t *testing.T) {
	tests := []struct {
		name     string
		rounding Rounding
		cat      string // the category's points as counted
		rounded  string // the category rounded
		leaf     string // leaf a as counted in its parent
	}{
		{"default: two decimals by category", Rounding{}, "0.5", "0.5", "0.25"},
		{"one decimal by category", Rounding{Decimals: 1, Level: RoundCategory}, "0.5", "0.5", "0.25"},
		{"one decimal by leaf", Rounding{Decimals: 1, Level: RoundLeaf}, "0.6", "0.6", "0.3"},
		{"two decimals by leaf", Rounding{Decimals: 2, Level: RoundLeaf}, "0.5", "0.5", "0.25"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Kind: KindStage, Rule: Rule{Advance: 1, Rounding: tc.rounding},
				Criteria: []Criterion{category("c", "2", leaf("a", "1"), leaf("b", "1")), panelLeaf("p", "1", 3, AggregateMean)},
				Entries:  []Entry{{Team: "x"}},
				Scores:   append([]Score{direct("x", "a", "0.25"), direct("x", "b", "0.25")}, byEvaluator("x", "p", "0.1", "0.1", "0.11")...)}
			res := mustCompute(t, in)
			x := res.Teams[0]
			if x.Categories[0].Exact.Cmp(rat(tc.cat)) != 0 || x.Categories[0].Rounded.Cmp(rat(tc.rounded)) != 0 {
				t.Errorf("category %v → %v, want %s → %s", x.Categories[0].Exact, x.Categories[0].Rounded, tc.cat, tc.rounded)
			}
			if x.Leaves[0].Rounded.Cmp(rat(tc.leaf)) != 0 {
				t.Errorf("leaf a counted %v, want %s", x.Leaves[0].Rounded, tc.leaf)
			}
			// p is the mean 0.31/3, which rounds to 0.1 or 0.10.
			want := map[int]string{1: "0.1", 2: "0.10"}[res.Rounding.Decimals]
			if got := FormatDecimals(x.Categories[1].Rounded, res.Rounding.Decimals); got != want {
				t.Errorf("p = %s, want %s", got, want)
			}
		})
	}
}

// TestScale pins raw values mapped onto points: citizen ratings 1–5 on a
// 10-point leaf.
func TestScale(t *testing.T) {
	public := panelLeaf("public", "10", 3, AggregateMean)
	public.Scale = &Scale{From: rat("1"), To: rat("5")}
	in := Input{Kind: KindStage, Rule: Rule{Advance: 1}, Criteria: []Criterion{public},
		Entries: []Entry{{Team: "x"}}, Scores: byEvaluator("x", "public", "3", "4", "5")}
	res := mustCompute(t, in)
	l := res.Teams[0].Leaves[0]
	if l.Raw.Cmp(rat("4")) != 0 || l.Exact.Cmp(rat("7.5")) != 0 || res.Teams[0].Total.Cmp(rat("7.5")) != 0 {
		t.Errorf("raw %v, points %v, total %v; want 4, 7.5, 7.5", l.Raw, l.Exact, res.Teams[0].Total)
	}
	if got := l.Trail(2); got != "4.00 → 7.50" {
		t.Errorf("trail %q", got)
	}

	// A rating below the scale, or a points value above it, is refused.
	in.Scores = byEvaluator("x", "public", "0.5", "4", "5.01")
	errs := Validate(in)
	if len(errs) != 2 || !isInputErr(errs[0], "scores[0].value", ErrInvalidInput) || !isInputErr(errs[1], "scores[2].value", ErrInvalidInput) {
		t.Fatalf("Validate = %v", errs)
	}
	if got, want := errs[0].Error(), `rules: scores[0].value: value 0.5 outside 1..5 of "public"`; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}

// TestRoundingAndScaleInvalid pins the structural checks of the new
// parameters.
func TestRoundingAndScaleInvalid(t *testing.T) {
	scaled := func(from, to string) Criterion {
		c := leaf("s", "10")
		c.Scale = &Scale{From: rat(from), To: rat(to)}
		return c
	}
	tests := []struct {
		name     string
		rule     Rule
		criteria []Criterion
		path     string
		msg      string
	}{
		{"three decimals", Rule{Rounding: Rounding{Decimals: 3}}, []Criterion{leaf("a", "1")}, "rule.rounding.decimals", "must be 1 or 2, is 3"},
		{"unknown level", Rule{Rounding: Rounding{Level: "team"}}, []Criterion{leaf("a", "1")}, "rule.rounding.level", `unknown level "team"`},
		{"max finer than the rounding", Rule{Rounding: Rounding{Decimals: 1}}, []Criterion{leaf("a", "2.25")}, "criteria[0].max", "2.25 has more than the round's 1 decimals"},
		{"scale upside down", Rule{}, []Criterion{scaled("5", "1")}, "criteria[0].scale.to", "must be above from (5), is 1"},
		{"scale too fine", Rule{}, []Criterion{scaled("0", "1.005")}, "criteria[0].scale.to", "must have at most two decimals"},
		{"scale on a category", Rule{}, []Criterion{{Code: "c", Max: rat("10"), Scale: &Scale{From: rat("0"), To: rat("1")},
			Children: []Criterion{leaf("a", "10")}}}, "criteria[0].scale", "only a leaf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Kind: KindStage, Rule: tc.rule, Criteria: tc.criteria, Entries: []Entry{{Team: "x"}}}
			_, err := Compute(in)
			if !isInputErr(err, tc.path, ErrInvalidInput) {
				t.Fatalf("Compute error = %v; want one at %s", err, tc.path)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not mention %q", err, tc.msg)
			}
		})
	}
}

// TestFiguresThatDoNotExist pins the bugs found by differential testing: a
// disqualified team's missing scores count as missing with backfill too, a
// trimmed mean never runs on fewer than three values, and a figure that
// does not exist is null in the results document, never 0.
func TestFiguresThatDoNotExist(t *testing.T) {
	t.Run("backfill does not excuse a disqualified team's scores", func(t *testing.T) {
		res := mustCompute(t, oneCriterion(KindStage, Rule{Advance: 1, Backfill: true}, ok("a", "50"), dq("b", "")))
		if res.Complete || !gocmp.Equal(res.Missing, []Missing{{Team: "b", Criterion: "points"}}) {
			t.Errorf("Complete = %v, Missing = %v; want b's score missing", res.Complete, res.Missing)
		}
		rep := NewReport("p", "r", ReportPreview, res)
		if b := rep.Teams[1]; b.Team != "b" || b.Total != nil || len(b.Categories) != 0 {
			t.Errorf("b's line = %+v; want no total and no categories", b)
		}
	})
	t.Run("a trimmed mean of two values does not exist", func(t *testing.T) {
		in := Input{Kind: KindStage, Rule: Rule{Advance: 1},
			Criteria: []Criterion{panelLeaf("expert", "35", 3, AggregateTrimmedMean), leaf("nia", "15")},
			Entries:  []Entry{{Team: "a"}},
			Scores:   append(byEvaluator("a", "expert", "30", "", "20"), direct("a", "nia", "10"))}
		res := mustCompute(t, in)
		l := res.Teams[0].Leaves[0]
		if l.Exact != nil || l.Raw != nil || l.Applied != "" || l.Dropped != nil {
			t.Errorf("expert exact %v, raw %v, applied %q, dropped %v; want no figure", l.Exact, l.Raw, l.Applied, l.Dropped)
		}
		rep := NewReport("p", "r", ReportPreview, res)
		if a := rep.Teams[0]; a.Total != nil || !gocmp.Equal(a.Categories, map[string]string{"nia": "10.00"}) {
			t.Errorf("a's line = total %v, categories %v; want null total, nia only", a.Total, a.Categories)
		}
	})
}
