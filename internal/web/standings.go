package web

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/view"
	"github.com/kai-challenge/portal/web/pages"
)

// handleStandings is the current field: the teams still in, then every team
// out with the round and reason it left, most recent exits first.
func (s *server) handleStandings(w http.ResponseWriter, r *http.Request) error {
	pr, teams, err := load(s, r, s.store.PublicTeams)
	if err != nil {
		return err
	}
	v := view.StandingsPage{Page: pr.page("standings", pr.T("nav.standings"))}
	var out []postgres.PublicTeam
	for _, t := range teams {
		switch t.Status {
		case postgres.TeamCompeting:
			v.In = append(v.In, pr.standing(t))
		case postgres.TeamOut, postgres.TeamNotSelected:
			out = append(out, t)
		}
	}
	// Stable: teams that left in the same round keep their declared order.
	slices.SortStableFunc(out, func(a, b postgres.PublicTeam) int {
		return cmp.Compare(b.Last.Round.Position, a.Last.Round.Position)
	})
	for _, t := range out {
		v.Out = append(v.Out, pr.standing(t))
	}
	return s.render(w, r, http.StatusOK, pages.Standings(v))
}

func (pr *pageReq) standing(t postgres.PublicTeam) view.Standing {
	st := view.Standing{
		Team:       pr.teamLink(t.Slug, t.Name),
		Lead:       pr.orgLink(t.Lead.Slug, t.Lead.Name),
		StatusCode: t.Status,
		Status:     pr.teamStatus(t.Status),
		Figures:    pr.figures(t.Scores),
	}
	if t.Last != nil {
		st.Round = pr.refLink(t.Last.Round)
		st.When = pr.L.Announcement(t.Last.Round.AnnounceAt, t.Last.Round.AnnounceDateOnly)
		st.OutcomeCode = t.Last.Outcome
		st.Outcome = pr.T("outcome." + t.Last.Outcome)
		st.Reason = pr.L.Text(t.Last.Reason)
		st.Sources = pr.sources(t.Last.Sources)
	}
	if t.ScoresRound != nil {
		st.FiguresRound = pr.refLink(*t.ScoresRound)
		st.FigureSources = pr.figureSources(t.Scores)
	}
	return st
}
