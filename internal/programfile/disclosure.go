package programfile

import "slices"

// disclosures reads a round's dated disclosure history: each step keeps or
// widens the level of the one before (a level never narrows; a step at the
// same level discloses more of it, as its note says), on the same day or
// later, and the last one is the round's disclosure.
func (p *parser) disclosures(n, disclosureN node, disclosure string) []Disclosure {
	var out []Disclosure
	items := p.list(n)
	prev := Disclosure{Level: "", On: ""}
	for _, it := range items {
		o := p.object(it, "on", "level", "note", "sources")
		if o == nil {
			continue
		}
		onN, levelN := o.get("on"), o.get("level")
		d := Disclosure{
			On:      p.date(onN, true),
			Level:   p.enum(levelN, "", DisclosureLevels...),
			Note:    p.text(o.get("note"), false),
			Sources: p.sources(o.get("sources")),
		}
		if prev.Level != "" && d.Level != "" && width(d.Level) < width(prev.Level) {
			p.fail(levelN, "must not narrow the level before it (%s): a disclosure only ever widens", prev.Level)
		}
		if prev.On != "" && d.On != "" && d.On < prev.On {
			p.fail(onN, "must not be before the step before it (%s)", prev.On)
		}
		prev = Disclosure{Level: cmpOr(d.Level, prev.Level), On: cmpOr(d.On, prev.On)}
		out = append(out, d)
	}
	if len(out) > 0 && disclosure != "" {
		if last := out[len(out)-1].Level; last != "" && last != disclosure {
			where := disclosureN
			if !where.set {
				where = items[len(items)-1]
			}
			p.fail(where, "the round discloses %s but its last disclosure step is %s; they must agree", disclosure, last)
		}
	}
	return out
}

// width orders the disclosure levels, narrowest first.
func width(level string) int { return slices.Index(DisclosureLevels, level) }

// cmpOr returns a unless it is empty, else b.
func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// objections reads a round's formal objections.
func (p *parser) objections(n node, rd *round) []Objection {
	return objects(p, n, []string{"team", "filed_on", "summary", "decision_due", "status", "decided_on", "decision", "sources"}, func(o *obj, _ node) Objection {
		ob := Objection{Team: p.entryTeam(o, rd)}
		ob.FiledOn = p.date(o.get("filed_on"), true)
		ob.Summary = p.text(o.get("summary"), true)
		dueN := o.get("decision_due")
		ob.DecisionDue = p.date(dueN, false)
		p.notBefore(dueN, ob.DecisionDue, ob.FiledOn, "filed_on")
		ob.Status = p.enum(o.get("status"), ObjectionPending, ObjectionStatuses...)
		p.objectionDecision(o, &ob)
		ob.Sources = p.sources(o.get("sources"))
		return ob
	})
}

// objectionDecision reads decided_on and decision: required once the
// objection is decided, absent while it is pending.
func (p *parser) objectionDecision(o *obj, ob *Objection) {
	decidedN, decisionN := o.get("decided_on"), o.get("decision")
	if ob.Status == ObjectionPending {
		for _, f := range []node{decidedN, decisionN} {
			if f.set {
				p.fail(f, "must be empty while the objection is pending")
			}
		}
		return
	}
	decided := ob.Status != ""
	ob.DecidedOn = p.date(decidedN, decided)
	p.notBefore(decidedN, ob.DecidedOn, ob.FiledOn, "filed_on")
	ob.Decision = p.text(decisionN, decided)
}

// notBefore reports a date before an earlier one of the same record.
func (p *parser) notBefore(n node, date, earlier, name string) {
	if date != "" && earlier != "" && date < earlier {
		p.fail(n, "must not be before %s (%s)", name, earlier)
	}
}
