package rules

import (
	"errors"
	"math/big"
	"strings"
	"testing"
)

// validInput is a small well-formed round the invalid-input table breaks
// one way at a time.
func validInput() Input {
	return Input{
		Kind: KindStage,
		Rule: Rule{Advance: 1},
		Criteria: []Criterion{
			category("benchmark", "40", leaf("nia", "10"), leaf("global", "30")),
			panelLeaf("expert", "35", 3, AggregateTrimmedMean),
		},
		Entries: []Entry{{Team: "a"}, {Team: "b", Status: StatusDisqualified}},
		Scores: []Score{
			direct("a", "nia", "9.2"),
			{Team: "a", Criterion: "expert", Evaluator: 1, Value: rat("30")},
		},
	}
}

func TestInvalidInput(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(in *Input)
		path   string
		msg    string // part of the message
	}{
		{"unknown kind", func(in *Input) { in.Kind = "final" }, "kind", `"final"`},
		{"negative advance", func(in *Input) { in.Rule.Advance = -1 }, "rule.advance", "-1"},
		{"negative minimum total", func(in *Input) { in.Rule.MinTotal = rat("-1") }, "rule.min_total", "-1"},
		{"empty code", func(in *Input) { in.Criteria[0].Children[1].Code = "" }, "criteria[0].children[1].code", "empty"},
		{"duplicate code", func(in *Input) { in.Criteria[1].Code = "nia" }, "criteria[1].code", "criteria[0].children[0]"},
		{"missing max", func(in *Input) { in.Criteria[0].Max = nil }, "criteria[0].max", "missing"},
		{"zero max", func(in *Input) { in.Criteria[1].Max = rat("0") }, "criteria[1].max", "> 0"},
		{"panel on a category", func(in *Input) { in.Criteria[0].Panel = &Panel{Size: 3, Aggregate: AggregateMean} }, "criteria[0].panel", "leaf"},
		{"empty panel", func(in *Input) { in.Criteria[1].Panel.Size = 0 }, "criteria[1].panel.size", "0"},
		{"huge panel", func(in *Input) { in.Criteria[1].Panel.Size = MaxPanelSize + 1 }, "criteria[1].panel.size", "1001"},
		{"trimmed mean of two", func(in *Input) { in.Criteria[1].Panel.Size = 2 }, "criteria[1].panel.size", "at least 3"},
		{"unknown aggregate", func(in *Input) { in.Criteria[1].Panel.Aggregate = "mode" }, "criteria[1].panel.aggregate", `"mode"`},
		{"entry without team", func(in *Input) { in.Entries[0].Team = "" }, "entries[0].team", "empty"},
		{"team entered twice", func(in *Input) { in.Entries[1].Team = "a" }, "entries[1].team", "entries[0]"},
		{"unknown status", func(in *Input) { in.Entries[0].Status = "absent" }, "entries[0].status", `"absent"`},
		{"score for an unknown team", func(in *Input) { in.Scores[0].Team = "z" }, "scores[0].team", `"z"`},
		{"score for an unknown criterion", func(in *Input) { in.Scores[0].Criterion = "safety" }, "scores[0].criterion", `"safety"`},
		{"score for a category", func(in *Input) { in.Scores[0].Criterion = "benchmark" }, "scores[0].criterion", "not a leaf"},
		{"direct leaf with an evaluator", func(in *Input) { in.Scores[0].Evaluator = 1 }, "scores[0].evaluator", "directly"},
		{"panel leaf without an evaluator", func(in *Input) { in.Scores[1].Evaluator = 0 }, "scores[1].evaluator", "1..3"},
		{"evaluator beyond the panel", func(in *Input) { in.Scores[1].Evaluator = 4 }, "scores[1].evaluator", "1..3"},
		{"missing value", func(in *Input) { in.Scores[0].Value = nil }, "scores[0].value", "missing"},
		{"negative value", func(in *Input) { in.Scores[0].Value = rat("-0.01") }, "scores[0].value", "-0.01 outside 0..10"},
		{"value above the leaf max", func(in *Input) { in.Scores[0].Value = rat("10.01") }, "scores[0].value", "10.01 outside 0..10"},
		{"value with three decimals", func(in *Input) { in.Scores[0].Value = rat("1.005") }, "scores[0].value", "1.005"},
		{"duplicate score", func(in *Input) { in.Scores = append(in.Scores, direct("a", "nia", "1")) }, "scores[2]", "scores[0]"},
		{
			"duplicate panel score",
			func(in *Input) {
				in.Scores = append(in.Scores, Score{Team: "a", Criterion: "expert", Evaluator: 1, Value: rat("30")})
			},
			"scores[2]", "evaluator 1",
		},
		{
			// Refused whatever the scores: the children's maxima must
			// add up exactly to their parent's.
			"children maxima beyond the category max",
			func(in *Input) { in.Criteria[0].Max = rat("10") },
			"criteria[0]", "children's maxima add up to 40, not 10",
		},
		{
			"children maxima below the category max",
			func(in *Input) { in.Criteria[0].Max = rat("45") },
			"criteria[0]", "children's maxima add up to 40, not 45",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := validInput()
			if _, err := Compute(in); err != nil {
				t.Fatalf("the base input is invalid: %v", err)
			}
			tc.break_(&in)
			res, err := Compute(in)
			if !isInputErr(err, tc.path, ErrInvalidInput) {
				t.Fatalf("Compute error = %v; want an InputError at %s", err, tc.path)
			}
			if !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "rules: "+tc.path+": ") {
				t.Errorf("error %q does not mention %q", err, tc.msg)
			}
			if errors.Is(err, ErrInvalidDecision) || errors.Is(err, ErrDecisionNotNeeded) {
				t.Errorf("error %v wrongly matches a decision error", err)
			}
			if res.Teams != nil {
				t.Errorf("a result came with the error")
			}
			// Later problems may follow from the first one (a renamed
			// criterion leaves its scores unknown), but the first is it.
			if errs := Validate(in); len(errs) == 0 || !isInputErr(errs[0], tc.path, ErrInvalidInput) {
				t.Errorf("Validate = %v", errs)
			}
		})
	}
}

func TestValidateListsEveryProblem(t *testing.T) {
	in := validInput()
	in.Rule.Advance = -2
	in.Scores[0].Value = rat("11")
	in.Scores[1].Evaluator = 9
	errs := Validate(in)
	var paths []string
	for _, err := range errs {
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Fatalf("%v is not an InputError", err)
		}
		paths = append(paths, ie.Path)
	}
	if got, want := strings.Join(paths, " "), "rule.advance scores[0].value scores[1].evaluator"; got != want {
		t.Errorf("Validate paths = %s, want %s", got, want)
	}
	_, err := Compute(in)
	for _, p := range paths {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("Compute error %q does not mention %s", err, p)
		}
	}
	if !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Compute error %v does not match ErrInvalidInput", err)
	}
	if errs := Validate(validInput()); errs != nil {
		t.Errorf("Validate(valid) = %v", errs)
	}
}

// TestComputeKeepsNoReferences checks that results do not alias the input
// and that Compute does not touch what it is given.
func TestComputeKeepsNoReferences(t *testing.T) {
	in := validInput()
	in.Rule.MinTotal = rat("1")
	res := mustCompute(t, in)
	before := FormatCents(res.Teams[0].Total)

	in.Scores[0].Value.SetInt64(0)
	in.Criteria[0].Children[0].Max.SetInt64(1)
	in.Rule.MinTotal.SetInt64(99)
	if got := res.Teams[0].Leaves[0]; got.Values[0].Value.Cmp(rat("9.2")) != 0 || got.Max.Cmp(rat("10")) != 0 {
		t.Errorf("result changed with the input: %+v", got)
	}

	in = validInput()
	res = mustCompute(t, in)
	res.Teams[0].Leaves[0].Values[0].Value.SetInt64(5)
	res.Teams[0].Leaves[0].Max.SetInt64(5)
	res.Teams[0].Categories[0].Exact.SetInt64(5)
	if in.Scores[0].Value.Cmp(rat("9.2")) != 0 || in.Criteria[0].Children[0].Max.Cmp(big.NewRat(10, 1)) != 0 {
		t.Errorf("input changed through the result")
	}
	if again := mustCompute(t, in); FormatCents(again.Teams[0].Total) != before {
		t.Errorf("total changed: %s, want %s", FormatCents(again.Teams[0].Total), before)
	}
}
