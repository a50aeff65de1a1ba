package programfile

import (
	"math/big"
	"strconv"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
)

var (
	entryStatuses    = []string{contest.EntryEligible, contest.EntryDisqualified, contest.EntryWithdrew}
	selectionResults = []string{contest.OutcomeSelected, contest.OutcomeNotSelected, contest.OutcomeDisqualified, contest.OutcomeWithdrew}
	stageResults     = []string{contest.OutcomeAdvanced, contest.OutcomeEliminated, contest.OutcomeDisqualified, contest.OutcomeWithdrew}
	stats            = []string{"mean", "median", "max", "min", "spread"}
)

// crit is what scores and published figures need to know of a criterion.
type crit struct {
	max   string
	leaf  bool
	panel *Panel
	scale *Scale
}

// round holds the names a round's scores and outcomes may refer to.
type round struct {
	refs
	crits    map[string]crit
	totalMax string // sum of the top-level maxima, "" when unknown
	entries  map[string]bool
	decimals int // of the round's rounding
}

// entryTeam reads the required team of o, an entry of the round.
func (p *parser) entryTeam(o *obj, rd *round) string {
	n := o.get("team")
	team := p.str(n, true)
	p.entry(n, team, rd)
	return team
}

// entry checks that team is an entry of the round.
func (p *parser) entry(n node, team string, rd *round) {
	switch {
	case team == "":
	case !rd.teams[team]:
		p.fail(n, "unknown team %q", team)
	case !rd.entries[team]:
		p.fail(n, "team %q is not an entry of this round", team)
	}
}

// publishedCriterion checks the criterion code of a published figure: any code of the
// round or "total". It returns the maximum, "" when unknown.
func (p *parser) publishedCriterion(n node, rd *round) (code, max string) {
	code = p.str(n, true)
	switch {
	case code == "":
		return "", ""
	case code == contest.TotalCode:
		return code, rd.totalMax
	}
	c, ok := rd.crits[code]
	if !ok {
		p.fail(n, "unknown criterion %q", code)
		return code, ""
	}
	return code, c.max
}

// atMost reports value above max.
func (p *parser) atMost(n node, value, max, code string) {
	if v, ok := cents(value); ok {
		if m, ok := cents(max); ok {
			if v > m {
				p.fail(n, "%s exceeds the maximum %s of %s", value, max, code)
			}
			return
		}
	}
	if value != "" && max != "" && rat(value).Cmp(rat(max)) > 0 {
		p.fail(n, "%s exceeds the maximum %s of %s", value, max, code)
	}
}

func (p *parser) rounds(n node, r refs) []Round {
	slugs := map[string]bool{}
	return objects(p, n, []string{"slug", "kind", "name", "period", "evaluated_on", "announce_at", "rule", "disclosure", "disclosures",
		"criteria", "entries", "scores", "outcomes", "published_scores", "published_stats", "decision", "objections",
		"note", "sources", "publish"}, func(o *obj, it node) Round {
		var rn Round
		slugN := o.get("slug")
		rn.Slug = p.slug(slugN)
		p.unique(slugs, slugN, rn.Slug, strconv.Quote(rn.Slug))
		rn.Kind = p.enum(o.get("kind"), "", contest.RoundKinds...)
		rn.Name = p.text(o.get("name"), true)
		rn.Period = p.str(o.get("period"), false)
		rn.EvaluatedOn = p.date(o.get("evaluated_on"), false)
		rn.AnnounceAt, rn.AnnounceDateOnly = p.announceAt(o.get("announce_at"))
		rn.Rule = p.rule(o.get("rule"))
		disclosureN := o.get("disclosure")
		rn.Disclosure = p.enum(disclosureN, DisclosureFull, DisclosureLevels...)
		rn.Disclosures = p.disclosures(o.get("disclosures"), disclosureN, rn.Disclosure)

		rd := &round{refs: r, crits: map[string]crit{}, entries: map[string]bool{}, decimals: rn.Rule.Rounding.Decimals}
		rn.Criteria = p.criteria(o.get("criteria"), rd)
		rd.totalMax = totalMax(rn.Criteria)
		for _, en := range p.list(o.get("entries")) {
			if e, ok := p.roundEntry(en, rd); ok {
				rn.Entries = append(rn.Entries, e)
			}
		}
		p.roundFigures(o, &rn, rd)
		rn.Objections = p.objections(o.get("objections"), rd)
		rn.Note = p.text(o.get("note"), false)
		rn.Sources = p.sources(o.get("sources"))
		rn.Publish = p.boolean(o.get("publish"))
		return rn
	})
}

// totalMax is the sum of the top-level maxima, "" when one is unknown.
func totalMax(cs []Criterion) string {
	if len(cs) == 0 {
		return ""
	}
	sum := new(big.Rat)
	for _, c := range cs {
		if c.Max == "" || c.Max == "0.00" {
			return ""
		}
		sum.Add(sum, rat(c.Max))
	}
	return rules.FormatCents(sum)
}

// roundFigures reads a round's scores or announced outcomes, its published
// figures and its decision.
func (p *parser) roundFigures(o *obj, rn *Round, rd *round) {
	scoresN, outcomesN := o.get("scores"), o.get("outcomes")
	rn.Scores = p.scores(scoresN, rd)
	rn.Outcomes = p.outcomes(outcomesN, rn.Kind, rd)
	if len(p.list(scoresN)) > 0 && len(p.list(outcomesN)) > 0 {
		p.fail(outcomesN, "a round has either scores or announced outcomes, not both")
	}
	rn.PublishedScores = p.publishedScores(o.get("published_scores"), rd)
	rn.PublishedStats = p.publishedStats(o.get("published_stats"), rd)
	if d := o.get("decision"); d.set {
		rn.Decision = p.decision(d, rd)
	}
}

func (p *parser) rule(n node) Rule {
	if !n.set {
		p.fail(n, "required")
		return Rule{Rounding: defaultRounding}
	}
	o := p.object(n, "advance", "backfill", "min_total", "rounding")
	if o == nil {
		return Rule{Rounding: defaultRounding}
	}
	advance, _ := p.reqInt(o.get("advance"), 0)
	return Rule{
		Advance:  advance,
		Backfill: p.boolean(o.get("backfill")),
		MinTotal: p.decimal(o.get("min_total"), false),
		Rounding: p.rounding(o.get("rounding")),
	}
}

// defaultRounding is the rounding of a round whose file says nothing.
var defaultRounding = Rounding{Decimals: 2, Level: string(rules.RoundCategory)}

func (p *parser) rounding(n node) Rounding {
	if !n.set {
		return defaultRounding
	}
	o := p.object(n, "decimals", "level")
	if o == nil {
		return defaultRounding
	}
	r := defaultRounding
	if decN := o.get("decimals"); decN.set {
		if d, ok := p.intValue(decN, 1); ok && d <= 2 {
			r.Decimals = d
		} else if ok {
			p.fail(decN, "must be 1 or 2 (got %d)", d)
		}
	}
	if level := p.enum(o.get("level"), r.Level, RoundingLevels...); level != "" {
		r.Level = level
	}
	return r
}

func (p *parser) roundEntry(n node, rd *round) (Entry, bool) {
	o := p.object(n, "team", "status", "reason")
	if o == nil {
		return Entry{}, false
	}
	var e Entry
	teamN := o.get("team")
	if e.Team = p.str(teamN, true); e.Team != "" {
		if !rd.teams[e.Team] {
			p.fail(teamN, "unknown team %q", e.Team)
		}
		p.unique(rd.entries, teamN, e.Team, strconv.Quote(e.Team))
	}
	e.Status = p.enum(o.get("status"), contest.EntryEligible, entryStatuses...)
	reasonN := o.get("reason")
	if !reasonN.set && e.Status == contest.EntryDisqualified {
		p.fail(reasonN, "required when status is disqualified")
	}
	e.Reason = p.text(reasonN, false)
	return e, true
}
