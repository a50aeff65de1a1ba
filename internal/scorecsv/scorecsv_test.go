package scorecsv

import (
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kai-challenge/portal/internal/rules"
)

func TestParse(t *testing.T) {
	in := "\ufeffValue,team,evaluator,criterion\n9.2,lg,,nia\n\n31.5,lg,3,expert\n"
	rows, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{Line: 2, Team: "lg", Criterion: "nia", Value: "9.2"},
		{Line: 4, Team: "lg", Criterion: "expert", Evaluator: 3, Value: "31.5"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	const h = "team,criterion,evaluator,value\n"
	cases := []struct{ name, in, want string }{
		{"empty", "", "line 1: the file is empty"},
		{"missing column", "team,criterion,value\n", `line 1: missing column "evaluator"`},
		{"unknown column", h[:len(h)-1] + ",note\n", `line 1: unknown column "note"`},
		{"decimal comma", h + "lg,nia,,\"1,5\"\n", `line 2: value "1,5" must be a number with at most two decimals`},
		{"three decimals", h + "lg,nia,,1.555\n", `line 2: value "1.555"`},
		{"negative", h + "lg,nia,,-1\n", `line 2: value "-1"`},
		{"bad evaluator", h + "lg,expert,x,1\n", `line 2: evaluator "x" must be a whole number`},
		{"field count", h + "lg,nia,1\n", "line 2: has 3 fields, the header has 4"},
		{"empty value", h + "lg,nia,,\n", "line 2: value is empty"},
		{"not UTF-8", h + "lg,nia,,9\n\xb0\xa1,nia,,1\n", "line 1: the file is not UTF-8 text"},
	}
	for _, c := range cases {
		_, err := Parse(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
}

func TestCheck(t *testing.T) {
	rd := Round{
		Teams:    map[string]bool{"lg": true, "skt": true},
		Leaves:   map[string]Leaf{"nia": {Max: big.NewRat(10, 1)}, "expert": {Max: big.NewRat(35, 1), PanelSize: 10}},
		Criteria: map[string]bool{"nia": true, "expert": true, "benchmark": true},
	}
	rows := []Row{
		{Line: 2, Team: "lg", Criterion: "nia", Value: "9.20"},
		{Line: 3, Team: "kt", Criterion: "nia", Value: "1"},
		{Line: 4, Team: "lg", Criterion: "nia", Value: "10.01"},
		{Line: 5, Team: "lg", Criterion: "expert", Value: "30"},
		{Line: 6, Team: "lg", Criterion: "nia", Evaluator: 2, Value: "1"},
		{Line: 7, Team: "lg", Criterion: "expert", Evaluator: 11, Value: "1"},
		{Line: 8, Team: "lg", Criterion: "benchmark", Value: "1"},
		{Line: 9, Team: "lg", Criterion: "bogus", Value: "1"},
		{Line: 10, Team: "skt", Criterion: "expert", Evaluator: 1, Value: "1"},
		{Line: 11, Team: "skt", Criterion: "expert", Evaluator: 1, Value: "2"},
	}
	err := Check(rows, rd)
	want := []string{
		`line 3: unknown team "kt"`,
		`line 4: value 10.01 exceeds the maximum 10.00 of "nia"`,
		`line 4: duplicate score for team "lg", criterion "nia", evaluator (none) (first on line 2)`,
		`line 5: criterion "expert" is scored by a panel; evaluator (1–10) is missing`,
		`line 6: criterion "nia" is scored directly; leave evaluator empty`,
		`line 7: evaluator 11 is outside the panel of "expert" (1–10)`,
		`line 8: criterion "benchmark" is a category`,
		`line 9: unknown criterion "bogus"`,
		`line 11: duplicate score for team "skt", criterion "expert", evaluator 1 (first on line 10)`,
	}
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("missing %q in:\n%v", w, err)
		}
	}
	if Check(rows[:1], rd) != nil {
		t.Error("a good row was refused")
	}
}

// TestCheckScale: a leaf with raw values is checked against its scale,
// not against its maximum in points.
func TestCheckScale(t *testing.T) {
	rd := Round{
		Teams: map[string]bool{"lg": true},
		Leaves: map[string]Leaf{
			"aaii":   {Max: big.NewRat(25, 1), Scale: &rules.Scale{From: big.NewRat(0, 1), To: big.NewRat(100, 1)}},
			"public": {Max: big.NewRat(10, 1), PanelSize: 185, Scale: &rules.Scale{From: big.NewRat(1, 1), To: big.NewRat(5, 1)}},
		},
		Criteria: map[string]bool{"aaii": true, "public": true},
	}
	good := []Row{
		{Line: 2, Team: "lg", Criterion: "aaii", Value: "47.4"},
		{Line: 3, Team: "lg", Criterion: "public", Evaluator: 1, Value: "5"},
	}
	if err := Check(good, rd); err != nil {
		t.Errorf("raw values within their scales refused: %v", err)
	}
	bad := []Row{
		{Line: 2, Team: "lg", Criterion: "aaii", Value: "100.01"},
		{Line: 3, Team: "lg", Criterion: "public", Evaluator: 1, Value: "0.5"},
	}
	err := Check(bad, rd)
	for _, w := range []string{
		`line 2: value 100.01 is outside the scale 0.00–100.00 of "aaii"`,
		`line 3: value 0.5 is outside the scale 1.00–5.00 of "public"`,
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("missing %q in:\n%v", w, err)
		}
	}
}

// ParseAll keeps the well-formed rows of a file with bad lines, so that
// Check can report their problems in the same pass; Errors sort by line.
func TestParseAll(t *testing.T) {
	in := "team,criterion,evaluator,value\nlg,nia,,1.555\nkt,nia,,9\nlg,nia,1\n"
	rows, errs := ParseAll([]byte(in))
	if want := []Row{{Line: 3, Team: "kt", Criterion: "nia", Value: "9"}}; !cmp.Equal(want, rows) {
		t.Errorf("rows = %+v, want %+v", rows, want)
	}
	rd := Round{Teams: map[string]bool{"lg": true}, Leaves: map[string]Leaf{"nia": {Max: big.NewRat(10, 1)}}, Criteria: map[string]bool{"nia": true}}
	var more Errors
	if err := Check(rows, rd); err != nil {
		more = err.(Errors)
	}
	all := append(Errors{}, more...)
	all = append(all, errs...)
	all.Sort()
	var got []string
	for _, e := range all {
		got = append(got, e.Code)
		if e.Msg() == e.Code {
			t.Errorf("code %s has no English wording", e.Code)
		}
	}
	if want := []string{"bad_value", "unknown_team", "field_count"}; !cmp.Equal(want, got) {
		t.Errorf("codes = %v, want %v", got, want)
	}
	if all[1].Arg("team") != "kt" {
		t.Errorf("unknown_team args = %v", all[1].Args)
	}
}
