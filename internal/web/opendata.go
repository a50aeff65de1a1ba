package web

import "github.com/go-chi/chi/v5"

// OpenDataStore is what the JSON API, downloads, feed and search read.
type OpenDataStore interface{}

// openDataRoutes registers the language-neutral open-data routes (the JSON
// API under /api/v1, downloads, the Atom feed).
func (s *server) openDataRoutes(r chi.Router) {}

// openDataPages registers the language-prefixed open-data pages (search,
// the data page).
func (s *server) openDataPages(r chi.Router) {}
