package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/format"
	"github.com/kai-challenge/portal/internal/web/view"
	"github.com/kai-challenge/portal/web/pages"
)

// handleHistory is the elimination history: from the applicants of the
// first round to today, each published round with who entered, who went
// through and who left (and why), the teams added by additional calls, the
// timeline events in date order, and the rounds still to come.
func (s *server) handleHistory(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.begin(r)
	if err != nil {
		return err
	}
	h, err := s.store.PublicHistory(r.Context(), pr.prog.Slug)
	if err != nil {
		return err
	}
	v := view.HistoryPage{Page: pr.page("history", pr.T("nav.history"))}
	type dated struct {
		on   *time.Time // nil sorts last
		rank int        // on the same day: the call, then rounds, then events
		step view.HistoryStep
	}
	var steps []dated
	L := pr.L

	applicants := 0
	if len(h.Rounds) > 0 {
		applicants = h.Rounds[0].Entrants
		steps = append(steps, dated{on: pr.prog.StartedOn, rank: 0, step: view.HistoryStep{
			Kind:  "call",
			Date:  L.Date(pr.prog.StartedOn),
			Title: pr.T("history.call"),
			Facts: []view.Stat{{Label: pr.T("history.applicants"), Value: pr.T("count.teams", "n", applicants)}},
		}})
	}

	field := map[string]bool{} // teams still in the running after each round
	published := 0
	for _, rd := range h.Rounds {
		on := roundDay(rd.PublicRound)
		if !rd.Published {
			st := view.HistoryStep{
				Kind:  "upcoming",
				Date:  pr.roundDate(rd.PublicRound),
				Round: pr.roundLink(rd.Slug, rd.Name),
				Facts: []view.Stat{
					{Label: pr.T("round.entrants"), Value: pr.T("count.teams", "n", rd.Entrants)},
					{Label: pr.T("round.places"), Value: pr.T("count.teams", "n", rd.Advance)},
				},
			}
			if st.Date == "" {
				st.Date = pr.T("round.status.planned")
			}
			steps = append(steps, dated{on: on, rank: 1, step: st})
			continue
		}
		published++
		st := view.HistoryStep{Kind: "round", Date: pr.roundDate(rd.PublicRound), Round: pr.roundLink(rd.Slug, rd.Name)}
		through := 0
		for _, o := range rd.Outcomes {
			vo := pr.outcome(o)
			switch {
			case passed(o.Outcome) && rd.Kind == contest.KindAdditional:
				vo.Label = pr.T("history.added")
				vo.Code = "added"
				st.Joins = append(st.Joins, vo)
				field[o.Team.Slug] = true
				through++
			case passed(o.Outcome):
				field[o.Team.Slug] = true
				through++
			default:
				st.Exits = append(st.Exits, vo)
				delete(field, o.Team.Slug)
			}
		}
		st.Facts = []view.Stat{
			{Label: pr.T("history.entered"), Value: pr.T("count.teams", "n", rd.Entrants)},
			{Label: pr.T("history.through"), Value: pr.T("count.teams", "n", through)},
			{Label: pr.T("history.field"), Value: pr.T("count.teams", "n", len(field))},
		}
		steps = append(steps, dated{on: on, rank: 1, step: st})
	}

	for _, e := range h.Events {
		steps = append(steps, dated{on: &e.On, rank: 2, step: view.HistoryStep{
			Kind:    "event",
			Date:    L.DateRange(e.On, e.Until),
			Title:   L.Text(e.Title),
			Marker:  pr.marker(e.Confidence),
			Sources: pr.sources(e.Sources),
		}})
	}

	slices.SortStableFunc(steps, func(a, b dated) int {
		switch {
		case a.on == nil && b.on == nil:
			return 0
		case a.on == nil:
			return 1
		case b.on == nil:
			return -1
		}
		if c := a.on.Compare(*b.on); c != 0 {
			return c
		}
		return a.rank - b.rank
	})
	for _, d := range steps {
		v.Steps = append(v.Steps, d.step)
	}
	v.Summary = []view.Stat{
		{Label: pr.T("history.applicants"), Value: L.Number(applicants)},
		{Label: pr.T("history.rounds_published"), Value: L.Number(published)},
		{Label: pr.T("history.still_in"), Value: L.Number(len(field))},
	}
	return s.render(w, r, http.StatusOK, pages.History(v))
}

// roundDay is the calendar day a round is placed on in the history: its
// announcement day in Korea, or its evaluation day; nil when neither is known.
func roundDay(r postgres.PublicRound) *time.Time {
	if r.AnnounceAt != nil {
		k := r.AnnounceAt.In(format.KST)
		d := time.Date(k.Year(), k.Month(), k.Day(), 0, 0, 0, 0, time.UTC)
		return &d
	}
	return r.EvaluatedOn
}
