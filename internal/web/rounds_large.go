package web

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/web/view"
	"github.com/kai-challenge/portal/web/pages"
)

// A round's page shows how every team's total was computed, down to each
// evaluator's score, up to these sizes. A larger round (a hundred teams
// scored by panels of fifty make a hundred thousand scores, megabytes of
// HTML) shows the ranked table and links a page per team instead.
const (
	maxInlineTeams  = 12
	maxInlineScores = 5000
)

// foldsMethod tells whether a round's page links each team's computation
// rather than showing it.
func foldsMethod(rr postgres.RoundResults) bool {
	if rr.Result == nil {
		return false
	}
	scores := 0
	if rr.Input != nil {
		scores = len(rr.Input.Scores)
	}
	return len(rr.Result.Teams) > maxInlineTeams || scores > maxInlineScores
}

// computationPath is the page of one team's computation in a round.
func computationPath(round, team string) string {
	return "/rounds/" + round + "/computation/" + team
}

// computationLinks link each team's computation, in rank order.
func (pr *pageReq) computationLinks(round string, rr postgres.RoundResults, n roundNames) []view.Link {
	out := make([]view.Link, 0, len(rr.Result.Teams))
	for _, t := range rr.Result.Teams {
		out = append(out, view.Link{
			Text: pr.T("round.computation.link", "team", pr.teamName(n, t.Team), "rank", pr.rankText(t.Rank, t.Tied)),
			URL:  pr.L.URL(computationPath(round, t.Team)),
		})
	}
	return out
}

// handleRoundComputation is one team's computation in a published round
// computed by the rule engine: the page a large round links per team.
func (s *server) handleRoundComputation(w http.ResponseWriter, r *http.Request) error {
	pr, data, err := loadSlug(s, r, s.roundData(r))
	if err != nil {
		return err
	}
	d, rr := data.round, data.results
	if !d.Published || !d.Computed || rr.Result == nil || rr.Announced {
		return contest.ErrNotFound
	}
	team := chi.URLParam(r, "team")
	names := namesOf(d.Entries, rr.Input)
	for _, t := range rr.Result.Teams {
		if t.Team != team {
			continue
		}
		name := pr.L.Text(d.Name)
		teamName := pr.teamName(names, team)
		method := pr.resultsMethod(rr)
		method.Teams = []view.TeamMethod{pr.teamMethod(t, names, method.Decimals)}
		v := view.ComputationPage{
			Page:    pr.page("rounds", pr.T("round.computation.title", "team", teamName, "round", name)),
			Round:   pr.roundLink(d.Slug, d.Name),
			Results: method,
			WhatIf:  view.Link{Text: pr.T("whatif.link"), URL: pr.L.URL("/rounds/" + d.Slug + "/what-if")},
		}
		v.Title = v.Page.Title
		v.Description = pr.T("desc.computation", "team", teamName, "round", name)
		v.OGType = "article"
		return s.render(w, r, http.StatusOK, pages.RoundComputation(v))
	}
	return contest.ErrNotFound
}

// roundData reads a round's page data and published results: from the
// memory kept per change of the record for public requests, fresh from the
// database for staff, who may look right after a change of their own.
func (s *server) roundData(r *http.Request) func(ctx context.Context, program, slug string) (whatIfData, error) {
	if uncached(r) {
		return s.loadRoundData
	}
	return s.whatIfData
}

// loadRoundData reads a round's page data and, once published, its
// published results (none for a round whose outcomes were only announced).
func (s *server) loadRoundData(ctx context.Context, program, slug string) (whatIfData, error) {
	d, err := s.store.PublicRound(ctx, program, slug)
	if err != nil {
		return whatIfData{}, err
	}
	out := whatIfData{round: d}
	if d.Published {
		out.results, err = s.store.PublishedResults(ctx, program, slug)
		if err != nil && !errors.Is(err, contest.ErrNotFound) {
			return whatIfData{}, err
		}
	}
	in := out.results.Input
	out.engine = sync.OnceValue(func() rules.Input {
		if in == nil {
			return rules.Input{}
		}
		return in.EngineInput()
	})
	out.prepared = sync.OnceValues(func() (*rules.Prepared, error) { return rules.Prepare(out.engine()) })
	return out, nil
}
