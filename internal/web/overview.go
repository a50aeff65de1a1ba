package web

import (
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/format"
	"github.com/kai-challenge/portal/internal/web/view"
)

// overviewPage is the home page: the program, who is still in, what is
// next and the latest decision.
func (pr *pageReq) overviewPage(ov postgres.PublicOverview) (view.OverviewPage, error) {
	L, p := pr.L, pr.prog
	v := view.OverviewPage{
		Page: pr.page("overview", pr.T("nav.overview")),
		Program: view.ProgramSummary{
			Name:      L.Text(p.Name),
			Ministry:  L.Text(p.Ministry),
			Goal:      L.Text(p.Goal),
			Note:      L.Text(p.Note),
			StartedOn: L.Date(p.StartedOn),
		},
		Sources: pr.sources(ov.Sources),
	}
	for _, a := range p.Agencies {
		v.Program.Agencies = append(v.Program.Agencies, L.Text(a))
	}
	if p.FinalTeams != nil {
		v.Program.FinalTeams = pr.T("count.teams", "n", *p.FinalTeams)
	}
	for _, t := range ov.StillIn {
		c := view.TeamCard{
			Team:  pr.teamLink(t.Slug, t.Name),
			Lead:  pr.orgLink(t.Lead.Slug, t.Lead.Name),
			Model: t.Model,
		}
		if t.Last != nil {
			c.LastRound = pr.refLink(t.Last.Round)
		}
		for _, sc := range t.Scores {
			if sc.Criterion == "total" && t.ScoresRound != nil {
				c.Total, c.TotalRound = format.Figure(sc.Value), pr.refLink(*t.ScoresRound)
				c.TotalSources = pr.figureSources([]postgres.PublicScore{sc})
			}
		}
		v.StillIn = append(v.StillIn, c)
	}
	if n := ov.Next; n != nil {
		next := &view.NextRound{
			Round:    pr.roundLink(n.Slug, n.Name),
			Kind:     pr.T("round.kind." + n.Kind),
			Period:   n.Period,
			When:     pr.roundDate(*n),
			Note:     L.Text(n.Note),
			Entrants: pr.T("count.teams", "n", n.Entrants),
			Places:   pr.T("count.teams", "n", n.Advance),
		}
		v.Next = next
	}
	if l := ov.Latest; l != nil {
		d := &view.Decision{
			Round:    pr.roundLink(l.Slug, l.Name),
			When:     pr.roundDate(l.PublicRound),
			Outcomes: pr.outcomes(l.Outcomes),
		}
		through := 0
		for _, o := range l.Outcomes {
			if passed(o.Outcome) {
				through++
			}
		}
		d.Summary = pr.T("overview.latest.summary", "entered", l.Entrants, "through", through)
		v.Latest = d
	}
	v.Counts = []view.Stat{
		{Label: pr.T("overview.count.teams"), Value: L.Number(ov.Teams), URL: L.URL("/teams")},
		{Label: pr.T("overview.count.rounds"), Value: L.Number(ov.Rounds), URL: L.URL("/rounds")},
		{Label: pr.T("overview.count.organizations"), Value: L.Number(ov.Organizations), URL: L.URL("/organizations")},
	}
	v.QuickLinks = []view.Link{
		{Text: pr.T("overview.link.standings"), URL: L.URL("/standings")},
		{Text: pr.T("overview.link.history"), URL: L.URL("/history")},
		{Text: pr.T("overview.link.rounds"), URL: L.URL("/rounds")},
		{Text: pr.T("overview.link.funding"), URL: L.URL("/funding")},
	}
	return v, nil
}
