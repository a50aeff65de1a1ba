// Package pgtest gives tests a real PostgreSQL database of their own.
//
// A test package calls Main from its TestMain. The first test that needs a
// database migrates a template database once; each test then gets a clone
// (CREATE DATABASE … TEMPLATE), so tests can run in parallel and never see
// each other's rows. Tests that need the frozen public record
// (fixtures.RecordFile) use RecordURL or NewRecordDB: the record is imported
// once into a second template, and each test clones that one instead of
// importing the record again; PreparedURL does the same for any other data a
// package's tests start from. The server is the one at TEST_DATABASE_URL when set
// (make test runs every package under withdb, which starts one throwaway
// cluster for all of them); otherwise a private throwaway cluster is started
// with the installed PostgreSQL binaries and removed afterwards. There is no silent skip: if no
// database can be had, the test fails.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kai-challenge/portal/internal/fixtures"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programfile"
)

var (
	once     sync.Once
	setupErr error
	baseURL  string        // maintenance database on the server
	admin    *pgxpool.Pool // connections to it, for creating and dropping databases
	template string        // migrated, empty
	server   *Server       // the private cluster, when not TEST_DATABASE_URL

	prepared sync.Map // key → *preparedTemplate, see PreparedURL
)

// preparedTemplate is a template database made once from the migrated one.
type preparedTemplate struct {
	once sync.Once
	name string // set once it exists: dropped at teardown
	err  error
}

// Main runs the package's tests, then the functions after (the package's
// own cleanup), and then removes the template database and any private
// cluster. Use it as `func TestMain(m *testing.M) { pgtest.Main(m) }`.
func Main(m *testing.M, after ...func()) {
	code := m.Run()
	for _, f := range after {
		f()
	}
	teardown()
	os.Exit(code)
}

func setup() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		baseURL = u
	} else {
		if server, setupErr = StartServer(ctx); setupErr != nil {
			return
		}
		baseURL = server.URL
	}
	// Every database a test gets is created and dropped over these few
	// connections: a new PostgreSQL connection costs a process start and
	// exit, and the tests create hundreds of databases.
	cfg, err := pgxpool.ParseConfig(baseURL)
	if err != nil {
		setupErr = fmt.Errorf("pgtest: %w", err)
		return
	}
	cfg.MaxConns = 4
	if admin, setupErr = pgxpool.NewWithConfig(ctx, cfg); setupErr != nil {
		return
	}
	// The test binaries of several packages may share one server (make test
	// starts one for all of them): they take turns making their templates,
	// so two first migrations never race to create the same role.
	conn, err := admin.Acquire(ctx)
	if err != nil {
		setupErr = fmt.Errorf("pgtest: connect: %w", err)
		return
	}
	defer func() {
		_, _ = conn.Exec(context.Background(), "SELECT pg_advisory_unlock_all()")
		conn.Release()
	}()
	if _, setupErr = conn.Exec(ctx, "SELECT pg_advisory_lock($1)", setupLock); setupErr != nil {
		return
	}
	template = "portal_tmpl_" + randomHex()
	if _, setupErr = conn.Exec(ctx, "CREATE DATABASE "+template); setupErr != nil {
		return
	}
	if setupErr = postgres.Migrate(withDatabase(baseURL, template)); setupErr != nil {
		return
	}
	// The runtime role logs in once here, so tests never race to alter it.
	setupErr = postgres.EnsureRuntimeRole(ctx, withDatabase(baseURL, template), "")
}

// setupLock is the advisory lock the packages sharing a server take turns
// on while they make their templates.
const setupLock = 0x706f7274616c // "portal"

// importRecord imports the frozen record into the database at url the way
// the portal imports it.
func importRecord(ctx context.Context, url string) error {
	pool, err := postgres.Open(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	return ImportFile(ctx, postgres.New(pool), fixtures.RecordFile())
}

// ImportFile imports the program file at path through store, the way
// `portal import` does.
func ImportFile(ctx context.Context, store *postgres.Store, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f, err := programfile.Parse(data)
	if err != nil {
		return fmt.Errorf("parse %s: %w", path, err)
	}
	if _, err := store.ImportProgram(ctx, f); err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	return nil
}

// make makes p: a clone of the migrated template that build fills.
func (p *preparedTemplate) make(key string, build func(ctx context.Context, url string) error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	name := "portal_tmpl_" + randomHex()
	if p.err = exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, template)); p.err != nil {
		return
	}
	p.name = name // dropped at teardown from here on
	if err := build(ctx, withDatabase(baseURL, name)); err != nil {
		p.err = fmt.Errorf("pgtest: prepare %s: %w", key, err)
	}
}

func teardown() {
	if admin != nil {
		if server == nil { // a shared server keeps nothing of this package
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			prepared.Range(func(_, v any) bool {
				if name := v.(*preparedTemplate).name; name != "" {
					_ = exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
				}
				return true
			})
			if template != "" {
				_ = exec(ctx, "DROP DATABASE IF EXISTS "+template+" WITH (FORCE)")
			}
			cancel()
		}
		admin.Close()
	}
	if server != nil {
		_ = server.Stop()
	}
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func exec(ctx context.Context, sql string) error {
	if _, err := admin.Exec(ctx, sql); err != nil {
		return fmt.Errorf("pgtest: %s: %w", sql, err)
	}
	return nil
}

// withDatabase replaces the database name in a URL or keyword/value DSN.
func withDatabase(dsn, db string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + db
		return u.String()
	}
	return strings.TrimSpace(dsn) + " dbname=" + db
}

// URL creates a fresh migrated database for the test, drops it when the test
// ends, and returns its connection URL.
func URL(t testing.TB) string {
	t.Helper()
	return clone(t, "portal_test_", func() string { return template })
}

// AppURL creates a fresh migrated database for the test, like URL, and
// returns the URL connecting to it as the runtime role
// (postgres.RuntimeRole), without the owner's rights. Use URL where the
// test needs the owner (DDL, bypassing the audit triggers).
func AppURL(t testing.TB) (app, owner string) {
	t.Helper()
	owner = URL(t)
	app, err := postgres.RuntimeURL(owner, "")
	if err != nil {
		t.Fatal(err)
	}
	return app, owner
}

// EmptyURL creates a fresh database without any migration applied.
func EmptyURL(t testing.TB) string {
	t.Helper()
	return clone(t, "portal_empty_", func() string { return "" })
}

// RecordURL creates a fresh migrated database holding the frozen public
// record (fixtures.RecordFile, imported as the actor "import"), drops it when
// the test ends, and returns its connection URL.
func RecordURL(t testing.TB) string {
	t.Helper()
	return preparedClone(t, "portal_record_", "the frozen record", importRecord)
}

// PreparedURL creates a fresh database for the test, drops it when the test
// ends and returns its connection URL (as the owner). The database is a
// clone of a template made once per test binary and key: a clone of the
// migrated template that build filled, given that template's URL. Tests
// that start from the same data share that work instead of each repeating
// it. build must close every connection it opens, and a key must always come
// with the same build.
func PreparedURL(t testing.TB, key string, build func(ctx context.Context, url string) error) string {
	t.Helper()
	return preparedClone(t, "portal_test_", key, build)
}

func preparedClone(t testing.TB, prefix, key string, build func(ctx context.Context, url string) error) string {
	t.Helper()
	return clone(t, prefix, func() string {
		v, _ := prepared.LoadOrStore(key, &preparedTemplate{})
		p := v.(*preparedTemplate)
		p.once.Do(func() { p.make(key, build) })
		if p.err != nil {
			t.Fatalf("pgtest: no template for %s: %v", key, p.err)
		}
		return p.name
	})
}

// clone creates a database named prefix plus a random suffix from the
// template that tmpl returns (none when empty) and drops it when the test
// ends.
func clone(t testing.TB, prefix string, tmpl func() string) string {
	t.Helper()
	once.Do(setup)
	if setupErr != nil {
		t.Fatalf("pgtest: no test database: %v", setupErr)
	}
	name := prefix + randomHex()
	sql := "CREATE DATABASE " + name
	if from := tmpl(); from != "" {
		// Copying the template's files is about a third faster than
		// PostgreSQL 15's default of writing every block to the WAL, and
		// tests clone hundreds of databases.
		sql += " TEMPLATE " + from + " STRATEGY FILE_COPY"
	}
	if err := exec(context.Background(), sql); err != nil {
		t.Fatalf("%v", err)
	}
	t.Cleanup(func() {
		_ = exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return withDatabase(baseURL, name)
}

// New returns a pool on a fresh migrated database, closed when the test ends.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return pool(t, URL(t))
}

// NewRecordDB returns a pool on a fresh database holding the frozen public
// record (see RecordURL), closed when the test ends.
func NewRecordDB(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return pool(t, RecordURL(t))
}

func pool(t testing.TB, u string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), u)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// Querier is what Dump needs: a pool or a connection.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Dump returns every table of the public schema as canonical JSON text, to
// compare whole databases before and after an operation.
func Dump(t testing.TB, db Querier) map[string]string {
	t.Helper()
	ctx := context.Background()
	rows, err := db.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY 1`)
	if err != nil {
		t.Fatalf("pgtest: dump: %v", err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("pgtest: dump: %v", err)
	}
	out := map[string]string{}
	for _, tbl := range tables {
		var js string
		q := fmt.Sprintf(`SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY to_jsonb(x)::text), '[]')::text FROM %s x`, pgx.Identifier{tbl}.Sanitize())
		if err := db.QueryRow(ctx, q).Scan(&js); err != nil {
			t.Fatalf("pgtest: dump %s: %v", tbl, err)
		}
		out[tbl] = js
	}
	return out
}

// Conn opens a single connection to url as the login of the URL (the test
// cluster's superuser), closed when the test ends.
func Conn(t testing.TB, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
