package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/contest"
)

// User is a staff account. The password hash is never part of it: only
// UserByEmail returns it, for the login check.
type User struct {
	ID        int64
	Email     string
	Name      string
	Role      string
	Disabled  bool
	Version   int
	CreatedAt time.Time
}

// usersLock serialises the changes that depend on how many enabled admins
// there are, so two concurrent changes cannot both pass the check.
const usersLock = 7_242_002

// userAudit is what the audit log records of a user: never the hash.
type userAudit struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Disabled bool   `json:"disabled"`
}

func (u User) audit() userAudit {
	return userAudit{Email: u.Email, Name: u.Name, Role: u.Role, Disabled: u.Disabled}
}

func (u User) entity() string { return "user:" + u.Email }

const userCols = `id, email, name, role::text, disabled_at IS NOT NULL, version, created_at`

func scanUser(row pgx.Row, extra ...any) (User, error) {
	var u User
	err := row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &u.Disabled, &u.Version, &u.CreatedAt}, extra...)...)
	return u, mapErr(err)
}

// checkUserInput catches what the database would refuse less clearly, and
// a plain password passed where its hash belongs.
func checkUserInput(role, passwordHash string) error {
	if !auth.ValidRole(role) {
		return fmt.Errorf("%w: role %q is not one of %s", contest.ErrInvalid, role, strings.Join(auth.Roles, ", "))
	}
	if !strings.HasPrefix(passwordHash, "$argon2id$") {
		return fmt.Errorf("%w: the password must be passed hashed", contest.ErrInvalid)
	}
	return nil
}

// CreateUser adds a staff account. The email is stored as given but must be
// unique ignoring case (ErrConflict).
func (s *Store) CreateUser(ctx context.Context, email, name, role, passwordHash string, actor contest.Actor) (User, error) {
	var u User
	if err := checkUserInput(role, passwordHash); err != nil {
		return u, fmt.Errorf("postgres: create user: %w", err)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		u, err = insertUser(ctx, tx, email, name, role, passwordHash, actor)
		return err
	})
	if err != nil {
		return u, fmt.Errorf("postgres: create user: %w", err)
	}
	return u, nil
}

// CreateFirstAdmin adds an admin only while there is no enabled admin, in
// one transaction, so two people racing through the first-admin setup
// cannot both become admin: the second gets ErrConflict.
func (s *Store) CreateFirstAdmin(ctx context.Context, email, name, passwordHash string, actor contest.Actor) (User, error) {
	var u User
	if err := checkUserInput(auth.RoleAdmin, passwordHash); err != nil {
		return u, fmt.Errorf("postgres: create first admin: %w", err)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, usersLock); err != nil {
			return err
		}
		n, err := countAdmins(ctx, tx)
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: an admin already exists", contest.ErrConflict)
		}
		u, err = insertUser(ctx, tx, email, name, auth.RoleAdmin, passwordHash, actor)
		return err
	})
	if err != nil {
		return u, fmt.Errorf("postgres: create first admin: %w", err)
	}
	return u, nil
}

func insertUser(ctx context.Context, tx DBTX, email, name, role, passwordHash string, actor contest.Actor) (User, error) {
	u, err := scanUser(tx.QueryRow(ctx, `
INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4)
RETURNING `+userCols, email, name, role, passwordHash))
	if errors.Is(err, contest.ErrConflict) {
		return u, fmt.Errorf("%w: a user with email %s already exists", contest.ErrConflict, email)
	}
	if err != nil {
		return u, err
	}
	_, err = appendAudit(ctx, tx, actor, "user.create", u.entity(), nil, nil, u.audit())
	return u, err
}

// UserByEmail returns the account with that email, ignoring case, and its
// password hash. Disabled accounts are returned too; the caller refuses them.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, string, error) {
	var hash string
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userCols+`, password_hash FROM users WHERE lower(email) = lower($1)`, email), &hash)
	if err != nil {
		return u, "", fmt.Errorf("postgres: user %s: %w", email, err)
	}
	return u, hash, nil
}

// UserByID returns an account.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	if err != nil {
		return u, fmt.Errorf("postgres: user %d: %w", id, err)
	}
	return u, nil
}

// Users lists every account, disabled ones included, by email.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	out, err := appendRows(ctx, s.pool, nil, func(row pgx.CollectableRow) (User, error) { return scanUser(row) },
		`SELECT `+userCols+` FROM users ORDER BY lower(email), id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: users: %w", err)
	}
	return out, nil
}

// CountAdmins counts the enabled admins; zero means the first-admin setup
// is open.
func (s *Store) CountAdmins(ctx context.Context) (int, error) {
	n, err := countAdmins(ctx, s.pool)
	if err != nil {
		return 0, fmt.Errorf("postgres: count admins: %w", err)
	}
	return n, nil
}

func countAdmins(ctx context.Context, db DBTX) (int, error) {
	var n int
	err := db.QueryRow(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL`).Scan(&n)
	return n, err
}

// lockUser reads an account for update, by id or (when id is 0) by email.
func lockUser(ctx context.Context, tx DBTX, id int64, email string) (User, error) {
	var row pgx.Row
	if id != 0 {
		row = tx.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = $1 FOR UPDATE`, id)
	} else {
		row = tx.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE lower(email) = lower($1) FOR UPDATE`, email)
	}
	u, err := scanUser(row)
	if err != nil {
		if id != 0 {
			return u, fmt.Errorf("user %d: %w", id, err)
		}
		return u, fmt.Errorf("user %s: %w", email, err)
	}
	return u, nil
}

// keepAnAdmin refuses a change that takes u out of the enabled admins when
// it is the last one. The caller holds usersLock.
func keepAnAdmin(ctx context.Context, tx DBTX, u User) error {
	if u.Role != auth.RoleAdmin || u.Disabled {
		return nil
	}
	n, err := countAdmins(ctx, tx)
	if err != nil {
		return err
	}
	if n <= 1 {
		return contest.ErrLastAdmin
	}
	return nil
}

// DisableUser stops an account from logging in; disabling a disabled
// account changes nothing. The last enabled admin cannot be disabled
// (contest.ErrLastAdmin).
func (s *Store) DisableUser(ctx context.Context, email string, actor contest.Actor) error {
	return s.setDisabled(ctx, email, true, actor)
}

// EnableUser lets a disabled account log in again.
func (s *Store) EnableUser(ctx context.Context, email string, actor contest.Actor) error {
	return s.setDisabled(ctx, email, false, actor)
}

func (s *Store) setDisabled(ctx context.Context, email string, disabled bool, actor contest.Actor) error {
	op, action := "enable user", "user.enable"
	if disabled {
		op, action = "disable user", "user.disable"
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, usersLock); err != nil {
			return err
		}
		u, err := lockUser(ctx, tx, 0, email)
		if err != nil || u.Disabled == disabled {
			return err
		}
		if disabled {
			if err := keepAnAdmin(ctx, tx, u); err != nil {
				return err
			}
		}
		return rewriteUser(ctx, tx, u, actor, action, `disabled_at = CASE WHEN $2 THEN now() END`, disabled)
	})
	if err != nil {
		return fmt.Errorf("postgres: %s: %w", op, err)
	}
	return nil
}

// SetUserRole changes an account's role if it is still at version (else
// ErrStale). The last enabled admin cannot be demoted (contest.ErrLastAdmin).
func (s *Store) SetUserRole(ctx context.Context, id int64, role string, version int, actor contest.Actor) error {
	if !auth.ValidRole(role) {
		return fmt.Errorf("postgres: set user role: %w: role %q is not one of %s", contest.ErrInvalid, role, strings.Join(auth.Roles, ", "))
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, usersLock); err != nil {
			return err
		}
		u, err := lockUser(ctx, tx, id, "")
		if err != nil {
			return err
		}
		if u.Version != version {
			return fmt.Errorf("%w: user %s is at version %d, not %d", contest.ErrStale, u.Email, u.Version, version)
		}
		if u.Role == role {
			return nil
		}
		if err := keepAnAdmin(ctx, tx, u); err != nil {
			return err
		}
		return rewriteUser(ctx, tx, u, actor, "user.role", `role = $2`, role)
	})
	if err != nil {
		return fmt.Errorf("postgres: set user role: %w", err)
	}
	return nil
}

// SetPassword replaces an account's password hash. The version goes up, so
// a session that remembers the version it was made at can be ended.
func (s *Store) SetPassword(ctx context.Context, id int64, hash string, actor contest.Actor) error {
	if !strings.HasPrefix(hash, "$argon2id$") {
		return fmt.Errorf("postgres: set password: %w: the password must be passed hashed", contest.ErrInvalid)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		u, err := lockUser(ctx, tx, id, "")
		if err != nil {
			return err
		}
		return rewriteUser(ctx, tx, u, actor, "user.password", `password_hash = $2`, hash)
	})
	if err != nil {
		return fmt.Errorf("postgres: set password: %w", err)
	}
	return nil
}

// rewriteUser sets the columns of set (its arguments from $2 on) of the
// user u, as read under lock, raises the version and logs action with u
// before and after.
func rewriteUser(ctx context.Context, tx DBTX, u User, actor contest.Actor, action, set string, args ...any) error {
	after, err := scanUser(tx.QueryRow(ctx, `UPDATE users SET `+set+`, version = version + 1, updated_at = now() WHERE id = $1 RETURNING `+userCols,
		append([]any{u.ID}, args...)...))
	return audited(ctx, tx, err, actor, action, u.entity(), nil, u.audit(), after.audit())
}

// maxLoggedEmail bounds what a failed login writes to the append-only log:
// the email field is whatever a client sent.
const maxLoggedEmail = 254

// RecordLogin appends auth.login or auth.login_failed for the email that
// was tried, whether or not an account has it; actor carries the client
// address. The password is never passed here.
func (s *Store) RecordLogin(ctx context.Context, email string, ok bool, actor contest.Actor) error {
	return s.RecordSignIn(ctx, email, ok, "", actor)
}

// RecordSignIn is RecordLogin for a sign-in step named by factor: "totp"
// or "recovery" for the second step (the code), "" for the password. The
// second step's failures count against the same throttle as wrong
// passwords, and the sign-in is recorded as auth.login only once the code
// was accepted.
func (s *Store) RecordSignIn(ctx context.Context, email string, ok bool, factor string, actor contest.Actor) error {
	action := "auth.login_failed"
	if ok {
		action = "auth.login"
	}
	return s.recordAuth(ctx, action, email, factor, actor)
}

// RecordReauth appends auth.reauth: the signed-in user proved again who they
// are (factor "password", "totp" or "recovery") before an action that asks
// for it. Its failures are recorded as failed sign-ins (RecordSignIn).
func (s *Store) RecordReauth(ctx context.Context, email, factor string, actor contest.Actor) error {
	return s.recordAuth(ctx, "auth.reauth", email, factor, actor)
}

// recordAuth appends an authentication event of the email as typed (see
// loggedEmail) and the factor used, if any.
func (s *Store) recordAuth(ctx context.Context, action, email, factor string, actor contest.Actor) error {
	email = loggedEmail(email)
	after := map[string]string{"email": email}
	if factor != "" {
		after["factor"] = factor
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := appendAudit(ctx, tx, actor, action, "user:"+email, nil, nil, after)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: record %s: %w", action, err)
	}
	return nil
}

// loggedEmail is a typed email as the audit log records it: readable but
// storable (text and jsonb refuse invalid UTF-8 and NUL), and bounded.
func loggedEmail(email string) string {
	email = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(strings.TrimSpace(email), string(utf8.RuneError)))
	if r := []rune(email); len(r) > maxLoggedEmail {
		email = string(r[:maxLoggedEmail])
	}
	return email
}

// LoginFailures counts the failed sign-ins of the last window, for the
// account (since its last successful sign-in) and for the client address,
// from the audit log, so the limits hold across every portal process.
func (s *Store) LoginFailures(ctx context.Context, email, addr string, window time.Duration) (account, address int, err error) {
	err = s.pool.QueryRow(ctx, `
WITH recent AS (
  SELECT id, action, lower(after->>'email') AS email, client_addr FROM audit_events
  WHERE action IN ('auth.login', 'auth.login_failed') AND at >= now() - make_interval(secs => $3)
)
SELECT
  count(*) FILTER (WHERE action = 'auth.login_failed' AND email = lower($1)
                   AND id > coalesce((SELECT max(id) FROM recent WHERE action = 'auth.login' AND email = lower($1)), 0)),
  count(*) FILTER (WHERE action = 'auth.login_failed' AND client_addr = $2)
FROM recent`, loggedEmail(email), addr, window.Seconds()).Scan(&account, &address)
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: login failures: %w", err)
	}
	return account, address, nil
}

// SignInHistory reads from the audit log what the sign-in throttle needs
// about an attempt on the account email from the client address addr (see
// auth.SignInHistory), over auth.ThrottleWindow, so the throttle holds
// across every portal process.
func (s *Store) SignInHistory(ctx context.Context, email, addr string) (auth.SignInHistory, error) {
	var h auth.SignInHistory
	var accountLast, addressLast *time.Time
	err := s.pool.QueryRow(ctx, `
WITH recent AS (
  SELECT id, at, action, lower(after->>'email') AS email, client_addr FROM audit_events
  WHERE action IN ('auth.login', 'auth.login_failed') AND at >= now() - make_interval(secs => $3)
), known AS (
  SELECT EXISTS (SELECT 1 FROM audit_events WHERE action = 'auth.login' AND at >= now() - make_interval(secs => $4)
                 AND lower(after->>'email') = lower($1) AND client_addr = $2) AS known
), mine AS (
  SELECT * FROM recent
  WHERE action = 'auth.login_failed' AND email = lower($1)
    AND id > coalesce((SELECT max(id) FROM recent WHERE action = 'auth.login' AND email = lower($1)), 0)
    AND (client_addr = $2 OR NOT (SELECT known FROM known))
)
SELECT now(), (SELECT known FROM known),
  (SELECT count(*) FROM mine), (SELECT max(at) FROM mine),
  count(*), max(at)
FROM recent WHERE action = 'auth.login_failed' AND client_addr = $2`,
		loggedEmail(email), addr, auth.ThrottleWindow.Seconds(), auth.KnownAddressPeriod.Seconds()).
		Scan(&h.Now, &h.KnownAddress, &h.AccountFailures, &accountLast, &h.AddressFailures, &addressLast)
	if err != nil {
		return h, fmt.Errorf("postgres: sign-in history: %w", err)
	}
	if accountLast != nil {
		h.AccountLast = *accountLast
	}
	if addressLast != nil {
		h.AddressLast = *addressLast
	}
	return h, nil
}
