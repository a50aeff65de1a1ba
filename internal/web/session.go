package web

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"
)

// Session timing: a staff session ends after 30 minutes without a request,
// and 12 hours after sign-in whatever happens.
const (
	sessionIdle     = 30 * time.Minute
	sessionLifetime = 12 * time.Hour
)

// The session's keys: the account and the account version the session was
// made at. Any change of the account (password, role, access) raises the
// version and so ends its other sessions.
const (
	sessUserID  = "uid"
	sessVersion = "ver"
	sessFlash   = "flash"
)

// newSessions configures the session manager. Sessions live in store (the
// sessions table in PostgreSQL, so they survive restarts and are shared by
// every web process); a nil store keeps them in memory, which only tests
// that never sign in rely on. Over HTTPS the cookie is Secure and carries
// the __Host- prefix (no Domain, Path=/), so no other host or plain-HTTP
// page can set or read it; browsers refuse both on plain-HTTP localhost, so
// there it is an ordinary host-only cookie.
func newSessions(store scs.Store, secure bool) *scs.SessionManager {
	sm := scs.New()
	if store == nil {
		store = memstore.NewWithCleanupInterval(0)
	}
	sm.Store = store
	sm.IdleTimeout = sessionIdle
	sm.Lifetime = sessionLifetime
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	sm.Cookie.Domain = ""
	sm.Cookie.Persist = false
	sm.Cookie.Secure = secure
	sm.Cookie.Name = "portal_session"
	if secure {
		sm.Cookie.Name = "__Host-portal_session"
	}
	return sm
}

// clientAddr is the request's client address as the audit log records it:
// the host part of RemoteAddr. Behind a reverse proxy that is the proxy;
// the portal does not trust forwarding headers that any client can set.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Limits on failed sign-ins: per account and per client address, over a
// sliding window.
const (
	loginWindow     = 15 * time.Minute
	loginPerAccount = 5
	loginPerAddr    = 20
)

// loginCounter counts recent failed sign-ins; the store does it from the
// audit log, where every attempt is recorded.
type loginCounter interface {
	LoginFailures(ctx context.Context, email, addr string, window time.Duration) (account, address int, err error)
}

// loginLimiter enforces the sign-in limits from the audit log, so they hold
// across every web process sharing the database. A successful sign-in
// clears the account's count; a refused (429) attempt is not counted.
type loginLimiter struct {
	store loginCounter
}

func newLoginLimiter(store loginCounter) *loginLimiter {
	return &loginLimiter{store: store}
}

// blocked reports whether the account or the address used up its failures.
func (l *loginLimiter) blocked(ctx context.Context, email, addr string) (bool, error) {
	account, address, err := l.store.LoginFailures(ctx, email, addr, loginWindow)
	if err != nil {
		return false, err
	}
	return account >= loginPerAccount || address >= loginPerAddr, nil
}
