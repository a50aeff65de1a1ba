package web

import "github.com/go-chi/chi/v5"

// explorePages registers the language-prefixed pages that explore published
// results (the what-if explorer and revision pages).
func (s *server) explorePages(r chi.Router) {}
