// Command whatifload measures whether what-if simulations slow cached
// pages: it sends a fixed rate of what-if requests, each a scenario not
// simulated before, to a round's explorer while it sends a fixed rate of
// requests for a cached page (/standings), and prints both as a Markdown
// table (requests per second, latency percentiles, errors, bytes per
// response).
//
//	whatifload -round big-round -whatif-rate 5 -rate 500 -duration 30s http://127.0.0.1:8080
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func main() {
	round := flag.String("round", "big-round", "slug of the round whose explorer is loaded")
	teams := flag.Int("teams", 100, "teams of the round (team-001 … as `portal gen` names them)")
	whatIfRate := flag.Int("whatif-rate", 5, "what-if requests per second")
	rate := flag.Int("rate", 500, "requests per second for the cached page")
	path := flag.String("path", "/standings", "cached page requested meanwhile")
	duration := flag.Duration("duration", 30*time.Second, "length of the run")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: whatifload [flags] BASE-URL")
		os.Exit(2)
	}
	base := strings.TrimRight(flag.Arg(0), "/")
	hdr := http.Header{"Accept-Encoding": {"gzip, br"}}
	var n atomic.Int64
	// Each scenario withdraws one team and changes the places, a pair not
	// asked before, so every request recomputes the round from its scores
	// (the costliest kind of scenario).
	scenarios := func(t *vegeta.Target) error {
		i := int(n.Add(1))
		*t = vegeta.Target{Method: http.MethodGet, Header: hdr,
			URL: fmt.Sprintf("%s/rounds/%s/what-if?advance=%d&status.team-%03d=withdrew", base, *round, 1+i/(*teams)%(*teams), 1+i%(*teams))}
		return nil
	}
	page := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: base + *path, Header: hdr})
	// Warm the cached page first: its first render is not what is measured.
	if resp, err := http.Get(base + *path); err == nil {
		resp.Body.Close()
	}

	var wg sync.WaitGroup
	var whatIf, cached vegeta.Metrics
	attack := func(m *vegeta.Metrics, tr vegeta.Targeter, r int, name string) {
		defer wg.Done()
		a := vegeta.NewAttacker(vegeta.KeepAlive(true), vegeta.Workers(32), vegeta.Timeout(30*time.Second))
		for res := range a.Attack(tr, vegeta.Rate{Freq: r, Per: time.Second}, *duration, name) {
			m.Add(res)
		}
		m.Close()
	}
	wg.Add(2)
	go attack(&whatIf, scenarios, *whatIfRate, "whatif")
	go attack(&cached, page, *rate, "page")
	wg.Wait()

	fmt.Printf("%d what-if req/s (each a new scenario) on `/rounds/%s/what-if` and %d req/s on `%s` at once, for %v.\n\n",
		*whatIfRate, *round, *rate, *path, *duration)
	fmt.Print("| requests | req/s | p50 | p99 | max | errors | bytes/response |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	row("what-if", &whatIf)
	row("`"+*path+"` (cached)", &cached)
	if len(whatIf.Errors) > 0 {
		fmt.Printf("\nWhat-if errors: %s\n", strings.Join(whatIf.Errors, "; "))
	}
}

func row(name string, m *vegeta.Metrics) {
	fmt.Printf("| %s | %.1f | %v | %v | %v | %d of %d | %.0f |\n", name, m.Throughput,
		m.Latencies.P50.Round(time.Microsecond), m.Latencies.P99.Round(time.Microsecond), m.Latencies.Max.Round(time.Microsecond),
		m.Requests-uint64(float64(m.Requests)*m.Success), m.Requests, m.BytesIn.Mean)
}
