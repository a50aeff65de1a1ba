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

// openAPIETag is the ETag of the embedded document, which never changes
// while the process runs.
var openAPIETag = etagOf(openAPIDocument)

// handleOpenAPI serves the OpenAPI document.
func (s *server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	writeTagged(w, r, "application/json; charset=utf-8", openAPIDocument, openAPIETag)
}
