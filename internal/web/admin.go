package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/scorecsv"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/internal/web/i18n"
	"github.com/kai-challenge/portal/web/admin"
)

// AdminStore is what the staff console reads and writes. Every write takes
// the signed-in user as the actor and appends its audit event in the same
// transaction.
type AdminStore interface {
	// Accounts and sign-in.
	UserByEmail(ctx context.Context, email string) (postgres.User, string, error)
	UserByID(ctx context.Context, id int64) (postgres.User, error)
	Users(ctx context.Context) ([]postgres.User, error)
	CountAdmins(ctx context.Context) (int, error)
	SignInHistory(ctx context.Context, email, addr string) (auth.SignInHistory, error)
	CreateFirstAdmin(ctx context.Context, email, name, passwordHash string, actor contest.Actor) (postgres.User, error)
	CreateUser(ctx context.Context, email, name, role, passwordHash string, actor contest.Actor) (postgres.User, error)
	DisableUser(ctx context.Context, email string, actor contest.Actor) error
	EnableUser(ctx context.Context, email string, actor contest.Actor) error
	SetUserRole(ctx context.Context, id int64, role string, version int, actor contest.Actor) error
	SetPassword(ctx context.Context, id int64, hash string, actor contest.Actor) error
	RecordLogin(ctx context.Context, email string, ok bool, actor contest.Actor) error

	// Rounds and their workflow.
	AdminRounds(ctx context.Context, program string) ([]postgres.AdminRoundSummary, error)
	AdminRound(ctx context.Context, program, round string) (postgres.AdminRound, error)
	RoundRefs(ctx context.Context, program string) ([]postgres.RoundRef, error)
	Results(ctx context.Context, program, round string) (postgres.RoundResults, error)
	RoundScores(ctx context.Context, program, round string) ([]postgres.ScoreCell, error)
	SaveScores(ctx context.Context, program, round string, edits []postgres.ScoreEdit, actor contest.Actor) (int, error)
	ImportScores(ctx context.Context, program, round string, rows []scorecsv.Row, actor contest.Actor, dryRun bool, expectBase string) (postgres.ScoreDiff, error)
	SetEligibility(ctx context.Context, program, round, team, status string, reason contest.Text, actor contest.Actor) error
	SchedulePublication(ctx context.Context, program, round string, at time.Time, actor contest.Actor) error
	PublishRound(ctx context.Context, program, round string, actor contest.Actor, now time.Time) (postgres.RoundResults, error)
	CloseRound(ctx context.Context, program, round string, actor contest.Actor) error
	ReopenRound(ctx context.Context, program, round string, actor contest.Actor) error
	DecideRound(ctx context.Context, program, round string, advance []string, reason contest.Text, actor contest.Actor) error
	CorrectRound(ctx context.Context, program, round string, c postgres.Correction, why contest.Text, actor contest.Actor, now time.Time) (int, error)

	// Records edited from the console (admin_records*.go).
	Organizations(ctx context.Context) ([]postgres.OrgRecord, error)
	Organization(ctx context.Context, slug string) (postgres.OrgRecord, error)
	CreateOrganization(ctx context.Context, o postgres.OrgRecord, actor contest.Actor) (postgres.OrgRecord, error)
	UpdateOrganization(ctx context.Context, slug string, o postgres.OrgRecord, actor contest.Actor) (postgres.OrgRecord, error)
	Teams(ctx context.Context, program string) ([]postgres.TeamRecord, error)
	Team(ctx context.Context, program, slug string) (postgres.TeamRecord, error)
	CreateTeam(ctx context.Context, program string, t postgres.TeamRecord, actor contest.Actor) (postgres.TeamRecord, error)
	UpdateTeam(ctx context.Context, program, slug string, t postgres.TeamRecord, actor contest.Actor) (postgres.TeamRecord, error)
	AddMember(ctx context.Context, program, team string, m postgres.MemberRecord, actor contest.Actor) (postgres.MemberRecord, error)
	UpdateMember(ctx context.Context, program, team string, m postgres.MemberRecord, actor contest.Actor) (postgres.MemberRecord, error)
	RemoveMember(ctx context.Context, program, team, org string, version int, actor contest.Actor) error
	RoundRecord(ctx context.Context, program, round string) (postgres.RoundRecord, error)
	RoundRecords(ctx context.Context, program string) ([]postgres.RoundRecord, error)
	CreateRoundFrom(ctx context.Context, program string, r postgres.RoundRecord, from string, actor contest.Actor) (postgres.RoundRecord, error)
	UpdateRound(ctx context.Context, program, slug string, r postgres.RoundRecord, actor contest.Actor) (postgres.RoundRecord, error)
	AddEntry(ctx context.Context, program, round, team string, actor contest.Actor) error
	RemoveEntry(ctx context.Context, program, round, team string, actor contest.Actor) error
	Criteria(ctx context.Context, program, round string) ([]postgres.CriterionRecord, error)
	CreateCriterion(ctx context.Context, program, round string, c postgres.CriterionRecord, actor contest.Actor) (postgres.CriterionRecord, error)
	UpdateCriterion(ctx context.Context, program, round, code string, c postgres.CriterionRecord, actor contest.Actor) (postgres.CriterionRecord, error)
	DeleteCriterion(ctx context.Context, program, round, code string, version int, actor contest.Actor) error
	Budgets(ctx context.Context, program string) ([]postgres.BudgetRecord, error)
	Budget(ctx context.Context, program string, year int) (postgres.BudgetRecord, error)
	CreateBudget(ctx context.Context, program string, b postgres.BudgetRecord, actor contest.Actor) (postgres.BudgetRecord, error)
	UpdateBudget(ctx context.Context, program string, year int, b postgres.BudgetRecord, actor contest.Actor) (postgres.BudgetRecord, error)
	CreateAllocation(ctx context.Context, program string, year int, a postgres.AllocationRecord, actor contest.Actor) (postgres.AllocationRecord, error)
	UpdateAllocation(ctx context.Context, program string, a postgres.AllocationRecord, actor contest.Actor) (postgres.AllocationRecord, error)
	DeleteAllocation(ctx context.Context, program string, id int64, version int, actor contest.Actor) error

	// Formal objections against a published round (admin_objections.go).
	AdminObjections(ctx context.Context, program, round string) ([]postgres.Objection, error)
	FileObjection(ctx context.Context, program, round string, n postgres.NewObjection, actor contest.Actor) (postgres.Objection, error)
	DecideObjection(ctx context.Context, id int64, status string, decidedOn time.Time, decision contest.Text, version int, actor contest.Actor) (postgres.Objection, error)

	// The audit log.
	AuditEvents(ctx context.Context, f postgres.AuditFilter) ([]postgres.AuditEvent, error)
	VerifyAudit(ctx context.Context) (postgres.VerifyResult, error)
}

// maxFormBytes bounds a console request body: a score CSV is the largest.
const maxFormBytes = maxCSVBytes + 1<<20

type userKey struct{}

// currentUser is the signed-in staff member, or nil.
func currentUser(ctx context.Context) *postgres.User {
	u, _ := ctx.Value(userKey{}).(*postgres.User)
	return u
}

// loadUser resolves the session's account. A session whose account is gone,
// disabled or changed since sign-in (its version moved: new password, new
// role, disabled and enabled again) is ended, so such a change takes effect
// on the very next request.
func (s *server) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id := s.sessions.GetInt64(ctx, sessUserID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		u, err := s.store.UserByID(ctx, id)
		switch {
		case err == nil && !u.Disabled && u.Version == s.sessions.GetInt(ctx, sessVersion):
			next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, userKey{}, &u)))
			return
		case err == nil || errors.Is(err, contest.ErrNotFound):
			if err := s.sessions.Destroy(ctx); err != nil {
				s.failAdmin(w, r, err)
				return
			}
			next.ServeHTTP(w, r)
		default:
			s.failAdmin(w, r, err)
		}
	})
}

// requireUser lets signed-in staff through. Anyone else is sent to the
// sign-in page from a page they asked for, and refused (401) on anything
// that would change something.
func (s *server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if currentUser(r.Context()) != nil {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			lang, _ := splitPath(r)
			http.Redirect(w, r, i18n.Localize(lang, "/login")+"?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		s.renderAdminError(w, r, http.StatusUnauthorized, "admin.error.401")
	})
}

// requireAdmin refuses (403) staff who are not admins.
func (s *server) requireAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u := currentUser(r.Context()); u == nil || u.Role != auth.RoleAdmin {
			s.renderAdminError(w, r, http.StatusForbidden, "admin.error.403")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// handleAdmin adapts a console handler: its error becomes the console's
// error page.
func (s *server) handleAdmin(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.failAdmin(w, r, err)
		}
	}
}

// failAdmin writes the console's error page for err; only server errors
// are logged.
func (s *server) failAdmin(w http.ResponseWriter, r *http.Request, err error) {
	status := errorStatus(err)
	s.logFailure(r, "request failed", status, err)
	s.renderAdminError(w, r, status, answerFor(status).console)
}

// renderAdminError renders the console's error page of status with the
// message key (with ".title" for its heading). It reads nothing from the
// database.
func (s *server) renderAdminError(w http.ResponseWriter, r *http.Request, status int, key string) {
	ar := s.adminBegin(r)
	v := adminview.AdminErrorPage{
		AdminPage: ar.page("", ar.T(key+".title")),
		Status:    status,
		Heading:   ar.T(key + ".title"),
		Message:   ar.T(key),
	}
	if err := s.render(&noStoreWriter{ResponseWriter: w}, r, status, admin.Error(v)); err != nil {
		s.log.LogAttrs(r.Context(), slog.LevelError, "render error page",
			slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
}

// adminReq is one console request: its language, language-neutral path
// and the signed-in user.
type adminReq struct {
	s    *server
	r    *http.Request
	L    *i18n.Localizer
	path string
	user *postgres.User
}

func (s *server) adminBegin(r *http.Request) *adminReq {
	lang, path := splitPath(r)
	return &adminReq{s: s, r: r, L: s.i18n.Localizer(lang), path: path, user: currentUser(r.Context())}
}

func (ar *adminReq) T(id string, args ...any) string { return ar.L.T(id, args...) }

// actor is the signed-in user as the audit log records them.
func (ar *adminReq) actor() contest.Actor {
	a := contest.Actor{Addr: clientAddr(ar.r)}
	if ar.user != nil {
		a.Name = ar.user.Email
	}
	return a
}

func (ar *adminReq) isAdmin() bool { return ar.user != nil && ar.user.Role == auth.RoleAdmin }

// page returns the layout data of a console page; the one-time flash
// message is taken from the session.
func (ar *adminReq) page(section, title string) adminview.AdminPage {
	p := adminview.AdminPage{Page: ar.s.page(ar.L, ar.path, section, title), AdminCSS: ar.s.static.URL("admin.css")}
	if u := ar.user; u != nil {
		p.User = &adminview.AdminUser{Email: u.Email, RoleTxt: ar.T("admin.role." + u.Role), IsAdmin: u.Role == auth.RoleAdmin}
		p.Flash = ar.s.sessions.PopString(ar.r.Context(), sessFlash)
	}
	return p
}

// flash leaves a one-time message for the next page.
func (ar *adminReq) flash(msg string) { ar.s.sessions.Put(ar.r.Context(), sessFlash, msg) }

// redirect sends the browser to a console page after a successful POST.
func (ar *adminReq) redirect(w http.ResponseWriter, path string) error {
	http.Redirect(w, ar.r, ar.L.URL(path), http.StatusSeeOther)
	return nil
}

// textIn picks the request's language from a bilingual message.
func (ar *adminReq) textIn(t contest.Text) string { return ar.L.Text(t) }

// dateTime formats an instant in KST; "" when nil.
func (ar *adminReq) dateTime(t *time.Time) string { return ar.L.DateTime(t) }

// trimmed returns a form value without surrounding space.
func trimmed(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }

// param is the value of the route parameter name.
func (ar *adminReq) param(name string) string { return chi.URLParam(ar.r, name) }
