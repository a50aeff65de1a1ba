package web

import (
	"context"
	"crypto/rand"
	"math"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"
	"github.com/go-chi/chi/v5"
	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/web/admin"
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
	// sessID is the session's row in staff_sessions (its owner's list);
	// a session whose row is gone was ended by its owner.
	sessID = "sid"
	// sessAuthAt is when the user last proved who they are (sign-in or
	// re-authentication), in Unix seconds: the sensitive actions want it
	// recent (recentAuth).
	sessAuthAt = "auth_at"
	// The sign-in waiting for its second step (the code): the account, its
	// version and when the password was accepted (Unix seconds).
	sessPendingUser = "pending_uid"
	sessPendingVer  = "pending_ver"
	sessPendingAt   = "pending_at"
	// sessNewSecret is the TOTP secret being enrolled, until confirmed.
	sessNewSecret = "mfa_secret"
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

// loginCounter reads the recent sign-ins; the store does it from the audit
// log, where every attempt is recorded.
type loginCounter interface {
	SignInHistory(ctx context.Context, email, addr string) (auth.SignInHistory, error)
}

// loginLimiter slows failed sign-ins down per account and per client
// address (auth.SignInHistory) from the audit log, so it holds across every
// web process sharing the database. A refused (429) attempt is not counted.
type loginLimiter struct {
	store loginCounter
}

func newLoginLimiter(store loginCounter) *loginLimiter {
	return &loginLimiter{store: store}
}

// blocked returns how long the attempt must still wait (0: go ahead).
func (l *loginLimiter) blocked(ctx context.Context, email, addr string) (time.Duration, error) {
	h, err := l.store.SignInHistory(ctx, email, addr)
	return h.Wait(), err
}

type sessionInfoKey struct{}

// sessionInfo is what trackSession learned about the signed-in session.
type sessionInfo struct {
	id      string
	hasTOTP bool
}

func currentSession(ctx context.Context) sessionInfo {
	si, _ := ctx.Value(sessionInfoKey{}).(sessionInfo)
	return si
}

// trackSession keeps the signed-in session's row in its owner's session
// list up to date, and signs out a session that its owner ended (or that
// has no row: made before sessions were listed). It runs after loadUser.
func (s *server) trackSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		u := currentUser(ctx)
		if u == nil {
			next.ServeHTTP(w, r)
			return
		}
		id := s.sessions.GetString(ctx, sessID)
		alive, hasTOTP, err := s.store.TouchStaffSession(ctx, u.ID, id, clientAddr(r))
		if err != nil {
			s.failAdmin(w, r, err)
			return
		}
		if !alive {
			if err := s.sessions.Destroy(ctx); err != nil {
				s.failAdmin(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, userKey{}, (*postgres.User)(nil))))
			return
		}
		ctx = context.WithValue(ctx, sessionInfoKey{}, sessionInfo{id: id, hasTOTP: hasTOTP})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// newSessionID is a random handle of a session in its owner's list.
func newSessionID() string { return rand.Text() }

// throttled reports whether a credential check (password or code) for
// email from r's client must wait (auth.SignInHistory); when it must, the
// answer's Retry-After says how long.
func (s *server) throttled(w http.ResponseWriter, r *http.Request, email string) (bool, error) {
	wait, err := s.logins.blocked(r.Context(), email, clientAddr(r))
	if err != nil || wait <= 0 {
		return false, err
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	return true, nil
}

// handleSessions lists the signed-in user's own sessions: when each began
// and was last seen, from which address and browser, and which one is
// this. Nobody sees another user's sessions.
func (s *server) handleSessions(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	list, err := s.store.StaffSessions(r.Context(), ar.user.ID, sessionIdle, sessionLifetime)
	if err != nil {
		return err
	}
	cur := currentSession(r.Context()).id
	v := adminview.SessionsPage{AdminPage: ar.page("sessions", ar.T("admin.sessions.title"))}
	v.Path = "/admin/sessions"
	for _, ss := range list {
		row := adminview.SessionRow{ID: ss.ID, Created: ar.dateTime(&ss.CreatedAt), LastSeen: ar.dateTime(&ss.LastSeen),
			Addr: ss.ClientAddr, UserAgent: ss.UserAgent, Current: ss.ID == cur}
		if !row.Current {
			v.Others++
		}
		v.Sessions = append(v.Sessions, row)
	}
	return s.render(w, r, http.StatusOK, admin.Sessions(v))
}

// handleSessionEnd ends one of the user's other sessions: it is signed out
// on its next request.
func (s *server) handleSessionEnd(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	if id == currentSession(r.Context()).id {
		id = "" // this session ends by signing out; never through here
	}
	return s.endSessions(w, r, id, "")
}

// handleSessionsEndOthers ends every session of the user but this one.
func (s *server) handleSessionsEndOthers(w http.ResponseWriter, r *http.Request) error {
	return s.endSessions(w, r, "", currentSession(r.Context()).id)
}

// endSessions ends the session id, or (id empty) every one but keep;
// with both empty it ends none.
func (s *server) endSessions(w http.ResponseWriter, r *http.Request, id, keep string) error {
	ar := s.adminBegin(r)
	n := 0
	if id != "" || keep != "" {
		var err error
		if n, err = s.store.EndStaffSessions(r.Context(), ar.user.ID, id, keep, ar.actor()); err != nil {
			return err
		}
	}
	ar.flash(ar.T("admin.sessions.ended", "n", n))
	return ar.redirect(w, "/admin/sessions")
}
