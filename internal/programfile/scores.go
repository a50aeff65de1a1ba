package programfile

import (
	"slices"
	"strconv"
	"strings"

	"github.com/kai-challenge/portal/internal/contest"
)

// scoreKey identifies a score.
type scoreKey struct {
	team, criterion string
	evaluator       int
}

func (p *parser) scores(n node, rd *round) []Score {
	seen := map[scoreKey]bool{}
	return objects(p, n, []string{"team", "criterion", "evaluator", "value"}, func(o *obj, it node) Score {
		var s Score
		s.Team = p.entryTeam(o, rd)
		c, known := p.scoreCriterion(o.get("criterion"), &s, rd)
		p.scoreEvaluator(o.get("evaluator"), &s, c, known)
		valueN := o.get("value")
		s.Value = p.decimal(valueN, true)
		if known {
			p.scoreValue(valueN, s, c)
		}
		p.uniqueScore(it, s, seen)
		return s
	})
}

// scoreCriterion reads the criterion of a score; known is false unless it
// is a leaf of the round.
func (p *parser) scoreCriterion(n node, s *Score, rd *round) (c crit, known bool) {
	s.Criterion = p.str(n, true)
	c, known = rd.crits[s.Criterion]
	switch {
	case s.Criterion == "":
	case !known:
		p.fail(n, "unknown criterion %q", s.Criterion)
	case !c.leaf:
		p.fail(n, "%q is not a leaf criterion; scores are entered on leaves", s.Criterion)
		known = false
	}
	return c, known
}

// scoreEvaluator reads the evaluator of a score: required for a panel leaf,
// absent for a direct one.
func (p *parser) scoreEvaluator(n node, s *Score, c crit, known bool) {
	switch {
	case known && c.panel != nil && !n.set:
		p.fail(n, "required: %s is scored by a panel of %d evaluators", s.Criterion, c.panel.Size)
	case known && c.panel == nil && n.set:
		p.fail(n, "must be empty: %s is scored directly, not by a panel", s.Criterion)
	case n.set:
		ev, ok := p.intValue(n, 1)
		if !ok {
			return
		}
		s.Evaluator = ev
		if known && c.panel.Size > 0 && ev > c.panel.Size {
			p.fail(n, "must be between 1 and %d (the panel size of %s)", c.panel.Size, s.Criterion)
		}
	}
}

// scoreValue checks a score's value against its leaf: within 0..max, or
// within the leaf's scale for raw values.
func (p *parser) scoreValue(n node, s Score, c crit) {
	if c.scale == nil {
		p.atMost(n, s.Value, c.max, s.Criterion)
		return
	}
	if v := s.Value; v != "" && (rat(v).Cmp(rat(c.scale.From)) < 0 || rat(v).Cmp(rat(c.scale.To)) > 0) {
		p.fail(n, "%s is outside the scale %s..%s of %s", v, c.scale.From, c.scale.To, s.Criterion)
	}
}

// uniqueScore reports a second score for the same team, criterion and
// evaluator.
func (p *parser) uniqueScore(n node, s Score, seen map[scoreKey]bool) {
	if s.Team == "" || s.Criterion == "" {
		return
	}
	key := scoreKey{s.Team, s.Criterion, s.Evaluator}
	switch {
	case !seen[key]:
		seen[key] = true
	case s.Evaluator > 0:
		p.fail(n, "duplicate score for team %q, criterion %q, evaluator %d", s.Team, s.Criterion, s.Evaluator)
	default:
		p.fail(n, "duplicate score for team %q, criterion %q", s.Team, s.Criterion)
	}
}

func (p *parser) outcomes(n node, kind string, rd *round) []Outcome {
	allowed := stageResults
	switch kind {
	case contest.KindSelection, contest.KindAdditional:
		allowed = selectionResults
	case contest.KindStage:
	default: // the kind is already reported; accept any outcome
		allowed = append(slices.Clone(selectionResults), contest.OutcomeAdvanced, contest.OutcomeEliminated)
	}
	seen := map[string]bool{}
	return objects(p, n, []string{"team", "outcome", "rank", "reason", "note", "sources"}, func(o *obj, _ node) Outcome {
		var oc Outcome
		oc.Team = p.entryTeam(o, rd)
		p.unique(seen, o.get("team"), oc.Team, strconv.Quote(oc.Team))
		outcomeN := o.get("outcome")
		if s, ok := outcomeN.v.(string); ok && slices.Contains(contest.RoundKinds, kind) && !slices.Contains(allowed, s) {
			p.fail(outcomeN, "must be one of %s for a %s round (got %q)", strings.Join(allowed, ", "), kind, s)
		} else {
			oc.Outcome = p.enum(outcomeN, "", allowed...)
		}
		oc.Rank = p.optInt(o.get("rank"), 1)
		oc.Reason = p.text(o.get("reason"), true)
		oc.Note = p.text(o.get("note"), false)
		oc.Sources = p.sources(o.get("sources"))
		return oc
	})
}

func (p *parser) publishedScores(n node, rd *round) []PublishedScore {
	seen := map[string]bool{}
	return objects(p, n, []string{"team", "criterion", "value", "sources"}, func(o *obj, it node) PublishedScore {
		var ps PublishedScore
		ps.Team = p.entryTeam(o, rd)
		code, max := p.publishedCriterion(o.get("criterion"), rd)
		ps.Criterion = code
		valueN := o.get("value")
		ps.Value = p.decimal(valueN, true)
		p.atMost(valueN, ps.Value, max, code)
		ps.Sources = p.sources(o.get("sources"))
		if ps.Team != "" && code != "" {
			key := ps.Team + "\x00" + code
			if seen[key] {
				p.fail(it, "duplicate published score for team %q, criterion %q", ps.Team, code)
			}
			seen[key] = true
		}
		return ps
	})
}

func (p *parser) publishedStats(n node, rd *round) []PublishedStat {
	seen := map[string]bool{}
	return objects(p, n, []string{"criterion", "stat", "value"}, func(o *obj, it node) PublishedStat {
		var st PublishedStat
		code, max := p.publishedCriterion(o.get("criterion"), rd)
		st.Criterion = code
		st.Stat = p.enum(o.get("stat"), "", stats...)
		valueN := o.get("value")
		st.Value = p.decimal(valueN, true)
		p.atMost(valueN, st.Value, max, code)
		if code != "" && st.Stat != "" {
			key := code + "\x00" + st.Stat
			if seen[key] {
				p.fail(it, "duplicate published stat %s of %q", st.Stat, code)
			}
			seen[key] = true
		}
		return st
	})
}

func (p *parser) decision(n node, rd *round) *Decision {
	o := p.object(n, "advance", "reason")
	if o == nil {
		return nil
	}
	d := &Decision{}
	advanceN := o.get("advance")
	if !advanceN.set {
		p.fail(advanceN, "required")
	}
	seen := map[string]bool{}
	for _, it := range p.list(advanceN) {
		team := p.str(it, true)
		p.entry(it, team, rd)
		p.unique(seen, it, team, strconv.Quote(team))
		if team != "" {
			d.Advance = append(d.Advance, team)
		}
	}
	d.Reason = p.text(o.get("reason"), true)
	return d
}
