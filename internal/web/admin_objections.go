package web

// The console's objection pages (admins only): a round's formal objections
// (이의신청) with who decided them, the form that records one as filed, and
// the form that decides one. Deciding never changes the results: an upheld
// objection is followed by a correction on the round's page. Both forms are
// typed (admin_forms.go) and re-render with what was typed and a message per
// refused field; each write is one audit event naming the acting account.

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/internal/web/format"
	"github.com/kai-challenge/portal/web/admin"
)

// objectionFileForm records an objection as filed. Sources are URLs, one a
// line.
type objectionFileForm struct {
	Team        string       `form:"team"`
	FiledOn     string       `form:"filed_on"`
	Summary     contest.Text `form:"summary"`
	DecisionDue string       `form:"decision_due"`
	Sources     string       `form:"sources"`
}

// Validate checks what the form itself knows: the required fields, the
// dates and the source addresses.
func (f *objectionFileForm) Validate() map[string]string {
	return formErrors{}.require("team", f.Team, true).
		require("summary_ko", f.Summary.KO, true).require("summary_en", f.Summary.EN, true).
		day("filed_on", f.FiledOn, true).day("decision_due", f.DecisionDue, false).
		when(slices.ContainsFunc(sourceLines(f.Sources), notWebURL), "sources", "validation.source_url")
}

func (f *objectionFileForm) record() postgres.NewObjection {
	n := postgres.NewObjection{
		Team:    f.Team,
		Summary: f.Summary,
		Sources: sourceLines(f.Sources),
	}
	n.FiledOn, _ = time.Parse(time.DateOnly, f.FiledOn)
	if due, err := time.Parse(time.DateOnly, f.DecisionDue); err == nil {
		n.DecisionDue = &due
	}
	return n
}

// objectionDecideForm decides a pending objection.
type objectionDecideForm struct {
	Status    string       `form:"status"`
	DecidedOn string       `form:"decided_on"`
	Decision  contest.Text `form:"decision"`
}

// Validate checks the status is a decision, the date a day and the reason
// given in both languages.
func (f *objectionDecideForm) Validate() map[string]string {
	return formErrors{}.require("decision_ko", f.Decision.KO, true).require("decision_en", f.Decision.EN, true).
		when(!slices.Contains(postgres.ObjectionDecisions, f.Status), "status", "admin.invalid.choice").
		day("decided_on", f.DecidedOn, true)
}

// notWebURL says a source is not a web address.
func notWebURL(u string) bool { return !postgres.WebURL(u) }

// sourceLines are the non-empty lines of a sources field.
func sourceLines(s string) []string {
	var out []string
	for line := range strings.Lines(s) {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// objectionRow shows an objection to staff; decide links a pending one to
// its decision page.
func (ar *adminReq) objectionRow(o postgres.Objection, decide bool) adminview.ObjectionRow {
	filed := o.FiledOn
	row := adminview.ObjectionRow{
		ID:         strconv.FormatInt(o.ID, 10),
		Team:       ar.textIn(o.Team.Name),
		Filed:      ar.L.Date(&filed),
		Summary:    ar.textIn(o.Summary),
		Due:        ar.L.Date(o.DecisionDue),
		StatusCode: o.Status,
		Status:     ar.T("objection.status." + o.Status),
		Decided:    ar.L.Date(o.DecidedOn),
		Decision:   ar.textIn(o.Decision),
		DecidedBy:  o.DecidedBy,
	}
	for _, s := range o.Sources {
		row.Sources = append(row.Sources, s.URL)
	}
	if decide && o.Status == postgres.ObjectionPending {
		row.DecideURL = ar.L.URL("/admin/rounds/" + o.Round.Slug + "/objections/" + row.ID)
	}
	return row
}

// objectionsPage lists a round's objections; file is the filing form as
// typed (blank when never submitted).
func (s *server) objectionsPage(ar *adminReq, program, slug string, file adminview.Form) (adminview.ObjectionsPage, error) {
	d, err := s.store.AdminRound(ar.r.Context(), program, slug)
	if err != nil {
		return adminview.ObjectionsPage{}, err
	}
	objs, err := s.store.AdminObjections(ar.r.Context(), program, slug)
	if err != nil {
		return adminview.ObjectionsPage{}, err
	}
	name := ar.textIn(d.Info.Name)
	v := adminview.ObjectionsPage{
		AdminPage: ar.page("rounds", ar.T("admin.objections.title", "round", name)),
		Slug:      slug,
		RoundName: name,
		RoundURL:  ar.L.URL("/admin/rounds/" + slug),
		File:      file.Or(nil),
		Teams:     []adminview.Option{{Value: "", Label: ar.T("records.choose")}},
	}
	v.Path = "/admin/rounds/" + slug + "/objections"
	if contest.Published(d.Info.Status) {
		v.PublicURL = ar.L.URL("/rounds/" + slug)
	}
	for _, e := range d.Entries {
		v.Teams = append(v.Teams, adminview.Option{Value: e.Team, Label: ar.textIn(e.Name)})
	}
	for _, o := range objs {
		v.Rows = append(v.Rows, ar.objectionRow(o, true))
	}
	return v, nil
}

func (s *server) handleObjections(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	program, slug, err := ar.programRoute()
	if err != nil {
		return err
	}
	v, err := s.objectionsPage(ar, program, slug, adminview.Form{})
	return show(s, w, r, v, err, admin.Objections)
}

// handleObjectionFile records an objection filed against the round; the
// round must be published (an objection concerns a published result).
func (s *server) handleObjectionFile(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	program, slug, err := ar.programRoute()
	if err != nil {
		return err
	}
	var f objectionFileForm
	var written error
	return ar.submit(w, formSave{form: &f,
		write: func(int) (string, string, error) {
			o, err := s.store.FileObjection(r.Context(), program, slug, f.record(), ar.actor())
			written = err
			return ar.T("admin.objections.filed", "team", ar.textIn(o.Team.Name)), "/admin/rounds/" + slug + "/objections", err
		},
		reshow: func(typed adminview.Form, ref refusal) error {
			if errors.Is(written, contest.ErrConflict) {
				// The same team already filed an objection on that day.
				typed.Errors["filed_on"] = ar.T("admin.objections.taken")
				ref.notice = ar.T("records.notice.invalid")
			}
			v, err := s.objectionsPage(ar, program, slug, typed)
			return reshow(s, w, ar, ref, v, err, admin.Objections)
		}})
}

// routeObjection reads the route's objection of the route's round, for
// staff; an id that is not an objection of that round is no such page.
func (s *server) routeObjection(ar *adminReq) (program, slug string, o postgres.Objection, err error) {
	program, slug, err = ar.programRoute()
	if err != nil {
		return "", "", o, err
	}
	id, err := strconv.ParseInt(ar.param("id"), 10, 64)
	if err != nil {
		return "", "", o, contest.ErrNotFound
	}
	objs, err := s.store.AdminObjections(ar.r.Context(), program, slug)
	if err != nil {
		return "", "", o, err
	}
	i := slices.IndexFunc(objs, func(o postgres.Objection) bool { return o.ID == id })
	if i < 0 {
		return "", "", o, contest.ErrNotFound
	}
	return program, slug, objs[i], nil
}

// objectionValues are a saved objection's decision as the form shows it.
func objectionValues(o postgres.Objection) map[string]string {
	v := map[string]string{"status": o.Status, "decided_on": "", "version": strconv.Itoa(o.Version)}
	if o.DecidedOn != nil {
		v["decided_on"] = o.DecidedOn.Format(time.DateOnly)
	}
	putText(v, "decision", o.Decision)
	return v
}

// decideFields are the decision form's inputs, as the conflict box lists
// them.
var decideFields = []string{"status", "decided_on", "decision_ko", "decision_en"}

// objectionDecidePage shows one objection with the form that decides it:
// blank (today's date) when edit is nil.
func (s *server) objectionDecidePage(ar *adminReq, slug string, o postgres.Objection, edit *adminview.EditForm) adminview.ObjectionDecidePage {
	statuses := ar.options("objection.status.", postgres.ObjectionDecisions, ar.T("records.choose"))
	v := adminview.ObjectionDecidePage{
		AdminPage:  ar.page("rounds", ar.T("admin.objections.decide.title", "team", ar.textIn(o.Team.Name))),
		Slug:       slug,
		RoundName:  ar.textIn(o.Round.Name),
		ListURL:    ar.L.URL("/admin/rounds/" + slug + "/objections"),
		RoundURL:   ar.L.URL("/admin/rounds/" + slug),
		Objection:  ar.objectionRow(o, false),
		Statuses:   statuses,
		Undecided:  o.Status == postgres.ObjectionPending,
		Correction: ar.T("admin.objections.decide.correction"),
	}
	v.Path = "/admin/rounds/" + slug + "/objections/" + strconv.FormatInt(o.ID, 10)
	if edit != nil {
		v.Form = *edit
	} else {
		vals := objectionValues(o)
		vals["status"], vals["decided_on"] = "", ar.s.now().In(format.KST).Format(time.DateOnly)
		v.Form = savedForm(vals)
	}
	return v
}

func (s *server) handleObjectionDecideForm(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	_, slug, o, err := s.routeObjection(ar)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, admin.ObjectionDecide(s.objectionDecidePage(ar, slug, o, nil)))
}

// handleObjectionDecide records the decision on a pending objection: who
// decided is the signed-in account, when and why are the form's.
func (s *server) handleObjectionDecide(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	_, slug, o, err := s.routeObjection(ar)
	if err != nil {
		return err
	}
	var f objectionDecideForm
	return ar.submit(w, formSave{form: &f, edit: true,
		write: func(ver int) (string, string, error) {
			day, _ := time.Parse(time.DateOnly, f.DecidedOn)
			out, err := s.store.DecideObjection(r.Context(), o.ID, f.Status, day, f.Decision, ver, ar.actor())
			return ar.T("admin.objections.decided", "team", ar.textIn(out.Team.Name), "status", ar.T("objection.status."+out.Status)),
				"/admin/rounds/" + slug + "/objections", err
		},
		reshow: func(typed adminview.Form, ref refusal) error {
			// A refusal shows the objection as it is now: decided meanwhile,
			// the page says so.
			_, _, cur, err := s.routeObjection(ar)
			if err != nil {
				return err
			}
			statuses := ar.options("objection.status.", postgres.ObjectionDecisions, ar.T("records.choose"))
			edit := ar.editForm(typed, ref, decideFields, objectionValues(cur), map[string][]adminview.Option{"status": statuses})
			if cur.Status != postgres.ObjectionPending {
				ref.notice = ar.T("admin.objections.already_decided")
			}
			v := s.objectionDecidePage(ar, slug, cur, &edit)
			v.Refuse(ref.notice)
			return s.render(w, r, ref.status, admin.ObjectionDecide(v))
		}})
}
