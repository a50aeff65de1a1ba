package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kai-challenge/portal/internal/config"
	"github.com/kai-challenge/portal/internal/devdb"
	"github.com/kai-challenge/portal/internal/postgres"
)

// database is an open, migrated database and how to let it go.
type database struct {
	URL   string
	Pool  *pgxpool.Pool
	Store *postgres.Store
	close func()
}

func (d *database) Close() { d.close() }

// openDatabase connects to the database (see connectDatabase) and brings its
// schema up to date.
func openDatabase(ctx context.Context, cfg config.Config, stderr io.Writer) (*database, error) {
	return openDatabaseFor(ctx, cfg, stderr, false)
}

// openDatabaseFor is openDatabase; server claims the private cluster for
// this process (see connectDatabaseFor).
func openDatabaseFor(ctx context.Context, cfg config.Config, stderr io.Writer, server bool) (*database, error) {
	url, stopCluster, err := connectDatabaseFor(ctx, cfg, stderr, server)
	if err != nil {
		return nil, err
	}
	pool, err := openRuntime(ctx, cfg, url)
	if err != nil {
		stopCluster()
		return nil, err
	}
	return &database{URL: url, Pool: pool, Store: postgres.New(pool), close: func() { pool.Close(); stopCluster() }}, nil
}

// openRuntime returns a pool that works as the runtime role on a migrated
// schema: it logs in through cfg.DatabaseAppURL when set, else through the
// owner's URL with the login changed to postgres.RuntimeRole. When that
// login finds the schema current and the role as the portal leaves it
// (postgres.RuntimeReady), that one connection is all a command opens.
// Otherwise (the first start, a new migration, a role to create or mend, a
// password the server refused) the owner migrates the schema at ownerURL
// and, without cfg.DatabaseAppURL, makes the runtime role able to log in
// (with cfg.DatabaseAppPassword), and the runtime role logs in again.
func openRuntime(ctx context.Context, cfg config.Config, ownerURL string) (*pgxpool.Pool, error) {
	appURL := cfg.DatabaseAppURL
	ownRole := appURL == ""
	if ownRole {
		u, err := postgres.RuntimeURL(ownerURL, cfg.DatabaseAppPassword)
		if err != nil {
			return nil, err
		}
		appURL = u
	}
	pool, err := postgres.Open(ctx, appURL)
	if err == nil && !postgres.RuntimeReady(ctx, pool, ownRole) {
		pool.Close()
		pool = nil
	}
	if pool == nil {
		if err := postgres.Migrate(ownerURL); err != nil {
			return nil, err
		}
		if ownRole {
			if err := postgres.EnsureRuntimeRole(ctx, ownerURL, cfg.DatabaseAppPassword); err != nil {
				return nil, err
			}
		}
		if pool, err = postgres.Open(ctx, appURL); err != nil {
			return nil, err
		}
	}
	if ownRole {
		return pool, nil // RuntimeReady or EnsureRuntimeRole saw it has no special rights
	}
	var super bool
	if err := pool.QueryRow(ctx, `SELECT rolsuper FROM pg_roles WHERE rolname = session_user`).Scan(&super); err != nil || super {
		pool.Close()
		if err == nil {
			err = fmt.Errorf("the runtime database login is a superuser; give DATABASE_APP_URL a login without special rights")
		}
		return nil, err
	}
	return pool, nil
}

// connectDatabase returns the URL of cfg.DatabaseURL, or starts the private
// cluster under cfg.DataDir when it is empty; stop lets that cluster go.
func connectDatabase(ctx context.Context, cfg config.Config, stderr io.Writer) (url string, stop func(), err error) {
	return connectDatabaseFor(ctx, cfg, stderr, false)
}

// connectDatabaseFor is connectDatabase. A server (portal serve) claims the
// private cluster: one server per data folder, and a second one refuses at
// once; commands share the cluster of a running server.
func connectDatabaseFor(ctx context.Context, cfg config.Config, stderr io.Writer, server bool) (url string, stop func(), err error) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, func() {}, nil
	}
	c, err := devdb.New(filepath.Join(cfg.DataDir, "postgres"))
	if err != nil {
		return "", nil, err
	}
	c.Log = stderr
	if server {
		if err := c.Lock(); err != nil {
			return "", nil, err
		}
	}
	fmt.Fprintf(stderr, "DATABASE_URL is not set: using the private PostgreSQL cluster in %s\n", c.Dir)
	if err := c.Start(ctx, "portal"); err != nil {
		_ = c.Stop() // releases the lock
		return "", nil, err
	}
	return c.URL("portal"), func() {
		if err := c.Stop(); err != nil {
			fmt.Fprintln(stderr, err)
		}
	}, nil
}

// dbCommand is a command that works on the migrated database: it reads the
// configuration and its flags, checks its arguments before touching the
// database, then runs with the database open.
type dbCommand struct {
	name  string
	flags func(*flag.FlagSet)       // the command's own flags, if any
	check func(rest []string) error // runs before the database is opened, if set
	run   func(db *database, rest []string) error
}

func (c dbCommand) exec(ctx context.Context, args []string, e env) error {
	var extra []func(*flag.FlagSet)
	if c.flags != nil {
		extra = append(extra, c.flags)
	}
	cfg, rest, err := config.Load(c.name, args, e.getenv, e.stderr, extra...)
	if err != nil {
		return usageError(err.Error())
	}
	if c.check != nil {
		if err := c.check(rest); err != nil {
			return err
		}
	}
	db, err := openDatabase(ctx, cfg, e.stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	return c.run(db, rest)
}
