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
	scale    *Scale   // nil unless a scaled leaf
	children []int    // node indices
	category int      // index into round.roots
	loCents  *big.Int // a value in cents is valid iff loCents ≤ it ≤ hiCents
	hiCents  *big.Int
	leaf     int  // index into round.leaves; -1 for inner nodes
	broken   bool // max, panel or scale invalid (reported); its scores are not checked
}

// round is a validated Input in the shape the computation needs. Nothing
// in it aliases the caller's values.
type round struct {
	kind       Kind
	rule       Rule
	rounding   Rounding // normalized
	nodes      []node   // preorder, so children follow their parent
	roots      []int    // node indices of the top-level categories
	leaves     []int    // node indices of the leaves, tree order
	nodeByCode map[string]int
	entries    []Entry // sorted by team, empty Status read as eligible
	teamByCode map[string]int
	values     [][][]value // [team][leaf][evaluator]; direct leaves use evaluator 0
	decision   *Decision
	errs       []error // problems found while compiling
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
	r := &round{kind: in.Kind, nodeByCode: make(map[string]int), teamByCode: make(map[string]int)}
	if !in.Kind.Valid() {
		r.add(inputErr("kind", fmt.Sprintf("unknown round kind %q (want selection, stage or additional)", in.Kind)))
	}
	r.compileRule(in.Rule)
	for i, c := range in.Criteria {
		root := r.addNode(c, fmt.Sprintf("criteria[%d]", i), i)
		r.roots = append(r.roots, root)
	}
	r.compileEntries(in.Entries)
	for i, s := range in.Scores {
		if err := r.addScore(in.Scores, i, s); err != nil {
			r.add(err)
		}
	}
	if in.Decision != nil {
		r.compileDecision(in.Decision)
	}
	return r, r.errs
}

func (r *round) add(err error) { r.errs = append(r.errs, err) }

// compileRule copies and checks the rule.
func (r *round) compileRule(rule Rule) {
	r.rule.Advance = rule.Advance
	r.rule.Backfill = rule.Backfill
	if rule.Advance < 0 {
		r.add(inputErr("rule.advance", fmt.Sprintf("must be ≥ 0, is %d", rule.Advance)))
	}
	if rule.MinTotal != nil {
		if rule.MinTotal.Sign() < 0 {
			r.add(inputErr("rule.min_total", fmt.Sprintf("must be ≥ 0, is %s", showRat(rule.MinTotal))))
		}
		r.rule.MinTotal = new(big.Rat).Set(rule.MinTotal)
	}
	r.rounding = rule.Rounding.Normalized()
	if d := r.rounding.Decimals; d != 1 && d != 2 {
		r.add(inputErr("rule.rounding.decimals", fmt.Sprintf("must be 1 or 2, is %d", d)))
		r.rounding.Decimals = 2
	}
	if !r.rounding.Level.Valid() {
		r.add(inputErr("rule.rounding.level", fmt.Sprintf("unknown level %q (want category or leaf)", r.rounding.Level)))
		r.rounding.Level = RoundCategory
	}
	r.rule.Rounding = r.rounding
}

// compileEntries copies the entries, sorted by team, and makes room for
// their values.
func (r *round) compileEntries(entries []Entry) {
	r.entries = make([]Entry, 0, len(entries))
	firstEntry := make(map[string]int, len(entries))
	for i, e := range entries {
		path := fmt.Sprintf("entries[%d]", i)
		if e.Team == "" {
			r.add(inputErr(path+".team", "must not be empty"))
			continue
		}
		if !e.Status.Valid() {
			r.add(inputErr(path+".status", fmt.Sprintf("unknown status %q (want eligible, disqualified or withdrew)", e.Status)))
		}
		if j, dup := firstEntry[e.Team]; dup {
			r.add(inputErr(path+".team", fmt.Sprintf("team %q is entered twice (also entries[%d])", e.Team, j)))
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
}

// compileDecision copies and checks a recorded decision.
func (r *round) compileDecision(d *Decision) {
	if d.Reason.KO == "" || d.Reason.EN == "" {
		r.add(decisionErr("decision.reason", "a decision needs a reason in Korean and in English"))
	}
	seen := make(map[string]int, len(d.Advance))
	for i, team := range d.Advance {
		path := fmt.Sprintf("decision.advance[%d]", i)
		if j, dup := seen[team]; dup {
			r.add(decisionErr(path, fmt.Sprintf("team %q is named twice (also decision.advance[%d])", team, j)))
			continue
		}
		seen[team] = i
		if _, ok := r.teamByCode[team]; !ok {
			r.add(decisionErr(path, fmt.Sprintf("unknown team %q (not entered in the round)", team)))
		}
	}
	r.decision = &Decision{Advance: slices.Clone(d.Advance), Reason: d.Reason}
}

// addNode appends c and its subtree in preorder and returns c's index.
func (r *round) addNode(c Criterion, path string, category int) int {
	idx := len(r.nodes)
	n := node{code: c.Code, path: path, category: category, leaf: -1}
	r.nodeCode(&n, idx)
	r.nodeMax(&n, c.Max)
	if c.Panel != nil {
		r.nodePanel(&n, c)
	}
	if c.Scale != nil {
		r.nodeScale(&n, c)
	}
	n.loCents, n.hiCents = new(big.Int), floorCents(n.max)
	if n.scale != nil && !n.broken {
		n.loCents, n.hiCents = floorCents(n.scale.From), floorCents(n.scale.To)
	}
	r.nodes = append(r.nodes, n)
	if len(c.Children) == 0 {
		r.nodes[idx].leaf = len(r.leaves)
		r.leaves = append(r.leaves, idx)
		return idx
	}
	children := make([]int, 0, len(c.Children))
	for i, child := range c.Children {
		children = append(children, r.addNode(child, fmt.Sprintf("%s.children[%d]", path, i), category))
	}
	r.nodes[idx].children = children
	r.checkChildrenMax(idx)
	return idx
}

// nodeCode checks n's code and registers it as the node at idx.
func (r *round) nodeCode(n *node, idx int) {
	if n.code == "" {
		r.add(inputErr(n.path+".code", "must not be empty"))
		return
	}
	if j, dup := r.nodeByCode[n.code]; dup {
		r.add(inputErr(n.path+".code", fmt.Sprintf("code %q is used twice (also %s)", n.code, r.nodes[j].path)))
		return
	}
	r.nodeByCode[n.code] = idx
}

// nodeMax checks and copies a node's maximum: positive, and with no more
// decimals than the round rounds to (so that no rounded figure exceeds it).
func (r *round) nodeMax(n *node, max *big.Rat) {
	n.max = new(big.Rat)
	switch {
	case max == nil:
		n.broken = true
		r.add(inputErr(n.path+".max", "missing"))
	case max.Sign() <= 0:
		n.broken = true
		r.add(inputErr(n.path+".max", fmt.Sprintf("must be > 0, is %s", showRat(max))))
	case !hasDecimals(max, r.rounding.Decimals):
		n.broken = true
		r.add(inputErr(n.path+".max", fmt.Sprintf("%s has more than the round's %d decimals", showRat(max), r.rounding.Decimals)))
	default:
		n.max.Set(max)
	}
}

// nodePanel checks and copies the panel of c.
func (r *round) nodePanel(n *node, c Criterion) {
	p := *c.Panel
	n.panel = &p
	switch {
	case len(c.Children) > 0:
		r.add(inputErr(n.path+".panel", "only a leaf may be scored by a panel"))
	case p.Size < 1 || p.Size > MaxPanelSize:
		n.broken = true
		r.add(inputErr(n.path+".panel.size", fmt.Sprintf("must be within 1..%d, is %d", MaxPanelSize, p.Size)))
	case !p.Aggregate.Valid():
		n.broken = true
		r.add(inputErr(n.path+".panel.aggregate", fmt.Sprintf("unknown aggregate %q (want mean, median or trimmed_mean)", p.Aggregate)))
	case p.Aggregate == AggregateTrimmedMean && p.Size < 3:
		n.broken = true
		r.add(inputErr(n.path+".panel.size", fmt.Sprintf("trimmed_mean needs at least 3 evaluators, size is %d", p.Size)))
	}
}

// nodeScale checks and copies the scale of c.
func (r *round) nodeScale(n *node, c Criterion) {
	from, to := c.Scale.From, c.Scale.To
	bad := func(field, msg string) {
		n.broken = true
		r.add(inputErr(n.path+".scale"+field, msg))
	}
	switch {
	case len(c.Children) > 0:
		r.add(inputErr(n.path+".scale", "only a leaf may take raw values on a scale"))
		return
	case from == nil || to == nil:
		bad("", "needs from and to")
		return
	case from.Sign() < 0 || !hasDecimals(from, 2):
		bad(".from", fmt.Sprintf("must be ≥ 0 with at most two decimals, is %s", showRat(from)))
		return
	case !hasDecimals(to, 2):
		bad(".to", fmt.Sprintf("must have at most two decimals, is %s", showRat(to)))
		return
	case to.Cmp(from) <= 0:
		bad(".to", fmt.Sprintf("must be above from (%s), is %s", showRat(from), showRat(to)))
		return
	}
	n.scale = &Scale{From: new(big.Rat).Set(from), To: new(big.Rat).Set(to)}
}

// checkChildrenMax reports a node whose children's maxima do not add up
// exactly to its own.
func (r *round) checkChildrenMax(idx int) {
	n := &r.nodes[idx]
	sum := new(big.Rat)
	for _, c := range n.children {
		if r.nodes[c].broken {
			return // the child's own error says enough
		}
		sum.Add(sum, r.nodes[c].max)
	}
	if !n.broken && sum.Cmp(n.max) != 0 {
		n.broken = true
		r.add(inputErr(n.path, fmt.Sprintf("children's maxima add up to %s, not %s", showRat(sum), showRat(n.max))))
	}
}

// addScore checks scores[i] and stores its value.
func (r *round) addScore(scores []Score, i int, s Score) error {
	// Formatted only for an error: most scores are fine.
	path := func(field string) string { return fmt.Sprintf("scores[%d]%s", i, field) }
	t, n, err := r.scoreTarget(s, path)
	if err != nil || n.broken {
		return err // a broken criterion's own error says enough
	}
	cents, err := n.checkValue(s, path)
	if err != nil {
		return err
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

// scoreTarget finds the team index and the leaf a score is for.
func (r *round) scoreTarget(s Score, path func(string) string) (int, *node, error) {
	t, ok := r.teamByCode[s.Team]
	if !ok {
		return 0, nil, inputErr(path(".team"), fmt.Sprintf("unknown team %q (not entered in the round)", s.Team))
	}
	ni, ok := r.nodeByCode[s.Criterion]
	if !ok {
		return 0, nil, inputErr(path(".criterion"), fmt.Sprintf("unknown criterion %q", s.Criterion))
	}
	n := &r.nodes[ni]
	if n.leaf < 0 {
		return 0, nil, inputErr(path(".criterion"), fmt.Sprintf("criterion %q is not a leaf; only leaves are scored", s.Criterion))
	}
	return t, n, nil
}

// checkValue checks a score's evaluator and value against the leaf and
// returns the value in cents.
func (n *node) checkValue(s Score, path func(string) string) (*big.Int, error) {
	if n.panel == nil {
		if s.Evaluator != 0 {
			return nil, inputErr(path(".evaluator"), fmt.Sprintf("criterion %q is scored directly; evaluator must be empty, is %d", s.Criterion, s.Evaluator))
		}
	} else if s.Evaluator < 1 || s.Evaluator > n.panel.Size {
		return nil, inputErr(path(".evaluator"), fmt.Sprintf("evaluator %d outside 1..%d of the %q panel", s.Evaluator, n.panel.Size, s.Criterion))
	}
	if s.Value == nil {
		return nil, inputErr(path(".value"), "missing")
	}
	cents, ok := toCents(s.Value)
	if !ok {
		return nil, inputErr(path(".value"), fmt.Sprintf("value %s has more than two decimals", showRat(s.Value)))
	}
	if cents.Cmp(n.loCents) < 0 || cents.Cmp(n.hiCents) > 0 {
		lo, hi := "0", showRat(n.max)
		if n.scale != nil {
			lo, hi = showRat(n.scale.From), showRat(n.scale.To)
		}
		return nil, inputErr(path(".value"), fmt.Sprintf("value %s outside %s..%s of %q", showRat(s.Value), lo, hi, s.Criterion))
	}
	return cents, nil
}

// floorCents returns floor(r × 100).
func floorCents(r *big.Rat) *big.Int {
	return new(big.Int).Quo(new(big.Int).Mul(r.Num(), hundred), r.Denom())
}

// hasDecimals reports whether r has at most d decimals.
func hasDecimals(r *big.Rat, d int) bool {
	return new(big.Rat).Mul(r, new(big.Rat).SetInt(pow10(d))).IsInt()
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
