package web

import (
	_ "embed"
	"net/http"
)

// openAPIDocument is the OpenAPI 3.1 description of the API: every path,
// parameter, response and schema. The package tests check it against the
// router (the same paths) and against real responses (each validates
// against its schema), so it cannot drift from the code unnoticed.
//
//go:embed openapi.json
var openAPIDocument []byte

// handleOpenAPI serves the OpenAPI document.
func (s *server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	writeCacheable(w, r, "application/json; charset=utf-8", openAPIDocument)
}
