package programfile

import (
	"math"
	"strconv"

	"github.com/kai-challenge/portal/internal/contest"
)

// refs holds what later sections may refer to.
type refs struct {
	orgs  map[string]bool
	teams map[string]bool
}

func (p *parser) file(root node) *File {
	if root.set {
		if _, ok := root.v.(mapping); !ok {
			p.fail(root, "a program file must be a mapping with program, organizations, teams, budgets, rounds and timeline")
			return nil
		}
	} else {
		root.v = mapping{}
	}
	o := p.object(root, "program", "organizations", "teams", "budgets", "rounds", "timeline")
	r := refs{orgs: map[string]bool{}, teams: map[string]bool{}}
	f := &File{}
	// Sections are read in dependency order; errors are sorted afterwards.
	programN := o.get("program")
	if !programN.set {
		p.fail(programN, "required")
	} else {
		f.Program = p.program(programN)
	}
	f.Organizations = p.organizations(o.get("organizations"), r)
	f.Teams = p.teams(o.get("teams"), r)
	f.Budgets = p.budgets(o.get("budgets"), r)
	f.Rounds = p.rounds(o.get("rounds"), r)
	f.Timeline = p.timeline(o.get("timeline"))
	return f
}

func (p *parser) program(n node) Program {
	o := p.object(n, "slug", "name", "ministry", "goal", "note", "final_teams", "started_on", "agencies", "sources", "publication")
	if o == nil {
		return Program{}
	}
	pr := Program{
		Slug:       p.slug(o.get("slug")),
		Name:       p.text(o.get("name"), true),
		Ministry:   p.text(o.get("ministry"), true),
		Goal:       p.text(o.get("goal"), false),
		Note:       p.text(o.get("note"), false),
		FinalTeams: p.optInt(o.get("final_teams"), 0),
		StartedOn:  p.date(o.get("started_on"), false),
	}
	for _, it := range p.list(o.get("agencies")) {
		pr.Agencies = append(pr.Agencies, p.text(it, true))
	}
	pr.Sources = p.sources(o.get("sources"))
	pr.Approvals = p.publication(o.get("publication"))
	return pr
}

// publication reads `publication: {approvals: 1|2}` and returns the number
// of approvals, 1 when omitted.
func (p *parser) publication(n node) int {
	if !n.set {
		return 1
	}
	o := p.object(n, "approvals")
	if o == nil {
		return 1
	}
	approvalsN := o.get("approvals")
	if !approvalsN.set {
		return 1
	}
	a, ok := p.intValue(approvalsN, 1)
	if ok && a > 2 {
		p.fail(approvalsN, "must be 1 or 2 (got %d)", a)
		return 1
	}
	if !ok {
		return 1
	}
	return a
}

func (p *parser) organizations(n node, r refs) []Organization {
	return objects(p, n, []string{"slug", "name", "kind", "sources"}, func(o *obj, it node) Organization {
		slugN := o.get("slug")
		org := Organization{
			Slug:    p.slug(slugN),
			Name:    p.text(o.get("name"), true),
			Kind:    p.enum(o.get("kind"), "other", contest.OrgKinds...),
			Sources: p.sources(o.get("sources")),
		}
		p.unique(r.orgs, slugN, org.Slug, strconv.Quote(org.Slug))
		return org
	})
}

func (p *parser) teams(n node, r refs) []Team {
	return objects(p, n, []string{"slug", "name", "lead", "members", "model", "model_note", "goal", "note", "sources"}, func(o *obj, it node) Team {
		slugN := o.get("slug")
		t := Team{Slug: p.slug(slugN), Name: p.text(o.get("name"), true)}
		p.unique(r.teams, slugN, t.Slug, strconv.Quote(t.Slug))
		leadN := o.get("lead")
		if t.Lead = p.str(leadN, true); t.Lead != "" && !r.orgs[t.Lead] {
			p.fail(leadN, "unknown organization %q", t.Lead)
		}
		seen := map[string]bool{}
		for _, mn := range p.list(o.get("members")) {
			if m, ok := p.member(mn, t.Lead, seen, r); ok {
				t.Members = append(t.Members, m)
			}
		}
		t.Model = p.str(o.get("model"), false)
		t.ModelNote = p.text(o.get("model_note"), false)
		t.Goal = p.text(o.get("goal"), false)
		t.Note = p.text(o.get("note"), false)
		t.Sources = p.sources(o.get("sources"))
		return t
	})
}

func (p *parser) member(n node, lead string, seen map[string]bool, r refs) (Member, bool) {
	o := p.object(n, "org", "role", "since", "until", "confidence", "note", "sources")
	if o == nil {
		return Member{}, false
	}
	var m Member
	orgN := o.get("org")
	if m.Org = p.str(orgN, true); m.Org != "" {
		switch {
		case !r.orgs[m.Org]:
			p.fail(orgN, "unknown organization %q", m.Org)
		case m.Org == lead:
			p.fail(orgN, "%q is the team's lead, which is a member implicitly", m.Org)
		default:
			p.unique(seen, orgN, m.Org, strconv.Quote(m.Org))
		}
	}
	roleN := o.get("role")
	m.Role = "participant"
	if roleN.set {
		if m.Role = p.str(roleN, true); m.Role != "" && !contest.ValidRole(m.Role) {
			p.fail(roleN, "must be lowercase letters and underscores (e.g. participant)")
		}
	}
	m.Since = p.date(o.get("since"), false)
	untilN := o.get("until")
	if m.Until = p.date(untilN, false); m.Since != "" && m.Until != "" && m.Until < m.Since {
		p.fail(untilN, "must not be before since (%s)", m.Since)
	}
	m.Confidence = p.confidence(o.get("confidence"))
	m.Note = p.text(o.get("note"), false)
	m.Sources = p.sources(o.get("sources"))
	return m, true
}

func (p *parser) budgets(n node, r refs) []Budget {
	years := map[string]bool{}
	return objects(p, n, []string{"year", "amount_krw", "confidence", "note", "sources", "allocations"}, func(o *obj, it node) Budget {
		var b Budget
		yearN := o.get("year")
		if y, ok := p.reqInt(yearN, math.MinInt64); ok {
			if !contest.ValidYear(y) {
				p.fail(yearN, "must be between %d and %d", contest.MinYear, contest.MaxYear)
			} else {
				b.Year = y
				p.unique(years, yearN, strconv.Itoa(y), strconv.Itoa(y))
			}
		}
		b.AmountKRW = p.optKRW(o.get("amount_krw"))
		b.Confidence = p.confidence(o.get("confidence"))
		b.Note = p.text(o.get("note"), false)
		b.Sources = p.sources(o.get("sources"))
		for _, an := range p.list(o.get("allocations")) {
			if a, ok := p.allocation(an, r); ok {
				b.Allocations = append(b.Allocations, a)
			}
		}
		return b
	})
}

func (p *parser) allocation(n node, r refs) (Allocation, bool) {
	o := p.object(n, "team", "kind", "gpu_model", "quantity", "amount_krw", "confidence", "note", "sources")
	if o == nil {
		return Allocation{}, false
	}
	var a Allocation
	teamN := o.get("team")
	if teamN.set {
		if a.Team = p.str(teamN, true); a.Team != "" && !r.teams[a.Team] {
			p.fail(teamN, "unknown team %q", a.Team)
		}
	}
	a.Kind = p.enum(o.get("kind"), "", contest.AllocationKinds...)
	a.GPUModel = p.str(o.get("gpu_model"), false)
	a.Quantity = p.optInt(o.get("quantity"), 0)
	a.AmountKRW = p.optKRW(o.get("amount_krw"))
	a.Confidence = p.confidence(o.get("confidence"))
	a.Note = p.text(o.get("note"), false)
	a.Sources = p.sources(o.get("sources"))
	return a, true
}

func (p *parser) timeline(n node) []Event {
	return objects(p, n, []string{"date", "until", "title", "confidence", "sources"}, func(o *obj, it node) Event {
		var e Event
		e.Date = p.date(o.get("date"), true)
		untilN := o.get("until")
		if e.Until = p.date(untilN, false); e.Date != "" && e.Until != "" && e.Until < e.Date {
			p.fail(untilN, "must not be before date (%s)", e.Date)
		}
		e.Title = p.text(o.get("title"), true)
		e.Confidence = p.confidence(o.get("confidence"))
		e.Sources = p.sources(o.get("sources"))
		return e
	})
}
