// Package config holds the portal's settings, read once from the environment
// and flags; nothing else reads the environment.
package config

import (
	"flag"
	"fmt"
	"io"
	"time"
)

// Config is every setting the portal needs.
type Config struct {
	// DatabaseURL is the PostgreSQL server to use; empty means a private
	// cluster under DataDir.
	DatabaseURL string
	// Addr is the HTTP listen address.
	Addr string
	// DataDir holds the private cluster when DatabaseURL is empty.
	DataDir string
	// BaseURL is the public address used in feeds and share links.
	BaseURL string
	// ShutdownTimeout is the grace period of a graceful shutdown: from the
	// signal, in-flight requests have this long to finish.
	ShutdownTimeout time.Duration
	// DrainDelay is how long, at the start of a shutdown, /readyz answers
	// 503 while requests are still accepted, so load balancers can stop
	// sending new ones first. It is part of ShutdownTimeout.
	DrainDelay time.Duration
}

// Load reads the environment through getenv and then the flags in args
// (flags win). extra registers a subcommand's own flags on the same flag
// set. Flags and positional arguments may be interleaved
// (`results stage-1 --json`); the positional ones are returned in order.
func Load(name string, args []string, getenv func(string) string, stderr io.Writer, extra ...func(*flag.FlagSet)) (Config, []string, error) {
	c := Config{
		DatabaseURL:     getenv("DATABASE_URL"),
		Addr:            getenv("ADDR"),
		DataDir:         getenv("DATA_DIR"),
		BaseURL:         getenv("BASE_URL"),
		ShutdownTimeout: 10 * time.Second,
		DrainDelay:      time.Second,
	}
	if c.Addr == "" {
		c.Addr = ":8080"
	}
	if c.DataDir == "" {
		c.DataDir = ".data"
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://localhost:8080"
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "PostgreSQL URL (env DATABASE_URL); empty starts a private cluster under -data-dir")
	fs.StringVar(&c.Addr, "addr", c.Addr, "HTTP listen address (env ADDR)")
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "folder of the private PostgreSQL cluster (env DATA_DIR)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public base URL for links in feeds (env BASE_URL)")
	for _, register := range extra {
		register(fs)
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return c, nil, fmt.Errorf("%s: %w", name, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional, args = append(positional, args[0]), args[1:]
	}
	return c, positional, nil
}
