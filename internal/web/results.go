package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/web/chart"
	"github.com/kai-challenge/portal/internal/web/i18n"
	"github.com/kai-challenge/portal/internal/web/view"
)

// ResultsStore reads the computed results of published rounds: only
// published revisions, never a preview.
type ResultsStore interface {
	PublishedResults(ctx context.Context, program, round string) (postgres.RoundResults, error)
	Corrections(ctx context.Context, program, round string) ([]postgres.CorrectionRecord, error)
	Revision(ctx context.Context, program, round string, revision int) (postgres.RoundResults, postgres.CorrectionRecord, error)
	AuditHead(ctx context.Context, program, round string) (string, error)
}

// roundNames are the display names a round's results need: its teams (from
// its entries) and its criteria (from the frozen input).
type roundNames struct {
	teams    map[string]postgres.PublicTeamRef
	criteria map[string]postgres.FrozenCriterion
}

func namesOf(entries []postgres.PublicEntry, in *postgres.FrozenInput) roundNames {
	n := roundNames{teams: map[string]postgres.PublicTeamRef{}, criteria: map[string]postgres.FrozenCriterion{}}
	for _, e := range entries {
		n.teams[e.Team.Slug] = e.Team
	}
	if in != nil {
		var walk func(cs []postgres.FrozenCriterion)
		walk = func(cs []postgres.FrozenCriterion) {
			for _, c := range cs {
				n.criteria[c.Code] = c
				walk(c.Children)
			}
		}
		walk(in.Criteria)
	}
	return n
}

func (pr *pageReq) teamOf(n roundNames, slug string) view.Link {
	if t, ok := n.teams[slug]; ok {
		return pr.teamLink(t.Slug, t.Name)
	}
	return view.Link{Text: slug, URL: pr.L.URL(teamPath(slug))}
}

func (pr *pageReq) teamName(n roundNames, slug string) string { return pr.teamOf(n, slug).Text }

func (pr *pageReq) criterionName(n roundNames, code string) string {
	if c, ok := n.criteria[code]; ok {
		return pr.L.Text(c.Name)
	}
	return code
}

// rankText is "4위" / "4th", "공동 4위" / "tied 4th", or "not ranked".
func (pr *pageReq) rankText(rank int, tied bool) string {
	if rank == 0 {
		return pr.T("results.unranked")
	}
	n := strconv.Itoa(rank)
	if pr.L.Lang() == i18n.EN {
		n = rules.Ordinal(rank)
	}
	if tied {
		return pr.T("results.rank.tied", "n", n)
	}
	return pr.T("results.rank", "n", n)
}

// outcomeLabel names an engine outcome; the empty outcome of a tie awaiting
// a decision says so.
func (pr *pageReq) outcomeLabel(o rules.Outcome) string {
	if o == "" {
		return pr.T("results.pending")
	}
	return pr.T("outcome." + string(o))
}

// cutLabel is "진출 기준선 (4팀)" / "cut: 4 places".
func (pr *pageReq) cutLabel(kind string, n int) string {
	key := "results.cut.selection"
	if kind == contest.KindStage {
		key = "results.cut.stage"
	}
	if n == 1 {
		key += ".one"
	}
	return pr.T(key, "n", n)
}

// resultPlaces is the number of places a computed result was decided
// with: the advance of the frozen input it was computed from, or else the
// round's rule. The public results and the staff preview both draw their
// cut line with it.
func resultPlaces(rr postgres.RoundResults) int {
	if rr.Input != nil {
		return rr.Input.Advance
	}
	return rr.Info.Advance
}

// cutAt is where the cut line goes in a results document ordered by rank
// (ranked teams first, then the unranked): before the first team that is
// not ranked (withdrawn, or disqualified with backfill) or ranked below the
// places; len(teams) when every team is inside them. The public results
// and the staff preview both use it.
func cutAt(teams []rules.ReportTeam, places int) int {
	for i, t := range teams {
		if t.Rank == nil || *t.Rank > places {
			return i
		}
	}
	return len(teams)
}

// resultRounding is how a computed result was rounded: the rounding it
// was frozen with, or else the round's.
func resultRounding(rr postgres.RoundResults) rules.Rounding {
	if rr.Input != nil {
		return rr.Input.Rounding.Rules()
	}
	return rr.Info.Rounding.Normalized()
}

// resultDecimals is the number of decimals a computed result is shown with.
func resultDecimals(rr postgres.RoundResults) int { return resultRounding(rr).Decimals }

// describeRounding fills the wording of a results view that depends on how
// the round rounds: the caption, the method's paragraphs on exactness and
// rounding, and the labels of a category's rounding and of the total.
func (pr *pageReq) describeRounding(v *view.RoundResultsView, r rules.Rounding) {
	places := pr.T("results.decimals." + strconv.Itoa(r.Decimals))
	half := "0." + strings.Repeat("0", r.Decimals) + "5"
	suffix, exact := "", "results.method.exact.category"
	if r.Level == rules.RoundLeaf {
		suffix, exact = ".leaf", "results.method.exact.leaf"
	}
	v.Caption = pr.T("results.caption"+suffix, "places", places)
	v.RoundedLabel = pr.T("results.method.rounded"+suffix, "places", places, "half", half)
	v.TotalLabel = pr.T("results.method.total" + suffix)
	v.Method = []string{
		pr.T("results.method.leaves") + " " + pr.T(exact),
		pr.T("results.method.rounding"+suffix, "places", places, "half", half),
	}
}

// ratNum is an exact value as a float, only to place it on a chart.
func ratNum(r *big.Rat) float64 {
	if r == nil {
		return 0
	}
	f, _ := r.Float64()
	return f
}

// exactText writes an exact value so a reader can check it: a terminating
// decimal in full ("31.46125"), otherwise the fraction and a decimal
// approximation ("1897/60 ≈ 31.616667").
func exactText(r *big.Rat) string {
	if r == nil {
		return ""
	}
	if r.IsInt() {
		return r.Num().String()
	}
	den := new(big.Int).Set(r.Denom())
	twos, fives := 0, 0
	two, five, zero := big.NewInt(2), big.NewInt(5), big.NewInt(0)
	m := new(big.Int)
	for m.Mod(den, two).Cmp(zero) == 0 {
		den.Quo(den, two)
		twos++
	}
	for m.Mod(den, five).Cmp(zero) == 0 {
		den.Quo(den, five)
		fives++
	}
	if den.Cmp(big.NewInt(1)) == 0 {
		return r.FloatString(max(twos, fives))
	}
	return r.RatString() + " ≈ " + r.FloatString(6)
}

// resultsView shapes a published revision into the results section: the
// table with the cut line, the decision, the chart and how each team's
// total was computed.
func (pr *pageReq) resultsView(roundName string, rr postgres.RoundResults, n roundNames) *view.RoundResultsView {
	v := pr.resultsSummary(roundName, rr, n)
	for _, t := range rr.Result.Teams {
		v.Teams = append(v.Teams, pr.teamMethod(t, n, v.Decimals))
	}
	return v
}

// resultsSummary is resultsView without each team's computation, which a
// large round shows on a page per team.
func (pr *pageReq) resultsSummary(roundName string, rr postgres.RoundResults, n roundNames) *view.RoundResultsView {
	res, in := rr.Result, rr.Input
	v := pr.resultsMethod(rr)
	d, L, cats := v.Decimals, pr.L, frozenCriteria(rr)
	for _, c := range cats {
		v.Columns = append(v.Columns, view.ScoreColumn{Code: c.Code, Name: L.Text(c.Name), Max: L.Points(c.Max)})
	}
	v.Columns = append(v.Columns, view.ScoreColumn{Code: "total", Name: pr.T("table.total"), Total: true})

	advance := resultPlaces(rr)
	for _, t := range res.Teams {
		row := view.ResultRow{
			Rank:        pr.rankText(t.Rank, t.Tied),
			Team:        pr.teamOf(n, t.Team),
			Slug:        t.Team,
			OutcomeCode: string(t.Outcome),
			Outcome:     pr.outcomeLabel(t.Outcome),
			Reason:      L.Text(contest.Text(t.Reason)),
		}
		if t.Outcome == "" {
			row.OutcomeCode = "pending"
		}
		for _, c := range t.Categories {
			row.Cells = append(row.Cells, view.Cell{Text: rules.FormatDecimals(c.Rounded, d)})
		}
		row.Total = view.Cell{Text: rules.FormatDecimals(t.Total, d)}
		v.Rows = append(v.Rows, row)
	}
	if len(res.Teams) > 0 {
		// The results document lists the same teams in the same order.
		v.CutAt = cutAt(rr.Report.Teams, advance)
		v.CutLabel = pr.cutLabel(rr.Info.Kind, advance)
	}
	if in != nil && in.Decision != nil {
		d := &view.DecisionView{Reason: L.Text(in.Decision.Reason)}
		for _, t := range res.Teams {
			if t.ReasonCode == rules.ReasonDecision {
				d.Tied = append(d.Tied, pr.teamOf(n, t.Team))
			}
		}
		for _, slug := range in.Decision.Advance {
			d.Advance = append(d.Advance, pr.teamOf(n, slug))
		}
		v.Decision = d
	}
	v.Chart = pr.roundChart(roundName, res, cats, advance, v.CutAt, v.CutLabel, n, d)
	return v
}

// frozenCriteria are the categories a revision was computed with.
func frozenCriteria(rr postgres.RoundResults) []postgres.FrozenCriterion {
	if rr.Input == nil {
		return nil
	}
	return rr.Input.Criteria
}

// resultsMethod is the part of a results view that says how the figures
// were computed (decimals, rounding, ranking), without the table: all a
// team's computation page needs besides that team.
func (pr *pageReq) resultsMethod(rr postgres.RoundResults) *view.RoundResultsView {
	v := &view.RoundResultsView{CutAt: -1, Decimals: resultDecimals(rr)}
	cats := frozenCriteria(rr)
	order := make([]string, 0, len(cats))
	for _, c := range cats {
		order = append(order, pr.L.Text(c.Name))
	}
	pr.describeRounding(v, resultRounding(rr))
	v.Method = append(v.Method, pr.T("results.method.ranking", "order", strings.Join(order, " → ")))
	return v
}

// roundChart lays out the stacked category bars of a computed round.
func (pr *pageReq) roundChart(roundName string, res *rules.Result, cats []postgres.FrozenCriterion, advance, cutAt int, cutLabel string, n roundNames, d int) *chart.Stacked {
	if len(cats) == 0 || len(res.Teams) == 0 {
		return nil
	}
	in := chart.StackedInput{
		ID:       "round-chart",
		Title:    pr.T("chart.round.title", "round", roundName),
		CutAt:    cutAt,
		CutLabel: cutLabel,
	}
	scale := new(big.Rat)
	for _, c := range cats {
		in.Series = append(in.Series, pr.L.Text(c.Name))
		if m, ok := new(big.Rat).SetString(c.Max); ok {
			scale.Add(scale, m)
		}
	}
	in.Scale = ratNum(scale)
	var desc []string
	for _, t := range res.Teams {
		b := chart.BarInput{
			Label: pr.teamName(n, t.Team),
			Total: ratNum(t.Total),
			Note:  rules.FormatDecimals(t.Total, d) + " · " + pr.outcomeLabel(t.Outcome),
			Out:   !passed(string(t.Outcome)),
		}
		var parts []string
		for i, c := range t.Categories {
			b.Values = append(b.Values, ratNum(c.Rounded))
			label := in.Series[min(i, len(in.Series)-1)] + " " + rules.FormatDecimals(c.Rounded, d)
			b.Titles = append(b.Titles, b.Label+": "+label)
			parts = append(parts, label)
		}
		in.Bars = append(in.Bars, b)
		desc = append(desc, pr.T("chart.round.desc.team", "rank", pr.rankText(t.Rank, t.Tied), "team", b.Label,
			"parts", strings.Join(parts, ", "), "total", rules.FormatDecimals(t.Total, d), "outcome", pr.outcomeLabel(t.Outcome)))
	}
	in.Desc = strings.Join(desc, "; ") + ". " + pr.T("chart.round.desc.cut", "cut", cutLabel)
	return chart.LayoutStacked(in)
}

// teamMethod shows one team's computation leaf by leaf.
func (pr *pageReq) teamMethod(t rules.TeamResult, n roundNames, d int) view.TeamMethod {
	L := pr.L
	tm := view.TeamMethod{
		Team: pr.teamOf(n, t.Team),
		Slug: t.Team,
		Summary: pr.T("results.method.summary", "rank", pr.rankText(t.Rank, t.Tied),
			"total", rules.FormatDecimals(t.Total, d), "outcome", pr.outcomeLabel(t.Outcome)),
	}
	var rounded []string
	for _, c := range t.Categories {
		cm := view.CategoryMethod{
			Name:    pr.criterionName(n, c.Code),
			Exact:   exactText(c.Exact),
			Rounded: rules.FormatDecimals(c.Rounded, d),
		}
		if fc, ok := n.criteria[c.Code]; ok {
			cm.Max = L.Points(fc.Max)
		}
		var terms []string
		for _, leaf := range t.Leaves {
			if leaf.Category != c.Code {
				continue
			}
			cm.Leaves = append(cm.Leaves, pr.leafMethod(leaf, n, d))
			terms = append(terms, exactText(leaf.Exact))
		}
		if len(terms) > 1 {
			cm.SumExpr = strings.Join(terms, " + ") + " = " + cm.Exact
		}
		tm.Categories = append(tm.Categories, cm)
		rounded = append(rounded, cm.Rounded)
	}
	tm.TotalExpr = strings.Join(rounded, " + ") + " = " + rules.FormatDecimals(t.Total, d)
	return tm
}

// leafMethod shows how one leaf's points came about: the value scored
// directly, or each evaluator's score, which a trimmed mean dropped and the
// arithmetic of the aggregate.
func (pr *pageReq) leafMethod(l rules.LeafDetail, n roundNames, d int) view.LeafMethod {
	lm := view.LeafMethod{
		Name:   pr.criterionName(n, l.Criterion),
		Max:    rules.FormatDecimals(l.Max, d),
		Direct: l.Direct,
		Exact:  exactText(l.Exact),
	}
	lm.Trail = leafTrail(l, d)
	if l.Direct {
		lm.Method = pr.T("criterion.direct")
		for _, v := range l.Values {
			lm.Values = append(lm.Values, view.EvaluatorScore{Value: rules.FormatDecimals(v.Value, d)})
		}
		if len(l.Missing) > 0 {
			lm.Missing = pr.T("results.method.missing.direct")
		}
		return lm
	}
	size := len(l.Values) + len(l.Missing)
	if fc, ok := n.criteria[l.Criterion]; ok && fc.PanelSize > 0 {
		size = fc.PanelSize
	}
	lm.Method = pr.T("criterion.panel", "n", size, "aggregate", pr.T("aggregate."+string(l.Aggregate)))
	value := map[int]*big.Rat{}
	for _, v := range l.Values {
		value[v.Evaluator] = v.Value
	}
	dropNote := map[int]string{}
	if len(l.Dropped) == 2 {
		dropNote[l.Dropped[0]] = pr.T("results.method.dropped.low")
		dropNote[l.Dropped[1]] = pr.T("results.method.dropped.high")
		lm.Dropped = pr.T("results.method.dropped",
			"low", pr.evaluatorValue(l.Dropped[0], value[l.Dropped[0]], d),
			"high", pr.evaluatorValue(l.Dropped[1], value[l.Dropped[1]], d))
	}
	kept := make([]*big.Rat, 0, len(l.Values))
	for _, v := range l.Values {
		es := view.EvaluatorScore{Label: pr.T("results.method.evaluator", "n", v.Evaluator), Value: rules.FormatDecimals(v.Value, d)}
		if note, ok := dropNote[v.Evaluator]; ok {
			es.Dropped, es.Note = true, note
		} else {
			kept = append(kept, v.Value)
		}
		lm.Values = append(lm.Values, es)
	}
	if len(l.Missing) > 0 {
		var names []string
		for _, e := range l.Missing {
			names = append(names, pr.T("results.method.evaluator", "n", e))
		}
		lm.Missing = pr.T("results.method.missing", "list", strings.Join(names, ", "))
	}
	if len(kept) == 0 {
		return lm
	}
	lm.Formula = pr.aggregateFormula(l.Applied, kept, lm.Exact, d)
	if l.Applied != l.Aggregate {
		lm.Formula += " " + pr.T("results.method.fallback")
	}
	return lm
}

// leafTrail is raw → exact → rounded for a scaled leaf or one rounded on
// its own; "" when the exact points say it all.
func leafTrail(l rules.LeafDetail, d int) string {
	if l.Scale != nil || (l.Rounded != nil && l.Exact != nil && l.Rounded.Cmp(l.Exact) != 0) {
		return l.Trail(d)
	}
	return ""
}

// aggregateFormula is the arithmetic of an aggregate over the kept
// evaluator scores, ending in its exact value.
func (pr *pageReq) aggregateFormula(applied rules.Aggregate, kept []*big.Rat, exact string, d int) string {
	switch applied {
	case rules.AggregateMean, rules.AggregateTrimmedMean:
		sum := new(big.Rat)
		for _, k := range kept {
			sum.Add(sum, k)
		}
		key := "results.method.formula.mean"
		if applied == rules.AggregateTrimmedMean {
			key = "results.method.formula.trimmed"
		}
		return pr.T(key, "sum", exactText(sum), "n", len(kept), "exact", exact)
	case rules.AggregateMedian:
		sorted := slices.Clone(kept)
		slices.SortFunc(sorted, func(a, b *big.Rat) int { return a.Cmp(b) })
		if m := len(sorted); m%2 == 0 {
			return pr.T("results.method.formula.median.even", "a", rules.FormatDecimals(sorted[m/2-1], d),
				"b", rules.FormatDecimals(sorted[m/2], d), "exact", exact)
		}
		return pr.T("results.method.formula.median.odd", "exact", exact)
	}
	return ""
}

// evaluatorValue is "평가위원 2 (29.75)" / "Expert 2 (29.75)".
func (pr *pageReq) evaluatorValue(e int, v *big.Rat, d int) string {
	return pr.T("results.method.evaluator", "n", e) + " (" + rules.FormatDecimals(v, d) + ")"
}

// correctionChange is the change a correction records (its JSON change):
// a score of a team's criterion (by one evaluator of a panel, or directly
// when Evaluator is 0), or a team's eligibility. The round page, the feed
// and the staff round page all read it with decodeChange.
type correctionChange struct {
	Team      string       `json:"team"`
	Kind      string       `json:"kind"` // changeScore | changeEligibility
	Criterion string       `json:"criterion"`
	Evaluator int          `json:"evaluator"`
	Old       string       `json:"old"`
	New       string       `json:"new"`
	NewReason contest.Text `json:"new_reason"`
}

// The kinds of correction.
const (
	changeScore       = "score"
	changeEligibility = "eligibility"
)

// decodeChange reads the change a correction records.
func decodeChange(raw []byte) (correctionChange, error) {
	var c correctionChange
	err := json.Unmarshal(raw, &c)
	return c, err
}

// changeText says what a correction changed, in the page language.
func (pr *pageReq) changeText(raw json.RawMessage, n roundNames) string {
	c, err := decodeChange(raw)
	if err != nil || c.Team == "" {
		return ""
	}
	team := pr.teamName(n, c.Team)
	switch c.Kind {
	case changeScore:
		crit := pr.criterionName(n, c.Criterion)
		if c.Evaluator > 0 {
			crit += " · " + pr.T("results.method.evaluator", "n", c.Evaluator)
		}
		return pr.T("results.correction.score", "team", team, "criterion", crit, "old", c.Old, "new", c.New)
	case changeEligibility:
		s := pr.T("results.correction.eligibility", "team", team, "old", pr.T("entry."+c.Old), "new", pr.T("entry."+c.New))
		if r := pr.L.Text(c.NewReason); r != "" {
			s += ": " + r
		}
		return s
	}
	return team
}

// revisionURL is the page of revision n of a round.
func (pr *pageReq) revisionURL(round string, n int) string {
	return pr.L.URL(fmt.Sprintf("/rounds/%s/revisions/%d", round, n))
}

// corrections lists a round's corrections and links every revision.
func (pr *pageReq) corrections(round string, recs []postgres.CorrectionRecord, n roundNames) ([]view.CorrectionView, []view.Link) {
	if len(recs) == 0 {
		return nil, nil
	}
	out := make([]view.CorrectionView, 0, len(recs))
	links := []view.Link{{Text: pr.T("results.revision", "n", 1), URL: pr.revisionURL(round, 1)}}
	for _, c := range recs {
		at := c.PublishedAt
		link := view.Link{Text: pr.T("results.revision", "n", c.Revision), URL: pr.revisionURL(round, c.Revision)}
		out = append(out, view.CorrectionView{
			Revision:  link,
			When:      pr.L.DateTime(&at),
			Change:    pr.changeText(c.Change, n),
			Reason:    pr.L.Text(c.Reason),
			AuditHead: c.AuditHead,
		})
		links = append(links, link)
	}
	return out, links
}
