package web

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/chart"
	"github.com/kai-challenge/portal/internal/web/format"
	"github.com/kai-challenge/portal/internal/web/view"
)

// historyData is what the history shows: the public history, the
// objections against its published rounds and the entrants of the next
// round to come.
type historyData struct {
	h        postgres.PublicHistory
	objs     roundObjections
	upcoming map[string][]postgres.PublicTeamRef
}

// readHistory reads the history of a program with its objections and the
// next round's entrants.
func (s *server) readHistory(ctx context.Context, program string) (historyData, error) {
	h, err := s.store.PublicHistory(ctx, program)
	if err != nil {
		return historyData{}, err
	}
	objs, err := s.historyObjections(ctx, program, h)
	if err != nil {
		return historyData{}, err
	}
	upcoming, err := s.upcomingEntrants(ctx, program, h)
	if err != nil {
		return historyData{}, err
	}
	return historyData{h: h, objs: objs, upcoming: upcoming}, nil
}

// historyPage is the elimination history: from the applicants of the
// first round to today, each published round with who entered, who went
// through and who left (and why), the teams added by additional calls, the
// timeline events in date order, and the rounds still to come.
func (pr *pageReq) historyPage(d historyData) (view.HistoryPage, error) {
	h, objs := d.h, d.objs
	v := view.HistoryPage{Page: pr.page("history", pr.T("nav.history"))}
	hs := pr.historySteps(h, objs)
	for _, d := range hs.steps {
		v.Steps = append(v.Steps, d.step)
	}
	v.Summary = []view.Stat{
		{Label: pr.T("history.applicants"), Value: pr.L.Number(hs.applicants)},
		{Label: pr.T("history.rounds_published"), Value: pr.L.Number(hs.published)},
		{Label: pr.T("history.still_in"), Value: pr.L.Number(hs.stillIn)},
	}
	v.Path, v.Diagram = pr.lifelines(h, d.upcoming, objs)
	v.Description = pr.T("desc.history", "path", v.Path)
	return v, nil
}

// roundObjections are the objections of each published round, by slug.
type roundObjections map[string][]postgres.Objection

// historyObjections reads the objections filed against the published
// rounds.
func (s *server) historyObjections(ctx context.Context, program string, h postgres.PublicHistory) (roundObjections, error) {
	out := roundObjections{}
	for _, rd := range h.Rounds {
		if !rd.Published {
			continue
		}
		objs, err := s.store.Objections(ctx, program, rd.Slug)
		if err != nil {
			return nil, err
		}
		out[rd.Slug] = objs
	}
	return out, nil
}

// objectionNote says who filed an objection when and where it stands.
func (pr *pageReq) objectionNote(o postgres.Objection) string {
	filed := o.FiledOn
	team, date, status := pr.L.Text(o.Team.Name), pr.L.Date(&filed), pr.T("objection.status."+o.Status)
	if o.DecidedOn != nil {
		return pr.T("objection.history.decided", "team", team, "date", date, "decided", pr.L.Date(o.DecidedOn), "status", status)
	}
	return pr.T("objection.history.note", "team", team, "date", date, "status", status)
}

// stepObjections are a round's objections as its step notes them.
func (pr *pageReq) stepObjections(slug string, objs []postgres.Objection) []view.HistoryObjection {
	var out []view.HistoryObjection
	for _, o := range objs {
		out = append(out, view.HistoryObjection{
			Text:       pr.objectionNote(o),
			Decision:   pr.L.Text(o.Decision),
			StatusCode: o.Status,
			URL:        pr.L.URL("/rounds/"+slug) + "#objections",
		})
	}
	return out
}

// upcomingEntrants are the entrants of the next round to come, the only
// round to come the diagram reads. Entrants of a round to come are public;
// their eligibility is not.
func (s *server) upcomingEntrants(ctx context.Context, program string, h postgres.PublicHistory) (map[string][]postgres.PublicTeamRef, error) {
	upcoming := map[string][]postgres.PublicTeamRef{}
	i := slices.IndexFunc(h.Rounds, func(rd postgres.PublicHistoryRound) bool { return !rd.Published })
	if i < 0 || h.Rounds[i].Entrants == 0 {
		return upcoming, nil
	}
	rd := h.Rounds[i]
	d, err := s.store.PublicRound(ctx, program, rd.Slug)
	if err != nil {
		return nil, err
	}
	for _, e := range d.Entries {
		upcoming[rd.Slug] = append(upcoming[rd.Slug], e.Team)
	}
	return upcoming, nil
}

// datedStep is a step of the history with the day it sorts on.
type datedStep struct {
	on   *time.Time // nil sorts last
	rank int        // on the same day: the call, then rounds, then events
	step view.HistoryStep
}

// historyList is the step list of the history and its summary counts.
type historyList struct {
	steps                          []datedStep
	applicants, published, stillIn int
}

// historySteps lists the call, the rounds and the timeline events in date
// order.
func (pr *pageReq) historySteps(h postgres.PublicHistory, objs roundObjections) historyList {
	var hl historyList
	L := pr.L
	if len(h.Rounds) > 0 {
		hl.applicants = h.Rounds[0].Entrants
		hl.steps = append(hl.steps, datedStep{on: pr.prog.StartedOn, rank: 0, step: view.HistoryStep{
			Kind:  "call",
			Date:  L.Date(pr.prog.StartedOn),
			Title: pr.T("history.call"),
			Facts: []view.Stat{{Label: pr.T("history.applicants"), Value: pr.T("count.teams", "n", hl.applicants)}},
		}})
	}
	field := map[string]bool{} // teams still in the running after each round
	for _, rd := range h.Rounds {
		var st view.HistoryStep
		if rd.Published {
			hl.published++
			st = pr.publishedStep(rd, field)
			st.Objections = pr.stepObjections(rd.Slug, objs[rd.Slug])
		} else {
			st = pr.upcomingStep(rd)
		}
		hl.steps = append(hl.steps, datedStep{on: roundDay(rd.PublicRound), rank: 1, step: st})
	}
	hl.stillIn = len(field)
	for _, e := range h.Events {
		hl.steps = append(hl.steps, datedStep{on: &e.On, rank: 2, step: view.HistoryStep{
			Kind:    "event",
			Date:    L.DateRange(e.On, e.Until),
			Title:   L.Text(e.Title),
			Marker:  pr.marker(e.Confidence),
			Sources: pr.sources(e.Sources),
		}})
	}
	slices.SortStableFunc(hl.steps, func(a, b datedStep) int {
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
	return hl
}

// upcomingStep is a round still to come in the step list.
func (pr *pageReq) upcomingStep(rd postgres.PublicHistoryRound) view.HistoryStep {
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
	return st
}

// publishedStep is a published round in the step list: who joined, who
// left, and the field after it, which it updates.
func (pr *pageReq) publishedStep(rd postgres.PublicHistoryRound, field map[string]bool) view.HistoryStep {
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
	return st
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

// lifelineBuilder holds the lanes of the diagram while its columns are
// added from left to right, and the field of teams still in the running.
type lifelineBuilder struct {
	pr       *pageReq
	upcoming map[string][]postgres.PublicTeamRef
	objs     roundObjections
	ncols    int
	lanes    map[string]*historyLane
	order    []string
	field    map[string]bool
	path     []string
}

// lane is a team's lane, started the first time the team appears.
func (b *lifelineBuilder) lane(t postgres.PublicTeamRef) *historyLane {
	if l, ok := b.lanes[t.Slug]; ok {
		return l
	}
	l := &historyLane{team: t, cells: make([]chart.LaneCell, b.ncols), first: len(b.order), exit: -1}
	b.lanes[t.Slug] = l
	b.order = append(b.order, t.Slug)
	return l
}

// entrants are a round's entrants: its outcomes once published, its public
// entries before.
func (b *lifelineBuilder) entrants(rd postgres.PublicHistoryRound) []postgres.PublicTeamRef {
	if !rd.Published {
		return b.upcoming[rd.Slug]
	}
	out := make([]postgres.PublicTeamRef, 0, len(rd.Outcomes))
	for _, o := range rd.Outcomes {
		out = append(out, o.Team)
	}
	return out
}

// passThrough carries the lanes of the field that did not enter column col.
func (b *lifelineBuilder) passThrough(col int, entered map[string]bool) {
	for slug := range b.field {
		if !entered[slug] {
			b.lanes[slug].cells[col] = chart.LaneCell{Mark: chart.MarkField}
		}
	}
}

// callColumn is the first column: the first round's entrants applied.
func (b *lifelineBuilder) callColumn(first postgres.PublicHistoryRound) chart.LifelineColumn {
	pr, L := b.pr, b.pr.L
	applicants := b.entrants(first)
	for _, t := range applicants {
		b.lane(t).cells[0] = chart.LaneCell{Mark: chart.MarkPass, Title: L.Text(t.Name) + " — " + pr.T("history.call")}
		b.field[t.Slug] = true
	}
	b.path = []string{pr.T("history.path.applied", "n", len(applicants))}
	return chart.LifelineColumn{
		Name:  pr.T("history.call"),
		Lines: []string{L.Date(pr.prog.StartedOn), pr.T("history.col.applied", "n", len(applicants))},
	}
}

// upcomingColumn adds a round still to come; only the next one (first)
// shows its entrants.
func (b *lifelineBuilder) upcomingColumn(c *chart.LifelineColumn, col int, rd postgres.PublicHistoryRound, first bool) {
	pr, L := b.pr, b.pr.L
	if rd.Entrants > 0 {
		c.Lines = append(c.Lines, pr.T("history.col.entrants", "n", rd.Entrants))
	} else {
		c.Lines = append(c.Lines, pr.T("history.col.entrants_unknown"))
	}
	c.Lines = append(c.Lines, pr.T("history.col.places", "n", rd.Advance))
	if !first {
		return
	}
	entered := map[string]bool{}
	for _, t := range b.upcoming[rd.Slug] {
		b.lane(t).cells[col] = chart.LaneCell{Mark: chart.MarkEntrant, Title: L.Text(t.Name) + " — " + c.Name + ": " + pr.T("round.status.planned")}
		entered[t.Slug] = true
	}
	b.passThrough(col, entered)
}

// publishedColumn adds a published round: each entrant's mark, the field
// after it and its step of the one-line path.
func (b *lifelineBuilder) publishedColumn(c *chart.LifelineColumn, col int, rd postgres.PublicHistoryRound) {
	pr, L := b.pr, b.pr.L
	entered := map[string]bool{}
	through, joined := 0, 0
	for k, o := range rd.Outcomes {
		entered[o.Team.Slug] = true
		switch b.outcomeCell(col, k, c.Name, rd.Kind, o) {
		case chart.MarkJoin:
			through++
			joined++
		case chart.MarkPass:
			through++
		}
	}
	b.passThrough(col, entered)
	b.noteObjections(col, rd.Slug)
	if rd.Kind == contest.KindAdditional {
		c.Lines = append(c.Lines, pr.T("history.col.joined", "entered", len(rd.Outcomes), "through", joined))
		b.path[len(b.path)-1] += " " + pr.T("history.path.joined", "n", joined)
	} else {
		c.Lines = append(c.Lines, pr.T("history.col.flow", "entered", len(rd.Outcomes), "through", through))
		b.path = append(b.path, pr.T("history.path.step."+stepKind(rd.Kind), "round", L.Text(rd.Name), "n", through))
	}
	c.Lines = append(c.Lines, pr.T("history.col.field", "n", len(b.field)))
}

// outcomeCell marks one published outcome in column col and updates the
// field; it returns the mark.
func (b *lifelineBuilder) outcomeCell(col, k int, round, kind string, o postgres.PublicOutcome) chart.Mark {
	pr, L := b.pr, b.pr.L
	l := b.lane(o.Team)
	title := L.Text(o.Team.Name) + " — " + round + ": " + pr.T("outcome."+o.Outcome)
	if reason := L.Text(o.Reason); reason != "" {
		title += " (" + reason + ")"
	}
	switch {
	case passed(o.Outcome) && !b.field[o.Team.Slug] && kind == contest.KindAdditional:
		l.cells[col] = chart.LaneCell{Mark: chart.MarkJoin, Code: o.Outcome, Label: pr.T("history.added"), Title: title}
		b.field[o.Team.Slug] = true
		l.exit = -1
	case passed(o.Outcome):
		l.cells[col] = chart.LaneCell{Mark: chart.MarkPass, Code: o.Outcome, Title: title}
		b.field[o.Team.Slug] = true
	default:
		l.cells[col] = chart.LaneCell{Mark: chart.MarkExit, Code: o.Outcome, Label: pr.T("outcome." + o.Outcome), Title: title}
		delete(b.field, o.Team.Slug)
		l.exit, l.key = col, k
	}
	return l.cells[col].Mark
}

// noteObjections notes each objection against the round in column col on
// the mark of the team that filed it: a word beside the mark and the
// whole note in its tooltip.
func (b *lifelineBuilder) noteObjections(col int, slug string) {
	for _, o := range b.objs[slug] {
		l, ok := b.lanes[o.Team.Slug]
		if !ok || l.cells[col].Mark == chart.MarkNone {
			continue
		}
		cell := &l.cells[col]
		cell.Title += " · " + b.pr.objectionNote(o)
		if cell.Label != "" {
			cell.Label += " · " + b.pr.T("objection.short")
		}
	}
}

// sortLanes puts the teams still in first, in the order of the next
// round's entries (next); then the teams that left, the latest exits first.
func (b *lifelineBuilder) sortLanes(next map[string]int) {
	slices.SortStableFunc(b.order, func(a, c string) int {
		la, lc := b.lanes[a], b.lanes[c]
		if (la.exit < 0) != (lc.exit < 0) {
			return boolOrder(la.exit < 0)
		}
		if la.exit >= 0 {
			if la.exit != lc.exit {
				return lc.exit - la.exit
			}
			return la.key - lc.key
		}
		ia, oka := next[a]
		ic, okc := next[c]
		switch {
		case oka && okc:
			return ia - ic
		case oka != okc:
			return boolOrder(oka)
		}
		return la.first - lc.first
	})
}

// boolOrder sorts true first: -1 for true, 1 for false.
func boolOrder(first bool) int {
	if first {
		return -1
	}
	return 1
}

// nextEntries is the position of each entrant of the next round to come.
func nextEntries(h postgres.PublicHistory, upcoming map[string][]postgres.PublicTeamRef) map[string]int {
	next := map[string]int{}
	for _, rd := range h.Rounds {
		if !rd.Published {
			for i, t := range upcoming[rd.Slug] {
				next[t.Slug] = i
			}
			break
		}
	}
	return next
}

// lifelineLegend explains the marks of the diagram.
func (pr *pageReq) lifelineLegend() []chart.LegendMark {
	return []chart.LegendMark{
		{Mark: chart.MarkPass, Label: pr.T("history.legend.pass")},
		{Mark: chart.MarkExit, Code: contest.OutcomeEliminated, Label: pr.T("outcome.eliminated")},
		{Mark: chart.MarkExit, Code: contest.OutcomeDisqualified, Label: pr.T("outcome.disqualified")},
		{Mark: chart.MarkExit, Code: contest.OutcomeNotSelected, Label: pr.T("outcome.not_selected")},
		{Mark: chart.MarkExit, Code: contest.OutcomeWithdrew, Label: pr.T("outcome.withdrew")},
		{Mark: chart.MarkJoin, Label: pr.T("history.legend.join")},
		{Mark: chart.MarkEntrant, Label: pr.T("history.legend.entrant")},
	}
}

// lifelines builds the elimination-history diagram and its one-line path
// ("지원 15개 팀 → 서면 평가 10개 팀 → …") from the same public outcomes
// as the step list, so the two always agree.
func (pr *pageReq) lifelines(h postgres.PublicHistory, upcoming map[string][]postgres.PublicTeamRef, objs roundObjections) (string, *chart.Lifelines) {
	if len(h.Rounds) == 0 {
		return "", nil
	}
	L := pr.L
	b := &lifelineBuilder{
		pr: pr, upcoming: upcoming, objs: objs, ncols: len(h.Rounds) + 1,
		lanes: map[string]*historyLane{}, field: map[string]bool{},
	}
	in := chart.LifelinesInput{ID: "history-diagram", Title: pr.T("history.diagram.title")}
	in.Columns = append(in.Columns, b.callColumn(h.Rounds[0]))
	firstUpcoming := true
	for i, rd := range h.Rounds {
		c := chart.LifelineColumn{Name: L.Text(rd.Name), URL: L.URL("/rounds/" + rd.Slug), Upcoming: !rd.Published}
		if date := pr.roundDate(rd.PublicRound); date != "" {
			c.Lines = append(c.Lines, date)
		}
		if rd.Published {
			b.publishedColumn(&c, i+1, rd)
		} else {
			b.upcomingColumn(&c, i+1, rd, firstUpcoming)
			firstUpcoming = false
		}
		in.Columns = append(in.Columns, c)
	}
	b.path = append(b.path, pr.T("history.path.now", "n", len(b.field)))

	b.sortLanes(nextEntries(h, upcoming))
	for _, slug := range b.order {
		l := b.lanes[slug]
		in.Lanes = append(in.Lanes, chart.LifelineLane{Name: L.Text(l.team.Name), URL: L.URL(teamPath(slug)), Cells: l.cells})
	}
	in.Legend = pr.lifelineLegend()
	line := strings.Join(b.path, " → ")
	in.Desc = line + ". " + pr.historyDesc(h)
	for _, rd := range h.Rounds {
		for _, o := range objs[rd.Slug] {
			in.Desc += ". " + pr.objectionNote(o)
		}
	}
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
