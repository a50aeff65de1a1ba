package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/pgxstore"

	"github.com/kai-challenge/portal/internal/coalesce"
	"github.com/kai-challenge/portal/internal/config"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/pagecache"
	"github.com/kai-challenge/portal/internal/scheduler"
	"github.com/kai-challenge/portal/internal/web"
)

// cmdServe runs the web portal until ctx ends (SIGINT or SIGTERM), then
// shuts down gracefully (see shutdown).
func cmdServe(ctx context.Context, args []string, e env) error {
	var importFile string
	var grace, drain time.Duration
	cfg, _, err := config.Load("serve", args, e.getenv, e.stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&importFile, "import", "", "program file that seeds an empty database")
		fs.DurationVar(&grace, "shutdown-timeout", 10*time.Second, "grace period for in-flight requests at shutdown")
		fs.DurationVar(&drain, "drain-delay", time.Second, "at shutdown, how long /readyz answers 503 before the listener closes")
	})
	if err != nil {
		return usageError(err.Error())
	}
	cfg.ShutdownTimeout, cfg.DrainDelay = grace, drain
	// The live heap is small and every hit allocates a few kilobytes, so at
	// Go's default target the collector runs many times a second under load.
	// A larger target spends some megabytes to save that CPU; GOGC set in
	// the environment still decides.
	if e.getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	// Bind first: a taken address fails at once, before anything is started.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: cannot listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	db, err := openDatabaseFor(ctx, cfg, e.stderr, true)
	if err != nil {
		return err
	}
	defer db.Close()
	if importFile != "" {
		if err := seedFrom(ctx, db.Store, importFile, e.stdout); err != nil {
			return err
		}
	}
	return serve(ctx, cfg, db, ln, e)
}

// serve answers HTTP on ln until ctx ends.
func serve(ctx context.Context, cfg config.Config, db *database, ln net.Listener, e env) error {
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	// Background work outlives the signal until the requests are drained.
	bg, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBG()
	go scheduler.Run(bg, db.Store, 5*time.Second, logger)
	go recordCheckpoints(bg, db.Store, auditCheckpointEvery, logger)
	// Staff sessions live in the sessions table: they survive a restart and
	// are shared by every web process.
	sessions := pgxstore.New(db.Store.Pool())
	defer sessions.StopCleanup()
	// A fresh installation has no account and no default password: while
	// no enabled admin exists, a one-time link creates the first one.
	setupToken := ""
	if n, err := db.Store.CountAdmins(ctx); err != nil {
		return err
	} else if n == 0 {
		setupToken = rand.Text()
	}
	// Public pages are served from memory until the record changes; every
	// change is announced by PostgreSQL, so all processes stay fresh.
	// A lost connection marks the cache stale rather than clearing it, so
	// pages keep being served while the database is unreachable.
	cache := pagecache.New(web.PageCacheOptions(0))
	go cache.Run(bg)
	go db.Store.ListenChanges(bg, cache.Invalidate)
	var draining atomic.Bool
	srv := &http.Server{
		Handler: trustProxyHeader(web.Draining(web.NewServer(web.Deps{Store: db.Store, Logger: logger, BaseURL: cfg.BaseURL,
			AdminMFA: cfg.AdminMFA, Sessions: sessions, SetupToken: setupToken, PageCache: cache, Official: cfg.Site.Official,
			Operator: contest.Text{KO: cfg.Site.OperatorKO, EN: cfg.Site.OperatorEN}}), draining.Load), cfg.TrustedProxyHeader),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		// Requests are not cancelled by the shutdown signal: they get the
		// grace period to finish.
		BaseContext: func(net.Listener) context.Context { return bg },
	}
	fmt.Fprintf(e.stdout, "portal: serving on http://%s\n", displayAddr(ln.Addr()))
	if setupToken != "" {
		fmt.Fprintf(e.stdout, "portal: no admin account exists yet; create the first one (this link works once):\n  %s/admin/setup?token=%s\n",
			strings.TrimRight(cfg.BaseURL, "/"), setupToken)
	}
	errc := make(chan error, 1)
	// Each response leaves in one write (see coalesce). No handler flushes a
	// response early or streams one; one that did would need the plain
	// listener.
	go func() { errc <- srv.Serve(coalesce.Listener(ln)) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	draining.Store(true)
	err := shutdown(srv, cfg, e.stdout)
	// The last head of this server's run is recorded before it stops.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, cerr := db.Store.AuditCheckpoint(cctx); cerr != nil {
		logger.Warn("audit checkpoint", "error", cerr)
	}
	return err
}

func displayAddr(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok && (t.IP == nil || t.IP.IsUnspecified()) {
		return fmt.Sprintf("localhost:%d", t.Port)
	}
	return a.String()
}
