package web

// The JSON API v1: read-only, public, under /api/v1. This file holds the
// plumbing every endpoint shares: routes, program resolution, JSON errors,
// ETags and CORS. The resources are in api_resources.go, their JSON shapes
// in api_types.go and the OpenAPI document that describes them in
// openapi.json.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/web/i18n"
)

// apiPrefix is the path of the API's version 1.
const apiPrefix = "/api/v1"

// apiReq is one API request with the program it reads. Resources of the
// default program link to their web pages; the others (chosen with
// ?program=) carry the parameter in their API links.
type apiReq struct {
	s       *server
	r       *http.Request
	prog    string
	isDef   bool
	defSlug string
}

func (a *apiReq) ctx() context.Context { return a.r.Context() }

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// apiDefault resolves the default program, for the endpoints that take no
// ?program= parameter.
func (s *server) apiDefault(r *http.Request) (*apiReq, error) {
	def, err := s.store.DefaultProgram(r.Context())
	if err != nil {
		return nil, notFound(err, "there is no program")
	}
	return &apiReq{s: s, r: r, prog: def.Slug, isDef: true, defSlug: def.Slug}, nil
}

// apiProgram resolves the program of a request: the ?program= parameter,
// or else the default program.
func (s *server) apiProgram(r *http.Request) (*apiReq, error) {
	a, err := s.apiDefault(r)
	if err != nil {
		return nil, err
	}
	vals, ok := r.URL.Query()["program"]
	if !ok {
		return a, nil
	}
	if len(vals) != 1 || !slugPattern.MatchString(vals[0]) {
		return nil, badRequest("program must be one program slug (lowercase letters, digits and hyphens)")
	}
	return a.forProgram(vals[0]), nil
}

// forProgram returns the request reading another program, for links.
func (a *apiReq) forProgram(slug string) *apiReq {
	b := *a
	b.prog, b.isDef = slug, slug == a.defSlug
	return &b
}

// apiURL is the API address of a resource of the request's program.
func (a *apiReq) apiURL(path string) string {
	u := a.s.baseURL + apiPrefix + path
	if !a.isDef && !strings.HasPrefix(path, "/programs") {
		u += "?program=" + a.prog
	}
	return u
}

// webURL is the web page of a resource in both languages; nil for a program
// other than the default one, which has no pages.
func (a *apiReq) webURL(path string) *contest.Text {
	if !a.isDef {
		return nil
	}
	return &contest.Text{KO: a.s.baseURL + i18n.Localize(i18n.KO, path), EN: a.s.baseURL + i18n.Localize(i18n.EN, path)}
}

// apiError is an API error with its status, machine code and message.
type apiError struct {
	status int
	code   string
	msg    string
}

// Error is the message of the error body.
func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &apiError{status: http.StatusBadRequest, code: "bad_request", msg: fmt.Sprintf(format, args...)}
}

// notFound turns a store's contest.ErrNotFound into a 404 that says what
// was not found; other errors pass unchanged.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, contest.ErrNotFound) {
		return &apiError{status: http.StatusNotFound, code: "not_found", msg: fmt.Sprintf(format, args...)}
	}
	return err
}

// apiErrorBody is the JSON of every API error.
type apiErrorBody struct {
	Error apiErrorDetail `json:"error"`
}

type apiErrorDetail struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// apiFail writes err as a JSON error. Only server errors are logged, and
// their details stay in the log.
func (s *server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		a := answerFor(errorStatus(err))
		ae = &apiError{status: a.apiStatus, code: a.apiCode, msg: a.apiMsg}
	}
	s.logFailure(r, "api request failed", ae.status, err)
	writeAPIError(w, ae)
}

func writeAPIError(w http.ResponseWriter, ae *apiError) {
	body, _ := json.MarshalIndent(apiErrorBody{Error: apiErrorDetail{Status: ae.status, Code: ae.code, Message: ae.msg}}, "", "  ")
	body = append(body, '\n')
	h := w.Header()
	h.Del("ETag")
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	// An error may turn into data at the announcement: never cache it.
	h.Set("Cache-Control", "no-store")
	if ae.status == http.StatusMethodNotAllowed {
		h.Set("Allow", "GET, HEAD, OPTIONS")
	}
	w.WriteHeader(ae.status)
	_, _ = w.Write(body)
}

func (s *server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	writeAPIError(w, &apiError{status: http.StatusNotFound, code: "not_found",
		msg: "no such API path; the paths are listed in " + apiPrefix + "/openapi.json"})
}

func (s *server) apiMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeAPIError(w, &apiError{status: http.StatusMethodNotAllowed, code: "method_not_allowed",
		msg: "the API is read-only: use GET or HEAD"})
}

// apiFunc is an API endpoint: it returns the value to encode as JSON.
type apiFunc func(w http.ResponseWriter, r *http.Request) (any, error)

// api adapts an apiFunc: the value is encoded as indented JSON (the format
// `portal results --json` prints) and written with an ETag; an error
// becomes a JSON error.
func (s *server) api(h apiFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := h(w, r)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		body, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			s.apiFail(w, r, fmt.Errorf("web: encode %s: %w", r.URL.Path, err))
			return
		}
		writeCacheable(w, r, "application/json; charset=utf-8", append(body, '\n'))
	}
}

// writeCacheable writes a public response with a strong ETag (a hash of the
// body) and answers a matching If-None-Match with 304 Not Modified. Caches
// may keep it for a minute, so an announcement-day crowd mostly revalidates.
func writeCacheable(w http.ResponseWriter, r *http.Request, contentType string, body []byte) {
	writeTagged(w, r, contentType, body, etagOf(body))
}

// etagOf is the strong ETag of a body: a hash of it.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// writeTagged is writeCacheable with the body's ETag already known.
func writeTagged(w http.ResponseWriter, r *http.Request, contentType string, body []byte, etag string) {
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=60")
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// etagMatches reports whether an If-None-Match header matches etag, by the
// weak comparison RFC 9110 prescribes for it.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// apiCORS lets any web page read the API: every response allows any origin,
// and a preflight is answered for GET and HEAD only.
func apiCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		allowOrigin(w)
		if r.Method != http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Allow", "GET, HEAD, OPTIONS")
		if m := r.Header.Get("Access-Control-Request-Method"); m != "" {
			if m != http.MethodGet && m != http.MethodHead {
				writeAPIError(w, &apiError{status: http.StatusMethodNotAllowed, code: "method_not_allowed",
					msg: "the API is read-only: only GET and HEAD are allowed"})
				return
			}
			h.Set("Access-Control-Allow-Methods", "GET, HEAD")
			h.Set("Access-Control-Allow-Headers", "If-None-Match")
			h.Set("Access-Control-Max-Age", "86400")
		}
		h.Set("Cache-Control", "public, max-age=86400")
		w.WriteHeader(http.StatusNoContent)
	})
}

// allowOrigin lets scripts on any site read a public response and its ETag.
func allowOrigin(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "ETag")
}

// pathInt parses a positive integer path parameter.
func pathInt(r *http.Request, name string) (int, error) {
	v := chi.URLParam(r, name)
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || strconv.Itoa(n) != v {
		return 0, badRequest("%s must be a positive integer, not %q", name, v)
	}
	return n, nil
}
