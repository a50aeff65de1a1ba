package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/web/view"
	"github.com/kai-challenge/portal/web/pages"
)

// handlerFunc is a handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc: an error becomes the error page whose status
// errorStatus chooses.
func (s *server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

// statusError carries an HTTP status for errors that have no domain sentinel.
type statusError struct {
	status int
	err    error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

// errorStatus is the one place that maps errors to HTTP statuses.
func errorStatus(err error) int {
	var se *statusError
	switch {
	case errors.As(err, &se):
		return se.status
	case errors.Is(err, contest.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, contest.ErrConflict), errors.Is(err, contest.ErrStale):
		return http.StatusConflict
	case errors.Is(err, contest.ErrInvalid):
		return http.StatusUnprocessableEntity
	default:
		return http.StatusInternalServerError
	}
}

// fail writes the error page for err.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := errorStatus(err)
	s.logFailure(r, "request failed", status, err)
	s.renderError(w, r, status)
}

// logFailure logs a failed request of the pages or the API. Only server
// errors are logged, with the request's attributes; a request the client
// abandoned is not an error.
func (s *server) logFailure(r *http.Request, msg string, status int, err error) {
	if status < 500 {
		return
	}
	level := slog.LevelError
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		level = slog.LevelInfo
	}
	s.log.LogAttrs(r.Context(), level, msg,
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", status), slog.String("error", err.Error()))
}

// renderError renders the error page of status in the request's language,
// without touching the database.
func (s *server) renderError(w http.ResponseWriter, r *http.Request, status int) {
	lang, path := splitPath(r)
	L := s.i18n.Localizer(lang)
	key := "error.500"
	switch status {
	case http.StatusNotFound:
		key = "error.404"
	case http.StatusMethodNotAllowed:
		key = "error.405"
	case http.StatusConflict, http.StatusUnprocessableEntity, http.StatusBadRequest, http.StatusForbidden:
		key = "error.400"
	}
	v := view.ErrorPage{
		Page:    s.page(L, path, "", L.T(key+".title")),
		Status:  status,
		Heading: L.T(key + ".title"),
		Message: L.T(key + ".message"),
	}
	if err := s.render(w, r, status, pages.Error(v)); err != nil {
		s.log.LogAttrs(r.Context(), slog.LevelError, "render error page",
			slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
}

func (s *server) handleNotFound(w http.ResponseWriter, r *http.Request) error {
	return contest.ErrNotFound
}

// methodNotAllowed answers a request whose path has routes, none of them
// for its method: the 405 page (never cached, like every error page) with
// the methods the path does allow, found in the router itself.
func (s *server) methodNotAllowed(mux chi.Routes) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.RawPath // what chi routes on, when set
		if path == "" {
			path = r.URL.Path
		}
		if allow := allowedMethods(mux, path); allow != "" {
			w.Header().Set("Allow", allow)
		}
		s.renderError(w, r, http.StatusMethodNotAllowed)
	}
}

// routeMethods are the methods allowedMethods tries, in the order the Allow
// header lists them.
var routeMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// allowedMethods lists the methods mux routes path for, as an Allow header
// value. HEAD goes with GET, which middleware.GetHead answers it with.
func allowedMethods(mux chi.Routes, path string) string {
	var allow []string
	get := false
	for _, m := range routeMethods {
		ok := mux.Match(chi.NewRouteContext(), m, path)
		if m == http.MethodGet {
			get = ok
		}
		if ok || (m == http.MethodHead && get) {
			allow = append(allow, m)
		}
	}
	return strings.Join(allow, ", ")
}
