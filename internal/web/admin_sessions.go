package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/web/admin"
)

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
