package pagecache

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// discard is a ResponseWriter that drops the body, so the benchmark
// measures the cache, not a recorder.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkHit is a cached page served in brotli.
func BenchmarkHit(b *testing.B) {
	c := New(Options{})
	next, _ := page(nil)
	h := c.Handler(next)
	r := httptest.NewRequest(http.MethodGet, "/standings", nil)
	r.Header.Set("Accept-Encoding", "gzip, br")
	h.ServeHTTP(&discard{h: http.Header{}}, r)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			h.ServeHTTP(&discard{h: http.Header{}}, r)
		}
	})
}
