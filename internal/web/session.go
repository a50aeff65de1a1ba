package web

import (
	"net"
	"net/http"
	"strings"
	"sync"
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

// loginLimiter counts failed sign-ins per account and per client address
// in memory. It is per process: with several web processes an attacker
// gets the limit once per process, which still bounds guessing to a few
// dozen passwords per quarter hour.
type loginLimiter struct {
	mu       sync.Mutex
	failures map[string][]time.Time
	lastGC   time.Time
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{failures: map[string][]time.Time{}}
}

func accountKey(email string) string { return "a:" + strings.ToLower(strings.TrimSpace(email)) }
func addrKey(addr string) string     { return "i:" + addr }

// blocked reports whether the account or the address used up its failures.
func (l *loginLimiter) blocked(email, addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.count(accountKey(email), now) >= loginPerAccount || l.count(addrKey(addr), now) >= loginPerAddr
}

// fail records a failed sign-in.
func (l *loginLimiter) fail(email, addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range []string{accountKey(email), addrKey(addr)} {
		l.count(k, now)
		l.failures[k] = append(l.failures[k], now)
	}
	if now.Sub(l.lastGC) > loginWindow {
		for k := range l.failures {
			l.count(k, now)
		}
		l.lastGC = now
	}
}

// succeed forgets the account's failures: its owner proved the password.
func (l *loginLimiter) succeed(email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, accountKey(email))
}

// count drops the failures older than the window and counts the rest.
func (l *loginLimiter) count(key string, now time.Time) int {
	ts := l.failures[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= loginWindow {
		i++
	}
	if i == len(ts) {
		delete(l.failures, key)
		return 0
	}
	l.failures[key] = ts[i:]
	return len(ts) - i
}
