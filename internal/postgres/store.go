// Package postgres is the portal's only store: every SQL statement lives here.
// It owns connecting (pgxpool), running the embedded migrations under an
// advisory lock, importing program files, and the queries behind every page.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kai-challenge/portal/internal/contest"
)

// DBTX is what helpers need: a pool, a connection or a transaction.
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Store is the PostgreSQL-backed store.
type Store struct {
	pool      *pgxpool.Pool
	revisions *revisionCache
}

// New wraps an open pool.
func New(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, revisions: &revisionCache{m: map[string]decodedRevision{}}}
}

// Open connects to the database at url.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse url: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") && cfg.MaxConns < 16 {
		cfg.MaxConns = 16 // one is held by the change listener
	}
	// Work as the runtime role when the migrations created it and this
	// login may assume it: its rights exclude changing the audit log.
	// One statement on plain functions: the pg_roles view cost a fresh
	// connection about 5 ms of planning on cold catalog caches, and the
	// runtime role's own login needs no SET ROLE.
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Exec(ctx, `SELECT CASE WHEN current_user = 'portal_app' OR to_regrole('portal_app') IS NULL THEN NULL
            WHEN pg_has_role(current_user, 'portal_app', 'MEMBER') THEN set_config('role', 'portal_app', false) END`)
		return err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: ping: %w", err)
	}
	return pool, nil
}

// Pool returns the underlying pool.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// mapErr turns PostgreSQL errors the domain cares about into sentinel
// errors. The context the error was wrapped in (which record, which round)
// is kept, the driver's "ERROR: … (SQLSTATE …)" decoration is not, and the
// PostgreSQL error stays reachable with errors.As.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return contest.ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		var sentinel error
		switch pgErr.Code {
		case "23505":
			sentinel = contest.ErrConflict
		case "23514", "23503", "22P02", "23502":
			sentinel = contest.ErrInvalid
		default:
			return err
		}
		return &dbError{sentinel: sentinel, msg: strings.Replace(err.Error(), pgErr.Error(), pgErr.Message, 1), err: err}
	}
	return err
}

// dbError is a PostgreSQL error mapped to a domain sentinel.
type dbError struct {
	sentinel error
	msg      string
	err      error
}

func (e *dbError) Error() string   { return e.sentinel.Error() + ": " + e.msg }
func (e *dbError) Unwrap() []error { return []error{e.sentinel, e.err} }

// orNull passes "" (no date, no value) as SQL NULL.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func staleError(what string, have, yours int) error {
	return fmt.Errorf("%w: %s was changed by someone else meanwhile (now version %d, yours %d); reload it", contest.ErrStale, what, have, yours)
}

// checkVersion refuses a write based on a read of an older version (have is
// the version in the database, yours the one the caller read) with
// contest.ErrStale naming what.
func checkVersion(what string, have, yours int) error {
	if have != yours {
		return staleError(what, have, yours)
	}
	return nil
}

// writeVersioned is the optimistic-lock write of every console Update and
// Delete: sql is guarded by "WHERE id = $1 AND version = $2" and args start
// with the id and the version the caller read (yours). A version other than
// have, or no row touched, is contest.ErrStale naming what; a unique
// violation is contest.ErrConflict with the message dup (no dup: mapErr).
func writeVersioned(ctx context.Context, tx DBTX, what string, have, yours int, dup string, sql string, args ...any) error {
	if err := checkVersion(what, have, yours); err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, sql, args...)
	if err != nil {
		if dup != "" {
			return conflict(err, "%s", dup)
		}
		return mapErr(err)
	}
	if tag.RowsAffected() == 0 {
		return staleError(what, have+1, yours)
	}
	return nil
}

// programIDBySlug returns the id of the program with the given slug
// (contest.ErrNotFound if there is none); lock takes a row lock on the
// program, which serialises the writes that append a row at the end of one
// of its lists.
func programIDBySlug(ctx context.Context, db DBTX, program string, lock bool) (int64, error) {
	q := `SELECT id FROM programs WHERE slug = $1`
	if lock {
		q += ` FOR UPDATE`
	}
	var id int64
	if err := db.QueryRow(ctx, q, program).Scan(&id); err != nil {
		return 0, fmt.Errorf("program %s: %w", program, mapErr(err))
	}
	return id, nil
}

// conflict turns a unique violation into ErrConflict with a message naming
// the record; other errors go through mapErr.
func conflict(err error, format string, args ...any) error {
	if pgError(err, "23505") != nil {
		return fmt.Errorf("%w: "+format, append([]any{contest.ErrConflict}, args...)...)
	}
	return mapErr(err)
}

// optional is the error of a query whose row may be missing: no row is no
// error, and the scan's destinations keep their values.
func optional(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	return err
}

// pgError returns the PostgreSQL error in err's chain if its code is one
// of codes, else nil.
func pgError(err error, codes ...string) *pgconn.PgError {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && slices.Contains(codes, pgErr.Code) {
		return pgErr
	}
	return nil
}

// readTx runs fn in a read-only repeatable-read transaction, so a page built
// from several queries sees one consistent snapshot.
func (s *Store) readTx(ctx context.Context, op string, fn func(pgx.Tx) error) error {
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, fn)
	if err != nil {
		return fmt.Errorf("postgres: %s: %w", op, mapErr(err))
	}
	return nil
}

// writeTx runs fn in a read-write transaction.
func (s *Store) writeTx(ctx context.Context, op string, fn func(pgx.Tx) error) error {
	if err := pgx.BeginFunc(ctx, s.pool, fn); err != nil {
		return fmt.Errorf("postgres: %s: %w", op, mapErr(err))
	}
	return nil
}

// scanWith makes a row scanner for pgx.CollectRows and appendRows from the
// scan destinations of a T.
func scanWith[T any](dest func(*T) []any) pgx.RowToFunc[T] {
	return func(row pgx.CollectableRow) (T, error) {
		var v T
		err := row.Scan(dest(&v)...)
		return v, err
	}
}

// appendRows runs sql and appends its rows, scanned by scan, to dst. With
// no rows, dst comes back as it was (a nil dst stays nil).
func appendRows[T any](ctx context.Context, db DBTX, dst []T, scan pgx.RowToFunc[T], sql string, args ...any) ([]T, error) {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return dst, err
	}
	return pgx.AppendRows(dst, rows, scan)
}

// forEachRow runs sql and calls fn after scanning each row into dest.
func forEachRow(ctx context.Context, db DBTX, dest []any, fn func() error, sql string, args ...any) error {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	_, err = pgx.ForEachRow(rows, dest, fn)
	return err
}

// readProgram runs fn in a read transaction (readTx) with the id of the
// program with the given slug.
func (s *Store) readProgram(ctx context.Context, op, program string, fn func(tx pgx.Tx, programID int64) error) error {
	return s.readTx(ctx, op, func(tx pgx.Tx) error {
		pid, err := programIDBySlug(ctx, tx, program, false)
		if err != nil {
			return err
		}
		return fn(tx, pid)
	})
}

// writeProgram runs fn in a write transaction with the id of the program
// with the given slug; lock takes a row lock on the program
// (programIDBySlug).
func (s *Store) writeProgram(ctx context.Context, program string, lock bool, fn func(tx pgx.Tx, programID int64) error) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		pid, err := programIDBySlug(ctx, tx, program, lock)
		if err != nil {
			return err
		}
		return fn(tx, pid)
	})
}

// lookup reads the one row of sql with scan; lock locks it (FOR UPDATE OF
// alias). A missing row is contest.ErrNotFound, prefixed with what.
func lookup[T any](ctx context.Context, db DBTX, scan func(pgx.Row) (T, error), what string, lock bool, alias, sql string, args ...any) (T, error) {
	if lock {
		sql += " FOR UPDATE OF " + alias
	}
	v, err := scan(db.QueryRow(ctx, sql, args...))
	if err != nil {
		return v, fmt.Errorf("%s: %w", what, mapErr(err))
	}
	return v, nil
}

// collectRows runs sql and scans every row with scan, as pgx.CollectRows
// does: no rows is an empty, non-nil slice.
func collectRows[T any](ctx context.Context, db DBTX, scan func(pgx.Row) (T, error), sql string, args ...any) ([]T, error) {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
}

// audited logs a console write once its record is read back into after:
// err is the read's error (nothing is logged then); before is nil for a
// creation.
func audited(ctx context.Context, tx DBTX, err error, actor contest.Actor, action, entity string, roundID *int64, before, after any) error {
	if err != nil {
		return err
	}
	_, err = appendAudit(ctx, tx, actor, action, entity, roundID, before, after)
	return err
}

// saved is the return of a console create or update: the record it saved,
// or the record it was given and err as the failure of op.
func saved[T any](op string, in, out T, err error) (T, error) {
	if err != nil {
		return in, fmt.Errorf("postgres: %s: %w", op, err)
	}
	return out, nil
}

// withID is an item read with the id of its row.
type withID[T any] struct {
	id int64
	v  T
}

// collectWithIDs runs sql, whose first column is the row's id, and scans
// the other columns into dest of a T: the items and their ids in the same
// order (nil for no rows).
func collectWithIDs[T any](ctx context.Context, db DBTX, dest func(*T) []any, sql string, args ...any) ([]T, []int64, error) {
	rows, err := appendRows(ctx, db, nil, scanWith(func(r *withID[T]) []any {
		return append([]any{&r.id}, dest(&r.v)...)
	}), sql, args...)
	if err != nil {
		return nil, nil, err
	}
	var out []T
	var ids []int64
	for _, r := range rows {
		out = append(out, r.v)
		ids = append(ids, r.id)
	}
	return out, ids, nil
}

// listOf runs sql and scans its rows into dest of a T (nil for no rows); a
// failure is named what.
func listOf[T any](ctx context.Context, db DBTX, what string, dest func(*T) []any, sql string, args ...any) ([]T, error) {
	out, err := appendRows(ctx, db, nil, scanWith(dest), sql, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// programRows reads the rows of sql, its $1 the id of the program named
// program, with scan.
func programRows[T any](ctx context.Context, s *Store, op, program string, scan func(pgx.Row) (T, error), sql string) ([]T, error) {
	var out []T
	err := s.readProgram(ctx, op, program, func(tx pgx.Tx, pid int64) (err error) {
		out, err = collectRows(ctx, tx, scan, sql, pid)
		return err
	})
	return out, err
}

// writeRecord is the flow of a console create or update of one record of
// a program: check holds the record's field errors found before any read
// (nil: none, or left to fn); fn writes in a transaction and leaves the
// record saved in *out.
func writeRecord[T any](ctx context.Context, s *Store, op, program string, in T, check error, fn func(tx pgx.Tx, pid int64, out *T) error) (T, error) {
	if check != nil {
		return saved(op, in, in, check)
	}
	var out T
	err := s.writeProgram(ctx, program, false, func(tx pgx.Tx, pid int64) error { return fn(tx, pid, &out) })
	return saved(op, in, out, err)
}
