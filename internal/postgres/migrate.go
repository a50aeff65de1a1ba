package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/golang-migrate/migrate/v4"
	_ "github.com/golang-migrate/migrate/v4/database/pgx/v5" // registers pgx5://
	"github.com/golang-migrate/migrate/v4/source/iofs"

	"github.com/kai-challenge/portal/migrations"
)

func newMigrate(url string) (*migrate.Migrate, error) {
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		return nil, fmt.Errorf("postgres: migrations: %w", err)
	}
	u := url
	for _, prefix := range []string{"postgresql://", "postgres://"} {
		if strings.HasPrefix(u, prefix) {
			u = "pgx5://" + strings.TrimPrefix(u, prefix)
			break
		}
	}
	m, err := migrate.NewWithSourceInstance("iofs", src, u)
	if err != nil {
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	return m, nil
}

// Migrate brings the schema at url up to the newest migration. The migrate
// library holds a PostgreSQL advisory lock meanwhile, so several portal
// processes may start at once.
func Migrate(url string) error {
	return runMigrate(url, "up", (*migrate.Migrate).Up)
}

// MigrateDown rolls every migration back.
func MigrateDown(url string) error {
	return runMigrate(url, "down", (*migrate.Migrate).Down)
}

// runMigrate runs one step (up or down, named dir) of the migrations on
// url; having nothing to do is no error.
func runMigrate(url, dir string, step func(*migrate.Migrate) error) error {
	m, err := newMigrate(url)
	if err != nil {
		return err
	}
	defer m.Close()
	if err := step(m); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("postgres: migrate %s: %w", dir, err)
	}
	return nil
}

// MigrateSteps moves n migrations up (n > 0) or down (n < 0).
func MigrateSteps(url string, n int) error {
	m, err := newMigrate(url)
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.Steps(n); err != nil {
		return fmt.Errorf("postgres: migrate steps: %w", err)
	}
	return nil
}

// RuntimeRole is the login role the portal serves through: it owns nothing,
// may read and write the record's tables, append audit events only through
// audit_append, and has no DDL rights. The migrations grant its rights;
// migrations themselves run as the schema owner (the login of DATABASE_URL).
const RuntimeRole = "portal_app"

// EnsureRuntimeRole makes sure RuntimeRole can log in with only its own
// rights, connecting as the owner at ownerURL: it creates the role when
// missing, turns on LOGIN and turns off every special attribute when needed,
// and sets its password when password is not empty (an owner that is not a
// superuser needs CREATEROLE and admin rights on the role for that). A
// runtime role that is a member of another role is refused: it could SET
// ROLE into more rights.
func EnsureRuntimeRole(ctx context.Context, ownerURL, password string) error {
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		return fmt.Errorf("postgres: runtime role: connect as owner: %w", err)
	}
	defer conn.Close(ctx)
	exists, ok, memberOf, err := runtimeRoleState(ctx, conn)
	if err != nil {
		return fmt.Errorf("postgres: runtime role: %w", err)
	}
	if memberOf != "" {
		return fmt.Errorf("postgres: the runtime role %s is a member of %s and could take its rights; revoke that membership", RuntimeRole, memberOf)
	}
	const attrs = ` LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT`
	var stmts []string
	switch {
	case !exists:
		stmts = append(stmts, `CREATE ROLE `+RuntimeRole+attrs)
	case !ok:
		stmts = append(stmts, `ALTER ROLE `+RuntimeRole+attrs)
	}
	if password != "" {
		var q string
		if err := conn.QueryRow(ctx, `SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text)`, RuntimeRole, password).Scan(&q); err != nil {
			return fmt.Errorf("postgres: runtime role: %w", err)
		}
		stmts = append(stmts, q)
	}
	for _, q := range stmts {
		if _, err := conn.Exec(ctx, q); err != nil && !isDuplicateRole(err) {
			return fmt.Errorf("postgres: runtime role %s: %w", RuntimeRole, err)
		}
	}
	return nil
}

// runtimeRoleState reads what EnsureRuntimeRole checks of RuntimeRole: that
// it exists, that it may log in without any special attribute (ok), and the
// roles it is a member of (none when empty). Every login may read this.
func runtimeRoleState(ctx context.Context, db DBTX) (exists, ok bool, memberOf string, err error) {
	err = db.QueryRow(ctx, `
SELECT count(*) > 0,
       coalesce(bool_and(r.rolcanlogin AND NOT (r.rolsuper OR r.rolcreatedb OR r.rolcreaterole OR r.rolreplication OR r.rolbypassrls)), false),
       coalesce((SELECT string_agg(g.rolname, ', ') FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                 WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = $1)), '')
FROM pg_roles r WHERE r.rolname = $1`, RuntimeRole).Scan(&exists, &ok, &memberOf)
	return exists, ok, memberOf, err
}

// RuntimeReady reports whether a portal process logged in through db needs
// nothing from the schema owner: the schema is at the newest embedded
// migration and not dirty, and, when ownRole is set, the session's login is
// RuntimeRole as EnsureRuntimeRole leaves it (may log in, no special
// attribute, member of no role). A process that finds this true skips the
// owner's connections (the migrations and the role check) and works on the
// one connection it has; any error or doubt is false, and the caller takes
// the owner's way as before.
func RuntimeReady(ctx context.Context, db DBTX, ownRole bool) bool {
	latest, err := latestMigration()
	if err != nil {
		return false
	}
	var current bool
	var login string
	err = db.QueryRow(ctx, `SELECT count(*) = 1 AND bool_and(version = $1 AND NOT dirty), session_user FROM schema_migrations`, int64(latest)).Scan(&current, &login)
	if err != nil || !current {
		return false
	}
	if !ownRole {
		return true
	}
	if login != RuntimeRole {
		return false
	}
	exists, ok, memberOf, err := runtimeRoleState(ctx, db)
	return err == nil && exists && ok && memberOf == ""
}

// latestMigration is the version of the newest embedded migration, read
// through the same source the migrations run from (so both agree on what a
// migration file is).
var latestMigration = sync.OnceValues(func() (uint, error) {
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		return 0, fmt.Errorf("postgres: migrations: %w", err)
	}
	defer src.Close()
	v, err := src.First()
	if err != nil {
		return 0, fmt.Errorf("postgres: migrations: %w", err)
	}
	for {
		next, err := src.Next(v)
		if errors.Is(err, fs.ErrNotExist) {
			return v, nil
		}
		if err != nil {
			return 0, fmt.Errorf("postgres: migrations: %w", err)
		}
		v = next
	}
})

// isDuplicateRole reports a CREATE ROLE that lost a race with another
// process creating the same role.
func isDuplicateRole(err error) bool {
	return pgError(err, "42710", "23505") != nil
}

// RuntimeURL is ownerURL (a URL or a keyword/value connection string) with
// the login changed to RuntimeRole and its password (none when empty): the
// same server and database, connected as the runtime role.
func RuntimeURL(ownerURL, password string) (string, error) {
	if u, err := url.Parse(ownerURL); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Del("user")
		q.Del("password")
		u.RawQuery = q.Encode()
		u.User = url.User(RuntimeRole)
		if password != "" {
			u.User = url.UserPassword(RuntimeRole, password)
		}
		return u.String(), nil
	}
	if strings.Contains(ownerURL, "://") {
		return "", fmt.Errorf("postgres: runtime role: cannot read the database URL")
	}
	dsn := strings.TrimSpace(ownerURL) + " user=" + RuntimeRole
	if password != "" {
		dsn += " password='" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(password) + "'"
	}
	return dsn, nil
}
