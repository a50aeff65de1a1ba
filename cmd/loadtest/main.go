// Command loadtest sends a fixed-rate load (or, with -rate 0, as much as
// -workers connections can send) to one or more targets serving the
// same page (the portal and, for comparison, nginx serving its bytes) and
// prints, per target, requests per second, latency percentiles, errors and
// bytes per response as a Markdown table. With -database-url it announces a
// change of the record (NOTIFY portal_changes, as a publication does) in
// the middle of each run, so the portal rebuilds its pages under load.
//
//	loadtest -rate 2000 -duration 30s -path /standings portal=http://127.0.0.1:8080 nginx=http://127.0.0.1:8081
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func main() {
	rate := flag.Int("rate", 2000, "requests per second; 0 for as many as the workers can send")
	workers := flag.Int("workers", 64, "concurrent connections")
	duration := flag.Duration("duration", 30*time.Second, "length of each run")
	path := flag.String("path", "/standings", "path requested")
	encoding := flag.String("accept-encoding", "gzip, br", "Accept-Encoding of the requests (empty for none)")
	dbURL := flag.String("database-url", "", "PostgreSQL URL; when set, a change is announced halfway through each run")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: loadtest [flags] name=URL ...")
		os.Exit(2)
	}
	if *rate > 0 {
		fmt.Printf("Fixed %d req/s for %v on `%s` (Accept-Encoding: %q)", *rate, *duration, *path, *encoding)
	} else {
		fmt.Printf("As many requests as %d connections send in %v on `%s` (Accept-Encoding: %q)", *workers, *duration, *path, *encoding)
	}
	if *dbURL != "" {
		fmt.Print(", a change of the record announced halfway")
	}
	fmt.Print(".\n\n| target | req/s | p50 | p99 | max | errors | bytes/response |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, arg := range flag.Args() {
		name, base, ok := strings.Cut(arg, "=")
		if !ok {
			fmt.Fprintf(os.Stderr, "loadtest: %q is not name=URL\n", arg)
			os.Exit(2)
		}
		m, err := run(strings.TrimRight(base, "/")+*path, *encoding, *rate, *workers, *duration, *dbURL)
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(1)
		}
		fmt.Printf("| %s | %.0f | %v | %v | %v | %d of %d | %.0f |\n", name, m.Throughput,
			m.Latencies.P50.Round(time.Microsecond), m.Latencies.P99.Round(time.Microsecond), m.Latencies.Max.Round(time.Microsecond),
			m.Requests-uint64(float64(m.Requests)*m.Success), m.Requests, m.BytesIn.Mean)
	}
}

// run attacks url at rate (0: as fast as the workers go) for d and returns
// the metrics.
func run(url, encoding string, rate, workers int, d time.Duration, dbURL string) (*vegeta.Metrics, error) {
	hdr := http.Header{}
	if encoding != "" {
		hdr.Set("Accept-Encoding", encoding)
	}
	targeter := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: url, Header: hdr})
	opts := []func(*vegeta.Attacker){vegeta.KeepAlive(true), vegeta.Workers(uint64(workers)), vegeta.Timeout(10 * time.Second)}
	if rate == 0 {
		opts = append(opts, vegeta.MaxWorkers(uint64(workers)))
	}
	attacker := vegeta.NewAttacker(opts...)
	if dbURL != "" {
		go func() {
			time.Sleep(d / 2)
			if err := notify(dbURL); err != nil {
				fmt.Fprintln(os.Stderr, "loadtest: notify:", err)
			}
		}()
	}
	var m vegeta.Metrics
	for res := range attacker.Attack(targeter, vegeta.Rate{Freq: rate, Per: time.Second}, d, "load") {
		m.Add(res)
	}
	m.Close()
	return &m, nil
}

// notify announces a change of the record as every write does.
func notify(dbURL string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "SELECT pg_notify('portal_changes', 'loadtest')")
	return err
}
