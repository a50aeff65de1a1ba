package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/alexedwards/scs/pgxstore"

	"github.com/kai-challenge/portal/internal/config"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/pagecache"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programfile"
	"github.com/kai-challenge/portal/internal/scheduler"
	"github.com/kai-challenge/portal/internal/web"
)

func cmdServe(ctx context.Context, args []string, e env) error {
	stdout, stderr := e.stdout, e.stderr
	var importFile string
	cfg, _, err := config.Load("serve", args, e.getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&importFile, "import", "", "program file that seeds an empty database")
	})
	if err != nil {
		return usageError(err.Error())
	}
	db, err := openDatabase(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if importFile != "" {
		if err := seedFrom(ctx, db.Store, importFile, stdout); err != nil {
			return err
		}
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	go scheduler.Run(ctx, db.Store, 5*time.Second, logger)
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
	cache := pagecache.New(60*time.Second, 5000)
	go db.Store.ListenChanges(ctx, cache.Invalidate)
	srv := &http.Server{
		Addr: cfg.Addr,
		Handler: web.NewServer(web.Deps{Store: db.Store, Logger: logger, BaseURL: cfg.BaseURL,
			Sessions: sessions, SetupToken: setupToken, PageCache: cache}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Addr, err)
	}
	fmt.Fprintf(stdout, "portal: serving on http://%s\n", displayAddr(ln.Addr()))
	if setupToken != "" {
		fmt.Fprintf(stdout, "portal: no admin account exists yet; create the first one (this link works once):\n  %s/admin/setup?token=%s\n",
			strings.TrimRight(cfg.BaseURL, "/"), setupToken)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "portal: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func displayAddr(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok && (t.IP == nil || t.IP.IsUnspecified()) {
		return fmt.Sprintf("localhost:%d", t.Port)
	}
	return a.String()
}

func cmdMigrate(ctx context.Context, args []string, e env) error {
	cfg, rest, err := config.Load("migrate", args, e.getenv, e.stderr)
	if err != nil {
		return usageError(err.Error())
	}
	dir := "up"
	if len(rest) > 0 {
		dir = rest[0]
	}
	if len(rest) > 1 || (dir != "up" && dir != "down") {
		return usageError("usage: portal migrate [up|down]")
	}
	url, stop, err := connectDatabase(ctx, cfg, e.stderr)
	if err != nil {
		return err
	}
	defer stop()
	if dir == "down" {
		err = postgres.MigrateDown(url)
	} else {
		err = postgres.Migrate(url)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "migrate %s: done\n", dir)
	return nil
}

func cmdImport(ctx context.Context, args []string, e env) error {
	var f *programfile.File
	return dbCommand{
		name: "import",
		check: func(rest []string) (err error) {
			if len(rest) != 1 {
				return usageError("import: want exactly one FILE")
			}
			f, err = readProgramFile(rest[0])
			return err
		},
		run: func(db *database, rest []string) error {
			return importProgram(ctx, db.Store, rest[0], f, e.stdout)
		},
	}.exec(ctx, args, e)
}

// readProgramFile reads and validates a program file; nothing touches the
// database before the whole file is known to be good.
func readProgramFile(path string) (*programfile.File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := programfile.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: nothing was imported:\n%w", path, err)
	}
	return f, nil
}

func importProgram(ctx context.Context, store *postgres.Store, path string, f *programfile.File, stdout io.Writer) error {
	sum, err := store.ImportProgramBy(ctx, f, contest.Actor{Name: "cli"})
	if err != nil {
		return fmt.Errorf("%s: nothing was imported: %w", path, err)
	}
	fmt.Fprintf(stdout, "imported %s: %d organizations, %d teams, %d rounds, %d scores\n",
		sum.Program, sum.Organizations, sum.Teams, sum.Rounds, sum.Scores)
	for _, n := range sum.Notes {
		fmt.Fprintln(stdout, "note:", n)
	}
	return nil
}

// seedFrom imports a program file when its program is not in the database
// yet. Once it is, the database is the record: what staff entered since is
// never overwritten by restarting the server (use `portal import` to apply
// a changed file on purpose).
func seedFrom(ctx context.Context, store *postgres.Store, path string, stdout io.Writer) error {
	f, err := readProgramFile(path)
	if err != nil {
		return err
	}
	switch _, err := store.PublicProgram(ctx, f.Program.Slug); {
	case err == nil:
		fmt.Fprintf(stdout, "program %s is already in the database; not re-importing %s (use `portal import` to apply changes)\n", f.Program.Slug, path)
		return nil
	case !errors.Is(err, contest.ErrNotFound):
		return err
	}
	return importProgram(ctx, store, path, f, stdout)
}
