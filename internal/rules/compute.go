package rules

import (
	"cmp"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// Compute computes the points, ranks and outcomes of a round. It returns an
// error only when the input is structurally invalid (see InputError); an
// incomplete or blocked round is a valid Result, not an error. Compute
// neither keeps nor mutates anything it is given.
func Compute(in Input) (Result, error) {
	r, errs := compile(in)
	switch len(errs) {
	case 0:
	case 1:
		return Result{}, errs[0]
	default:
		return Result{}, errors.Join(errs...)
	}
	return r.compute()
}

// Validate returns every structural problem of in, or nil when Compute
// would succeed. Problems found without computing are all listed; a
// decision that does not fit the computed ranking is reported alone.
func Validate(in Input) []error {
	r, errs := compile(in)
	if len(errs) > 0 {
		return errs
	}
	if _, err := r.compute(); err != nil {
		return []error{err}
	}
	return nil
}

// team is one team's state during the computation.
type team struct {
	entry   Entry
	ranked  bool
	total   *big.Rat
	cats    []CategoryPoints
	leaves  []LeafDetail
	rank    int
	tied    bool
	outcome Outcome
	code    ReasonCode
}

// group is a run of ranked teams sharing a rank.
type group struct {
	rank  int
	teams []*team
}

func (r *round) compute() (Result, error) {
	teams := make([]*team, len(r.entries))
	for i, e := range r.entries {
		t, err := r.points(i, e)
		if err != nil {
			return Result{}, err
		}
		teams[i] = t
	}
	return r.finish(teams)
}

// finish ranks the teams whose points are computed and decides their
// outcomes.
func (r *round) finish(teams []*team) (Result, error) {
	res := Result{Rounding: r.rounding}
	// A required score is required whatever the team's status, except
	// for a team that withdrew: it takes no scores.
	for _, t := range teams {
		if t.entry.Status == StatusWithdrew {
			continue
		}
		for _, l := range t.leaves {
			for _, ev := range l.Missing {
				res.Missing = append(res.Missing, Missing{Team: t.entry.Team, Criterion: l.Criterion, Evaluator: ev})
			}
		}
	}
	res.Complete = len(res.Missing) == 0

	groups := rank(teams)
	if err := r.decide(teams, groups, &res); err != nil {
		return Result{}, err
	}

	// Ranked teams in rank order (rank() sorted them, slug within a
	// rank), then unranked teams by slug (entries are sorted by slug).
	res.Teams = make([]TeamResult, 0, len(teams))
	for _, g := range groups {
		for _, t := range g.teams {
			res.Teams = append(res.Teams, r.teamResult(t))
		}
	}
	for _, t := range teams {
		if !t.ranked {
			res.Teams = append(res.Teams, r.teamResult(t))
		}
	}
	return res, nil
}

// points computes the leaf trail, node points, categories and total of the
// team at index ti.
func (r *round) points(ti int, e Entry) (*team, error) {
	t := &team{entry: e, ranked: ranked(e.Status, r.rule.Backfill)}

	pts := make([]*big.Rat, len(r.nodes))
	t.leaves = make([]LeafDetail, len(r.leaves))
	// Preorder puts children after their parent, so walking backwards
	// meets every child before its parent.
	for ni := len(r.nodes) - 1; ni >= 0; ni-- {
		n := &r.nodes[ni]
		if n.leaf >= 0 {
			d := r.leafDetail(n, r.values[ti][n.leaf])
			t.leaves[n.leaf] = d
			pts[ni] = d.Rounded
			continue
		}
		sum := new(big.Rat)
		for _, c := range n.children {
			if pts[c] != nil { // a preview sums the points that exist
				sum.Add(sum, pts[c])
			}
		}
		if sum.Cmp(n.max) > 0 {
			return nil, inputErr(n.path, fmt.Sprintf("team %q: points %s exceed the maximum %s of %q",
				e.Team, showRat(sum), showRat(n.max), n.code))
		}
		pts[ni] = sum
	}

	t.total = new(big.Rat)
	t.cats = make([]CategoryPoints, len(r.roots))
	for i, ni := range r.roots {
		exact := pts[ni]
		if exact == nil {
			exact = new(big.Rat) // a category leaf without a figure yet
		}
		rounded := RoundTo(exact, r.rounding.Decimals)
		t.cats[i] = CategoryPoints{Code: r.nodes[ni].code, Exact: exact, Rounded: rounded}
		t.total.Add(t.total, rounded)
	}
	return t, nil
}

// ranked reports whether a team of status is ranked: a team that withdrew
// never is, a disqualified one only without backfill.
func ranked(s Status, backfill bool) bool {
	switch s {
	case StatusWithdrew:
		return false
	case StatusDisqualified:
		return !backfill
	default:
		return true
	}
}

// leafDetail aggregates the values of one leaf for one team. vals is
// indexed by evaluator (index 0 alone for a direct leaf). The values' own
// copies move into the detail: each belongs to one team and one leaf.
func (r *round) leafDetail(n *node, vals []value) LeafDetail {
	d := LeafDetail{
		Criterion: n.code,
		Category:  r.nodes[r.roots[n.category]].code,
		Max:       new(big.Rat).Set(n.max),
		Direct:    n.panel == nil,
		Scale:     n.scale,
	}
	if n.scale != nil {
		d.Scale = &Scale{From: new(big.Rat).Set(n.scale.From), To: new(big.Rat).Set(n.scale.To)}
	}
	if d.Direct {
		if v := vals[0]; v.rat != nil {
			d.Values = []EvaluatorValue{{Evaluator: 0, Value: v.rat}}
			d.Raw = new(big.Rat).Set(v.rat)
		} else {
			d.Missing = []int{0}
		}
	} else {
		d.Raw = aggregate(&d, n.panel.Aggregate, vals)
	}
	if d.Raw == nil {
		return d // the figure does not exist: nil, never 0
	}
	d.Exact = d.Raw
	if s := n.scale; s != nil {
		// (raw − from) / (to − from) × max, exactly.
		d.Exact = new(big.Rat).Sub(d.Raw, s.From)
		d.Exact.Mul(d.Exact, n.max)
		d.Exact.Quo(d.Exact, new(big.Rat).Sub(s.To, s.From))
	}
	d.Rounded = d.Exact
	if r.rounding.Level == RoundLeaf {
		d.Rounded = RoundTo(d.Exact, r.rounding.Decimals)
	}
	return d
}

// aggregate fills the panel part of d from vals (indexed by evaluator from
// 1) and returns the aggregate of the values present, or nil when it does
// not exist: no value present, or a trimmed mean of fewer than three.
func aggregate(d *LeafDetail, agg Aggregate, vals []value) *big.Rat {
	d.Aggregate = agg
	present := make([]*big.Int, 0, len(vals)-1)
	for ev := 1; ev < len(vals); ev++ {
		if v := vals[ev]; v.rat != nil {
			d.Values = append(d.Values, EvaluatorValue{Evaluator: ev, Value: v.rat})
			present = append(present, v.cents)
		} else {
			d.Missing = append(d.Missing, ev)
		}
	}
	if len(present) == 0 || (agg == AggregateTrimmedMean && len(present) < 3) {
		return nil
	}
	d.Applied = agg
	switch agg {
	case AggregateMedian:
		return medianCents(present)
	case AggregateTrimmedMean:
		lo, hi := extremes(present)
		d.Dropped = []int{d.Values[lo].Evaluator, d.Values[hi].Evaluator}
		return meanCents(present, lo, hi)
	default:
		return meanCents(present, -1, -1)
	}
}

// meanCents returns the mean, in points, of values given in cents, leaving
// out the values at indices skip1 and skip2 (-1 skips nothing). At least
// one value must remain.
func meanCents(cents []*big.Int, skip1, skip2 int) *big.Rat {
	sum := new(big.Int)
	n := int64(0)
	for i, c := range cents {
		if i == skip1 || i == skip2 {
			continue
		}
		sum.Add(sum, c)
		n++
	}
	return new(big.Rat).SetFrac(sum, big.NewInt(100*n))
}

// medianCents returns the middle value, in points, of values given in
// cents, or the mean of the two middle values for an even count.
func medianCents(cents []*big.Int) *big.Rat {
	sorted := slices.Clone(cents)
	slices.SortFunc(sorted, (*big.Int).Cmp)
	m := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return new(big.Rat).SetFrac(sorted[m], hundred)
	}
	sum := new(big.Int).Add(sorted[m-1], sorted[m])
	return new(big.Rat).SetFrac(sum, big.NewInt(200))
}

// extremes returns the indices of the value a trimmed mean drops as the
// lowest and of the one it drops as the highest: one of each, the lowest
// evaluator number among equal values, never the same index twice. vs is
// ordered by evaluator and holds at least two values.
func extremes(vs []*big.Int) (lo, hi int) {
	lo = 0
	for i := 1; i < len(vs); i++ {
		if vs[i].Cmp(vs[lo]) < 0 {
			lo = i
		}
	}
	hi = -1
	for i := range vs {
		if i == lo {
			continue
		}
		if hi < 0 || vs[i].Cmp(vs[hi]) > 0 {
			hi = i
		}
	}
	return lo, hi
}

// compareRank orders two teams for ranking: higher total first, then
// higher rounded category points in declared order. Zero means tied.
func compareRank(a, b *team) int {
	if c := b.total.Cmp(a.total); c != 0 {
		return c
	}
	for i := range a.cats {
		if c := b.cats[i].Rounded.Cmp(a.cats[i].Rounded); c != 0 {
			return c
		}
	}
	return 0
}

// rank assigns competition ranks (1, 2, 2, 4) to the ranked teams and
// returns them grouped by rank, in rank order, slug order within a group.
func rank(teams []*team) []group {
	var ranked []*team
	for _, t := range teams {
		if t.ranked {
			ranked = append(ranked, t)
		}
	}
	slices.SortFunc(ranked, func(a, b *team) int {
		return cmp.Or(compareRank(a, b), strings.Compare(a.entry.Team, b.entry.Team))
	})
	var groups []group
	for i, t := range ranked {
		if i > 0 && compareRank(ranked[i-1], t) == 0 {
			g := &groups[len(groups)-1]
			g.teams = append(g.teams, t)
			continue
		}
		groups = append(groups, group{rank: i + 1, teams: []*team{t}})
	}
	for _, g := range groups {
		for _, t := range g.teams {
			t.rank = g.rank
			t.tied = len(g.teams) > 1
		}
	}
	return groups
}

// decide sets every team's outcome and reason code, applying the recorded
// decision to a tie at the cut and marking the result blocked when a tie
// has no decision.
func (r *round) decide(teams []*team, groups []group, res *Result) error {
	tie := r.tieAtCut(groups)
	chosen, err := r.checkDecision(tie)
	if err != nil {
		return err
	}
	for _, t := range teams {
		t.outcome, t.code = r.outcome(t, tie, chosen)
		if t.code == ReasonTieAtCut {
			res.Blocked = true
		}
	}
	return nil
}

// belowMin reports whether t's total fails the rule's minimum.
func (r *round) belowMin(t *team) bool {
	return r.rule.MinTotal != nil && t.total.Cmp(r.rule.MinTotal) < 0
}

// tieAtCut returns the group whose shared rank is within the first n
// places while its last member would be beyond them, or nil. It needs a
// decision only if it holds an eligible team whose total does not already
// fail the minimum, so only such a group is returned.
func (r *round) tieAtCut(groups []group) *group {
	n := r.rule.Advance
	var tie *group
	for gi := range groups {
		g := &groups[gi]
		if g.rank <= n && g.rank+len(g.teams)-1 > n && !r.belowMin(g.teams[0]) &&
			slices.ContainsFunc(g.teams, func(t *team) bool { return t.entry.Status == StatusEligible }) {
			tie = g
		}
	}
	return tie
}

// checkDecision checks the recorded decision against the tie at the cut
// and returns the teams it lets through.
func (r *round) checkDecision(tie *group) (map[string]bool, error) {
	d := r.decision
	chosen := make(map[string]bool)
	if d == nil {
		return chosen, nil
	}
	n := r.rule.Advance
	if tie == nil {
		return nil, &InputError{Path: "decision", Err: ErrDecisionNotNeeded,
			Msg: fmt.Sprintf("a decision is recorded but no tie straddles the cut of %d places", n)}
	}
	names := make([]string, len(tie.teams))
	for i, t := range tie.teams {
		names[i] = t.entry.Team
	}
	for i, name := range d.Advance {
		path := fmt.Sprintf("decision.advance[%d]", i)
		ti := slices.IndexFunc(tie.teams, func(t *team) bool { return t.entry.Team == name })
		switch {
		case ti < 0:
			return nil, decisionErr(path, fmt.Sprintf("team %q is not in the tie at the cut (rank %d: %s)", name, tie.rank, strings.Join(names, ", ")))
		case tie.teams[ti].entry.Status != StatusEligible:
			return nil, decisionErr(path, fmt.Sprintf("team %q is disqualified and cannot go through", name))
		}
		chosen[name] = true
	}
	if places := n - (tie.rank - 1); len(d.Advance) > places {
		return nil, decisionErr("decision.advance", fmt.Sprintf("names %d teams but the tie at the cut (rank %d) has only %d places left", len(d.Advance), tie.rank, places))
	}
	return chosen, nil
}

// outcome is t's outcome and reason code.
func (r *round) outcome(t *team, tie *group, chosen map[string]bool) (Outcome, ReasonCode) {
	pass, fail := r.kind.Pass(), r.kind.Fail()
	switch {
	case t.entry.Status == StatusWithdrew:
		return OutcomeWithdrew, ReasonWithdrew
	case t.entry.Status == StatusDisqualified:
		return OutcomeDisqualified, ReasonDisqualified
	case tie != nil && t.rank == tie.rank:
		switch {
		case r.decision == nil:
			return "", ReasonTieAtCut
		case chosen[t.entry.Team]:
			return pass, ReasonDecision
		default:
			return fail, ReasonDecision
		}
	case t.rank > r.rule.Advance:
		return fail, ReasonBelowCut
	case r.belowMin(t):
		return fail, ReasonBelowMinTotal
	default:
		return pass, ReasonWithinCut
	}
}

func (r *round) teamResult(t *team) TeamResult {
	return TeamResult{
		Team:       t.entry.Team,
		Rank:       t.rank,
		Tied:       t.tied,
		Total:      t.total,
		Categories: t.cats,
		Outcome:    t.outcome,
		ReasonCode: t.code,
		Reason:     r.explain(t),
		Leaves:     t.leaves,
	}
}
