package web

import (
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/view"
)

// organizationsPage lists the organizations of the program's consortia,
// grouped by kind.
func (pr *pageReq) organizationsPage(orgs []postgres.PublicOrg) (view.OrganizationsPage, error) {
	v := view.OrganizationsPage{Page: pr.page("organizations", pr.T("nav.organizations"))}
	for _, kind := range contest.OrgKinds {
		g := view.OrgGroup{Kind: pr.T("org.kind." + kind)}
		for _, o := range orgs {
			if o.Kind != kind {
				continue
			}
			g.Orgs = append(g.Orgs, view.OrgRow{
				Org:   pr.orgLink(o.Slug, o.Name),
				Teams: pr.T("count.consortia", "n", o.Teams),
			})
		}
		if len(g.Orgs) > 0 {
			g.Count = pr.T("count.orgs", "n", len(g.Orgs))
			v.Groups = append(v.Groups, g)
		}
	}
	return v, nil
}

// organizationPage is one organization's page: the consortia it leads or
// belongs to, with each team's status.
func (pr *pageReq) organizationPage(o postgres.PublicOrgDetail) (view.OrganizationPage, error) {
	L := pr.L
	v := view.OrganizationPage{
		Page:    pr.page("organizations", L.Text(o.Name)),
		Name:    L.Text(o.Name),
		Kind:    pr.T("org.kind." + o.Kind),
		Sources: pr.sources(o.Sources),
	}
	for _, m := range o.Memberships {
		row := view.OrgTeam{
			Team:       pr.teamLink(m.Team.Slug, m.Team.Name),
			Since:      L.Date(m.Since),
			Marker:     pr.marker(m.Confidence),
			StatusCode: m.Team.Status,
			Status:     pr.teamStatus(m.Team.Status),
		}
		if m.Lead {
			row.Role = pr.T("role.lead")
		} else {
			row.Role = pr.label("role."+m.Role, m.Role)
		}
		if m.Team.Last != nil {
			row.Detail = L.Text(m.Team.Last.Round.Name)
		}
		v.Teams = append(v.Teams, row)
	}
	return v, nil
}
