package rules

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// MaxPanelSize is the largest panel the engine accepts. It only guards
// against absurd input; real panels have tens of members.
const MaxPanelSize = 1000

// node is one criterion of the flattened tree.
type node struct {
	code     string
	path     string // location in the input, for error messages
	max      *big.Rat
	panel    *Panel   // nil for direct leaves and inner nodes
	children []int    // node indices
	category int      // index into round.roots
	maxCents *big.Int // floor(max × 100): a value in cents is within max iff ≤ it
	leaf     int      // index into round.leaves; -1 for inner nodes
	broken   bool     // max or panel invalid (reported); its scores are not checked
}

// round is a validated Input in the shape the computation needs. Nothing
// in it aliases the caller's values.
type round struct {
	kind       Kind
	rule       Rule
	nodes      []node // preorder, so children follow their parent
	roots      []int  // node indices of the top-level categories
	leaves     []int  // node indices of the leaves, tree order
	nodeByCode map[string]int
	entries    []Entry // sorted by team, empty Status read as eligible
	teamByCode map[string]int
	values     [][][]value // [team][leaf][evaluator]; direct leaves use evaluator 0
	decision   *Decision
}

// value is one score as given (a private copy, handed on to the result)
// and as a whole number of cents, in which aggregates are computed
// cheaply and exactly. rat is nil when the score is absent.
type value struct {
	rat   *big.Rat
	cents *big.Int
}

// compile checks everything that can be checked without computing and
// builds the round. It reports every problem found.
func compile(in Input) (*round, []error) {
	var errs []error
	add := func(err error) { errs = append(errs, err) }
	r := &round{kind: in.Kind, nodeByCode: make(map[string]int), teamByCode: make(map[string]int)}

	if !in.Kind.Valid() {
		add(inputErr("kind", fmt.Sprintf("unknown round kind %q (want selection, stage or additional)", in.Kind)))
	}
	r.rule.Advance = in.Rule.Advance
	r.rule.Backfill = in.Rule.Backfill
	if in.Rule.Advance < 0 {
		add(inputErr("rule.advance", fmt.Sprintf("must be ≥ 0, is %d", in.Rule.Advance)))
	}
	if in.Rule.MinTotal != nil {
		if in.Rule.MinTotal.Sign() < 0 {
			add(inputErr("rule.min_total", fmt.Sprintf("must be ≥ 0, is %s", showRat(in.Rule.MinTotal))))
		}
		r.rule.MinTotal = new(big.Rat).Set(in.Rule.MinTotal)
	}

	for i, c := range in.Criteria {
		root := r.addNode(c, fmt.Sprintf("criteria[%d]", i), i, add)
		r.roots = append(r.roots, root)
	}

	r.entries = make([]Entry, 0, len(in.Entries))
	firstEntry := make(map[string]int, len(in.Entries))
	for i, e := range in.Entries {
		path := fmt.Sprintf("entries[%d]", i)
		switch {
		case e.Team == "":
			add(inputErr(path+".team", "must not be empty"))
			continue
		case !e.Status.Valid():
			add(inputErr(path+".status", fmt.Sprintf("unknown status %q (want eligible, disqualified or withdrew)", e.Status)))
		}
		if j, dup := firstEntry[e.Team]; dup {
			add(inputErr(path+".team", fmt.Sprintf("team %q is entered twice (also entries[%d])", e.Team, j)))
			continue
		}
		firstEntry[e.Team] = i
		if e.Status == "" {
			e.Status = StatusEligible
		}
		r.entries = append(r.entries, e)
	}
	slices.SortFunc(r.entries, func(a, b Entry) int { return strings.Compare(a.Team, b.Team) })
	r.values = make([][][]value, len(r.entries))
	for t, e := range r.entries {
		r.teamByCode[e.Team] = t
		r.values[t] = make([][]value, len(r.leaves))
		for l, ni := range r.leaves {
			size := 1
			if p := r.nodes[ni].panel; p != nil && p.Size > 0 && p.Size <= MaxPanelSize {
				size = p.Size + 1
			}
			r.values[t][l] = make([]value, size)
		}
	}

	for i, s := range in.Scores {
		if err := r.addScore(in.Scores, i, s); err != nil {
			add(err)
		}
	}

	if d := in.Decision; d != nil {
		if d.Reason.KO == "" || d.Reason.EN == "" {
			add(decisionErr("decision.reason", "a decision needs a reason in Korean and in English"))
		}
		seen := make(map[string]int, len(d.Advance))
		for i, team := range d.Advance {
			path := fmt.Sprintf("decision.advance[%d]", i)
			if j, dup := seen[team]; dup {
				add(decisionErr(path, fmt.Sprintf("team %q is named twice (also decision.advance[%d])", team, j)))
				continue
			}
			seen[team] = i
			if _, ok := r.teamByCode[team]; !ok {
				add(decisionErr(path, fmt.Sprintf("unknown team %q (not entered in the round)", team)))
			}
		}
		r.decision = &Decision{Advance: slices.Clone(d.Advance), Reason: d.Reason}
	}
	return r, errs
}

// addNode appends c and its subtree in preorder and returns c's index.
func (r *round) addNode(c Criterion, path string, category int, add func(error)) int {
	idx := len(r.nodes)
	n := node{code: c.Code, path: path, category: category, leaf: -1, max: new(big.Rat)}
	switch {
	case c.Code == "":
		add(inputErr(path+".code", "must not be empty"))
	default:
		if j, dup := r.nodeByCode[c.Code]; dup {
			add(inputErr(path+".code", fmt.Sprintf("code %q is used twice (also %s)", c.Code, r.nodes[j].path)))
		} else {
			r.nodeByCode[c.Code] = idx
		}
	}
	switch {
	case c.Max == nil:
		n.broken = true
		add(inputErr(path+".max", "missing"))
	case c.Max.Sign() <= 0:
		n.broken = true
		add(inputErr(path+".max", fmt.Sprintf("must be > 0, is %s", showRat(c.Max))))
	default:
		n.max.Set(c.Max)
	}
	n.maxCents = new(big.Int).Quo(new(big.Int).Mul(n.max.Num(), hundred), n.max.Denom())
	if p := c.Panel; p != nil {
		pc := *p
		n.panel = &pc
		switch {
		case len(c.Children) > 0:
			add(inputErr(path+".panel", "only a leaf may be scored by a panel"))
		case p.Size < 1 || p.Size > MaxPanelSize:
			n.broken = true
			add(inputErr(path+".panel.size", fmt.Sprintf("must be within 1..%d, is %d", MaxPanelSize, p.Size)))
		case !p.Aggregate.Valid():
			n.broken = true
			add(inputErr(path+".panel.aggregate", fmt.Sprintf("unknown aggregate %q (want mean, median or trimmed_mean)", p.Aggregate)))
		case p.Aggregate == AggregateTrimmedMean && p.Size < 3:
			n.broken = true
			add(inputErr(path+".panel.size", fmt.Sprintf("trimmed_mean needs at least 3 evaluators, size is %d", p.Size)))
		}
	}
	r.nodes = append(r.nodes, n)
	if len(c.Children) == 0 {
		r.nodes[idx].leaf = len(r.leaves)
		r.leaves = append(r.leaves, idx)
		return idx
	}
	children := make([]int, 0, len(c.Children))
	for i, child := range c.Children {
		children = append(children, r.addNode(child, fmt.Sprintf("%s.children[%d]", path, i), category, add))
	}
	r.nodes[idx].children = children
	return idx
}

// addScore checks scores[i] and stores its value.
func (r *round) addScore(scores []Score, i int, s Score) error {
	// Formatted only for an error: most scores are fine.
	path := func(field string) string { return fmt.Sprintf("scores[%d]%s", i, field) }
	t, ok := r.teamByCode[s.Team]
	if !ok {
		return inputErr(path(".team"), fmt.Sprintf("unknown team %q (not entered in the round)", s.Team))
	}
	ni, ok := r.nodeByCode[s.Criterion]
	if !ok {
		return inputErr(path(".criterion"), fmt.Sprintf("unknown criterion %q", s.Criterion))
	}
	n := &r.nodes[ni]
	if n.leaf < 0 {
		return inputErr(path(".criterion"), fmt.Sprintf("criterion %q is not a leaf; only leaves are scored", s.Criterion))
	}
	if n.broken {
		return nil // the criterion's own error says enough
	}
	if n.panel == nil {
		if s.Evaluator != 0 {
			return inputErr(path(".evaluator"), fmt.Sprintf("criterion %q is scored directly; evaluator must be empty, is %d", s.Criterion, s.Evaluator))
		}
	} else if s.Evaluator < 1 || s.Evaluator > n.panel.Size {
		return inputErr(path(".evaluator"), fmt.Sprintf("evaluator %d outside 1..%d of the %q panel", s.Evaluator, n.panel.Size, s.Criterion))
	}
	if s.Value == nil {
		return inputErr(path(".value"), "missing")
	}
	cents, ok := toCents(s.Value)
	switch {
	case !ok:
		return inputErr(path(".value"), fmt.Sprintf("value %s has more than two decimals", showRat(s.Value)))
	case cents.Sign() < 0 || cents.Cmp(n.maxCents) > 0:
		return inputErr(path(".value"), fmt.Sprintf("value %s outside 0..%s of %q", showRat(s.Value), showRat(n.max), s.Criterion))
	}
	slot := &r.values[t][n.leaf][s.Evaluator]
	if slot.rat != nil {
		j := slices.IndexFunc(scores[:i], func(o Score) bool {
			return o.Team == s.Team && o.Criterion == s.Criterion && o.Evaluator == s.Evaluator
		})
		return inputErr(path(""), fmt.Sprintf("duplicate score for team %q, criterion %q, evaluator %d (also scores[%d])", s.Team, s.Criterion, s.Evaluator, j))
	}
	*slot = value{rat: new(big.Rat).Set(s.Value), cents: cents}
	return nil
}

// showRat prints r for an error message: as a decimal when it has at most
// six decimals, else as a fraction.
func showRat(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	for k := 1; k <= 6; k++ {
		scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)))
		if scaled.IsInt() {
			return r.FloatString(k)
		}
	}
	return r.RatString()
}

// centsFactor maps each denominator a value with at most two decimals
// can have to the factor that turns it into cents. Read only.
var centsFactor = map[int64]*big.Int{
	1: big.NewInt(100), 2: big.NewInt(50), 4: big.NewInt(25), 5: big.NewInt(20), 10: big.NewInt(10),
	20: big.NewInt(5), 25: big.NewInt(4), 50: big.NewInt(2), 100: big.NewInt(1),
}

// toCents returns r × 100 when that is a whole number.
func toCents(r *big.Rat) (*big.Int, bool) {
	den := r.Denom()
	if !den.IsInt64() {
		return nil, false
	}
	f, ok := centsFactor[den.Int64()]
	if !ok {
		return nil, false
	}
	return new(big.Int).Mul(r.Num(), f), true
}
