package rules

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// ratComparer lets go-cmp compare exact values by value.
var ratComparer = gocmp.Comparer(func(a, b *big.Rat) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Cmp(b) == 0
})

// rat parses a decimal ("9.2") or a fraction ("1/3") for test tables.
func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("bad test value " + s)
	}
	return r
}

func leaf(code, max string) Criterion { return Criterion{Code: code, Max: rat(max)} }

func panelLeaf(code, max string, size int, agg Aggregate) Criterion {
	return Criterion{Code: code, Max: rat(max), Panel: &Panel{Size: size, Aggregate: agg}}
}

func category(code, max string, children ...Criterion) Criterion {
	return Criterion{Code: code, Max: rat(max), Children: children}
}

func direct(team, criterion, value string) Score {
	return Score{Team: team, Criterion: criterion, Value: rat(value)}
}

func byEvaluator(team, criterion string, values ...string) []Score {
	var s []Score
	for i, v := range values {
		if v == "" {
			continue // absent
		}
		s = append(s, Score{Team: team, Criterion: criterion, Evaluator: i + 1, Value: rat(v)})
	}
	return s
}

// contender is a team of a one-criterion round: total is its only score
// ("" for none), status its eligibility.
type contender struct {
	team, total string
	status      Status
}

func ok(team, total string) contender { return contender{team, total, StatusEligible} }
func dq(team, total string) contender { return contender{team, total, StatusDisqualified} }
func wd(team, total string) contender { return contender{team, total, StatusWithdrew} }

// oneCriterion builds a round scored on a single direct criterion
// "points" (max 100), so each team's total is its score.
func oneCriterion(kind Kind, rule Rule, cs ...contender) Input {
	in := Input{Kind: kind, Rule: rule, Criteria: []Criterion{leaf("points", "100")}}
	for _, c := range cs {
		e := Entry{Team: c.team, Status: c.status}
		if c.status == StatusDisqualified {
			e.Reason = Text{KO: "독자성 기준 미충족", EN: "failed the independence requirement"}
		}
		in.Entries = append(in.Entries, e)
		if c.total != "" {
			in.Scores = append(in.Scores, direct(c.team, "points", c.total))
		}
	}
	return in
}

// line is the part of a TeamResult the outcome tables compare.
type line struct {
	Team    string
	Rank    int
	Tied    bool
	Outcome Outcome
	Code    ReasonCode
}

func lines(r Result) []line {
	var ls []line
	for _, t := range r.Teams {
		ls = append(ls, line{t.Team, t.Rank, t.Tied, t.Outcome, t.ReasonCode})
	}
	return ls
}

func mustCompute(t testing.TB, in Input) Result {
	t.Helper()
	res, err := Compute(in)
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	if err := checkResult(in, res); err != nil {
		t.Fatalf("inconsistent result: %v", err)
	}
	return res
}

func teamResult(t testing.TB, r Result, team string) TeamResult {
	t.Helper()
	for _, tr := range r.Teams {
		if tr.Team == team {
			return tr
		}
	}
	t.Fatalf("team %q not in result", team)
	return TeamResult{}
}

// loadScores reads a score CSV (team,criterion,evaluator,value; evaluator
// empty for directly scored leaves).
func loadScores(t testing.TB, path string) []Score {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if want := []string{"team", "criterion", "evaluator", "value"}; !slices.Equal(header, want) {
		t.Fatalf("%s: header %v, want %v", path, header, want)
	}
	var scores []Score
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return scores
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		line, _ := r.FieldPos(0)
		s := Score{Team: rec[0], Criterion: rec[1]}
		if rec[2] != "" {
			if s.Evaluator, err = strconv.Atoi(rec[2]); err != nil {
				t.Fatalf("%s:%d: evaluator: %v", path, line, err)
			}
		}
		if s.Value, err = ParseValue(rec[3]); err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		scores = append(scores, s)
	}
}

// checkResult verifies, independently of the engine's code paths, that a
// successful result is internally consistent with its input. The property
// and fuzz tests rely on it.
func checkResult(in Input, res Result) error {
	status := make(map[string]Status)
	for _, e := range in.Entries {
		s := e.Status
		if s == "" {
			s = StatusEligible
		}
		status[e.Team] = s
	}
	if len(res.Teams) != len(in.Entries) {
		return fmt.Errorf("%d team results for %d entries", len(res.Teams), len(in.Entries))
	}
	rounding := in.Rule.Rounding.Normalized()
	if res.Rounding != rounding {
		return fmt.Errorf("rounding %+v, want %+v", res.Rounding, rounding)
	}
	seen := make(map[string]bool)
	var tally outcomeTally
	var ranked []TeamResult
	for i, tr := range res.Teams {
		st, known := status[tr.Team]
		if !known || seen[tr.Team] {
			return fmt.Errorf("team %q unknown or listed twice", tr.Team)
		}
		seen[tr.Team] = true
		if i > 0 {
			if err := checkOrder(res.Teams[i-1], tr); err != nil {
				return err
			}
		}
		if err := checkTeam(in, rounding, st, tr, &tally); err != nil {
			return err
		}
		if tr.Rank > 0 {
			ranked = append(ranked, tr)
		}
	}
	if err := tally.check(in, res); err != nil {
		return err
	}
	if err := checkRanks(ranked); err != nil {
		return err
	}
	return checkMissing(in, res, status)
}

// checkTeam checks one team's figures, explanation, rank and outcome.
func checkTeam(in Input, rounding Rounding, st Status, tr TeamResult, tally *outcomeTally) error {
	if err := checkFigures(in, rounding, tr); err != nil {
		return err
	}
	if tr.Reason.KO == "" || tr.Reason.EN == "" {
		return fmt.Errorf("%s: empty explanation %+v", tr.Team, tr.Reason)
	}
	mustRank := st == StatusEligible || (st == StatusDisqualified && !in.Rule.Backfill)
	if mustRank != (tr.Rank > 0) {
		return fmt.Errorf("%s (%s): rank %d", tr.Team, st, tr.Rank)
	}
	if mustRank && tr.Rank <= in.Rule.Advance {
		tally.withinN++
	}
	return checkOutcome(in, st, tr, tally)
}

// outcomeTally counts what the whole result must agree with.
type outcomeTally struct {
	passed, tiedAtCut, withinN int
}

func (c outcomeTally) check(in Input, res Result) error {
	n := in.Rule.Advance
	if c.passed > n {
		return fmt.Errorf("%d teams pass, only %d places", c.passed, n)
	}
	if res.Blocked != (c.tiedAtCut > 0) {
		return fmt.Errorf("blocked=%v with %d teams tied at the cut", res.Blocked, c.tiedAtCut)
	}
	if c.tiedAtCut > 0 && c.withinN <= n {
		return fmt.Errorf("tie at the cut but only %d teams within %d places", c.withinN, n)
	}
	return nil
}

// checkFigures checks a team's categories, total and leaves against the
// rounding rule.
func checkFigures(in Input, rounding Rounding, tr TeamResult) error {
	d := rounding.Decimals
	if len(tr.Categories) != len(in.Criteria) {
		return fmt.Errorf("%s: %d categories, want %d", tr.Team, len(tr.Categories), len(in.Criteria))
	}
	sum := new(big.Rat)
	for ci, c := range tr.Categories {
		if c.Code != in.Criteria[ci].Code {
			return fmt.Errorf("%s: category %d is %q, want %q", tr.Team, ci, c.Code, in.Criteria[ci].Code)
		}
		if c.Rounded.Cmp(RoundTo(c.Exact, d)) != 0 || !hasDecimals(c.Rounded, d) {
			return fmt.Errorf("%s: %s rounded %s from %s", tr.Team, c.Code, c.Rounded.RatString(), c.Exact.RatString())
		}
		if c.Exact.Sign() < 0 || c.Exact.Cmp(in.Criteria[ci].Max) > 0 {
			return fmt.Errorf("%s: %s points %s outside 0..max", tr.Team, c.Code, c.Exact.RatString())
		}
		sum.Add(sum, c.Rounded)
	}
	if tr.Total.Cmp(sum) != 0 {
		return fmt.Errorf("%s: total %s is not the sum %s of rounded categories", tr.Team, tr.Total.RatString(), sum.RatString())
	}
	for _, l := range tr.Leaves {
		if err := checkLeaf(rounding, tr.Team, l); err != nil {
			return err
		}
	}
	return nil
}

// checkLeaf checks one leaf's trail: a figure exists exactly when a value
// is present (three for a trimmed mean), and rounds as the rule says.
func checkLeaf(rounding Rounding, team string, l LeafDetail) error {
	need := 1
	if l.Aggregate == AggregateTrimmedMean {
		need = 3
	}
	if exists := len(l.Values) >= need; exists != (l.Exact != nil) || exists != (l.Raw != nil) || exists != (l.Rounded != nil) {
		return fmt.Errorf("%s: leaf %s with %d values has raw %v, exact %v, rounded %v", team, l.Criterion, len(l.Values), l.Raw, l.Exact, l.Rounded)
	}
	if l.Exact == nil {
		return nil
	}
	if l.Exact.Sign() < 0 || l.Exact.Cmp(l.Max) > 0 {
		return fmt.Errorf("%s: leaf %s points %s outside 0..%s", team, l.Criterion, l.Exact.RatString(), l.Max.RatString())
	}
	want := l.Exact
	if rounding.Level == RoundLeaf {
		want = RoundTo(l.Exact, rounding.Decimals)
	}
	if l.Rounded.Cmp(want) != 0 {
		return fmt.Errorf("%s: leaf %s rounded %s from %s", team, l.Criterion, l.Rounded.RatString(), l.Exact.RatString())
	}
	return nil
}

// checkOrder checks that prev comes before cur: by rank (unranked last),
// then by slug.
func checkOrder(prev, cur TeamResult) error {
	pr, cr := prev.Rank, cur.Rank
	if pr == 0 {
		pr = int(^uint(0) >> 1)
	}
	if cr == 0 {
		cr = int(^uint(0) >> 1)
	}
	if c := cmp.Or(cmp.Compare(pr, cr), strings.Compare(prev.Team, cur.Team)); c >= 0 {
		return fmt.Errorf("teams out of order: %s (rank %d) before %s (rank %d)", prev.Team, prev.Rank, cur.Team, cur.Rank)
	}
	return nil
}

// checkOutcome checks one team's outcome and reason code against its
// status, rank and total.
func checkOutcome(in Input, st Status, tr TeamResult, tally *outcomeTally) error {
	pass := in.Kind.Pass()
	if tr.Outcome == pass {
		tally.passed++
	}
	switch st {
	case StatusWithdrew:
		if tr.Outcome != OutcomeWithdrew || tr.ReasonCode != ReasonWithdrew {
			return fmt.Errorf("%s withdrew but got %s/%s", tr.Team, tr.Outcome, tr.ReasonCode)
		}
		return nil
	case StatusDisqualified:
		if tr.Outcome != OutcomeDisqualified || tr.ReasonCode != ReasonDisqualified {
			return fmt.Errorf("%s disqualified but got %s/%s", tr.Team, tr.Outcome, tr.ReasonCode)
		}
		return nil
	}
	if tr.ReasonCode == ReasonTieAtCut {
		tally.tiedAtCut++
	}
	if !eligibleOutcomeOK(in, tr) {
		return fmt.Errorf("%s: %s/%s with rank %d, total %s", tr.Team, tr.Outcome, tr.ReasonCode, tr.Rank, FormatCents(tr.Total))
	}
	return nil
}

// eligibleOutcomeOK reports whether an eligible team's outcome follows
// from its rank and total.
func eligibleOutcomeOK(in Input, tr TeamResult) bool {
	c := outcomeCase{
		in: in, tr: tr, pass: in.Kind.Pass(), fail: in.Kind.Fail(),
		within:   tr.Rank <= in.Rule.Advance,
		belowMin: in.Rule.MinTotal != nil && tr.Total.Cmp(in.Rule.MinTotal) < 0,
	}
	ok := outcomeRules[tr.ReasonCode]
	return ok != nil && ok(c)
}

// outcomeCase is what an eligible team's outcome is checked against.
type outcomeCase struct {
	in               Input
	tr               TeamResult
	pass, fail       Outcome
	within, belowMin bool
}

// outcomeRules says, per reason code, when an eligible team's outcome is
// right.
var outcomeRules = map[ReasonCode]func(c outcomeCase) bool{
	ReasonWithinCut:     func(c outcomeCase) bool { return c.tr.Outcome == c.pass && c.within && !c.belowMin },
	ReasonBelowCut:      func(c outcomeCase) bool { return c.tr.Outcome == c.fail && !c.within },
	ReasonBelowMinTotal: func(c outcomeCase) bool { return c.tr.Outcome == c.fail && c.within && c.belowMin },
	ReasonTieAtCut: func(c outcomeCase) bool {
		return c.tr.Outcome == "" && c.in.Decision == nil && c.tr.Tied && c.within
	},
	ReasonDecision: func(c outcomeCase) bool {
		if c.in.Decision == nil || !c.tr.Tied || !c.within {
			return false
		}
		if slices.Contains(c.in.Decision.Advance, c.tr.Team) {
			return c.tr.Outcome == c.pass
		}
		return c.tr.Outcome == c.fail
	},
}

// checkRanks checks ranks from first principles: 1 + the number of
// strictly better teams.
func checkRanks(ranked []TeamResult) error {
	better := func(a, b TeamResult) int {
		if c := a.Total.Cmp(b.Total); c != 0 {
			return c
		}
		for i := range a.Categories {
			if c := a.Categories[i].Rounded.Cmp(b.Categories[i].Rounded); c != 0 {
				return c
			}
		}
		return 0
	}
	for _, a := range ranked {
		want, tied := 1, false
		for _, b := range ranked {
			if a.Team == b.Team {
				continue
			}
			switch better(b, a) {
			case 1:
				want++
			case 0:
				tied = true
			}
		}
		if a.Rank != want || a.Tied != tied {
			return fmt.Errorf("%s: rank %d tied=%v, want %d tied=%v", a.Team, a.Rank, a.Tied, want, tied)
		}
	}
	return nil
}

// requiredScores lists, in tree order, the scores a leaf needs: evaluator
// 0 for a direct leaf, 1..size for a panel.
func requiredScores(cs []Criterion) []Missing {
	var out []Missing
	for _, c := range cs {
		switch {
		case len(c.Children) > 0:
			out = append(out, requiredScores(c.Children)...)
		case c.Panel != nil:
			for ev := 1; ev <= c.Panel.Size; ev++ {
				out = append(out, Missing{Criterion: c.Code, Evaluator: ev})
			}
		default:
			out = append(out, Missing{Criterion: c.Code})
		}
	}
	return out
}

// checkMissing checks the missing list from first principles: every score
// of every team that did not withdraw is required, whatever its status.
func checkMissing(in Input, res Result, status map[string]Status) error {
	present := make(map[Missing]bool)
	for _, s := range in.Scores {
		present[Missing{Team: s.Team, Criterion: s.Criterion, Evaluator: s.Evaluator}] = true
	}
	teams := make([]string, 0, len(status))
	for team, st := range status {
		if st != StatusWithdrew {
			teams = append(teams, team)
		}
	}
	slices.Sort(teams)
	required := requiredScores(in.Criteria)
	var missing []Missing
	for _, team := range teams {
		for _, m := range required {
			if m.Team = team; !present[m] {
				missing = append(missing, m)
			}
		}
	}
	if diff := gocmp.Diff(missing, res.Missing); diff != "" {
		return fmt.Errorf("missing list (-want +got):\n%s", diff)
	}
	if res.Complete != (len(missing) == 0) {
		return fmt.Errorf("complete=%v with %d missing", res.Complete, len(missing))
	}
	return nil
}

// isInputErr reports whether err is an InputError at path matching target.
func isInputErr(err error, path string, target error) bool {
	var ie *InputError
	return errors.As(err, &ie) && ie.Path == path && errors.Is(err, target) && errors.Is(err, ErrInvalidInput)
}
