package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The client address comes from the trusted proxy header only when one is
// configured, and then only the entry the proxy added (the last).
func TestTrustProxyHeader(t *testing.T) {
	var seen string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = r.RemoteAddr })
	for _, tc := range []struct {
		header string
		values []string
		want   string
	}{
		{"", []string{"203.0.113.5"}, "192.0.2.1:1234"},
		{"X-Forwarded-For", nil, "192.0.2.1:1234"},
		{"X-Forwarded-For", []string{"203.0.113.5"}, "203.0.113.5:1234"},
		{"X-Forwarded-For", []string{"10.9.9.9, 203.0.113.5"}, "203.0.113.5:1234"},
		{"X-Forwarded-For", []string{"1.1.1.1", "10.0.0.1,  2001:db8::1 "}, "[2001:db8::1]:1234"},
		{"X-Forwarded-For", []string{"203.0.113.5, not-an-address"}, "192.0.2.1:1234"},
		{"X-Real-IP", []string{"::ffff:203.0.113.7"}, "203.0.113.7:1234"},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = "192.0.2.1:1234"
		for _, v := range tc.values {
			r.Header.Add("X-Forwarded-For", v)
			r.Header.Add("X-Real-IP", v)
		}
		trustProxyHeader(h, tc.header).ServeHTTP(httptest.NewRecorder(), r)
		if seen != tc.want {
			t.Errorf("header %q values %q: client %q, want %q", tc.header, tc.values, seen, tc.want)
		}
	}
}

// Against the running server: a 5 MB sign-in POST is 413, malformed
// paths and queries are 400, never 500.
func TestServeRefusesHostileRequests(t *testing.T) {
	t.Parallel()
	_, addr := stage1Server(t)
	resp, err := http.Post("http://"+addr+"/login", "application/x-www-form-urlencoded", strings.NewReader("email=a%40b.c&password="+strings.Repeat("x", 5<<20)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("5 MB sign-in POST: %d, want 413", resp.StatusCode)
	}
	for _, path := range []string{"/teams/%00", "/teams/%ff", "/search?q=%ff", "/search?q=%00"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", path, resp.StatusCode)
		}
	}
}
