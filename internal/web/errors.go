package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/web/view"
	"github.com/kai-challenge/portal/web/pages"
)

// handlerFunc is a handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc: an error becomes the error page whose status
// the error table gives it.
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

// Where a console form shows the message of a refused write (errorRule.field).
const (
	// fieldTaken puts it on the form's identifier field, when the form has
	// one (a slug, code, organization, team or year already taken).
	fieldTaken = "taken"
	// fieldEach puts each of the error's own field messages on its field.
	fieldEach = "each"
)

// errorRule is one row of the error table: the errors it covers, the HTTP
// status they answer with, and how a console page that re-renders explains
// them.
type errorRule struct {
	match func(error) bool
	// status answers a page, the API and the console's error page.
	status int
	// formStatus answers a console form the error refused, when it differs
	// from status: a taken identifier is the typed input's fault.
	formStatus int
	// notice is the catalog key of the message above a re-rendered console
	// page; "" sends the error to the error page instead.
	notice string
	// field says where a form shows the message besides the notice.
	field string
	// stale marks a newer version of the record: the form shows both.
	stale bool
	// state marks a round status that forbids the write.
	state bool
}

func is(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

func isA[E error](err error) bool {
	var e E
	return errors.As(err, &e)
}

// errorTable is the one mapping of errors to HTTP statuses and messages,
// used by the public pages, the console and the API. The first matching
// row wins, so the specific kinds of contest.ErrInvalid come before it.
var errorTable = []errorRule{
	{match: is(contest.ErrNotFound), status: http.StatusNotFound},
	{match: isA[*contest.IncompleteError], status: http.StatusConflict, notice: "admin.notice.incomplete"},
	{match: isA[*contest.StaleResultsError], status: http.StatusConflict, notice: "pub.notice.stale"},
	{match: is(contest.ErrRequestClosed), status: http.StatusConflict, notice: "pub.notice.request_closed"},
	{match: is(contest.ErrStale), status: http.StatusConflict, notice: "records.notice.stale", stale: true},
	{match: is(contest.ErrLastAdmin), status: http.StatusConflict, notice: "admin.notice.last_admin"},
	{match: needsClose, status: http.StatusUnprocessableEntity, notice: "pub.notice.close_first", state: true},
	{match: is(contest.ErrRoundState), status: http.StatusUnprocessableEntity, notice: "admin.notice.state", state: true},
	{match: isA[*contest.FieldErrors], status: http.StatusUnprocessableEntity, notice: "records.notice.invalid", field: fieldEach},
	{match: is(contest.ErrConflict), status: http.StatusConflict, formStatus: http.StatusUnprocessableEntity,
		notice: "records.invalid.taken", field: fieldTaken},
	{match: is(contest.ErrSelfApproval), status: http.StatusUnprocessableEntity, notice: "pub.notice.self_approval"},
	{match: is(contest.ErrApprovalRequired), status: http.StatusUnprocessableEntity, notice: "pub.notice.approval_required"},
	{match: is(contest.ErrNotApproved), status: http.StatusUnprocessableEntity, notice: "pub.notice.not_approved"},
	{match: is(contest.ErrInvalid), status: http.StatusUnprocessableEntity, notice: "admin.notice.refused"},
}

// needsClose matches a round-state refusal that closing the round would
// lift: publishing, requesting, approving or scheduling an open round.
func needsClose(err error) bool {
	var e *contest.RoundStateError
	return errors.As(err, &e) && !contest.Published(e.Status) &&
		slices.Contains([]contest.Action{contest.ActPublish, contest.ActRequestPublish, contest.ActApprove, contest.ActSchedule}, e.Action)
}

// internalError is the rule of every error the table does not know.
var internalError = errorRule{status: http.StatusInternalServerError}

// classify finds err's row of the error table; a statusError answers with
// its own status.
func classify(err error) errorRule {
	var se *statusError
	if errors.As(err, &se) {
		return errorRule{status: se.status}
	}
	for _, rule := range errorTable {
		if rule.match(err) {
			return rule
		}
	}
	return internalError
}

// errorStatus is the HTTP status of err.
func errorStatus(err error) int { return classify(err).status }

// invalidDetail is the store's own explanation of an input it refused:
// the message of the error that wraps contest.ErrInvalid directly, without
// the operations that wrapped it on its way out.
func invalidDetail(err error) string {
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if u.Unwrap() == contest.ErrInvalid {
			return err.Error()
		}
		return invalidDetail(u.Unwrap())
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if e == contest.ErrInvalid {
				return err.Error()
			}
		}
		for _, e := range u.Unwrap() {
			if d := invalidDetail(e); d != "" {
				return d
			}
		}
	}
	return ""
}

// errorAnswer is how a status is answered on each side: the message keys
// of the public and the console error pages, and the API's JSON error. The
// API is read-only, so whatever the client got wrong is a bad request.
type errorAnswer struct {
	public, console string
	apiStatus       int
	apiCode, apiMsg string
}

var (
	badRequestAnswer = errorAnswer{public: "error.400", console: "admin.error.422",
		apiStatus: http.StatusBadRequest, apiCode: "bad_request", apiMsg: "bad request"}
	internalAnswer = errorAnswer{public: "error.500", console: "admin.error.500",
		apiCode: "internal_error", apiMsg: "internal server error; the error has been logged"}
)

// errorAnswers lists the answers by status; any other status is answered
// like a server error (with its own status).
var errorAnswers = map[int]errorAnswer{
	http.StatusBadRequest: badRequestAnswer,
	http.StatusForbidden:  {public: "error.400", console: internalAnswer.console, apiCode: internalAnswer.apiCode, apiMsg: internalAnswer.apiMsg},
	http.StatusNotFound: {public: "error.404", console: "admin.error.404",
		apiStatus: http.StatusNotFound, apiCode: "not_found", apiMsg: "not found"},
	http.StatusMethodNotAllowed:    {public: "error.405", console: internalAnswer.console, apiCode: internalAnswer.apiCode, apiMsg: internalAnswer.apiMsg},
	http.StatusConflict:            {public: "error.400", console: "admin.error.409", apiStatus: http.StatusBadRequest, apiCode: "bad_request", apiMsg: "bad request"},
	http.StatusUnprocessableEntity: badRequestAnswer,
}

// answerFor returns how status is answered; apiStatus is always set.
func answerFor(status int) errorAnswer {
	a, ok := errorAnswers[status]
	if !ok {
		a = internalAnswer
	}
	if a.apiStatus == 0 {
		a.apiStatus = status
	}
	return a
}

// fail writes the error page for err.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := errorStatus(err)
	s.logFailure(r, "request failed", status, err)
	s.renderError(w, r, status)
}

// logFailure logs a failed request of the pages, the console or the API.
// Only server errors are logged, with the request's attributes; a request
// the client abandoned is not an error.
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
	key := answerFor(status).public
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
