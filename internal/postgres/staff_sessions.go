package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
)

// StaffSession is one console session of an account, as its owner sees it.
type StaffSession struct {
	ID         string
	CreatedAt  time.Time
	LastSeen   time.Time
	ClientAddr string
	UserAgent  string
}

// maxUserAgent bounds the stored user agent: it is whatever a client sent.
const maxUserAgent = 300

// StartStaffSession records a new console session of the account; replaces,
// when not empty, is the session it continues (after a password change),
// whose row goes. Rows of sessions older than lifetime are cleared on the
// way.
func (s *Store) StartStaffSession(ctx context.Context, userID int64, id, replaces, addr, userAgent string, lifetime time.Duration) error {
	if r := []rune(loggedEmail(userAgent)); len(r) > maxUserAgent {
		userAgent = string(r[:maxUserAgent])
	} else {
		userAgent = string(r)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM staff_sessions WHERE id = $1 OR created_at < now() - make_interval(secs => $2)`,
			replaces, lifetime.Seconds()); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO staff_sessions (id, user_id, client_addr, user_agent) VALUES ($1, $2, $3, $4)`,
			id, userID, addr, userAgent)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: start staff session: %w", err)
	}
	return nil
}

// TouchStaffSession reports whether the account's session id is still
// alive (not ended by its owner) and whether the account has a second
// factor, in one round trip. The last-seen time and address are updated
// at most once a minute.
func (s *Store) TouchStaffSession(ctx context.Context, userID int64, id, addr string) (alive, hasTOTP bool, err error) {
	err = s.pool.QueryRow(ctx, `
WITH cur AS (SELECT id, last_seen FROM staff_sessions WHERE id = $1 AND user_id = $2),
upd AS (
  UPDATE staff_sessions t SET last_seen = now(), client_addr = $3 FROM cur
  WHERE t.id = cur.id AND cur.last_seen < now() - interval '1 minute'
)
SELECT EXISTS (SELECT 1 FROM cur), EXISTS (SELECT 1 FROM user_totp WHERE user_id = $2)`, id, userID, addr).Scan(&alive, &hasTOTP)
	if err != nil {
		return false, false, fmt.Errorf("postgres: touch staff session: %w", err)
	}
	return alive, hasTOTP, nil
}

// StaffSessions lists the account's sessions seen within idle and started
// within lifetime, most recently seen first.
func (s *Store) StaffSessions(ctx context.Context, userID int64, idle, lifetime time.Duration) ([]StaffSession, error) {
	out, err := appendRows(ctx, s.pool, nil, func(row pgx.CollectableRow) (StaffSession, error) {
		var ss StaffSession
		err := row.Scan(&ss.ID, &ss.CreatedAt, &ss.LastSeen, &ss.ClientAddr, &ss.UserAgent)
		return ss, err
	}, `
SELECT id, created_at, last_seen, client_addr, user_agent FROM staff_sessions
WHERE user_id = $1 AND last_seen >= now() - make_interval(secs => $2) AND created_at >= now() - make_interval(secs => $3)
ORDER BY last_seen DESC, id`, userID, idle.Seconds(), lifetime.Seconds())
	if err != nil {
		return nil, fmt.Errorf("postgres: staff sessions: %w", err)
	}
	return out, nil
}

// EndStaffSessions ends the account's sessions: the one with id only, or,
// when id is empty, every one but keep. Only the account's own sessions
// can be ended. It returns how many ended; an ending is audited.
func (s *Store) EndStaffSessions(ctx context.Context, userID int64, id, keep string, actor contest.Actor) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM staff_sessions WHERE user_id = $1 AND (id = $2 OR ($2 = '' AND id <> $3))`, userID, id, keep)
		if err != nil {
			return err
		}
		if n = int(tag.RowsAffected()); n == 0 {
			return nil
		}
		u, err := lockUser(ctx, tx, userID, "")
		if err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "user.sessions_end", u.entity(), nil, nil, map[string]any{"email": u.Email, "ended": n})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: end staff sessions: %w", err)
	}
	return n, nil
}

// DropStaffSession removes a session's row without an audit event: the
// owner signed out.
func (s *Store) DropStaffSession(ctx context.Context, id string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM staff_sessions WHERE id = $1`, id); err != nil {
		return fmt.Errorf("postgres: drop staff session: %w", err)
	}
	return nil
}
