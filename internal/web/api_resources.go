package web

// The API's resources. Each handler reads the public read model of one
// program (?program=, or the default program) and shapes it with
// api_types.go; nothing here can see an unpublished result, because the
// store methods it calls cannot.

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/postgres"
)

// apiProgramIndex lists every program, the default one first; none is an
// empty list.
func (s *server) apiProgramIndex(w http.ResponseWriter, r *http.Request) (any, error) {
	ps, err := s.store.PublicPrograms(r.Context())
	if err != nil {
		return nil, err
	}
	a := &apiReq{s: s, r: r}
	if len(ps) > 0 {
		a.defSlug = ps[0].Slug
	}
	out := apiProgramList{Programs: []apiProgram{}}
	for _, p := range ps {
		out.Programs = append(out.Programs, a.program(p))
	}
	return out, nil
}

// apiProgramShow is one program with its overview: who is still in, the
// next and the latest round.
func (s *server) apiProgramShow(w http.ResponseWriter, r *http.Request) (any, error) {
	a, err := s.apiDefault(r)
	if err != nil {
		return nil, err
	}
	slug := chi.URLParam(r, "program")
	p, err := s.store.PublicProgram(r.Context(), slug)
	if err != nil {
		return nil, notFound(err, "no program %q", slug)
	}
	ov, err := s.store.PublicOverview(r.Context(), slug)
	if err != nil {
		return nil, notFound(err, "no program %q", slug)
	}
	return a.programDetail(p, ov), nil
}

// apiRoundIndex lists the program's rounds in order, unpublished ones
// included (without results).
func (s *server) apiRoundIndex(w http.ResponseWriter, r *http.Request) (any, error) {
	a, err := s.apiProgram(r)
	if err != nil {
		return nil, err
	}
	rounds, err := s.store.PublicRounds(a.ctx(), a.prog)
	if err != nil {
		return nil, notFound(err, "no program %q", a.prog)
	}
	out := apiRoundList{Program: a.prog, Rounds: []apiRound{}}
	for _, rd := range rounds {
		out.Rounds = append(out.Rounds, a.round(rd))
	}
	return out, nil
}

// apiRoundShow is the round page in JSON: rule, criteria, entrants and,
// once published, outcomes, figures, statistics and revisions.
func (s *server) apiRoundShow(w http.ResponseWriter, r *http.Request) (any, error) {
	a, err := s.apiProgram(r)
	if err != nil {
		return nil, err
	}
	slug := chi.URLParam(r, "slug")
	rd, err := s.store.PublicRound(a.ctx(), a.prog, slug)
	if err != nil {
		return nil, notFound(err, "no round %q in program %q", slug, a.prog)
	}
	corrections, err := s.publishedCorrections(a.ctx(), a.prog, rd)
	if err != nil {
		return nil, err
	}
	return a.roundDetail(rd, corrections), nil
}

// publishedCorrections are the published corrections of a round whose
// results were computed (revision 2 on); a round not published, or whose
// outcomes were only announced, has none and costs no query.
func (s *server) publishedCorrections(ctx context.Context, program string, rd postgres.PublicRoundDetail) ([]postgres.CorrectionRecord, error) {
	if !rd.Published || !rd.Computed {
		return nil, nil
	}
	return s.store.Corrections(ctx, program, rd.Slug)
}

// apiRoundResults is the results document of FORMATS.md §3, exactly as the
// store builds it for the public: 404 until the round is published.
func (s *server) apiRoundResults(w http.ResponseWriter, r *http.Request) (any, error) {
	a, err := s.apiProgram(r)
	if err != nil {
		return nil, err
	}
	slug := chi.URLParam(r, "slug")
	rr, err := s.store.PublishedResults(a.ctx(), a.prog, slug)
	if err != nil {
		return nil, notFound(err, "round %q of program %q has no published results", slug, a.prog)
	}
	return rr.Report, nil
}

// apiRoundRevision is one published revision of a round's computed results.
func (s *server) apiRoundRevision(w http.ResponseWriter, r *http.Request) (any, error) {
	a, err := s.apiProgram(r)
	if err != nil {
		return nil, err
	}
	slug := chi.URLParam(r, "slug")
	n, err := pathInt(r, "revision")
	if err != nil {
		return nil, err
	}
	rr, rec, err := s.store.Revision(a.ctx(), a.prog, slug, n)
	if err != nil {
		return nil, notFound(err, "round %q of program %q has no published revision %d", slug, a.prog, n)
	}
	return apiRevisionOf(rr, rec), nil
}

// apiTeamIndex lists the program's teams with their status.
func (s *server) apiTeamIndex(w http.ResponseWriter, r *http.Request) (any, error) {
	a, err := s.apiProgram(r)
	if err != nil {
		return nil, err
	}
	teams, err := s.store.PublicTeams(a.ctx(), a.prog)
	if err != nil {
		return nil, notFound(err, "no program %q", a.prog)
	}
	out := apiTeamList{Program: a.prog, Teams: []apiTeam{}}
	for _, t := range teams {
		out.Teams = append(out.Teams, a.team(t))
	}
	return out, nil
}

// apiTeamShow is the team page in JSON.
func (s *server) apiTeamShow(w http.ResponseWriter, r *http.Request) (any, error) {
	a, err := s.apiProgram(r)
	if err != nil {
		return nil, err
	}
	slug := chi.URLParam(r, "slug")
	t, err := s.store.PublicTeam(a.ctx(), a.prog, slug)
	if err != nil {
		return nil, notFound(err, "no team %q in program %q", slug, a.prog)
	}
	return a.teamDetail(t), nil
}

// apiOrganizationIndex lists the organizations of the program's consortia.
func (s *server) apiOrganizationIndex(w http.ResponseWriter, r *http.Request) (any, error) {
	a, err := s.apiProgram(r)
	if err != nil {
		return nil, err
	}
	orgs, err := s.store.PublicOrganizations(a.ctx(), a.prog)
	if err != nil {
		return nil, notFound(err, "no program %q", a.prog)
	}
	out := apiOrganizationList{Program: a.prog, Organizations: []apiOrganization{}}
	for _, o := range orgs {
		out.Organizations = append(out.Organizations, a.organization(o))
	}
	return out, nil
}

// apiOrganizationShow is the organization page in JSON.
func (s *server) apiOrganizationShow(w http.ResponseWriter, r *http.Request) (any, error) {
	a, err := s.apiProgram(r)
	if err != nil {
		return nil, err
	}
	slug := chi.URLParam(r, "slug")
	o, err := s.store.PublicOrganization(a.ctx(), a.prog, slug)
	if err != nil {
		return nil, notFound(err, "no organization %q in the consortia of program %q", slug, a.prog)
	}
	return a.organizationDetail(o), nil
}

// apiBudgetIndex lists the program's budgets by year with their allocations.
func (s *server) apiBudgetIndex(w http.ResponseWriter, r *http.Request) (any, error) {
	a, err := s.apiProgram(r)
	if err != nil {
		return nil, err
	}
	budgets, err := s.store.PublicFunding(a.ctx(), a.prog)
	if err != nil {
		return nil, notFound(err, "no program %q", a.prog)
	}
	out := apiBudgetList{Program: a.prog, Budgets: []apiBudget{}}
	for _, b := range budgets {
		out.Budgets = append(out.Budgets, a.budget(b))
	}
	return out, nil
}
