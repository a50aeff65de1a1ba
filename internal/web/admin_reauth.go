package web

import (
	"context"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/internal/web/i18n"
	"github.com/kai-challenge/portal/web/admin"
)

// reauthPaths are the console paths (and everything under them) that
// need a recent proof of identity (reauthWindow): publishing (now or at
// a time), approving a publication, correcting published results, widening
// a round's disclosure and changing a role, with their confirmation pages.
// A {name} segment matches any one segment. They are split into segments
// once, as every console request is checked against them.
var reauthPaths = splitPatterns(
	"/admin/rounds/{slug}/publish",
	"/admin/rounds/{slug}/schedule",
	"/admin/rounds/{slug}/disclosure",
	"/admin/requests/{id}/approve",
	"/admin/rounds/{slug}/correct",
	"/admin/users/{id}/role",
)

func splitPatterns(patterns ...string) [][]string {
	out := make([][]string, len(patterns))
	for i, p := range patterns {
		out[i] = strings.Split(strings.Trim(p, "/"), "/")
	}
	return out
}

// needsReauth reports whether the language-neutral path p is one of
// reauthPaths or under one.
func needsReauth(p string) bool {
	segs := strings.Split(strings.Trim(p, "/"), "/")
	return slices.ContainsFunc(reauthPaths, func(want []string) bool {
		if len(segs) < len(want) {
			return false
		}
		for i, w := range want {
			if segs[i] != w && !(strings.HasPrefix(w, "{") && segs[i] != "") {
				return false
			}
		}
		return true
	})
}

// recentlyAuthenticated reports whether the session's user signed in or
// re-authenticated within reauthWindow.
func (s *server) recentlyAuthenticated(r *http.Request) bool {
	at := s.sessions.GetInt64(r.Context(), sessAuthAt)
	return at != 0 && s.now().Sub(time.Unix(at, 0)) < reauthWindow
}

// requireRecentAuth sends a request for a path of reauthPaths to the
// re-authentication page unless the user proved who they are within
// reauthWindow. A form sent without that never runs: the browser is sent
// to re-authenticate and then to the action's confirmation page (the GET
// page of the same path, or the nearest page above it), to confirm again.
func (s *server) requireRecentAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang, p := splitPath(r)
		if !needsReauth(p) || s.recentlyAuthenticated(r) {
			next.ServeHTTP(w, r)
			return
		}
		back := r.URL.RequestURI()
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			back = i18n.Localize(lang, s.pageOf(p))
		}
		http.Redirect(w, r, i18n.Localize(lang, "/admin/reauth")+"?next="+url.QueryEscape(back), http.StatusSeeOther)
	})
}

// pageOf is the page a form posted to p belongs to: the GET route of p
// itself, else of the nearest path above it.
func (s *server) pageOf(p string) string {
	for ; p != "/" && p != "." && p != ""; p = path.Dir(p) {
		if s.mux.Match(chi.NewRouteContext(), http.MethodGet, p) {
			return p
		}
	}
	return "/admin"
}

func (s *server) handleReauthForm(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	return s.renderReauth(w, ar, http.StatusOK, safeNext(r.URL.Query().Get("next"), ar.L.URL("/admin")), adminview.NewForm(nil))
}

func (s *server) renderReauth(w http.ResponseWriter, ar *adminReq, status int, next string, f adminview.Form) error {
	v := adminview.ReauthPage{AdminPage: ar.page("", ar.T("admin.mfa.reauth_title")), Next: next, Form: f,
		Code: currentSession(ar.r.Context()).hasTOTP}
	v.Path = "/admin/reauth?next=" + url.QueryEscape(next)
	return s.render(w, ar.r, status, admin.Reauth(v))
}

// handleReauth checks the code of the user's authenticator (or a recovery
// code), or their password when they have no second factor, and then
// goes on to next. The re-authentication is audited (auth.reauth); wrong
// answers are audited and throttled like wrong sign-ins.
func (s *server) handleReauth(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	ctx := r.Context()
	next := safeNext(r.PostFormValue("next"), ar.L.URL("/admin"))
	actor := ar.actor()
	f := adminview.NewForm(nil)
	if wait, err := s.throttled(w, r, ar.user.Email); err != nil || wait {
		if err != nil {
			return err
		}
		f.Errors["secret"] = ar.T("admin.login.too_many")
		return s.renderReauth(w, ar, http.StatusTooManyRequests, next, f)
	}
	factor, ok := "password", false
	var err error
	if currentSession(ctx).hasTOTP {
		factor, ok, err = s.checkSecondFactor(ctx, *ar.user, r.PostFormValue("secret"), actor)
	} else {
		var hash string
		if _, hash, err = s.store.UserByEmail(ctx, ar.user.Email); err == nil {
			ok, err = auth.CheckPassword(hash, r.PostFormValue("secret"))
		}
	}
	if err != nil {
		return err
	}
	if !ok {
		if err := s.store.RecordSignIn(ctx, ar.user.Email, false, factor, actor); err != nil {
			return err
		}
		f.Errors["secret"] = ar.T("admin.mfa.reauth_failed")
		return s.renderReauth(w, ar, http.StatusUnauthorized, next, f)
	}
	if err := s.store.RecordReauth(ctx, ar.user.Email, factor, actor); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessAuthAt, s.now().Unix())
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// requireEnrolment holds an admin without a second factor at the
// enrolment page while ADMIN_MFA=required: every other console page
// sends them there, and every other action is refused.
func (s *server) requireEnrolment(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang, path := splitPath(r)
		if !s.mustEnrol(r.Context(), currentUser(r.Context())) || path == "/admin/mfa" {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			http.Redirect(w, r, i18n.Localize(lang, "/admin/mfa"), http.StatusSeeOther)
			return
		}
		s.renderAdminError(w, r, http.StatusForbidden, "admin.mfa.enrol_first")
	})
}

func (s *server) mustEnrol(ctx context.Context, u *postgres.User) bool {
	return u != nil && u.Role == auth.RoleAdmin && s.adminMFA == auth.MFARequired && !currentSession(ctx).hasTOTP
}
