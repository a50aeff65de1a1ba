package web

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/kai-challenge/portal/internal/contest"
)

func TestErrorStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want int
	}{
		{contest.ErrNotFound, http.StatusNotFound},
		{fmt.Errorf("postgres: public team x: %w", contest.ErrNotFound), http.StatusNotFound},
		{fmt.Errorf("save: %w", contest.ErrConflict), http.StatusConflict},
		{contest.ErrStale, http.StatusConflict},
		{fmt.Errorf("%w: bad score", contest.ErrInvalid), http.StatusUnprocessableEntity},
		{&statusError{status: http.StatusForbidden, err: errors.New("not yours")}, http.StatusForbidden},
		{errors.New("connection reset"), http.StatusInternalServerError},
		{fmt.Errorf("close: %w", &contest.IncompleteError{Blocked: []string{"a"}}), http.StatusConflict},
		{fmt.Errorf("disable: %w", contest.ErrLastAdmin), http.StatusConflict},
		{contest.CheckRound("r1", contest.StatusClosed, contest.ActScore), http.StatusUnprocessableEntity},
		{fmt.Errorf("create team: %w", &contest.FieldErrors{}), http.StatusUnprocessableEntity},
	} {
		if got := errorStatus(tc.err); got != tc.want {
			t.Errorf("errorStatus(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

// The API answers whatever the client got wrong as a bad request, and
// every status the table does not know as a server error.
func TestAnswerFor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status, apiStatus int
		apiCode, public   string
		console           string
	}{
		{http.StatusNotFound, http.StatusNotFound, "not_found", "error.404", "admin.error.404"},
		{http.StatusConflict, http.StatusBadRequest, "bad_request", "error.400", "admin.error.409"},
		{http.StatusUnprocessableEntity, http.StatusBadRequest, "bad_request", "error.400", "admin.error.422"},
		{http.StatusMethodNotAllowed, http.StatusMethodNotAllowed, "internal_error", "error.405", "admin.error.500"},
		{http.StatusInternalServerError, http.StatusInternalServerError, "internal_error", "error.500", "admin.error.500"},
		{http.StatusTeapot, http.StatusTeapot, "internal_error", "error.500", "admin.error.500"},
	} {
		a := answerFor(tc.status)
		if a.apiStatus != tc.apiStatus || a.apiCode != tc.apiCode || a.public != tc.public || a.console != tc.console {
			t.Errorf("answerFor(%d) = %+v", tc.status, a)
		}
	}
}

// invalidDetail finds the store's explanation without the operations that
// wrapped it.
func TestInvalidDetail(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("postgres: save scores: %w", fmt.Errorf("%w: the score is already 8.00", contest.ErrInvalid))
	if got, want := invalidDetail(err), "invalid: the score is already 8.00"; got != want {
		t.Errorf("invalidDetail = %q, want %q", got, want)
	}
	if got := invalidDetail(errors.New("other")); got != "" {
		t.Errorf("invalidDetail of an unrelated error = %q", got)
	}
}
