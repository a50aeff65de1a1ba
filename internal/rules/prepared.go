package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Prepared is a round whose points are computed once. Decide ranks it and
// decides its outcomes under another cut, backfill, minimum total,
// eligibility or tie decision, as the what-if explorer asks, without
// computing the points again: on a round of a hundred teams and a hundred
// thousand scores that is the whole cost of Compute.
type Prepared struct {
	r     *round
	teams []*team // the points of each entry, in r.entries order
}

// Prepare validates in and computes its points. It fails where Compute
// would.
func Prepare(in Input) (*Prepared, error) {
	r, errs := compile(in)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	p := &Prepared{r: r, teams: make([]*team, len(r.entries))}
	for i, e := range r.entries {
		t, err := r.points(i, e)
		if err != nil {
			return nil, err
		}
		p.teams[i] = t
	}
	return p, nil
}

// Decide returns what Compute returns for the prepared input with rule,
// entries and decision in place of its own. The rule's rounding is ignored:
// the points keep the prepared rounding. entries must enter the prepared
// teams, each once. The result shares its points and leaf trails with the
// Prepared and its other results: they are read only. Decide may run
// concurrently.
func (p *Prepared) Decide(rule Rule, entries []Entry, decision *Decision) (Result, error) {
	r := *p.r
	r.errs, r.rule = nil, Rule{}
	rule.Rounding = p.r.rule.Rounding
	r.compileRule(rule)
	es := p.entries(&r, entries)
	if decision != nil {
		r.compileDecision(decision)
	} else {
		r.decision = nil
	}
	switch len(r.errs) {
	case 0:
	case 1:
		return Result{}, r.errs[0]
	default:
		return Result{}, errors.Join(r.errs...)
	}
	r.entries = es
	teams := make([]*team, len(p.teams))
	for i, t := range p.teams {
		nt := *t
		nt.entry = es[i]
		nt.ranked = ranked(es[i].Status, r.rule.Backfill)
		teams[i] = &nt
	}
	return r.finish(teams)
}

// entries orders entries as the prepared ones (by team), reporting on r a
// team that is unknown, missing or entered twice, and an unknown status.
func (p *Prepared) entries(r *round, entries []Entry) []Entry {
	es := make([]Entry, len(p.teams))
	seen := make([]bool, len(p.teams))
	for i, e := range entries {
		path := fmt.Sprintf("entries[%d]", i)
		ti, ok := p.r.teamByCode[e.Team]
		switch {
		case !ok:
			r.add(inputErr(path+".team", fmt.Sprintf("team %q is not entered in the prepared round", e.Team)))
			continue
		case seen[ti]:
			r.add(inputErr(path+".team", fmt.Sprintf("team %q is entered twice", e.Team)))
			continue
		case !e.Status.Valid():
			r.add(inputErr(path+".status", fmt.Sprintf("unknown status %q (want eligible, disqualified or withdrew)", e.Status)))
		}
		if e.Status == "" {
			e.Status = StatusEligible
		}
		seen[ti], es[ti] = true, e
	}
	if i := slices.Index(seen, false); i >= 0 && len(r.errs) == 0 {
		var missing []string
		for ti, ok := range seen {
			if !ok {
				missing = append(missing, p.teams[ti].entry.Team)
			}
		}
		r.add(inputErr("entries", "teams of the prepared round are not entered: "+strings.Join(missing, ", ")))
	}
	return es
}
