package programfile

import (
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
)

func (p *parser) criteria(n node, rd *round) []Criterion {
	var out []Criterion
	for _, it := range p.list(n) {
		o := p.object(it, "code", "name", "description", "note", "max", "panel", "children")
		if o == nil {
			continue
		}
		var c Criterion
		codeN := o.get("code")
		c.Code = p.code(codeN)
		fresh := false
		if c.Code != "" {
			if _, dup := rd.crits[c.Code]; dup {
				p.fail(codeN, "duplicate %q", c.Code)
			} else {
				rd.crits[c.Code] = crit{} // completed below, after the children
				fresh = true
			}
		}
		c.Name = p.text(o.get("name"), true)
		c.Description = p.text(o.get("description"), false)
		c.Note = p.text(o.get("note"), false)
		maxN := o.get("max")
		c.Max = p.decimal(maxN, true)
		validMax := c.Max
		if c.Max == "0.00" {
			p.fail(maxN, "must be > 0")
			validMax = ""
		}
		childrenN := o.get("children")
		c.Children = p.criteria(childrenN, rd)
		leaf := len(p.list(childrenN)) == 0
		if panelN := o.get("panel"); panelN.set {
			if leaf {
				c.Panel = p.panel(panelN)
			} else {
				p.fail(panelN, "only leaf criteria have a panel; this criterion has children")
			}
		}
		if fresh {
			rd.crits[c.Code] = crit{max: validMax, leaf: leaf, panel: c.Panel}
		}
		out = append(out, c)
	}
	return out
}

func (p *parser) panel(n node) *Panel {
	o := p.object(n, "size", "aggregate")
	if o == nil {
		return nil
	}
	sizeN := o.get("size")
	size, sizeOK := p.reqInt(sizeN, 1)
	if sizeOK && size > rules.MaxPanelSize {
		p.fail(sizeN, "must be at most %d", rules.MaxPanelSize)
		sizeOK = false
	}
	aggN := o.get("aggregate")
	agg := p.enum(aggN, "", contest.Aggregates...)
	if agg == "trimmed_mean" && sizeOK && size < contest.MinTrimmedPanel {
		p.fail(aggN, "trimmed_mean needs a panel size of at least %d (size is %d)", contest.MinTrimmedPanel, size)
	}
	return &Panel{Size: size, Aggregate: agg}
}
