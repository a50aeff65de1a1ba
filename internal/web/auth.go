package web

import (
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/internal/web/i18n"
	"github.com/kai-challenge/portal/web/admin"
)

// handleLoginForm shows the sign-in form; a signed-in user goes on.
func (s *server) handleLoginForm(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	next := safeNext(r.URL.Query().Get("next"), ar.L.URL("/admin"))
	if ar.user != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	return s.renderLogin(w, ar, http.StatusOK, "", next, "")
}

func (s *server) renderLogin(w http.ResponseWriter, ar *adminReq, status int, email, next, msg string) error {
	v := adminview.LoginPage{AdminPage: ar.page("login", ar.T("admin.login.title")), Email: email, Next: next, Error: msg}
	v.Path = "/login"
	return s.render(w, ar.r, status, admin.Login(v))
}

// handleLogin signs a staff member in. An unknown email, a disabled account
// and a wrong password get the same answer after the same work (a dummy
// argon2id check when there is no hash to check), so neither the page nor
// its timing tells which emails have accounts. Failures are limited per
// account and per client address, and every attempt is audited.
func (s *server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	ctx := r.Context()
	email := strings.TrimSpace(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"), ar.L.URL("/admin"))
	addr := clientAddr(r)
	if wait, err := s.throttled(w, r, email); err != nil || wait {
		if err != nil {
			return err
		}
		return s.renderLogin(w, ar, http.StatusTooManyRequests, email, next, ar.T("admin.login.too_many"))
	}
	u, hash, err := s.store.UserByEmail(ctx, email)
	ok := false
	switch {
	case err == nil && !u.Disabled:
		ok, err = auth.CheckPassword(hash, password)
		if err != nil {
			s.log.LogAttrs(ctx, slog.LevelError, "unreadable password hash", slog.Int64("user", u.ID), slog.String("error", err.Error()))
			ok = false
		}
	case err == nil || errors.Is(err, contest.ErrNotFound):
		auth.DummyCheck(password)
	default:
		return err
	}
	if !ok {
		if err := s.store.RecordLogin(ctx, email, false, contest.Actor{Name: "anonymous", Addr: addr}); err != nil {
			return err
		}
		return s.renderLogin(w, ar, http.StatusUnauthorized, email, next, ar.T("admin.login.failed"))
	}
	if auth.NeedsRehash(hash) {
		u = s.rehash(r, u, password, addr)
	}
	return s.passwordAccepted(w, r, u, next)
}

// passwordAccepted goes on from a correct password: an account with a
// second factor is asked for its code (signInCode), any other is signed in.
// An admin without one while ADMIN_MFA=required is then held at the
// enrolment page (requireEnrolment).
func (s *server) passwordAccepted(w http.ResponseWriter, r *http.Request, u postgres.User, next string) error {
	ctx := r.Context()
	secret, err := s.store.TOTPSecret(ctx, u.ID)
	if err != nil {
		return err
	}
	if secret != "" {
		s.sessions.Put(ctx, sessPendingUser, u.ID)
		s.sessions.Put(ctx, sessPendingVer, u.Version)
		s.sessions.Put(ctx, sessPendingAt, s.now().Unix())
		lang, _ := splitPath(r)
		http.Redirect(w, r, i18n.Localize(lang, "/login/code")+"?next="+url.QueryEscape(next), http.StatusSeeOther)
		return nil
	}
	if err := s.store.RecordLogin(ctx, u.Email, true, contest.Actor{Name: u.Email, Addr: clientAddr(r)}); err != nil {
		return err
	}
	if err := s.signIn(r, u); err != nil {
		return err
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// rehash stores a new hash, with the current parameters, of the password
// the user just proved to know, when their stored hash was made with older
// ones. Like any password change it raises the account's version, so the
// account's other sessions end; it returns the account at its new version.
// A failure is logged and the sign-in goes on with the old hash.
func (s *server) rehash(r *http.Request, u postgres.User, password, addr string) postgres.User {
	ctx := r.Context()
	fail := func(err error) postgres.User {
		s.log.LogAttrs(ctx, slog.LevelWarn, "rehash password", slog.Int64("user", u.ID), slog.String("error", err.Error()))
		return u
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return fail(err)
	}
	if err := s.store.SetPassword(ctx, u.ID, hash, contest.Actor{Name: u.Email, Addr: addr}); err != nil {
		return fail(err)
	}
	now, err := s.store.UserByID(ctx, u.ID)
	if err != nil {
		return fail(err)
	}
	return now
}

// signIn binds the session to the account under a new token, so a token
// planted before sign-in is worthless after it.
//
// The session gets a row in the account's session list (replacing the
// row of the session it continues, if any) and counts as freshly
// authenticated.
func (s *server) signIn(r *http.Request, u postgres.User) error {
	ctx := r.Context()
	old := s.sessions.GetString(ctx, sessID)
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	id := newSessionID()
	if err := s.store.StartStaffSession(ctx, u.ID, id, old, clientAddr(r), r.UserAgent(), sessionLifetime); err != nil {
		return err
	}
	for _, k := range []string{sessPendingUser, sessPendingVer, sessPendingAt} {
		s.sessions.Remove(ctx, k)
	}
	s.sessions.Put(ctx, sessUserID, u.ID)
	s.sessions.Put(ctx, sessVersion, u.Version)
	s.sessions.Put(ctx, sessID, id)
	s.sessions.Put(ctx, sessAuthAt, s.now().Unix())
	return nil
}

// handleLogout ends the session: it is deleted from the store, so the old
// cookie is worthless even if it was copied.
func (s *server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	if id := s.sessions.GetString(r.Context(), sessID); id != "" {
		if err := s.store.DropStaffSession(r.Context(), id); err != nil {
			return err
		}
	}
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	http.Redirect(w, r, ar.L.URL("/login"), http.StatusSeeOther)
	return nil
}

// safeNext accepts only a path on this site as the page to go to after
// sign-in, so the sign-in form cannot be used to send staff elsewhere:
// no scheme or host, a path starting with a single "/", and no backslash
// or control character anywhere, typed or percent-encoded (browsers drop
// tabs and newlines from a URL and read a backslash as a slash, so
// "/<tab>/evil.example" and "/\evil.example" would lead to evil.example).
func safeNext(next, fallback string) string {
	unsafe := func(s string) bool {
		return strings.ContainsFunc(s, func(r rune) bool { return r == '\\' || unicode.IsControl(r) })
	}
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || unsafe(next) {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || unsafe(u.Path) {
		return fallback
	}
	return next
}

// setupOpen reports whether token opens the first-admin setup: the server
// was started with a setup token, it matches, and there is still no
// enabled admin. Once the first admin exists the link is dead.
func (s *server) setupOpen(r *http.Request, token string) (bool, error) {
	if s.setupToken == "" || subtle.ConstantTimeCompare([]byte(token), []byte(s.setupToken)) != 1 {
		return false, nil
	}
	n, err := s.store.CountAdmins(r.Context())
	return n == 0 && err == nil, err
}

func (s *server) handleSetupForm(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	open, err := s.setupOpen(r, token)
	if err != nil {
		return err
	}
	if !open {
		return contest.ErrNotFound
	}
	return s.renderSetup(w, s.adminBegin(r), http.StatusOK, token, adminview.NewForm(nil))
}

func (s *server) renderSetup(w http.ResponseWriter, ar *adminReq, status int, token string, f adminview.Form) error {
	v := adminview.SetupPage{AdminPage: ar.page("setup", ar.T("admin.setup.title")), Token: token, Form: f}
	v.Path = "/admin/setup?token=" + token
	return s.render(w, ar.r, status, admin.Setup(v))
}

// handleSetup creates the first admin and signs them in. The store creates
// it only while no enabled admin exists, so two people racing through the
// link cannot both succeed.
func (s *server) handleSetup(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	token := r.PostFormValue("token")
	open, err := s.setupOpen(r, token)
	if err != nil {
		return err
	}
	if !open {
		return contest.ErrNotFound
	}
	f := formOf(r, "email", "name")
	pw, pw2 := r.PostFormValue("password"), r.PostFormValue("password2")
	ar.checkAccount(f, f.V("email"), f.V("name"))
	ar.checkNewPassword(f, pw, pw2, f.V("email"))
	if f.Invalid() {
		return s.renderSetup(w, ar, http.StatusUnprocessableEntity, token, f)
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	u, err := s.store.CreateFirstAdmin(r.Context(), f.V("email"), f.V("name"), hash, contest.Actor{Name: "setup", Addr: clientAddr(r)})
	if errors.Is(err, contest.ErrConflict) {
		return contest.ErrNotFound // someone else finished the setup first
	}
	if err != nil {
		return err
	}
	if err := s.signIn(r, u); err != nil {
		return err
	}
	ar.flash(ar.T("admin.setup.done"))
	return ar.redirect(w, "/admin")
}

// checkAccount validates an account's email and name into f.
func (ar *adminReq) checkAccount(f adminview.Form, email, name string) {
	if !validEmail(email) {
		f.Errors["email"] = ar.T("admin.invalid.email")
	}
	if utf8.RuneCountInString(name) > 100 || strings.ContainsFunc(name, unicode.IsControl) {
		f.Errors["name"] = ar.T("admin.invalid.name")
	}
}

// checkNewPassword applies the password policy and the repeat check into f.
func (ar *adminReq) checkNewPassword(f adminview.Form, pw, pw2, email string) {
	if err := auth.ValidatePasswordFor(pw, email); err != nil {
		var pe *auth.PolicyError
		if errors.As(err, &pe) {
			f.Errors["password"] = ar.textIn(pe.Message)
		} else {
			f.Errors["password"] = err.Error()
		}
		return
	}
	if pw != pw2 {
		f.Errors["password2"] = ar.T("admin.invalid.password_repeat")
	}
}

// validEmail is the shape the users table accepts, bounded in length.
func validEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	return len(s) <= 254 && at > 0 && at < len(s)-1 && strings.Count(s, "@") == 1 &&
		!strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) && utf8.ValidString(s)
}

func (s *server) handlePasswordForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderPassword(w, s.adminBegin(r), http.StatusOK, adminview.NewForm(nil))
}

func (s *server) renderPassword(w http.ResponseWriter, ar *adminReq, status int, f adminview.Form) error {
	v := adminview.PasswordPage{AdminPage: ar.page("password", ar.T("admin.password.title")), Form: f}
	v.Path = "/admin/password"
	return s.render(w, ar.r, status, admin.Password(v))
}

// handlePassword changes the signed-in user's password after checking the
// current one (wrong guesses count against the sign-in limit). The account
// version rises, which ends the user's other sessions; this one continues
// under a new token.
func (s *server) handlePassword(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	ctx := r.Context()
	u := ar.user
	f := adminview.NewForm(nil)
	addr := clientAddr(r)
	if wait, err := s.throttled(w, r, u.Email); err != nil || wait {
		if err != nil {
			return err
		}
		f.Errors["current"] = ar.T("admin.login.too_many")
		return s.renderPassword(w, ar, http.StatusTooManyRequests, f)
	}
	_, hash, err := s.store.UserByEmail(ctx, u.Email)
	if err != nil {
		return err
	}
	if ok, err := auth.CheckPassword(hash, r.PostFormValue("current")); err != nil || !ok {
		// A wrong current password is a failed credential check like a
		// failed sign-in: audited and counted against the same limits.
		if err := s.store.RecordLogin(ctx, u.Email, false, contest.Actor{Name: u.Email, Addr: addr}); err != nil {
			return err
		}
		f.Errors["current"] = ar.T("admin.invalid.current_password")
		return s.renderPassword(w, ar, http.StatusUnprocessableEntity, f)
	}
	pw := r.PostFormValue("password")
	ar.checkNewPassword(f, pw, r.PostFormValue("password2"), u.Email)
	if f.Invalid() {
		return s.renderPassword(w, ar, http.StatusUnprocessableEntity, f)
	}
	newHash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(ctx, u.ID, newHash, ar.actor()); err != nil {
		return err
	}
	if err := s.refreshSession(r, u.ID); err != nil {
		return err
	}
	ar.flash(ar.T("admin.password.done"))
	return ar.redirect(w, "/admin")
}

// refreshSession renews the token of the current session after its own
// account changed, and records the account's new version so the session
// survives the change it made.
func (s *server) refreshSession(r *http.Request, id int64) error {
	u, err := s.store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	return s.signIn(r, u)
}
