package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/web/admin"
)

func (ar *adminReq) roleOptions(current string) []adminview.Option {
	out := make([]adminview.Option, len(auth.Roles))
	for i, r := range auth.Roles {
		out[i] = adminview.Option{Value: r, Label: ar.T("admin.role." + r), Selected: r == current}
	}
	return out
}

// usersPage lists the accounts; add is the add-user form as typed.
func (s *server) usersPage(ar *adminReq, add adminview.Form) (adminview.UsersPage, error) {
	users, err := s.store.Users(ar.r.Context())
	if err != nil {
		return adminview.UsersPage{}, err
	}
	add = add.Or(map[string]string{"role": auth.RoleScorer})
	v := adminview.UsersPage{AdminPage: ar.page("users", ar.T("admin.users.title")), Add: add, Roles: ar.roleOptions("")}
	v.Path = "/admin/users"
	for _, u := range users {
		row := adminview.UserRow{
			ID:       strconv.FormatInt(u.ID, 10),
			Email:    u.Email,
			Name:     u.Name,
			Role:     ar.T("admin.role." + u.Role),
			Disabled: u.Disabled,
			Status:   ar.T("admin.users.active"),
			Created:  ar.L.DateTime(&u.CreatedAt),
			Version:  strconv.Itoa(u.Version),
			Self:     u.ID == ar.user.ID,
			Roles:    ar.roleOptions(u.Role),
		}
		if u.Disabled {
			row.Status = ar.T("admin.users.disabled")
		}
		v.Users = append(v.Users, row)
	}
	return v, nil
}

func (s *server) handleUsers(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	v, err := s.usersPage(ar, adminview.Form{})
	return show(s, w, r, v, err, admin.Users)
}

// refuseUsers re-renders the users page with why a change was refused.
func (s *server) refuseUsers(w http.ResponseWriter, ar *adminReq, status int, notice string, add adminview.Form) error {
	v, err := s.usersPage(ar, add)
	if err != nil {
		return err
	}
	v.Refuse(notice)
	return s.render(w, ar.r, status, admin.Users(v))
}

// handleUserAdd creates an account. Without a typed password one is
// generated and shown once, on this response only.
func (s *server) handleUserAdd(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	f := formOf(r, "email", "name", "role")
	pw := r.PostFormValue("password")
	ar.checkAccount(f, f.V("email"), f.V("name"))
	if !auth.ValidRole(f.V("role")) {
		f.Errors["role"] = ar.T("admin.invalid.choice")
	}
	generated := ""
	if pw == "" {
		pw = auth.GeneratePassword()
		generated = pw
	} else {
		ar.checkNewPassword(f, pw, pw, f.V("email"))
	}
	if f.Invalid() {
		return s.refuseUsers(w, ar, http.StatusUnprocessableEntity, "", f)
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	_, err = s.store.CreateUser(r.Context(), f.V("email"), f.V("name"), f.V("role"), hash, ar.actor())
	if errors.Is(err, contest.ErrConflict) {
		f.Errors["email"] = ar.T("admin.invalid.email_taken")
		return s.refuseUsers(w, ar, http.StatusConflict, "", f)
	}
	if err != nil {
		return err
	}
	if generated != "" {
		v, err := s.usersPage(ar, adminview.Form{})
		if err != nil {
			return err
		}
		v.Generated, v.NewEmail = generated, f.V("email")
		v.Flash = ar.T("admin.users.added", "email", f.V("email"))
		return s.render(w, r, http.StatusOK, admin.Users(v))
	}
	ar.flash(ar.T("admin.users.added", "email", f.V("email")))
	return ar.redirect(w, "/admin/users")
}

// targetUser reads the account named by the route's {id}.
func (s *server) targetUser(r *http.Request) (postgres.User, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return postgres.User{}, contest.ErrNotFound
	}
	return s.store.UserByID(r.Context(), id)
}

// handleUserRoleConfirm says what changing an account's role does: from
// which role to which, that its other sessions end, and for one's own
// account that the console's admin pages close; the same role and the
// last admin are refused with why.
func (s *server) handleUserRoleConfirm(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	u, err := s.targetUser(r)
	if err != nil {
		return err
	}
	f := queryForm(r, "role", "version")
	role := f.V("role")
	if !auth.ValidRole(role) {
		return s.refuseUsers(w, ar, http.StatusUnprocessableEntity, ar.T("admin.invalid.choice"), adminview.Form{})
	}
	v := adminview.ConfirmPage{
		AdminPage: ar.page("users", ar.T("admin.confirm.role.heading")+" · "+u.Email),
		Heading:   ar.T("admin.confirm.role.heading"),
		BackURL:   ar.L.URL("/admin/users"),
		BackLabel: ar.T("admin.users.title"),
	}
	v.Fact("role-user", ar.T("admin.field.email"), u.Email)
	v.Fact("role-current", ar.T("admin.confirm.role.current"), ar.T("admin.role."+u.Role))
	v.Fact("role-new", ar.T("admin.confirm.role.new"), ar.T("admin.role."+role))
	status := http.StatusOK
	switch lastAdmin, err := s.lastAdmin(ar, u); {
	case err != nil:
		return err
	case role == u.Role:
		v.Refused, status = ar.T("admin.confirm.role.same"), http.StatusUnprocessableEntity
	case lastAdmin && role != auth.RoleAdmin:
		v.Refused, status = ar.T("admin.notice.last_admin"), http.StatusConflict
	default:
		v.Happens = ar.T("admin.confirm.role.happens", "email", u.Email, "old", ar.T("admin.role."+u.Role), "new", ar.T("admin.role."+role))
		if u.ID == ar.user.ID && role != auth.RoleAdmin {
			v.Notice("role-self", ar.T("admin.confirm.role.self"))
		}
		v.Offer(adminview.ConfirmForm{TestID: "role-confirm", Action: ar.L.URL("/admin/users/" + strconv.FormatInt(u.ID, 10) + "/role"),
			Hidden: adminview.Hidden("role", role, "version", f.V("version")), Submit: ar.T("admin.confirm.role.submit"), SubmitID: "confirm"})
	}
	return s.render(w, r, status, admin.Confirm(v))
}

// lastAdmin reports whether u is the only enabled admin.
func (s *server) lastAdmin(ar *adminReq, u postgres.User) (bool, error) {
	if u.Role != auth.RoleAdmin || u.Disabled {
		return false, nil
	}
	n, err := s.store.CountAdmins(ar.r.Context())
	return n <= 1, err
}

// handleUserRole changes an account's role if nobody changed the account
// since the page was made (its version). Changing one's own role keeps
// the session under a new token; other sessions of that account end.
func (s *server) handleUserRole(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	u, err := s.targetUser(r)
	if err != nil {
		return err
	}
	f := editFormOf(r, "role")
	ver, err := version(f)
	if err != nil {
		return err
	}
	role := f.V("role")
	if !auth.ValidRole(role) {
		return s.refuseUsers(w, ar, http.StatusUnprocessableEntity, ar.T("admin.invalid.choice"), adminview.Form{})
	}
	if err := s.store.SetUserRole(r.Context(), u.ID, role, ver, ar.actor()); err != nil {
		if ref, ok := ar.refusal(err, f, ""); ok {
			return s.refuseUsers(w, ar, ref.status, ref.notice, adminview.Form{})
		}
		return err
	}
	if u.ID == ar.user.ID {
		if err := s.refreshSession(r, u.ID); err != nil {
			return err
		}
	}
	ar.flash(ar.T("admin.users.role_changed", "email", u.Email, "role", ar.T("admin.role."+role)))
	if u.ID == ar.user.ID && role != auth.RoleAdmin {
		return ar.redirect(w, "/admin")
	}
	return ar.redirect(w, "/admin/users")
}

// handleUserDisable stops an account's sign-in and ends its sessions. An
// admin cannot disable their own account.
func (s *server) handleUserDisable(w http.ResponseWriter, r *http.Request) error {
	return s.switchUser(w, r, s.store.DisableUser, "admin.users.disabled_done", true)
}

// handleUserEnable lets a disabled account sign in again.
func (s *server) handleUserEnable(w http.ResponseWriter, r *http.Request) error {
	return s.switchUser(w, r, s.store.EnableUser, "admin.users.enabled_done", false)
}

// switchUser disables or enables the route's account (set); notSelf
// refuses to do it to one's own account.
func (s *server) switchUser(w http.ResponseWriter, r *http.Request, set func(ctx context.Context, email string, actor contest.Actor) error, done string, notSelf bool) error {
	ar := s.adminBegin(r)
	u, err := s.targetUser(r)
	if err != nil {
		return err
	}
	if notSelf && u.ID == ar.user.ID {
		return s.refuseUsers(w, ar, http.StatusUnprocessableEntity, ar.T("admin.users.self_disable"), adminview.Form{})
	}
	if err := set(r.Context(), u.Email, ar.actor()); err != nil {
		if ref, ok := ar.refusal(err, adminview.NewForm(nil), ""); ok {
			return s.refuseUsers(w, ar, ref.status, ref.notice, adminview.Form{})
		}
		return err
	}
	ar.flash(ar.T(done, "email", u.Email))
	return ar.redirect(w, "/admin/users")
}
