package pgtest

import (
	"context"
	"os"
	"syscall"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/devdb"
)

// Server is a private throwaway PostgreSQL cluster for tests.
type Server struct {
	URL     string // the maintenance database, as the superuser
	cluster *devdb.Cluster
	dir     string
}

// StartServer starts a throwaway cluster (no fsync, no JIT) in a fresh
// folder, in memory when the machine has room there (scratchDir).
func StartServer(ctx context.Context) (*Server, error) {
	dir, err := os.MkdirTemp(scratchDir(), "portal-pgtest-")
	if err != nil {
		return nil, err
	}
	c, err := devdb.New(dir)
	if err == nil {
		c.Throwaway = true // removed afterwards: speed over durability
		err = c.Start(ctx, "")
	}
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return &Server{URL: c.URL("postgres"), cluster: c, dir: dir}, nil
}

// Stop stops the server and removes its folder.
func (s *Server) Stop() error {
	err := s.cluster.Stop()
	if rmErr := os.RemoveAll(s.dir); err == nil {
		err = rmErr
	}
	return err
}

// scratchDir is where throwaway clusters live: /dev/shm when it is a
// memory file system with at least 2 GiB free, since the tests create and
// drop hundreds of databases and a disk pays for every one of them in
// system time; otherwise the default temporary folder.
func scratchDir() string {
	const shm = "/dev/shm"
	var fs syscall.Statfs_t
	if err := syscall.Statfs(shm, &fs); err != nil {
		return ""
	}
	const tmpfsMagic = 0x01021994
	if fs.Type != tmpfsMagic || fs.Bavail*uint64(fs.Bsize) < 2<<30 {
		return ""
	}
	if syscall.Access(shm, 0x7) != nil { // rwx
		return ""
	}
	return shm
}

// PlanOnce makes every session on the server plan a prepared statement once
// and reuse that plan (plan_cache_mode = force_generic_plan) instead of
// planning it anew for its first five executions. A test suite's sessions
// are short and its data small: make test's shared server spent about a
// third of its statements' time planning. Benchmarks keep PostgreSQL's
// default (they run on a server of their own).
func (s *Server) PlanOnce(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, s.URL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `ALTER SYSTEM SET plan_cache_mode = force_generic_plan`); err != nil {
		return err
	}
	_, err = conn.Exec(ctx, `SELECT pg_reload_conf()`)
	return err
}
