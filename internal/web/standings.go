package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/view"
	"github.com/kai-challenge/portal/web/pages"
)

// handleStandings is the current field as a ranking: the teams still in, in
// rank order of their latest published round, then every team out with the
// round and reason it left, most recent exits first.
func (s *server) handleStandings(w http.ResponseWriter, r *http.Request) error {
	pr, in, out, err := s.loadStandings(r)
	if err != nil {
		return err
	}
	v := view.StandingsPage{Page: pr.page("standings", pr.T("nav.standings")), In: in, Out: out}
	return s.render(w, r, http.StatusOK, pages.Standings(v))
}

// loadStandings reads the teams and their ranks and splits them as the
// standings show them (standings).
func (s *server) loadStandings(r *http.Request) (pr *pageReq, in, out []view.Standing, err error) {
	pr, teams, err := load(s, r, s.store.PublicTeams)
	if err != nil {
		return nil, nil, nil, err
	}
	ranks, err := s.store.PublicStandingRanks(r.Context(), pr.prog.Slug)
	if err != nil {
		return nil, nil, nil, err
	}
	in, out = pr.standings(teams, ranks)
	return pr, in, out, nil
}

// standings splits the teams into those still in, ranked, and those out,
// most recent exits first.
func (pr *pageReq) standings(teams []postgres.PublicTeam, ranks []postgres.PublicStandingRank) (in, out []view.Standing) {
	byTeam := make(map[string]postgres.PublicStandingRank, len(ranks))
	for _, x := range ranks {
		byTeam[x.Team] = x
	}
	var still, gone []postgres.PublicTeam
	for _, t := range teams {
		switch t.Status {
		case postgres.TeamCompeting:
			still = append(still, t)
		case postgres.TeamOut, postgres.TeamNotSelected:
			gone = append(gone, t)
		}
	}
	// Stable: teams that tie keep their declared order.
	slices.SortStableFunc(still, func(a, b postgres.PublicTeam) int {
		return compareRank(byTeam[a.Slug], byTeam[b.Slug])
	})
	for i, t := range still {
		st := pr.standing(t)
		x, ok := byTeam[t.Slug]
		switch {
		case !ranked(x):
			st.Rank = "–" // nothing published to rank by
		case i > 0 && compareRank(byTeam[still[i-1].Slug], x) == 0:
			st.Rank = in[i-1].Rank // a tie shares the rank above
		default:
			st.Rank = strconv.Itoa(i + 1)
		}
		if ok {
			st.RankRound = pr.refLink(x.Round)
			st.RankDate = pr.rankDate(x)
		}
		in = append(in, st)
	}
	slices.SortStableFunc(gone, func(a, b postgres.PublicTeam) int {
		return cmp.Compare(b.Last.Round.Position, a.Last.Round.Position)
	})
	for _, t := range gone {
		out = append(out, pr.standing(t))
	}
	return in, out
}

// ranked reports whether a team has a rank or total to be ranked by.
func ranked(x postgres.PublicStandingRank) bool { return x.Rank != nil || x.Total != nil }

// compareRank orders two teams still in: a team with nothing to rank by
// after those with something, in declared order; otherwise the later the
// round it is ranked by, the higher; within a round by rank, then by total
// (higher first).
func compareRank(a, b postgres.PublicStandingRank) int {
	if ra, rb := ranked(a), ranked(b); ra != rb || !ra {
		switch {
		case ra == rb:
			return 0
		case ra:
			return -1
		}
		return 1
	}
	if c := cmp.Compare(b.Round.Position, a.Round.Position); c != 0 {
		return c
	}
	if c := compareMissingLast(a.Rank, b.Rank, func(x, y int) int { return cmp.Compare(x, y) }); c != 0 {
		return c
	}
	return compareMissingLast(a.Total, b.Total, func(x, y float64) int { return cmp.Compare(y, x) })
}

// compareMissingLast compares two optional values with less, a missing one
// after a present one.
func compareMissingLast[T any](a, b *T, less func(x, y T) int) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return less(*a, *b)
}

// rankDate is the date the ranking round was published: its latest result
// revision, or for a historic round its announcement.
func (pr *pageReq) rankDate(x postgres.PublicStandingRank) string {
	if x.PublishedAt != nil {
		return pr.L.Announcement(x.PublishedAt, true)
	}
	return pr.L.Announcement(x.Round.AnnounceAt, x.Round.AnnounceDateOnly)
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
