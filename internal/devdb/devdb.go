// Package devdb runs a private PostgreSQL cluster for development and tests.
//
// It owns finding the installed PostgreSQL server binaries, creating a
// cluster with initdb on first use, starting the server on a Unix socket
// inside the cluster's folder (no TCP port), and stopping it again. When the
// process runs as root, the server runs as an unprivileged system user,
// because PostgreSQL refuses to run as root.
//
// A cluster keeps PostgreSQL's durable defaults (fsync, synchronous commit,
// full page writes): what it acknowledged survives a crash. Only a Throwaway
// cluster, removed after the tests that use it, trades that for speed.
package devdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNoBinaries means no PostgreSQL server binaries were found.
var ErrNoBinaries = errors.New(`devdb: no PostgreSQL server binaries (initdb, postgres) found on PATH or under /usr/lib/postgresql/*/bin.
Install them (Debian/Ubuntu: apt-get install postgresql) or set DATABASE_URL to an existing server`)

// Cluster is a private PostgreSQL server.
type Cluster struct {
	Dir string // cluster root: holds data/, the socket and the log
	// Throwaway turns off fsync, synchronous commit and full page writes
	// (and JIT compilation, which short test queries never repay): fast, but
	// a crash may lose or corrupt data. Only for test clusters that are
	// removed afterwards.
	Throwaway bool
	// Log receives notices about changes made to the machine (nil: none).
	Log io.Writer

	binDir  string
	cred    *syscall.Credential
	cmd     *exec.Cmd
	done    chan error
	running bool
	// adopted is the pid of a server left running by a portal process that
	// died without stopping it; this process stops it like its own.
	adopted int
	// lock is the held server lock (see Lock), nil when not held.
	lock *os.File
}

// FindBinaries returns the folder that holds initdb and postgres.
func FindBinaries() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			dir := filepath.Dir(real)
			if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
				return dir, nil
			}
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// New prepares a cluster rooted at dir (created when missing). It does not start it.
func New(dir string) (*Cluster, error) {
	bin, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: abs, binDir: bin}
	if os.Geteuid() == 0 {
		cred, err := unprivileged()
		if err != nil {
			return nil, err
		}
		c.cred = cred
	}
	return c, nil
}

// unprivileged picks the system account the server runs as when we are root.
func unprivileged() (*syscall.Credential, error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("devdb: running as root and no unprivileged user (postgres or nobody) exists to run PostgreSQL")
}

func (c *Cluster) dataDir() string { return filepath.Join(c.Dir, "data") }

// SocketDir is the folder holding the server's Unix socket.
func (c *Cluster) SocketDir() string { return c.Dir }

// URL returns a connection URL for database name on this cluster.
func (c *Cluster) URL(database string) string {
	return fmt.Sprintf("postgres://postgres@/%s?host=%s&sslmode=disable", database, c.SocketDir())
}

func (c *Cluster) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(c.binDir, name), args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "LANG=C.UTF-8")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred, Setpgid: true}
	return cmd
}

// chownAll gives the tree at dir to the unprivileged user.
func (c *Cluster) chownAll() error {
	if c.cred == nil {
		return nil
	}
	return filepath.Walk(c.Dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, int(c.cred.Uid), int(c.cred.Gid))
	})
}

// makeReachable lets the unprivileged server user traverse every parent of
// the cluster folder (search permission only, never read), telling Log about
// each folder it changes. Without it a cluster inside a private folder (a
// 0700 home or temporary directory) fails at initdb with "Permission denied".
func (c *Cluster) makeReachable() error {
	if c.cred == nil {
		return nil
	}
	for dir := filepath.Dir(c.Dir); ; dir = filepath.Dir(dir) {
		fi, err := os.Stat(dir)
		if err != nil {
			return err
		}
		st, _ := fi.Sys().(*syscall.Stat_t)
		bit := os.FileMode(0o001) // others
		switch {
		case st != nil && st.Uid == c.cred.Uid:
			bit = 0o100
		case st != nil && st.Gid == c.cred.Gid:
			bit = 0o010
		}
		if fi.Mode().Perm()&bit == 0 {
			if err := os.Chmod(dir, fi.Mode().Perm()|bit); err != nil {
				return fmt.Errorf("make %s traversable for the PostgreSQL server's user: %w", dir, err)
			}
			if c.Log != nil {
				fmt.Fprintf(c.Log, "devdb: %s was private; it is now traversable (search permission only, mode %#o) so the PostgreSQL server, running as uid %d, can reach %s\n",
					dir, fi.Mode().Perm()|bit, c.cred.Uid, c.Dir)
			}
		}
		if dir == filepath.Dir(dir) {
			return nil
		}
	}
}

// ErrLocked means another process holds the server lock of the cluster.
var ErrLocked = errors.New("devdb: the cluster is in use by another server")

// Lock claims the cluster for one long-running server process, such as
// `portal serve`: a second Lock on the same folder, in this or another
// process, fails at once with ErrLocked until the first is released by
// Stop or by the process ending. Short commands that share a running
// cluster do not lock it. Lock before Start: a locked Start waits for a
// server started by such a command to stop, then starts its own.
func (c *Cluster) Lock() error {
	if err := c.mkdir(); err != nil {
		return err
	}
	path := filepath.Join(c.Dir, "server.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("%w: %s is used by the portal server with process id %s; stop it first, or give this one another data folder",
				ErrLocked, c.Dir, strings.TrimSpace(string(holder)))
		}
		return fmt.Errorf("devdb: lock %s: %w", path, err)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	c.lock = f
	return nil
}

func (c *Cluster) unlock() {
	if c.lock != nil {
		c.lock.Close() // releases the flock
		c.lock = nil
	}
}

// Start initialises the cluster if needed, starts the server and waits until
// it accepts connections, then makes sure database exists.
func (c *Cluster) Start(ctx context.Context, database string) error {
	if err := c.prepare(); err != nil {
		return err
	}
	if err := c.initdb(); err != nil {
		return err
	}
	// A server already answering on the socket belongs to another portal
	// process sharing this folder (say `portal serve` while `portal user
	// add` runs): use it and leave it running. If the process that started
	// it is gone (the server was re-parented to init after a crash), adopt
	// it so that stopping this process stops it. A pid file left by a crash
	// without a live server is cleared by PostgreSQL itself at start.
	shared, err := c.attach(ctx, database)
	if shared || err != nil {
		return err
	}
	return c.launch(ctx, database)
}

// prepare makes the cluster folder, private to the server, and its parents
// reachable for it.
func (c *Cluster) prepare() error {
	if len(filepath.Join(c.SocketDir(), ".s.PGSQL.5432")) > 100 {
		return fmt.Errorf("devdb: the path %s is too long for a Unix socket; move the checkout or set DATABASE_URL", c.Dir)
	}
	if err := c.mkdir(); err != nil {
		return err
	}
	if err := c.makeReachable(); err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	if err := c.chownAll(); err != nil {
		return fmt.Errorf("devdb: chown %s: %w", c.Dir, err)
	}
	return nil
}

// mkdir makes the cluster folder, private to the server; parents it creates
// are traversable (0755) so an unprivileged server can reach its folder.
func (c *Cluster) mkdir() error {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	if err := os.Chmod(c.Dir, 0o700); err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	return nil
}

// initdb creates the cluster when it does not exist yet.
func (c *Cluster) initdb() error {
	if _, err := os.Stat(filepath.Join(c.dataDir(), "PG_VERSION")); !errors.Is(err, os.ErrNotExist) {
		return nil
	}
	args := []string{"-D", c.dataDir(), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"}
	if c.Throwaway {
		args = append(args, "--no-sync")
	}
	if out, err := c.command("initdb", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("devdb: initdb: %w\n%s", err, out)
	}
	return nil
}

// attach uses a server already running on the cluster, if any (see Start).
// A locked cluster does not share a server started by another process: it
// waits for that one to stop.
func (c *Cluster) attach(ctx context.Context, database string) (shared bool, err error) {
	for {
		conn, err := pgx.Connect(ctx, c.URL("postgres"))
		if err != nil {
			return false, nil
		}
		pid := c.postmasterPID()
		orphan := pid > 0 && parentPID(pid) == 1
		if c.lock != nil && !orphan {
			conn.Close(ctx)
			if c.Log != nil {
				fmt.Fprintf(c.Log, "devdb: waiting for the portal command that started PostgreSQL (pid %d) to finish\n", pid)
			}
			if err := waitGone(ctx, pid, 2*time.Minute); err != nil {
				return false, err
			}
			continue
		}
		if orphan {
			c.adopted = pid
		}
		err = ensureDatabase(ctx, conn, database)
		conn.Close(ctx)
		return true, err
	}
}

// waitGone waits until process pid has exited.
func waitGone(ctx context.Context, pid int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for pid > 0 && syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			return fmt.Errorf("devdb: the PostgreSQL server (pid %d) started by another portal command did not stop within %v", pid, limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}

// settings are the server's command-line settings.
func (c *Cluster) settings() []string {
	args := []string{"-D", c.dataDir(), "-k", c.SocketDir(), "-c", "listen_addresses=",
		"-c", "max_connections=200", "-c", "shared_buffers=128MB"}
	if c.Throwaway {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "jit=off")
	}
	return args
}

// launch starts the server as a child of this process and waits until it
// accepts connections.
func (c *Cluster) launch(ctx context.Context, database string) error {
	logf, err := os.OpenFile(filepath.Join(c.Dir, "postgres.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	if c.cred != nil {
		_ = logf.Chown(int(c.cred.Uid), int(c.cred.Gid))
	}
	c.cmd = c.command("postgres", c.settings()...)
	c.cmd.Stdout, c.cmd.Stderr = logf, logf
	if err := c.cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("devdb: start postgres: %w", err)
	}
	c.running = true
	c.done = make(chan error, 1)
	pid := c.cmd.Process.Pid
	launched.Store(pid, true)
	go func() {
		err := c.cmd.Wait()
		launched.Delete(pid)
		c.done <- err
		logf.Close()
	}()
	if err := c.waitReady(ctx, database); err != nil {
		_ = c.Stop()
		return err
	}
	return nil
}

// launched holds the process ids of the servers this process started that
// are still running.
var launched sync.Map

// StopAllNow asks every server this process started and that still runs to
// shut down at once (PostgreSQL's fast shutdown: sessions end, unfinished
// transactions roll back) and does not wait. A process that must exit
// before its orderly shutdown ends calls it so that no server is left
// running: the servers run in process groups of their own, which a
// terminal's Ctrl-C does not reach.
func StopAllNow() {
	launched.Range(func(pid, _ any) bool {
		_ = syscall.Kill(pid.(int), syscall.SIGINT)
		return true
	})
}

// waitReady waits until the launched server accepts connections (at most a
// minute), then makes sure database exists.
func (c *Cluster) waitReady(ctx context.Context, database string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, c.URL("postgres"))
		if err == nil {
			err = ensureDatabase(ctx, conn, database)
			conn.Close(ctx)
			return err
		}
		select {
		case err := <-c.done:
			c.running = false
			log, _ := os.ReadFile(filepath.Join(c.Dir, "postgres.log"))
			return fmt.Errorf("devdb: postgres exited: %v\n%s", err, tail(log, 2000))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("devdb: postgres did not accept connections within a minute: %w", err)
		}
	}
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

func ensureDatabase(ctx context.Context, conn *pgx.Conn, name string) error {
	if name == "" || name == "postgres" {
		return nil
	}
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("devdb: create database: %w", err)
	}
	return nil
}

// Stop shuts the server down (fast shutdown) and waits for it to exit, then
// releases the server lock if held.
func (c *Cluster) Stop() error {
	defer c.unlock()
	if c.adopted != 0 {
		pid := c.adopted
		c.adopted = 0
		if err := syscall.Kill(pid, syscall.SIGINT); err != nil {
			return nil // already gone
		}
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if syscall.Kill(pid, 0) != nil {
				return nil
			}
		}
		return errors.New("devdb: the adopted postgres did not stop in time")
	}
	if !c.running {
		return nil
	}
	c.running = false
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.done:
		return nil
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
		<-c.done
		return errors.New("devdb: postgres did not stop in time; killed")
	}
}

// postmasterPID reads the server's pid from its pid file (first line).
func (c *Cluster) postmasterPID() int {
	b, err := os.ReadFile(filepath.Join(c.dataDir(), "postmaster.pid"))
	if err != nil {
		return 0
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	pid, _ := strconv.Atoi(strings.TrimSpace(string(line)))
	return pid
}

// parentPID returns the parent of pid from /proc, or 0 when unknown.
func parentPID(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name in parentheses may hold spaces; fields follow the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}
