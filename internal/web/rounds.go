package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/format"
	"github.com/kai-challenge/portal/internal/web/view"
	"github.com/kai-challenge/portal/web/pages"
)

// roundsPage lists the rounds in order.
func (pr *pageReq) roundsPage(rounds []postgres.PublicRound) (view.RoundsPage, error) {
	L := pr.L
	v := view.RoundsPage{Page: pr.page("rounds", pr.T("nav.rounds"))}
	for _, rd := range rounds {
		row := view.RoundRow{
			RoundFacts: pr.roundFacts(rd),
			Round:      pr.roundLink(rd.Slug, rd.Name),
			Entrants:   L.Number(rd.Entrants),
		}
		if rd.Through != nil {
			row.Through = L.Number(*rd.Through)
		}
		v.Rounds = append(v.Rounds, row)
	}
	return v, nil
}

// roundFacts are the kind, period, dates and status of a round.
func (pr *pageReq) roundFacts(rd postgres.PublicRound) view.RoundFacts {
	f := view.RoundFacts{
		Kind:      pr.T("round.kind." + rd.Kind),
		Period:    rd.Period,
		Evaluated: pr.L.Date(rd.EvaluatedOn),
		Announced: pr.L.Announcement(rd.AnnounceAt, rd.AnnounceDateOnly),
	}
	f.StatusCode, f.Status = pr.roundStatus(rd.Status)
	return f
}

// handleRoundShow is one round's page. The store returns no figures,
// outcomes or eligibility decisions for a round that is not published.
func (s *server) handleRoundShow(w http.ResponseWriter, r *http.Request) error {
	pr, data, err := loadSlug(s, r, s.roundData(r))
	if err != nil {
		return err
	}
	d := data.round
	L := pr.L
	v := view.RoundPage{
		Page:       pr.page("rounds", L.Text(d.Name)),
		RoundFacts: pr.roundFacts(d.PublicRound),
		Name:       L.Text(d.Name),
		Published:  d.Published,
		Note:       L.Text(d.Note),
		Sources:    pr.sources(d.Sources),
		Rule:       pr.rule(d.PublicRound),
		Outcomes:   pr.outcomes(d.Outcomes),
	}
	// The publication time is news only when it differs from the announced one.
	if at := L.Announcement(d.PublishedAt, d.AnnounceDateOnly); d.Published && at != v.Announced {
		v.PublishedAt = at
	}
	for _, c := range d.Criteria {
		row := view.Criterion{
			Code:        c.Code,
			Name:        L.Text(c.Name),
			Depth:       c.Depth,
			Max:         L.Points(c.Max),
			Description: L.Text(c.Description),
			Note:        L.Text(c.Note),
		}
		switch {
		case c.PanelSize != nil:
			row.Panel = pr.T("criterion.panel", "n", *c.PanelSize, "aggregate", pr.T("aggregate."+c.Aggregate))
		case c.Leaf:
			row.Panel = pr.T("criterion.direct")
		default:
			row.Panel = pr.T("criterion.sum")
		}
		v.Criteria = append(v.Criteria, row)
	}
	for _, e := range d.Entries {
		row := view.Entry{Team: pr.teamLink(e.Team.Slug, e.Team.Name), Code: e.Status, Reason: L.Text(e.Reason)}
		if e.Status != "" {
			row.Eligibility = pr.T("entry." + e.Status)
		}
		v.Entries = append(v.Entries, row)
	}
	v.Scores = pr.scoreTable(d)
	v.Stats = pr.statsTable(d)
	v.Disclosure = pr.disclosureLevel(d)
	v.Disclosures = pr.disclosureSteps(d.Disclosures)
	v.Objections = pr.objections(d.Objections)
	v.Description = pr.T("desc.round", "round", v.Name)
	v.OGType = "article"
	v.Downloads = pr.roundDownloads(d.Slug, d.Published)
	v.OGImage, v.OGImageAlt = "/og/rounds/"+d.Slug+".png", pr.T("ux.og.round", "round", v.Name)
	if d.Published && d.Computed {
		res, err := s.currentResults(r.Context(), pr, d, data.results)
		if err != nil {
			return err
		}
		if res != nil {
			// The explorer links only where it can simulate: a round
			// computed by the rule engine, with its results.
			v.WhatIf = view.Link{Text: pr.T("whatif.link"), URL: L.URL("/rounds/" + d.Slug + "/what-if")}
			res.WhatIf = v.WhatIf
			v.Results = res
			v.Examples = pr.whatIfExamples(d)
			if res.Teams == nil {
				v.Computations = pr.computationLinks(d.Slug, data.results, namesOf(d.Entries, data.results.Input))
			}
		}
	}
	v.Aggregates = pr.aggregatesTable(d)
	return s.render(w, r, http.StatusOK, pages.Round(v))
}

// currentResults is the results section of a published round computed by
// the rule engine (rr, its published results): its current revision,
// corrections and audit chain head; nil when the round's outcomes were only
// announced. A large round's section leaves out each team's computation
// (see foldsMethod).
func (s *server) currentResults(ctx context.Context, pr *pageReq, d postgres.PublicRoundDetail, rr postgres.RoundResults) (*view.RoundResultsView, error) {
	if rr.Result == nil || rr.Announced {
		return nil, nil
	}
	recs, err := s.publishedCorrections(ctx, pr.prog.Slug, d)
	if err != nil {
		return nil, err
	}
	head, err := s.store.AuditHead(ctx, pr.prog.Slug, d.Slug)
	if err != nil {
		return nil, err
	}
	names := namesOf(d.Entries, rr.Input)
	var v *view.RoundResultsView
	if foldsMethod(rr) {
		v = pr.resultsSummary(pr.L.Text(d.Name), rr, names)
	} else {
		v = pr.resultsView(pr.L.Text(d.Name), rr, names)
	}
	v.Revision = pr.T("results.revision.current", "n", rr.Revision)
	v.AuditHead = head
	v.Corrections, v.Revisions = pr.corrections(d.Slug, recs, names)
	if len(recs) > 0 && recs[len(recs)-1].Revision == rr.Revision {
		last := recs[len(recs)-1]
		v.RevisionNote = pr.T("results.revision.corrected", "when", pr.L.DateTime(&last.PublishedAt), "reason", pr.L.Text(last.Reason))
	} else if d.PublishedAt != nil {
		v.RevisionNote = pr.T("results.revision.published", "when", pr.L.DateTime(d.PublishedAt))
	}
	return v, nil
}

// handleRoundRevision shows one published revision of a round's computed
// results as it was published, marked as an earlier revision when a
// correction replaced it.
func (s *server) handleRoundRevision(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.begin(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(chi.URLParam(r, "n"))
	if err != nil || n < 1 || strconv.Itoa(n) != chi.URLParam(r, "n") {
		return contest.ErrNotFound
	}
	d, err := s.store.PublicRound(r.Context(), pr.prog.Slug, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	if !d.Published {
		return contest.ErrNotFound
	}
	rr, rec, err := s.store.Revision(r.Context(), pr.prog.Slug, d.Slug, n)
	if err != nil {
		return err
	}
	if rr.Result == nil {
		return contest.ErrNotFound
	}
	recs, err := s.store.Corrections(r.Context(), pr.prog.Slug, d.Slug)
	if err != nil {
		return err
	}
	current := currentRevision(recs)
	L := pr.L
	name := L.Text(d.Name)
	names := namesOf(d.Entries, rr.Input)
	res := pr.resultsView(name, rr, names)
	res.Revision = pr.T("results.revision", "n", n)
	res.AuditHead = rec.AuditHead
	at := rec.PublishedAt
	if n > 1 {
		res.RevisionNote = pr.T("results.revision.corrected", "when", L.DateTime(&at), "reason", L.Text(rec.Reason))
	} else {
		res.RevisionNote = pr.T("results.revision.published", "when", L.DateTime(&at))
	}
	res.Current = view.Link{Text: pr.T("revision.current_link", "n", current), URL: L.URL("/rounds/" + d.Slug)}
	res.Old = n < current
	res.Corrections, res.Revisions = pr.corrections(d.Slug, recs, names)
	title := pr.T("revision.title", "round", name, "n", n)
	v := view.RevisionPage{
		Page:    pr.page("rounds", title),
		Round:   pr.roundLink(d.Slug, d.Name),
		Name:    title,
		Results: res,
	}
	v.Description = pr.T("desc.revision", "round", name, "n", n)
	v.OGType = "article"
	return s.render(w, r, http.StatusOK, pages.RoundRevision(v))
}

// currentRevision is the number of a published round's current revision:
// that of its latest correction, or 1 when it was never corrected.
func currentRevision(corrections []postgres.CorrectionRecord) int {
	if len(corrections) == 0 {
		return 1
	}
	return corrections[len(corrections)-1].Revision
}

// rule states a round's rule in words.
func (pr *pageReq) rule(r postgres.PublicRound) view.Rule {
	ru := view.Rule{Places: pr.T("rule.places."+r.Kind, "n", r.Advance)}
	if r.Backfill {
		ru.Backfill = pr.T("rule.backfill.true")
	} else {
		ru.Backfill = pr.T("rule.backfill.false")
	}
	if r.MinTotal != "" {
		ru.MinTotal = pr.T("rule.min_total", "points", pr.L.Points(r.MinTotal))
	}
	return ru
}

// scoreColumns are the round's criteria in tree order, then the total. The
// results of a computed round carry category points only, so its table
// stops at the categories rather than showing every leaf as undisclosed.
func (pr *pageReq) scoreColumns(d postgres.PublicRoundDetail) []view.ScoreColumn {
	cols := make([]view.ScoreColumn, 0, len(d.Criteria)+1)
	for _, c := range d.Criteria {
		if d.Computed && c.Depth > 0 {
			continue
		}
		cols = append(cols, view.ScoreColumn{Code: c.Code, Name: pr.L.Text(c.Name), Max: pr.L.Points(c.Max), Depth: c.Depth})
	}
	return append(cols, view.ScoreColumn{Code: "total", Name: pr.T("table.total"), Total: true})
}

// scoreTable is every entrant × every criterion and the total. A figure that
// was never published says so: it is not a zero.
func (pr *pageReq) scoreTable(d postgres.PublicRoundDetail) *view.ScoreTable {
	if len(d.Scores) == 0 {
		return nil
	}
	values := map[[2]string]string{}
	byTeam := map[string][]postgres.PublicScore{}
	for _, sc := range d.Scores {
		values[[2]string{sc.Team, sc.Criterion}] = sc.Value
		byTeam[sc.Team] = append(byTeam[sc.Team], sc)
	}
	t := &view.ScoreTable{
		Caption: pr.T("round.scores.caption", "round", pr.L.Text(d.Name)),
		Head:    pr.T("table.team"),
		Columns: pr.scoreColumns(d),
	}
	for _, e := range d.Entries {
		row := view.ScoreRow{Head: pr.teamLink(e.Team.Slug, e.Team.Name), Code: e.Team.Slug, Sources: pr.figureSources(byTeam[e.Team.Slug])}
		for _, c := range t.Columns {
			row.Cells = append(row.Cells, pr.cell(values, e.Team.Slug, c.Code))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// statsTable is every published statistic × every criterion and the total.
func (pr *pageReq) statsTable(d postgres.PublicRoundDetail) *view.ScoreTable {
	return pr.statTable(d, d.Stats, "round.stats.caption", []string{"mean", "median", "max", "min"}, format.Figure)
}

// aggregatesTable is the statistics the portal computes over the ranked
// teams of a round disclosed at aggregates or full; nil at outcomes.
// The store writes each figure with the round's decimals.
func (pr *pageReq) aggregatesTable(d postgres.PublicRoundDetail) *view.ScoreTable {
	return pr.statTable(d, d.Aggregates, "round.aggregates.caption", []string{"mean", "max", "min", "spread"}, format.Figure)
}

// statTable lays out statistics, one row per statistic in order; nil when
// there is none.
func (pr *pageReq) statTable(d postgres.PublicRoundDetail, stats []postgres.PublicStat, caption string, order []string, format func(string) string) *view.ScoreTable {
	if len(stats) == 0 {
		return nil
	}
	values := map[[2]string]string{}
	seen := map[string]bool{}
	for _, st := range stats {
		values[[2]string{st.Stat, st.Criterion}] = st.Value
		seen[st.Stat] = true
	}
	t := &view.ScoreTable{
		Caption: pr.T(caption, "round", pr.L.Text(d.Name)),
		Head:    pr.T("table.stat"),
		Columns: pr.scoreColumns(d),
	}
	for _, stat := range order {
		if !seen[stat] {
			continue
		}
		row := view.ScoreRow{Head: view.Link{Text: pr.T("stat." + stat)}, Code: stat}
		for _, c := range t.Columns {
			if v, ok := values[[2]string{stat, c.Code}]; ok {
				row.Cells = append(row.Cells, view.Cell{Text: format(v)})
			} else {
				row.Cells = append(row.Cells, pr.undisclosed())
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func (pr *pageReq) cell(values map[[2]string]string, row, col string) view.Cell {
	if v, ok := values[[2]string{row, col}]; ok {
		return view.Cell{Text: format.Figure(v)}
	}
	return pr.undisclosed()
}

// figureSources are the sources cited for a set of published figures, each
// once, in the order first cited.
func (pr *pageReq) figureSources(scores []postgres.PublicScore) []view.Source {
	seen := map[string]bool{}
	var srcs []postgres.PublicSource
	for _, sc := range scores {
		for _, src := range sc.Sources {
			if !seen[src.URL] {
				seen[src.URL] = true
				srcs = append(srcs, src)
			}
		}
	}
	return pr.sources(srcs)
}

// disclosureSteps are a round's dated disclosure steps, oldest first.
func (pr *pageReq) disclosureSteps(steps []postgres.DisclosureStep) []view.DisclosureStep {
	var out []view.DisclosureStep
	for _, st := range steps {
		on := st.On
		out = append(out, view.DisclosureStep{
			Date:    pr.L.Date(&on),
			Level:   pr.T("disclosure." + st.Level),
			Note:    pr.L.Text(st.Note),
			Sources: pr.sources(st.Sources),
		})
	}
	return out
}

// objections shows formal objections: who filed what when, and how and
// why they were decided.
func (pr *pageReq) objections(objs []postgres.Objection) []view.Objection {
	var out []view.Objection
	for _, o := range objs {
		filed := o.FiledOn
		v := view.Objection{
			Team:       pr.teamLink(o.Team.Slug, o.Team.Name),
			Round:      pr.roundLink(o.Round.Slug, o.Round.Name),
			Filed:      pr.L.Date(&filed),
			Summary:    pr.L.Text(o.Summary),
			StatusCode: o.Status,
			Status:     pr.T("objection.status." + o.Status),
			Due:        pr.L.Date(o.DecisionDue),
			Decided:    pr.L.Date(o.DecidedOn),
			Decision:   pr.L.Text(o.Decision),
			Sources:    pr.sources(o.Sources),
		}
		out = append(out, v)
	}
	return out
}

// disclosureLevel names what a published round discloses.
func (pr *pageReq) disclosureLevel(d postgres.PublicRoundDetail) string {
	if !d.Published || d.Disclosure == "" {
		return ""
	}
	return pr.T("disclosure." + d.Disclosure)
}
