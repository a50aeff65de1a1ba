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
	n := in.Rule.Advance
	pass, fail := in.Kind.Pass(), in.Kind.Fail()

	// Leaves in tree order, for the missing list.
	type leafInfo struct {
		code string
		size int // 0 for direct
	}
	var leaves []leafInfo
	var walk func(cs []Criterion)
	walk = func(cs []Criterion) {
		for _, c := range cs {
			switch {
			case len(c.Children) > 0:
				walk(c.Children)
			case c.Panel != nil:
				leaves = append(leaves, leafInfo{c.Code, c.Panel.Size})
			default:
				leaves = append(leaves, leafInfo{c.Code, 0})
			}
		}
	}
	walk(in.Criteria)

	seen := make(map[string]bool)
	passed, tiedAtCut, withinN := 0, 0, 0
	var ranked []TeamResult
	for i, tr := range res.Teams {
		st, known := status[tr.Team]
		if !known || seen[tr.Team] {
			return fmt.Errorf("team %q unknown or listed twice", tr.Team)
		}
		seen[tr.Team] = true
		if len(tr.Categories) != len(in.Criteria) {
			return fmt.Errorf("%s: %d categories, want %d", tr.Team, len(tr.Categories), len(in.Criteria))
		}
		sum := new(big.Rat)
		for ci, c := range tr.Categories {
			if c.Code != in.Criteria[ci].Code {
				return fmt.Errorf("%s: category %d is %q, want %q", tr.Team, ci, c.Code, in.Criteria[ci].Code)
			}
			if c.Rounded.Cmp(RoundCents(c.Exact)) != 0 || !isCents(c.Rounded) {
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
			if l.Exact.Sign() < 0 || l.Exact.Cmp(l.Max) > 0 {
				return fmt.Errorf("%s: leaf %s points %s outside 0..%s", tr.Team, l.Criterion, l.Exact.RatString(), l.Max.RatString())
			}
		}
		if tr.Reason.KO == "" || tr.Reason.EN == "" {
			return fmt.Errorf("%s: empty explanation %+v", tr.Team, tr.Reason)
		}
		mustRank := st == StatusEligible || (st == StatusDisqualified && !in.Rule.Backfill)
		if mustRank != (tr.Rank > 0) {
			return fmt.Errorf("%s (%s): rank %d", tr.Team, st, tr.Rank)
		}
		if mustRank {
			ranked = append(ranked, tr)
			if tr.Rank <= n {
				withinN++
			}
		}
		if i > 0 {
			prev := res.Teams[i-1]
			pr, cr := prev.Rank, tr.Rank
			if pr == 0 {
				pr = int(^uint(0) >> 1)
			}
			if cr == 0 {
				cr = int(^uint(0) >> 1)
			}
			if c := cmp.Or(cmp.Compare(pr, cr), strings.Compare(prev.Team, tr.Team)); c >= 0 {
				return fmt.Errorf("teams out of order: %s (rank %d) before %s (rank %d)", prev.Team, prev.Rank, tr.Team, tr.Rank)
			}
		}
		switch st {
		case StatusWithdrew:
			if tr.Outcome != OutcomeWithdrew || tr.ReasonCode != ReasonWithdrew {
				return fmt.Errorf("%s withdrew but got %s/%s", tr.Team, tr.Outcome, tr.ReasonCode)
			}
		case StatusDisqualified:
			if tr.Outcome != OutcomeDisqualified || tr.ReasonCode != ReasonDisqualified {
				return fmt.Errorf("%s disqualified but got %s/%s", tr.Team, tr.Outcome, tr.ReasonCode)
			}
		default:
			belowMin := in.Rule.MinTotal != nil && tr.Total.Cmp(in.Rule.MinTotal) < 0
			switch tr.ReasonCode {
			case ReasonWithinCut:
				if tr.Outcome != pass || tr.Rank > n || belowMin {
					return fmt.Errorf("%s: %s with rank %d, total %s", tr.Team, tr.ReasonCode, tr.Rank, FormatCents(tr.Total))
				}
			case ReasonBelowCut:
				if tr.Outcome != fail || tr.Rank <= n {
					return fmt.Errorf("%s: %s with rank %d", tr.Team, tr.ReasonCode, tr.Rank)
				}
			case ReasonBelowMinTotal:
				if tr.Outcome != fail || tr.Rank > n || !belowMin {
					return fmt.Errorf("%s: %s with rank %d, total %s", tr.Team, tr.ReasonCode, tr.Rank, FormatCents(tr.Total))
				}
			case ReasonTieAtCut:
				if tr.Outcome != "" || in.Decision != nil || !tr.Tied || tr.Rank > n {
					return fmt.Errorf("%s: tie_at_cut with outcome %q, rank %d", tr.Team, tr.Outcome, tr.Rank)
				}
				tiedAtCut++
			case ReasonDecision:
				if in.Decision == nil || !tr.Tied || tr.Rank > n {
					return fmt.Errorf("%s: decision without a decision or a tie", tr.Team)
				}
				if (tr.Outcome == pass) != slices.Contains(in.Decision.Advance, tr.Team) || (tr.Outcome != pass && tr.Outcome != fail) {
					return fmt.Errorf("%s: outcome %s does not follow the decision", tr.Team, tr.Outcome)
				}
			default:
				return fmt.Errorf("%s: eligible team with reason %s", tr.Team, tr.ReasonCode)
			}
		}
		if tr.Outcome == pass {
			passed++
		}
	}
	if passed > n {
		return fmt.Errorf("%d teams pass, only %d places", passed, n)
	}
	if res.Blocked != (tiedAtCut > 0) {
		return fmt.Errorf("blocked=%v with %d teams tied at the cut", res.Blocked, tiedAtCut)
	}
	if tiedAtCut > 0 && withinN <= n {
		return fmt.Errorf("tie at the cut but only %d teams within %d places", withinN, n)
	}

	// Ranks from first principles: 1 + number of strictly better teams.
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

	// Missing from first principles.
	present := make(map[Missing]bool)
	for _, s := range in.Scores {
		present[Missing{Team: s.Team, Criterion: s.Criterion, Evaluator: s.Evaluator}] = true
	}
	teams := make([]string, 0, len(status))
	for team := range status {
		teams = append(teams, team)
	}
	slices.Sort(teams)
	var missing []Missing
	for _, team := range teams {
		st := status[team]
		if st == StatusWithdrew || (st == StatusDisqualified && in.Rule.Backfill) {
			continue
		}
		for _, l := range leaves {
			evs := []int{0}
			if l.size > 0 {
				evs = evs[:0]
				for ev := 1; ev <= l.size; ev++ {
					evs = append(evs, ev)
				}
			}
			for _, ev := range evs {
				if m := (Missing{Team: team, Criterion: l.code, Evaluator: ev}); !present[m] {
					missing = append(missing, m)
				}
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

func isCents(r *big.Rat) bool {
	_, ok := toCents(r)
	return ok
}
