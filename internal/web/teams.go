package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/view"
	"github.com/kai-challenge/portal/web/pages"
)

// teamGroups is the order of the groups on the teams page.
var teamGroups = []string{postgres.TeamCompeting, postgres.TeamOut, postgres.TeamNotSelected, postgres.TeamApplicant}

// handleTeamIndex lists every team, grouped by where it stands.
func (s *server) handleTeamIndex(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.begin(r)
	if err != nil {
		return err
	}
	teams, err := s.store.PublicTeams(r.Context(), pr.prog.Slug)
	if err != nil {
		return err
	}
	v := view.TeamsPage{Page: pr.page("teams", pr.T("nav.teams"))}
	for _, code := range teamGroups {
		g := view.TeamGroup{Code: code, Title: pr.T("teams.group." + code), Intro: pr.T("teams.group." + code + ".intro")}
		for _, t := range teams {
			if t.Status != code {
				continue
			}
			row := view.TeamRow{
				Team:    view.Link{Text: pr.L.Text(t.Name), URL: pr.L.URL("/teams/" + t.Slug)},
				Lead:    pr.orgLink(t.Lead),
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
			}
			g.Teams = append(g.Teams, row)
		}
		if len(g.Teams) > 0 {
			v.Groups = append(v.Groups, g)
		}
	}
	return s.render(w, r, http.StatusOK, pages.Teams(v))
}

// memberRole names a consortium role; the common case, a plain
// participant, goes without saying on the team page.
func (pr *pageReq) memberRole(role string) string {
	if role == "participant" {
		return ""
	}
	return pr.label("role."+role, role)
}

// handleTeamShow is one team's page.
func (s *server) handleTeamShow(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.begin(r)
	if err != nil {
		return err
	}
	t, err := s.store.PublicTeam(r.Context(), pr.prog.Slug, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	L := pr.L
	v := view.TeamPage{
		Page:        pr.page("teams", L.Text(t.Name)),
		Name:        L.Text(t.Name),
		StatusCode:  t.Status,
		Status:      pr.teamStatus(t.Status),
		Lead:        pr.orgLink(t.Lead),
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
	for _, kind := range contest.OrgKinds {
		g := view.MemberGroup{Kind: pr.T("org.kind." + kind)}
		for _, m := range t.Members {
			if m.Org.Kind != kind {
				continue
			}
			g.Members = append(g.Members, view.Member{
				Org:     pr.orgLink(m.Org),
				Role:    pr.memberRole(m.Role),
				Since:   L.Date(m.Since),
				Until:   L.Date(m.Until),
				Marker:  pr.marker(m.Confidence),
				Note:    L.Text(m.Note),
				Sources: pr.sources(m.Sources),
			})
		}
		if len(g.Members) > 0 {
			v.MemberGroups = append(v.MemberGroups, g)
		}
	}
	for _, tr := range t.Rounds {
		row := view.TeamRound{
			Slug:      tr.Round.Slug,
			Round:     pr.refLink(tr.Round),
			Kind:      pr.T("round.kind." + tr.Round.Kind),
			When:      L.Announcement(tr.Round.AnnounceAt, tr.Round.AnnounceDateOnly),
			Published: tr.Published,
			Figures:   pr.figures(tr.Scores),
		}
		_, row.Status = pr.roundStatus(tr.Status)
		if tr.Outcome != nil {
			o := pr.outcome(*tr.Outcome)
			row.Outcome = &o
		} else if tr.Eligibility != "" && tr.Eligibility != contest.EntryEligible {
			// Without an announced outcome the eligibility decision is the news.
			row.Eligibility = pr.T("entry." + tr.Eligibility)
			row.EntryReason = L.Text(tr.EntryReason)
		}
		v.Rounds = append(v.Rounds, row)
	}
	for _, a := range t.Support {
		v.Support = append(v.Support, pr.allocation(a))
	}
	return s.render(w, r, http.StatusOK, pages.Team(v))
}
