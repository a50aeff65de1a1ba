package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// routes lists every route of the portal and its middleware.
func (s *server) routes() http.Handler {
	r := chi.NewRouter()
	// The security headers are set by protect, around the whole router.
	r.Use(s.recoverPanics, middleware.GetHead)
	r.NotFound(s.handle(s.handleNotFound))
	r.MethodNotAllowed(s.methodNotAllowed(r))

	r.Get("/healthz", s.handleHealthz)
	r.Get("/readyz", s.handleReadyz)
	r.Get("/static/*", s.static.ServeHTTP)

	// The public pages, in Korean at /… and in English at /en/….
	public := func(r chi.Router) {
		r.Get("/", s.handle(s.handleOverview))
		r.Get("/standings", s.handle(s.handleStandings))
		r.Get("/teams", s.handle(s.handleTeamIndex))
		r.Get("/teams/{slug}", s.handle(s.handleTeamShow))
		r.Get("/rounds", s.handle(s.handleRoundIndex))
		r.Get("/rounds/{slug}", s.handle(s.handleRoundShow))
		r.Get("/history", s.handle(s.handleHistory))
		r.Get("/organizations", s.handle(s.handleOrganizationIndex))
		r.Get("/organizations/{slug}", s.handle(s.handleOrganizationShow))
		r.Get("/funding", s.handle(s.handleFunding))
		s.explorePages(r)
		s.openDataPages(r)
		s.adminRoutes(r)
	}
	s.openDataRoutes(r)
	r.Group(public)
	r.Route("/en", public)
	return r
}
