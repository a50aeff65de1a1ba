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
	} {
		if got := errorStatus(tc.err); got != tc.want {
			t.Errorf("errorStatus(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}
