package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Oversized bodies get 413 and malformed addresses 400 before any handler
// runs; ordinary requests pass.
func TestEdge(t *testing.T) {
	reached := false
	h := edge(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = true }))
	for _, tc := range []struct {
		target string
		length int64
		want   int
	}{
		{"/teams?q=%ED%95%9C", 0, http.StatusOK},
		{"/login", 5 << 20, http.StatusRequestEntityTooLarge},
		{"/teams/%00", 0, http.StatusBadRequest},
		{"/teams/%ff", 0, http.StatusBadRequest},
		{"/search?q=%ff", 0, http.StatusBadRequest},
		{"/search?q=%00", 0, http.StatusBadRequest},
		{"/search?q=%zz", 0, http.StatusBadRequest},
	} {
		reached = false
		r := httptest.NewRequest(http.MethodPost, tc.target, nil)
		r.ContentLength = tc.length
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != tc.want || reached != (tc.want == http.StatusOK) {
			t.Errorf("%s (%d bytes): %d (handler reached %v), want %d", tc.target, tc.length, w.Code, reached, tc.want)
		}
	}
}
