package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/chart"
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
	// The diagram shows the entrants of the next round only: of the rounds
	// to come, only the first is read. Entrants of a round to come are
	// public; their eligibility is not.
	upcoming := map[string][]postgres.PublicTeamRef{}
	for _, rd := range h.Rounds {
		if rd.Published {
			continue
		}
		if rd.Entrants > 0 {
			d, err := s.store.PublicRound(r.Context(), pr.prog.Slug, rd.Slug)
			if err != nil {
				return err
			}
			for _, e := range d.Entries {
				upcoming[rd.Slug] = append(upcoming[rd.Slug], e.Team)
			}
		}
		break
	}
	v.Path, v.Diagram = pr.lifelines(h, upcoming)
	v.Description = pr.T("desc.history", "path", v.Path)
	return s.render(w, r, http.StatusOK, pages.History(v))
}

// historyLane is one team's path through the history, built column by column.
type historyLane struct {
	team  postgres.PublicTeamRef
	cells []chart.LaneCell
	first int // order of first appearance
	// exit is the column of the team's last exit, or -1 while still in
	// the running; key orders lanes that left at the same step.
	exit int
	key  int
}

// lifelines builds the elimination-history diagram and its one-line path
// ("지원 15개 팀 → 서면 평가 10개 팀 → …") from the same public outcomes
// as the step list, so the two always agree.
func (pr *pageReq) lifelines(h postgres.PublicHistory, upcoming map[string][]postgres.PublicTeamRef) (string, *chart.Lifelines) {
	if len(h.Rounds) == 0 {
		return "", nil
	}
	L := pr.L
	in := chart.LifelinesInput{ID: "history-diagram", Title: pr.T("history.diagram.title")}
	lanes := map[string]*historyLane{}
	var order []string
	ncols := len(h.Rounds) + 1
	get := func(t postgres.PublicTeamRef) *historyLane {
		if l, ok := lanes[t.Slug]; ok {
			return l
		}
		l := &historyLane{team: t, cells: make([]chart.LaneCell, ncols), first: len(order), exit: -1}
		lanes[t.Slug] = l
		order = append(order, t.Slug)
		return l
	}
	entrants := func(rd postgres.PublicHistoryRound) []postgres.PublicTeamRef {
		if rd.Published {
			out := make([]postgres.PublicTeamRef, 0, len(rd.Outcomes))
			for _, o := range rd.Outcomes {
				out = append(out, o.Team)
			}
			return out
		}
		return upcoming[rd.Slug]
	}

	// The call: the first round's entrants applied.
	applicants := entrants(h.Rounds[0])
	in.Columns = append(in.Columns, chart.LifelineColumn{
		Name:  pr.T("history.call"),
		Lines: []string{L.Date(pr.prog.StartedOn), pr.T("history.col.applied", "n", len(applicants))},
	})
	field := map[string]bool{}
	for _, t := range applicants {
		get(t).cells[0] = chart.LaneCell{Mark: chart.MarkPass, Title: L.Text(t.Name) + " — " + pr.T("history.call")}
		field[t.Slug] = true
	}
	path := []string{pr.T("history.path.applied", "n", len(applicants))}
	firstUpcoming := true
	for i, rd := range h.Rounds {
		col := i + 1
		name := L.Text(rd.Name)
		c := chart.LifelineColumn{Name: name, URL: L.URL("/rounds/" + rd.Slug), Upcoming: !rd.Published}
		if date := pr.roundDate(rd.PublicRound); date != "" {
			c.Lines = append(c.Lines, date)
		}
		entered := map[string]bool{}
		if !rd.Published {
			if rd.Entrants > 0 {
				c.Lines = append(c.Lines, pr.T("history.col.entrants", "n", rd.Entrants))
			} else {
				c.Lines = append(c.Lines, pr.T("history.col.entrants_unknown"))
			}
			c.Lines = append(c.Lines, pr.T("history.col.places", "n", rd.Advance))
			if firstUpcoming {
				for _, t := range upcoming[rd.Slug] {
					l := get(t)
					l.cells[col] = chart.LaneCell{Mark: chart.MarkEntrant, Title: L.Text(t.Name) + " — " + name + ": " + pr.T("round.status.planned")}
					entered[t.Slug] = true
				}
				for slug := range field {
					if !entered[slug] {
						lanes[slug].cells[col] = chart.LaneCell{Mark: chart.MarkField}
					}
				}
			}
			firstUpcoming = false
			in.Columns = append(in.Columns, c)
			continue
		}
		through, joined := 0, 0
		for k, o := range rd.Outcomes {
			l := get(o.Team)
			entered[o.Team.Slug] = true
			title := L.Text(o.Team.Name) + " — " + name + ": " + pr.T("outcome."+o.Outcome)
			if reason := L.Text(o.Reason); reason != "" {
				title += " (" + reason + ")"
			}
			switch {
			case passed(o.Outcome) && !field[o.Team.Slug] && rd.Kind == contest.KindAdditional:
				l.cells[col] = chart.LaneCell{Mark: chart.MarkJoin, Code: o.Outcome, Label: pr.T("history.added"), Title: title}
				field[o.Team.Slug] = true
				l.exit = -1
				through++
				joined++
			case passed(o.Outcome):
				l.cells[col] = chart.LaneCell{Mark: chart.MarkPass, Code: o.Outcome, Title: title}
				field[o.Team.Slug] = true
				through++
			default:
				l.cells[col] = chart.LaneCell{Mark: chart.MarkExit, Code: o.Outcome, Label: pr.T("outcome." + o.Outcome), Title: title}
				delete(field, o.Team.Slug)
				l.exit, l.key = col, k
			}
		}
		for slug := range field {
			if !entered[slug] {
				lanes[slug].cells[col] = chart.LaneCell{Mark: chart.MarkField}
			}
		}
		if rd.Kind == contest.KindAdditional {
			c.Lines = append(c.Lines, pr.T("history.col.joined", "entered", len(rd.Outcomes), "through", joined))
			path[len(path)-1] += " " + pr.T("history.path.joined", "n", joined)
		} else {
			c.Lines = append(c.Lines, pr.T("history.col.flow", "entered", len(rd.Outcomes), "through", through))
			path = append(path, pr.T("history.path.step."+stepKind(rd.Kind), "round", name, "n", through))
		}
		c.Lines = append(c.Lines, pr.T("history.col.field", "n", len(field)))
		in.Columns = append(in.Columns, c)
	}
	path = append(path, pr.T("history.path.now", "n", len(field)))

	// Teams still in first, in the order of the next round's entries; then
	// the teams that left, the latest exits first.
	next := map[string]int{}
	for _, rd := range h.Rounds {
		if !rd.Published {
			for i, t := range upcoming[rd.Slug] {
				next[t.Slug] = i
			}
			break
		}
	}
	slices.SortStableFunc(order, func(a, b string) int {
		la, lb := lanes[a], lanes[b]
		if (la.exit < 0) != (lb.exit < 0) {
			if la.exit < 0 {
				return -1
			}
			return 1
		}
		if la.exit < 0 {
			ia, oka := next[a]
			ib, okb := next[b]
			switch {
			case oka && okb:
				return ia - ib
			case oka != okb:
				if oka {
					return -1
				}
				return 1
			}
			return la.first - lb.first
		}
		if la.exit != lb.exit {
			return lb.exit - la.exit
		}
		return la.key - lb.key
	})
	for _, slug := range order {
		l := lanes[slug]
		in.Lanes = append(in.Lanes, chart.LifelineLane{Name: L.Text(l.team.Name), URL: L.URL(teamPath(slug)), Cells: l.cells})
	}
	in.Legend = []chart.LegendMark{
		{Mark: chart.MarkPass, Label: pr.T("history.legend.pass")},
		{Mark: chart.MarkExit, Code: contest.OutcomeEliminated, Label: pr.T("outcome.eliminated")},
		{Mark: chart.MarkExit, Code: contest.OutcomeDisqualified, Label: pr.T("outcome.disqualified")},
		{Mark: chart.MarkExit, Code: contest.OutcomeNotSelected, Label: pr.T("outcome.not_selected")},
		{Mark: chart.MarkExit, Code: contest.OutcomeWithdrew, Label: pr.T("outcome.withdrew")},
		{Mark: chart.MarkJoin, Label: pr.T("history.legend.join")},
		{Mark: chart.MarkEntrant, Label: pr.T("history.legend.entrant")},
	}
	line := strings.Join(path, " → ")
	in.Desc = line + ". " + pr.historyDesc(h)
	return line, chart.LayoutLifelines(in)
}

// historyDesc states every published step's exits and joins in words, for
// the diagram's <desc>.
func (pr *pageReq) historyDesc(h postgres.PublicHistory) string {
	L := pr.L
	var parts []string
	for _, rd := range h.Rounds {
		if !rd.Published {
			continue
		}
		var left, joined []string
		for _, o := range rd.Outcomes {
			switch {
			case passed(o.Outcome) && rd.Kind == contest.KindAdditional:
				joined = append(joined, L.Text(o.Team.Name))
			case !passed(o.Outcome):
				left = append(left, L.Text(o.Team.Name)+" ("+pr.T("outcome."+o.Outcome)+")")
			}
		}
		s := L.Text(rd.Name) + ": "
		var facts []string
		if len(joined) > 0 {
			facts = append(facts, pr.T("history.desc.joined", "teams", strings.Join(joined, ", ")))
		}
		if len(left) > 0 {
			facts = append(facts, pr.T("history.desc.left", "teams", strings.Join(left, ", ")))
		}
		if len(facts) == 0 {
			continue
		}
		parts = append(parts, s+strings.Join(facts, "; "))
	}
	return strings.Join(parts, ". ")
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

// stepKind is "stage" for a stage round and "selection" otherwise, for the
// wording of a step.
func stepKind(kind string) string {
	if kind == contest.KindStage {
		return "stage"
	}
	return "selection"
}
