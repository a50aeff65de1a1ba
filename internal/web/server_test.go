package web_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web"
)

// downStore is a store whose database is gone. Embedding the interface
// leaves every other method nil: calling one would panic, which the test
// would see as a 500.
type downStore struct{ web.Store }

var errDown = errors.New("connection refused")

func (downStore) Ping(context.Context) error { return errDown }

func (downStore) DefaultProgram(context.Context) (postgres.PublicProgram, error) {
	return postgres.PublicProgram{}, errDown
}

func TestDatabaseDown(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	h := web.NewServer(web.Deps{Store: downStore{}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})

	if r := get(t, h, "/healthz"); r.status != http.StatusOK {
		t.Errorf("/healthz: %d, want 200 (the process is up)", r.status)
	}
	if r := get(t, h, "/readyz"); r.status != http.StatusServiceUnavailable {
		t.Errorf("/readyz: %d, want 503", r.status)
	}
	for _, tc := range []struct{ path, want string }{
		{"/teams/lg", "일시적인 오류가 발생했습니다"},
		{"/en/teams/lg", "Something went wrong"},
	} {
		r := get(t, h, tc.path)
		if r.status != http.StatusInternalServerError || !strings.Contains(r.body, tc.want) {
			t.Errorf("%s: %d, want 500 with %q", tc.path, r.status, tc.want)
		}
		if r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: a 500 must not be cached: %q", tc.path, r.header.Get("Cache-Control"))
		}
		if strings.Contains(r.body, errDown.Error()) {
			t.Errorf("%s: the error page leaks the internal error", tc.path)
		}
	}
	if !strings.Contains(logs.String(), "connection refused") || !strings.Contains(logs.String(), "path=/en/teams/lg") {
		t.Errorf("server errors are not logged with the request: %s", logs.String())
	}
	// A 404 is the visitor's mistake, not a server error: it renders
	// without the database and is not logged.
	logs.Reset()
	if r := get(t, h, "/no/such/page"); r.status != http.StatusNotFound {
		t.Errorf("404 page needs the database: %d", r.status)
	}
	if logs.Len() != 0 {
		t.Errorf("a 404 was logged: %s", logs.String())
	}
}
