package web

import (
	"context"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/postgres"
)

// OpenDataStore is what the JSON API, downloads, feed and search read
// besides the public pages' and results' methods. Every method returns only
// public data: results of unpublished rounds never leave the store.
type OpenDataStore interface {
	// PublicPrograms lists every program, the default one first.
	PublicPrograms(ctx context.Context) ([]postgres.PublicProgram, error)
	// PublicProgram is the header of one program.
	PublicProgram(ctx context.Context, program string) (postgres.PublicProgram, error)
	// PublicMemberships lists every consortium's lead and members.
	PublicMemberships(ctx context.Context, program string) ([]postgres.PublicMembership, error)
	// PublicOrganizationDetails returns every organization page at once.
	PublicOrganizationDetails(ctx context.Context, program string) ([]postgres.PublicOrgDetail, error)
	// PublicFeed returns the published rounds with outcomes and revisions.
	PublicFeed(ctx context.Context, program string) (postgres.PublicFeed, error)
	// PublicSearch finds teams, organizations and rounds by name or slug.
	PublicSearch(ctx context.Context, program, q string) (postgres.PublicSearchResults, error)
}

// openDataRoutes registers the language-neutral open-data routes: the JSON
// API under /api/v1 and the downloads under /data/.
func (s *server) openDataRoutes(r chi.Router) {
	s.apiRoutes(r)
	s.downloadRoutes(r)
}

// openDataPages registers the language-prefixed open-data pages: search,
// the data page and the Atom feed (/feed.atom in Korean first, /en/feed.atom
// in English first).
func (s *server) openDataPages(r chi.Router) {
	r.Get("/search", s.handle(s.handleSearch))
	r.Get("/data", s.handle(s.handleDataPage))
	r.Get("/feed.atom", s.handle(s.handleFeed))
}
