package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/cputime"
	"github.com/kai-challenge/portal/internal/pagecache"
	"github.com/kai-challenge/portal/internal/programgen"
	"github.com/kai-challenge/portal/internal/web"
)

// renderingEnv is a portal on the generated program of n teams whose page
// cache never keeps a page fresh: every request renders, from the round
// data kept in memory for the current version of the record, as the first
// visitor after a page expires sees it.
func renderingEnv(b *testing.B, n int) http.Handler {
	opt := web.PageCacheOptions(0)
	opt.TTL = time.Nanosecond
	return generatedEnv(b, programgen.Size(n), web.Deps{PageCache: pagecache.New(opt)})
}

// serve answers one GET request and fails the benchmark on a status other
// than 200; it returns the body's size.
func serve(b *testing.B, h http.Handler, path string) int {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != http.StatusOK {
		b.Fatalf("%s: status %d", path, rec.Code)
	}
	return rec.Body.Len()
}

// BenchmarkRoundPage measures the round page of the generated programs of
// 5, 25 and 100 teams: "cold" loads the round and its published results
// from PostgreSQL and renders (no page cache, as right after a change of
// the record), "render" renders from the data kept per change. page-bytes
// is the page's size uncompressed.
func BenchmarkRoundPage(b *testing.B) {
	for _, n := range []int{5, 25, 100} {
		b.Run(fmt.Sprintf("teams=%d/cold", n), func(b *testing.B) {
			benchRoundPage(b, generatedEnv(b, programgen.Size(n), web.Deps{}))
		})
		b.Run(fmt.Sprintf("teams=%d/render", n), func(b *testing.B) {
			benchRoundPage(b, renderingEnv(b, n))
		})
	}
}

// benchRoundPage requests the generated round's page b.N times.
func benchRoundPage(b *testing.B, h http.Handler) {
	path := "/rounds/" + programgen.RoundSlug
	size := serve(b, h, path)
	b.ResetTimer()
	cpu := cputime.Process()
	for b.Loop() {
		serve(b, h, path)
	}
	cputime.Report(b, cpu, b.N)
	b.ReportMetric(float64(size), "page-bytes")
}

// BenchmarkWhatIf measures a new what-if scenario on the generated
// programs, from the round data kept per change: "weights" changes a
// category's maximum (the categories are rescaled), "recompute" withdraws
// a team and changes the places (the round is recomputed from every
// score). Each iteration asks a scenario not simulated before.
func BenchmarkWhatIf(b *testing.B) {
	base := "/rounds/" + programgen.RoundSlug + "/what-if?"
	for _, n := range []int{5, 25, 100} {
		h := renderingEnv(b, n)
		serve(b, h, base+"advance=1")
		b.Run(fmt.Sprintf("teams=%d/weights", n), func(b *testing.B) {
			i, cpu := 0, cputime.Process()
			defer func() { cputime.Report(b, cpu, b.N) }()
			for b.Loop() {
				i++
				serve(b, h, fmt.Sprintf("%smax.cat1=%d.%02d", base, 30+i/100%900, i%100))
			}
		})
		b.Run(fmt.Sprintf("teams=%d/recompute", n), func(b *testing.B) {
			i, cpu := 0, cputime.Process()
			defer func() { cputime.Report(b, cpu, b.N) }()
			for b.Loop() {
				i++
				serve(b, h, fmt.Sprintf("%sadvance=%d&status.%s=withdrew", base, 1+i/n%n, programgen.TeamSlug(i%n)))
			}
		})
	}
}
