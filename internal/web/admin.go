package web

import "github.com/go-chi/chi/v5"

// AdminStore is what the staff console reads and writes.
type AdminStore interface{}

// adminRoutes registers the staff console under /admin (and /en/admin).
func (s *server) adminRoutes(r chi.Router) {}
