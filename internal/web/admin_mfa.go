package web

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/web/admin"
)

// AccountStore keeps what protects a staff account beyond its password:
// the second factor (TOTP secret, recovery codes) and the list of its
// console sessions.
type AccountStore interface {
	TOTPSecret(ctx context.Context, userID int64) (string, error)
	EnrolTOTP(ctx context.Context, userID int64, secret string, step int64, recoveryHashes [][]byte, actor contest.Actor) error
	UseTOTPStep(ctx context.Context, userID, step int64) (bool, error)
	UseRecoveryCode(ctx context.Context, userID int64, hash []byte, actor contest.Actor) (bool, error)
	RecoveryCodesLeft(ctx context.Context, userID int64) (int, error)
	RecordSignIn(ctx context.Context, email string, ok bool, factor string, actor contest.Actor) error
	RecordReauth(ctx context.Context, email, factor string, actor contest.Actor) error

	StartStaffSession(ctx context.Context, userID int64, id, replaces, addr, userAgent string, lifetime time.Duration) error
	TouchStaffSession(ctx context.Context, userID int64, id, addr string) (alive, hasTOTP bool, err error)
	StaffSessions(ctx context.Context, userID int64, idle, lifetime time.Duration) ([]postgres.StaffSession, error)
	EndStaffSessions(ctx context.Context, userID int64, id, keep string, actor contest.Actor) (int, error)
	DropStaffSession(ctx context.Context, id string) error
}

const (
	// pendingSignIn is how long the code may follow the password.
	pendingSignIn = 5 * time.Minute
	// reauthWindow is how long a sign-in or re-authentication lets the
	// user take sensitive actions without proving who they are again.
	reauthWindow = 10 * time.Minute
)

// pendingUser is the account whose password was accepted in this session
// and whose code is awaited; ok is false when there is none (or it took
// too long, or the account changed since).
func (s *server) pendingUser(r *http.Request) (u postgres.User, ok bool, err error) {
	ctx := r.Context()
	id := s.sessions.GetInt64(ctx, sessPendingUser)
	at := time.Unix(s.sessions.GetInt64(ctx, sessPendingAt), 0)
	if id == 0 || s.now().Sub(at) > pendingSignIn {
		return u, false, nil
	}
	u, err = s.store.UserByID(ctx, id)
	if errors.Is(err, contest.ErrNotFound) {
		return u, false, nil
	}
	if err != nil {
		return u, false, err
	}
	return u, !u.Disabled && u.Version == s.sessions.GetInt(ctx, sessPendingVer), nil
}

func (s *server) handleCodeForm(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	next := safeNext(r.URL.Query().Get("next"), ar.L.URL("/admin"))
	if _, ok, err := s.pendingUser(r); err != nil || !ok {
		if err != nil {
			return err
		}
		return ar.redirect(w, "/login")
	}
	return s.renderCode(w, ar, http.StatusOK, next, "")
}

func (s *server) renderCode(w http.ResponseWriter, ar *adminReq, status int, next, msg string) error {
	v := adminview.CodePage{AdminPage: ar.page("login", ar.T("admin.mfa.code_title")), Next: next, Error: msg}
	v.Path = "/login/code"
	return s.render(w, ar.r, status, admin.LoginCode(v))
}

// handleCode is the second step of a sign-in: the code of the account's
// authenticator, or one of its recovery codes (each works once). Wrong
// codes are audited and throttled like wrong passwords; the sign-in is
// recorded once the code is accepted.
func (s *server) handleCode(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	ctx := r.Context()
	next := safeNext(r.PostFormValue("next"), ar.L.URL("/admin"))
	u, ok, err := s.pendingUser(r)
	if err != nil {
		return err
	}
	if !ok {
		return ar.redirect(w, "/login")
	}
	actor := contest.Actor{Name: u.Email, Addr: clientAddr(r)}
	if wait, err := s.throttled(w, r, u.Email); err != nil || wait {
		if err != nil {
			return err
		}
		return s.renderCode(w, ar, http.StatusTooManyRequests, next, ar.T("admin.login.too_many"))
	}
	factor, ok, err := s.checkSecondFactor(ctx, u, r.PostFormValue("code"), actor)
	if err != nil {
		return err
	}
	if err := s.store.RecordSignIn(ctx, u.Email, ok, factor, actor); err != nil {
		return err
	}
	if !ok {
		return s.renderCode(w, ar, http.StatusUnauthorized, next, ar.T("admin.mfa.code_failed"))
	}
	if err := s.signIn(r, u); err != nil {
		return err
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// checkSecondFactor checks code against the account's second factor: six
// digits are an authenticator code (refused when its time step was used
// already), anything else a recovery code, spent when it matches. factor
// names which was tried.
func (s *server) checkSecondFactor(ctx context.Context, u postgres.User, code string, actor contest.Actor) (factor string, ok bool, err error) {
	secret, err := s.store.TOTPSecret(ctx, u.ID)
	if err != nil || secret == "" {
		return "totp", false, err
	}
	code = strings.Join(strings.Fields(code), "")
	if isDigits(code) {
		step, ok := auth.CheckTOTP(secret, code, s.now())
		if !ok {
			return "totp", false, nil
		}
		fresh, err := s.store.UseTOTPStep(ctx, u.ID, step)
		return "totp", fresh, err
	}
	if code == "" {
		return "recovery", false, nil
	}
	used, err := s.store.UseRecoveryCode(ctx, u.ID, auth.HashRecoveryCode(code), actor)
	return "recovery", used, err
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// handleMFA shows the user's second factor, or the enrolment: a QR code
// and the secret of a new TOTP key, kept in the session until a code from
// it confirms it.
func (s *server) handleMFA(w http.ResponseWriter, r *http.Request) error {
	return s.renderMFA(w, s.adminBegin(r), http.StatusOK, adminview.NewForm(nil))
}

func (s *server) renderMFA(w http.ResponseWriter, ar *adminReq, status int, f adminview.Form) error {
	ctx := ar.r.Context()
	v := ar.mfaPage()
	v.Form, v.Enrolled, v.Off, v.Required = f, currentSession(ctx).hasTOTP, ar.s.adminMFA == auth.MFAOff, ar.s.mustEnrol(ctx, ar.user)
	switch {
	case v.Enrolled:
		n, err := ar.s.store.RecoveryCodesLeft(ctx, ar.user.ID)
		if err != nil {
			return err
		}
		v.CodesLeft = n
	case !v.Off:
		secret, err := ar.s.enrolmentSecret(ctx, ar.user.Email)
		if err != nil {
			return err
		}
		png, err := auth.TOTPQRCode(auth.TOTPURI(ar.user.Email, secret), 240)
		if err != nil {
			return err
		}
		v.Secret, v.QR = secret, "data:image/png;base64,"+base64.StdEncoding.EncodeToString(png)
	}
	return ar.s.render(w, ar.r, status, admin.MFA(v))
}

// mfaPage is the frame of the second-factor page.
func (ar *adminReq) mfaPage() adminview.MFAPage {
	v := adminview.MFAPage{AdminPage: ar.page("mfa", ar.T("admin.mfa.title"))}
	v.Path = "/admin/mfa"
	return v
}

// enrolmentSecret is the secret being enrolled in this session, made on
// first use, so reloading the page keeps the QR code already scanned.
func (s *server) enrolmentSecret(ctx context.Context, account string) (string, error) {
	if secret := s.sessions.GetString(ctx, sessNewSecret); secret != "" {
		return secret, nil
	}
	secret, _, err := auth.NewTOTP(account)
	if err != nil {
		return "", err
	}
	s.sessions.Put(ctx, sessNewSecret, secret)
	return secret, nil
}

// handleMFAEnrol confirms the enrolment with a code from the new key,
// stores the key and shows the new recovery codes, once: only their
// hashes are kept.
func (s *server) handleMFAEnrol(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	ctx := r.Context()
	secret := s.sessions.GetString(ctx, sessNewSecret)
	if currentSession(ctx).hasTOTP || s.adminMFA == auth.MFAOff || secret == "" {
		return ar.redirect(w, "/admin/mfa")
	}
	step, ok := auth.CheckTOTP(secret, r.PostFormValue("code"), s.now())
	if !ok {
		f := adminview.NewForm(nil)
		f.Errors["code"] = ar.T("admin.mfa.code_failed")
		return s.renderMFA(w, ar, http.StatusUnprocessableEntity, f)
	}
	codes, hashes, err := auth.NewRecoveryCodeSet()
	if err != nil {
		return err
	}
	if err := s.store.EnrolTOTP(ctx, ar.user.ID, secret, step, hashes, ar.actor()); err != nil {
		return err
	}
	s.sessions.Remove(ctx, sessNewSecret)
	s.sessions.Put(ctx, sessAuthAt, s.now().Unix())
	v := ar.mfaPage()
	v.Enrolled, v.RecoveryCodes, v.CodesLeft = true, codes, len(codes)
	return s.render(w, r, http.StatusOK, admin.MFA(v))
}
