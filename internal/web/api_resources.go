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

// apiIndex answers a list resource of the program: read gets its records,
// item shapes each one and list wraps them (an empty list, never null).
func apiIndex[T, V any](s *server, r *http.Request, read func(ctx context.Context, program string) ([]T, error),
	item func(*apiReq, T) V, list func(program string, items []V) any) (any, error) {
	a, err := s.apiProgram(r)
	if err != nil {
		return nil, err
	}
	records, err := read(a.ctx(), a.prog)
	if err != nil {
		return nil, notFound(err, "no program %q", a.prog)
	}
	items := make([]V, 0, len(records))
	for _, rec := range records {
		items = append(items, item(a, rec))
	}
	return list(a.prog, items), nil
}

// apiShow answers the record of the program the path's {slug} names: read
// gets it, missing says what is not found ("no team %q in program %q",
// given the slug and the program) and body shapes it.
func apiShow[T any](s *server, r *http.Request, read func(ctx context.Context, program, slug string) (T, error),
	missing string, body func(*apiReq, T) (any, error)) (any, error) {
	a, err := s.apiProgram(r)
	if err != nil {
		return nil, err
	}
	slug := chi.URLParam(r, "slug")
	rec, err := read(a.ctx(), a.prog, slug)
	if err != nil {
		return nil, notFound(err, missing, slug, a.prog)
	}
	return body(a, rec)
}

// apiRoundIndex lists the program's rounds in order, unpublished ones
// included (without results).
func (s *server) apiRoundIndex(w http.ResponseWriter, r *http.Request) (any, error) {
	return apiIndex(s, r, s.store.PublicRounds, (*apiReq).round, func(p string, v []apiRound) any { return apiRoundList{Program: p, Rounds: v} })
}

// apiRoundShow is the round page in JSON: rule, criteria, entrants and,
// once published, outcomes, figures, statistics and revisions.
func (s *server) apiRoundShow(w http.ResponseWriter, r *http.Request) (any, error) {
	return apiShow(s, r, s.store.PublicRound, "no round %q in program %q", func(a *apiReq, rd postgres.PublicRoundDetail) (any, error) {
		corrections, err := s.publishedCorrections(a.ctx(), a.prog, rd)
		if err != nil {
			return nil, err
		}
		return a.roundDetail(rd, corrections), nil
	})
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
	return apiShow(s, r, s.store.PublishedResults, "round %q of program %q has no published results",
		func(_ *apiReq, rr postgres.RoundResults) (any, error) { return rr.Report, nil })
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
	return apiIndex(s, r, s.store.PublicTeams, (*apiReq).team, func(p string, v []apiTeam) any { return apiTeamList{Program: p, Teams: v} })
}

// apiTeamShow is the team page in JSON.
func (s *server) apiTeamShow(w http.ResponseWriter, r *http.Request) (any, error) {
	return apiShow(s, r, s.store.PublicTeam, "no team %q in program %q", detail((*apiReq).teamDetail))
}

// apiOrganizationIndex lists the organizations of the program's consortia.
func (s *server) apiOrganizationIndex(w http.ResponseWriter, r *http.Request) (any, error) {
	return apiIndex(s, r, s.store.PublicOrganizations, (*apiReq).organization,
		func(p string, v []apiOrganization) any { return apiOrganizationList{Program: p, Organizations: v} })
}

// apiOrganizationShow is the organization page in JSON.
func (s *server) apiOrganizationShow(w http.ResponseWriter, r *http.Request) (any, error) {
	return apiShow(s, r, s.store.PublicOrganization, "no organization %q in the consortia of program %q", detail((*apiReq).organizationDetail))
}

// apiBudgetIndex lists the program's budgets by year with their allocations.
func (s *server) apiBudgetIndex(w http.ResponseWriter, r *http.Request) (any, error) {
	return apiIndex(s, r, s.store.PublicFunding, (*apiReq).budget, func(p string, v []apiBudget) any { return apiBudgetList{Program: p, Budgets: v} })
}

// detail is a body for apiShow that cannot fail.
func detail[T, V any](shape func(*apiReq, T) V) func(*apiReq, T) (any, error) {
	return func(a *apiReq, rec T) (any, error) { return shape(a, rec), nil }
}
