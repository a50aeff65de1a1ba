package web

import (
	"context"
	"errors"
	"math/big"
	"strings"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/web/chart"
	"github.com/kai-challenge/portal/internal/web/view"
)

// teamGroups is the order of the groups on the teams page.
var teamGroups = []string{postgres.TeamCompeting, postgres.TeamOut, postgres.TeamNotSelected, postgres.TeamApplicant}

// teamsPage lists every team, grouped by where it stands.
func (pr *pageReq) teamsPage(teams []postgres.PublicTeam) (view.TeamsPage, error) {
	v := view.TeamsPage{Page: pr.page("teams", pr.T("nav.teams"))}
	for _, code := range teamGroups {
		g := view.TeamGroup{Code: code, Title: pr.T("teams.group." + code), Intro: pr.T("teams.group." + code + ".intro")}
		for _, t := range teams {
			if t.Status != code {
				continue
			}
			row := view.TeamRow{
				Team:    pr.teamLink(t.Slug, t.Name),
				Lead:    pr.orgLink(t.Lead.Slug, t.Lead.Name),
				Model:   t.Model,
				Members: pr.T("count.orgs", "n", t.Size),
			}
			if t.Last != nil {
				row.Round = pr.refLink(t.Last.Round)
				row.OutcomeCode = t.Last.Outcome
				row.Outcome = pr.T("outcome." + t.Last.Outcome)
				if t.Status != postgres.TeamCompeting {
					row.Reason = pr.L.Text(t.Last.Reason)
				}
				row.Sources = pr.sources(t.Last.Sources)
			}
			g.Teams = append(g.Teams, row)
		}
		if len(g.Teams) > 0 {
			v.Groups = append(v.Groups, g)
		}
	}
	return v, nil
}

// memberRole names a consortium role; the common case, a plain
// participant, goes without saying on the team page.
func (pr *pageReq) memberRole(role string) string {
	if role == "participant" {
		return ""
	}
	return pr.label("role."+role, role)
}

// teamPage is one team's page.
func (pr *pageReq) teamPage(t postgres.PublicTeamDetail) (view.TeamPage, error) {
	L := pr.L
	v := view.TeamPage{
		Downloads:   pr.teamDownloads(t.Slug),
		Page:        pr.page("teams", L.Text(t.Name)),
		Name:        L.Text(t.Name),
		StatusCode:  t.Status,
		Status:      pr.teamStatus(t.Status),
		Lead:        pr.orgLink(t.Lead.Slug, t.Lead.Name),
		LeadKind:    pr.T("org.kind." + t.Lead.Kind),
		Model:       t.Model,
		ModelNote:   L.Text(t.ModelNote),
		Goal:        L.Text(t.Goal),
		Note:        L.Text(t.Note),
		MemberCount: pr.T("count.orgs", "n", t.Size),
		Sources:     pr.sources(t.Sources),
	}
	if t.Last != nil {
		v.StatusDetail = pr.T("team.status.detail", "round", L.Text(t.Last.Round.Name),
			"date", L.Announcement(t.Last.Round.AnnounceAt, t.Last.Round.AnnounceDateOnly))
	}
	v.MemberGroups = pr.memberGroups(t.Members)
	for _, tr := range t.Rounds {
		v.Rounds = append(v.Rounds, pr.teamRound(tr))
	}
	for _, a := range t.Support {
		v.Support = append(v.Support, pr.allocation(a))
	}
	if err := pr.s.teamChart(pr.r.Context(), pr, t, &v); err != nil {
		return v, err
	}
	v.Objections = pr.objections(t.Objections)
	v.Description = pr.T("desc.team", "team", v.Name)
	v.OGType = "article"
	v.OGImage, v.OGImageAlt = "/og/teams/"+t.Slug+".png", pr.T("ux.og.team", "team", v.Name)
	return v, nil
}

// memberGroups are a team's consortium members by organization kind, in
// the order of contest.OrgKinds; kinds without members are left out.
func (pr *pageReq) memberGroups(members []postgres.PublicMember) []view.MemberGroup {
	L := pr.L
	var groups []view.MemberGroup
	for _, kind := range contest.OrgKinds {
		g := view.MemberGroup{Kind: pr.T("org.kind." + kind)}
		for _, m := range members {
			if m.Org.Kind != kind {
				continue
			}
			g.Members = append(g.Members, view.Member{
				Org:     pr.orgLink(m.Org.Slug, m.Org.Name),
				Role:    pr.memberRole(m.Role),
				Since:   L.Date(m.Since),
				Until:   L.Date(m.Until),
				Marker:  pr.marker(m.Confidence),
				Note:    L.Text(m.Note),
				Sources: pr.sources(m.Sources),
			})
		}
		if len(g.Members) > 0 {
			groups = append(groups, g)
		}
	}
	return groups
}

// teamRound is a round the team entered, in the team's timeline.
func (pr *pageReq) teamRound(tr postgres.PublicTeamRound) view.TeamRound {
	L := pr.L
	row := view.TeamRound{
		Slug:          tr.Round.Slug,
		Round:         pr.refLink(tr.Round),
		Kind:          pr.T("round.kind." + tr.Round.Kind),
		When:          L.Announcement(tr.Round.AnnounceAt, tr.Round.AnnounceDateOnly),
		Published:     tr.Published,
		Figures:       pr.figures(tr.Scores),
		FigureSources: pr.figureSources(tr.Scores),
	}
	_, row.Status = pr.roundStatus(tr.Status)
	if tr.Outcome != nil {
		o := pr.outcome(*tr.Outcome)
		row.Outcome = &o
		switch {
		case passed(tr.Outcome.Outcome) && tr.Round.Kind == contest.KindAdditional:
			row.Joined, row.Marker = true, pr.T("team.timeline.joined")
		case !passed(tr.Outcome.Outcome):
			row.Exited, row.Marker = true, pr.T("team.timeline.exited")
		}
	} else if tr.Eligibility != "" && tr.Eligibility != contest.EntryEligible {
		// Without an announced outcome the eligibility decision is the news.
		row.Eligibility = pr.T("entry." + tr.Eligibility)
		row.EntryReason = L.Text(tr.EntryReason)
	}
	return row
}

// chartRound is one published, scored round of a team, read for its chart.
type chartRound struct {
	tr postgres.PublicTeamRound
	d  postgres.PublicRoundDetail
	// decimals is how many decimals the round's figures are written
	// with: those of its computed results, two for a round whose
	// figures were only announced.
	decimals int
}

// chartDecimals is the number of decimals of a round's figures: the
// rounding its published results were computed with (one for stage 2:
// 65.8), two when the round was not computed by the rule engine.
func (s *server) chartDecimals(ctx context.Context, program string, d postgres.PublicRoundDetail) (int, error) {
	if !d.Computed {
		return 2, nil
	}
	rr, err := s.store.PublishedResults(ctx, program, d.Slug)
	if errors.Is(err, contest.ErrNotFound) {
		return 2, nil
	}
	if err != nil {
		return 0, err
	}
	return resultDecimals(rr), nil
}

// teamChart draws the team's category points and total in each published
// round that has criteria, against the round average (the published mean,
// or the mean computed from the results when every team's total is public)
// and the cut (the lowest total that went through, when every such total
// is public). Figures never published are said to be undisclosed, never
// drawn as zero.
func (s *server) teamChart(ctx context.Context, pr *pageReq, t postgres.PublicTeamDetail, v *view.TeamPage) error {
	var rounds []chartRound
	for _, tr := range t.Rounds {
		if !tr.Published {
			continue
		}
		d, err := s.store.PublicRound(ctx, pr.prog.Slug, tr.Round.Slug)
		if err != nil {
			return err
		}
		if len(topCriteria(d.Criteria)) == 0 {
			continue
		}
		dec, err := s.chartDecimals(ctx, pr.prog.Slug, d)
		if err != nil {
			return err
		}
		rounds = append(rounds, chartRound{tr: tr, d: d, decimals: dec})
	}
	if len(rounds) == 0 {
		return nil
	}
	b := &teamChartBuilder{pr: pr, v: v, series: map[string]int{}}
	b.in = chart.TeamInput{
		ID:         "team-chart",
		Title:      pr.T("team.chart.title", "team", v.Name),
		TeamLabel:  pr.T("team.chart.this"),
		MeanLabel:  pr.T("team.chart.mean"),
		MeanLegend: pr.T("team.chart.mean_legend"),
		CutLegend:  pr.T("team.chart.cut_legend"),
	}
	for _, cr := range rounds {
		for _, c := range topCriteria(cr.d.Criteria) {
			if _, ok := b.series[c.Code]; !ok {
				b.series[c.Code] = len(b.codes)
				b.codes = append(b.codes, c.Code)
				b.in.Series = append(b.in.Series, pr.L.Text(c.Name))
			}
		}
	}
	v.ChartSeries = b.in.Series
	var desc []string
	for _, cr := range rounds {
		desc = append(desc, b.round(cr))
	}
	b.in.Desc = strings.Join(desc, "; ") + "."
	v.Chart = chart.LayoutTeam(b.in)
	return nil
}

// teamChartBuilder adds the team's rounds to its chart (in) and to the
// chart's table and notes (v). Each top-level category is a series, by code.
type teamChartBuilder struct {
	pr     *pageReq
	v      *view.TeamPage
	in     chart.TeamInput
	series map[string]int
	codes  []string
}

// round adds one round to the chart and the table, and states it in words
// for the chart's description.
func (b *teamChartBuilder) round(cr chartRound) string {
	pr, L := b.pr, b.pr.L
	name := L.Text(cr.d.Name)
	fig := map[string]*big.Rat{}
	for _, sc := range cr.tr.Scores {
		fig[sc.Criterion] = parseRat(sc.Value)
	}
	cats := topCriteria(cr.d.Criteria)
	scale := new(big.Rat)
	present := map[string]bool{}
	for _, c := range cats {
		scale.Add(scale, parseRat(c.Max))
		present[c.Code] = true
	}
	ri := chart.TeamRoundInput{
		Label:       name,
		URL:         L.URL("/rounds/" + cr.d.Slug),
		Scale:       ratNum(scale),
		Undisclosed: pr.T("team.chart.undisclosed"),
	}
	row := view.TeamChartRow{Round: pr.roundLink(cr.d.Slug, cr.d.Name)}
	if cr.tr.Outcome != nil {
		row.Outcome = pr.T("outcome." + cr.tr.Outcome.Outcome)
	}
	for _, code := range b.codes {
		switch val, ok := fig[code]; {
		case !present[code]:
			row.Cells = append(row.Cells, view.Cell{Text: "—"})
		case ok:
			row.Cells = append(row.Cells, view.Cell{Text: rules.FormatDecimals(val, cr.decimals)})
			ri.Team = append(ri.Team, chart.SeriesValue{Series: b.series[code], Value: ratNum(val),
				Title: b.in.Series[b.series[code]] + " " + rules.FormatDecimals(val, cr.decimals)})
		default:
			row.Cells = append(row.Cells, pr.undisclosed())
		}
	}
	var total string
	if tot, ok := fig["total"]; ok {
		total = rules.FormatDecimals(tot, cr.decimals)
		ri.Disclosed, ri.TeamTotal, ri.TeamNote = true, ratNum(tot), total
		row.Total, row.Disclose = view.Cell{Text: total}, true
	} else {
		row.Total = pr.undisclosed()
		b.note("team.chart.note.undisclosed", name)
	}
	b.mean(cr, name, len(cats), present, &ri, &row)
	b.cut(cr, name, &ri, &row)
	b.in.Rounds = append(b.in.Rounds, ri)
	b.v.ChartRows = append(b.v.ChartRows, row)
	return pr.T("team.chart.desc.round", "round", name,
		"total", orText(total, L.Undisclosed()), "mean", row.Mean.Text, "cut", row.Cut.Text)
}

// note adds a note under the chart about the round named name.
func (b *teamChartBuilder) note(id, name string) {
	b.v.ChartNotes = append(b.v.ChartNotes, b.pr.T(id, "round", name))
}

// mean adds the round average: the total and, when every category has
// one, the breakdown (a partial breakdown would misstate the average).
func (b *teamChartBuilder) mean(cr chartRound, name string, ncats int, present map[string]bool, ri *chart.TeamRoundInput, row *view.TeamChartRow) {
	pr := b.pr
	means, meanTotal, computed := roundMeans(cr.d, b.codes)
	if meanTotal == nil {
		ri.MeanNote = pr.T("team.chart.mean_undisclosed")
		row.Mean = pr.undisclosed()
		return
	}
	m := ratNum(meanTotal)
	// A published mean keeps the decimals it was published with (68.83
	// on a one-decimal round); a computed one has the round's.
	meanText := func(r *big.Rat) string {
		if computed {
			return rules.FormatDecimals(r, cr.decimals)
		}
		return rules.FormatDecimals(r, exactDecimals(r, cr.decimals))
	}
	ri.MeanTotal, ri.MeanNote = &m, meanText(meanTotal)
	row.Mean = view.Cell{Text: ri.MeanNote}
	if computed {
		b.note("team.chart.note.mean_computed", name)
	}
	for _, code := range b.codes {
		if mv, ok := means[code]; ok && present[code] {
			ri.Mean = append(ri.Mean, chart.SeriesValue{Series: b.series[code], Value: ratNum(mv),
				Title: pr.T("team.chart.mean") + " · " + b.in.Series[b.series[code]] + " " + meanText(mv)})
		}
	}
	if len(ri.Mean) != ncats {
		ri.Mean = nil
	}
}

// cut adds the round's cut when it is known.
func (b *teamChartBuilder) cut(cr chartRound, name string, ri *chart.TeamRoundInput, row *view.TeamChartRow) {
	cut := roundCut(cr.d)
	if cut == nil {
		row.Cut = b.pr.undisclosed()
		b.note("team.chart.note.cut_unknown", name)
		return
	}
	c := ratNum(cut)
	text := rules.FormatDecimals(cut, cr.decimals)
	ri.Cut, ri.CutNote = &c, b.pr.T("team.chart.cut", "v", text)
	row.Cut = view.Cell{Text: text}
}

// exactDecimals is the fewest decimals, at least min and at most four,
// that write r exactly (four when none does).
func exactDecimals(r *big.Rat, min int) int {
	for d := min; d < 4; d++ {
		if v, ok := new(big.Rat).SetString(rules.FormatDecimals(r, d)); ok && v.Cmp(r) == 0 {
			return d
		}
	}
	return 4
}

// orText is s, or alt when s is empty.
func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// topCriteria are a round's top-level categories.
func topCriteria(cs []postgres.PublicCriterion) []postgres.PublicCriterion {
	var out []postgres.PublicCriterion
	for _, c := range cs {
		if c.Depth == 0 {
			out = append(out, c)
		}
	}
	return out
}

// roundMeans is a round's average per category and total: the published
// means when the total's mean was published, otherwise computed exactly
// from the results when every team that was not withdrawn has a public
// total (computed is then true); nil when neither is possible.
func roundMeans(d postgres.PublicRoundDetail, codes []string) (map[string]*big.Rat, *big.Rat, bool) {
	means := map[string]*big.Rat{}
	for _, st := range d.Stats {
		if st.Stat == "mean" {
			means[st.Criterion] = parseRat(st.Value)
		}
	}
	if total, ok := means["total"]; ok {
		return means, total, false
	}
	counted := map[string]bool{}
	for _, o := range d.Outcomes {
		if o.Outcome != contest.OutcomeWithdrew {
			counted[o.Team.Slug] = true
		}
	}
	if len(counted) == 0 {
		return nil, nil, false
	}
	sums := map[string]*big.Rat{}
	seen := map[string]int{}
	for _, sc := range d.Scores {
		if !counted[sc.Team] {
			continue
		}
		if sums[sc.Criterion] == nil {
			sums[sc.Criterion] = new(big.Rat)
		}
		sums[sc.Criterion].Add(sums[sc.Criterion], parseRat(sc.Value))
		seen[sc.Criterion]++
	}
	if seen["total"] != len(counted) {
		return nil, nil, false
	}
	n := new(big.Rat).SetInt64(int64(len(counted)))
	for code, sum := range sums {
		if seen[code] == len(counted) {
			means[code] = new(big.Rat).Quo(sum, n)
		}
	}
	return means, means["total"], true
}

// roundCut is the lowest total among the teams that went through, when
// every one of those totals is public; nil otherwise.
func roundCut(d postgres.PublicRoundDetail) *big.Rat {
	totals := map[string]*big.Rat{}
	for _, sc := range d.Scores {
		if sc.Criterion == "total" {
			totals[sc.Team] = parseRat(sc.Value)
		}
	}
	var cut *big.Rat
	for _, o := range d.Outcomes {
		if !passed(o.Outcome) {
			continue
		}
		t, ok := totals[o.Team.Slug]
		if !ok {
			return nil
		}
		if cut == nil || t.Cmp(cut) < 0 {
			cut = t
		}
	}
	return cut
}
