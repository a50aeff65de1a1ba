package programfile

import (
	"math/big"
	"strings"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
)

func (p *parser) criteria(n node, rd *round) []Criterion {
	var out []Criterion
	for _, it := range p.list(n) {
		if c, ok := p.criterion(it, rd); ok {
			out = append(out, c)
		}
	}
	return out
}

func (p *parser) criterion(n node, rd *round) (Criterion, bool) {
	o := p.object(n, "code", "name", "description", "note", "max", "panel", "scale", "children")
	if o == nil {
		return Criterion{}, false
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
	c.Max = p.criterionMax(o.get("max"), rd.decimals)
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
	if scaleN := o.get("scale"); scaleN.set {
		if leaf {
			c.Scale = p.scale(scaleN)
		} else {
			p.fail(scaleN, "only leaf criteria take raw values on a scale; this criterion has children")
		}
	}
	if !leaf {
		p.childrenAddUp(n, c)
	}
	if fresh {
		validMax := c.Max
		if validMax == "0.00" {
			validMax = ""
		}
		rd.crits[c.Code] = crit{max: validMax, leaf: leaf, panel: c.Panel, scale: c.Scale}
	}
	return c, true
}

// criterionMax reads a criterion's maximum: > 0, with no more decimals than
// the round rounds to.
func (p *parser) criterionMax(n node, decimals int) string {
	max := p.decimal(n, true)
	switch {
	case max == "0.00":
		p.fail(n, "must be > 0")
	case max != "" && decimals == 1 && !strings.HasSuffix(max, "0"):
		p.fail(n, "must have at most 1 decimal, as the round rounds to 1 (got %s)", max)
	}
	return max
}

// childrenAddUp reports a criterion whose children's maxima do not add up
// exactly to its own. Invalid maxima are reported on their own.
func (p *parser) childrenAddUp(n node, c Criterion) {
	if c.Max == "" || c.Max == "0.00" {
		return
	}
	sum := new(big.Rat)
	for _, ch := range c.Children {
		if ch.Max == "" || ch.Max == "0.00" {
			return
		}
		sum.Add(sum, rat(ch.Max))
	}
	if len(c.Children) > 0 && sum.Cmp(rat(c.Max)) != 0 {
		p.fail(n, "children's maxima add up to %s, not %s", plain(rules.FormatCents(sum)), plain(c.Max))
	}
}

// plain writes a canonical decimal without trailing zeros: "35.00" → "35",
// "25.50" → "25.5".
func plain(d string) string {
	if !strings.Contains(d, ".") {
		return d
	}
	return strings.TrimSuffix(strings.TrimRight(d, "0"), ".")
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

// scale reads a leaf's raw range {from, to}, from < to. It returns nil when
// the range is unusable (reported).
func (p *parser) scale(n node) *Scale {
	o := p.object(n, "from", "to")
	if o == nil {
		return nil
	}
	s := &Scale{From: p.decimal(o.get("from"), true)}
	toN := o.get("to")
	s.To = p.decimal(toN, true)
	if s.From == "" || s.To == "" {
		return nil
	}
	if rat(s.To).Cmp(rat(s.From)) <= 0 {
		p.fail(toN, "must be above from (%s)", s.From)
		return nil
	}
	return s
}
