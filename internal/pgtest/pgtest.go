// Package pgtest gives tests a real PostgreSQL database of their own.
//
// A test package calls Main from its TestMain. The first test that needs a
// database migrates a template database once; each test then gets a clone
// (CREATE DATABASE … TEMPLATE), so tests can run in parallel and never see
// each other's rows. The server is the one at TEST_DATABASE_URL when set;
// otherwise a private throwaway cluster is started with the installed
// PostgreSQL binaries and removed afterwards. There is no silent skip: if no
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

	"github.com/kai-challenge/portal/internal/devdb"
	"github.com/kai-challenge/portal/internal/postgres"
)

var (
	once     sync.Once
	setupErr error
	baseURL  string // maintenance database on the server
	template string
	cluster  *devdb.Cluster
	tmpDir   string
)

// Main runs the package's tests and then removes the template database and
// any private cluster. Use it as `func TestMain(m *testing.M) { pgtest.Main(m) }`.
func Main(m *testing.M) {
	code := m.Run()
	teardown()
	os.Exit(code)
}

func setup() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		baseURL = u
	} else {
		tmpDir, setupErr = os.MkdirTemp("", "portal-pgtest-")
		if setupErr != nil {
			return
		}
		cluster, setupErr = devdb.New(tmpDir)
		if setupErr != nil {
			return
		}
		if setupErr = cluster.Start(ctx, ""); setupErr != nil {
			return
		}
		baseURL = cluster.URL("postgres")
	}
	template = "portal_tmpl_" + randomHex()
	if setupErr = exec(ctx, baseURL, "CREATE DATABASE "+template); setupErr != nil {
		return
	}
	if setupErr = postgres.Migrate(withDatabase(baseURL, template)); setupErr != nil {
		return
	}
}

func teardown() {
	if template != "" && cluster == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_ = exec(ctx, baseURL, "DROP DATABASE IF EXISTS "+template+" WITH (FORCE)")
		cancel()
	}
	if cluster != nil {
		_ = cluster.Stop()
	}
	if tmpDir != "" {
		_ = os.RemoveAll(tmpDir)
	}
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func exec(ctx context.Context, dsn, sql string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("pgtest: connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
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
	once.Do(setup)
	if setupErr != nil {
		t.Fatalf("pgtest: no test database: %v", setupErr)
	}
	name := "portal_test_" + randomHex()
	ctx := context.Background()
	if err := exec(ctx, baseURL, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, template)); err != nil {
		t.Fatalf("%v", err)
	}
	t.Cleanup(func() {
		_ = exec(context.Background(), baseURL, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return withDatabase(baseURL, name)
}

// EmptyURL creates a fresh database without any migration applied.
func EmptyURL(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	if setupErr != nil {
		t.Fatalf("pgtest: no test database: %v", setupErr)
	}
	name := "portal_empty_" + randomHex()
	if err := exec(context.Background(), baseURL, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("%v", err)
	}
	t.Cleanup(func() {
		_ = exec(context.Background(), baseURL, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return withDatabase(baseURL, name)
}

// New returns a pool on a fresh migrated database, closed when the test ends.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	u := URL(t)
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
