package web

// The record-editing pages of the console (admins only): organizations,
// teams and their members, rounds with their criteria and entries, budgets
// and their allocations. Each form is decoded into a typed form (admin_forms.go) and
// checked twice: here for what only the form knows (numbers, dates, hidden
// versions), then by the store, whose refusals come back per field in
// Korean and English. A refused form re-renders with everything typed; a
// form that met a newer version of its record re-renders with 409, the
// typed values and the saved ones side by side, and nothing saved.

import (
	"errors"
	"maps"
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

// The lists of records with their add forms.
var (
	orgList = recordList[adminview.OrgsPage, *adminview.OrgsPage]{page: (*server).orgsPage, tmpl: admin.Orgs,
		newForm: func() addForm { return &orgForm{} }, taken: "slug"}
	teamList = recordList[adminview.TeamsPage, *adminview.TeamsPage]{page: (*server).teamsPage, tmpl: admin.Teams,
		newForm: func() addForm { return &teamForm{} }, taken: "slug", inProgram: true}
	budgetList = recordList[adminview.BudgetsPage, *adminview.BudgetsPage]{page: (*server).budgetsPage, tmpl: admin.Budgets,
		newForm: func() addForm { return &budgetForm{} }, taken: "year", inProgram: true}
)

// refusal is why the store refused a write, in the page's language: what
// the console makes of the error table's row for the error.
type refusal struct {
	status int
	notice string
	stale  bool
	// state says the round's status forbids the write.
	state bool
}

// identifierFields are the fields a taken identifier is shown on.
var identifierFields = []string{"slug", "code", "org", "team", "year"}

// refusal turns a refused write into what its page shows, or ok is false
// for errors that are not the user's to fix (the error table has no notice
// for them). Messages of single fields go on f, on takenField for a taken
// identifier.
func (ar *adminReq) refusal(err error, f adminview.Form, takenField string) (refusal, bool) {
	rule := classify(err)
	if rule.notice == "" {
		return refusal{}, false
	}
	ref := refusal{status: rule.status, notice: ar.T(rule.notice), stale: rule.stale, state: rule.state}
	if rule.formStatus != 0 {
		ref.status = rule.formStatus
	}
	var ie *contest.IncompleteError
	var fe *contest.FieldErrors
	switch {
	case errors.As(err, &ie):
		ref.notice = ar.incompleteNotice(ie)
	case rule.field == fieldEach && errors.As(err, &fe):
		if lines := ar.placeFieldErrors(fe, f); len(lines) > 0 {
			ref.notice = strings.Join(lines, "\n")
		}
	case rule.field == fieldTaken && slices.Contains(identifierFields, takenField):
		f.Errors[takenField] = ar.T("records.invalid.taken." + takenField)
		ref.notice = ar.T("records.notice.invalid")
	case rule.notice == "admin.notice.refused":
		ref.notice = ar.T(rule.notice, "detail", invalidDetail(err))
	}
	return ref, true
}

// incompleteNotice says what keeps a round from closing or publishing.
func (ar *adminReq) incompleteNotice(ie *contest.IncompleteError) string {
	var parts []string
	if len(ie.Missing) > 0 {
		parts = append(parts, ar.T("admin.notice.incomplete", "n", ar.L.Number(len(ie.Missing))))
	}
	if len(ie.Blocked) > 0 {
		names := ar.roundTeamNames()
		teams := make([]string, len(ie.Blocked))
		for i, t := range ie.Blocked {
			teams[i] = t
			if n, ok := names[t]; ok {
				teams[i] = n
			}
		}
		parts = append(parts, ar.T("admin.notice.blocked", "teams", strings.Join(teams, ", ")))
	}
	return strings.Join(parts, "\n")
}

// roundTeamNames maps the teams of the round in the request's path to
// their names in the page's language; empty when there is none.
func (ar *adminReq) roundTeamNames() map[string]string {
	names := map[string]string{}
	slug := ar.param("slug")
	if slug == "" {
		return names
	}
	_, d, err := ar.adminRound(slug)
	if err != nil {
		return names
	}
	for _, e := range d.Entries {
		names[e.Team] = ar.textIn(e.Name)
	}
	return names
}

// adminRound reads a round of the program as the console shows it, and
// the program's slug.
func (ar *adminReq) adminRound(slug string) (string, postgres.AdminRound, error) {
	prog, err := ar.program()
	if err != nil {
		return "", postgres.AdminRound{}, err
	}
	d, err := ar.s.store.AdminRound(ar.r.Context(), prog.Slug, slug)
	return prog.Slug, d, err
}

// placeFieldErrors puts the field problems, worded by the catalogs, on f's
// fields where f has them, and returns the others as lines for the notice.
func (ar *adminReq) placeFieldErrors(fe *contest.FieldErrors, f adminview.Form) []string {
	var lines []string
	for _, field := range slices.Sorted(maps.Keys(fe.Fields)) {
		msg := ar.validation(fe.Fields[field])
		if _, onForm := f.Values[field]; onForm && field != "" {
			f.Errors[field] = msg
			continue
		}
		if field != "" {
			msg = ar.fieldLabel(field) + ": " + msg
		}
		lines = append(lines, msg)
	}
	return lines
}

// invalid is the refusal of a form this package checked itself.
func (ar *adminReq) invalid() refusal {
	return refusal{status: http.StatusUnprocessableEntity, notice: ar.T("records.notice.invalid")}
}

// programRoute reads what most record pages start from: the program's
// slug and the route's {slug}.
func (ar *adminReq) programRoute() (program, slug string, err error) {
	prog, err := ar.program()
	if err != nil {
		return "", "", err
	}
	return prog.Slug, ar.param("slug"), nil
}

// fieldLabel names a form field in the page's language.
func (ar *adminReq) fieldLabel(field string) string { return ar.T("records.field." + field) }

// conflictOf lists the fields whose saved value differs from the typed
// one; choices names the options of select fields, so both columns show
// what the form shows.
func (ar *adminReq) conflictOf(fields []string, typed adminview.Form, saved map[string]string, choices map[string][]adminview.Option) *adminview.Conflict {
	show := func(field, v string) string {
		for _, o := range choices[field] {
			if o.Value == v {
				return o.Label
			}
		}
		if v == "" {
			return "—"
		}
		return v
	}
	c := &adminview.Conflict{}
	for _, field := range fields {
		if typed.V(field) == saved[field] {
			continue
		}
		c.Fields = append(c.Fields, adminview.StaleField{
			Label:   ar.fieldLabel(field),
			Yours:   show(field, typed.V(field)),
			Current: show(field, saved[field]),
		})
	}
	return c
}

// staleForm is a form that met a newer version of its record: it keeps the
// typed values, shows the saved ones beside them, and carries the new
// version, so saving again replaces the saved values on purpose.
func (ar *adminReq) staleForm(f adminview.Form, fields []string, saved map[string]string, choices map[string][]adminview.Option) adminview.EditForm {
	c := ar.conflictOf(fields, f, saved, choices)
	f.Values["version"] = saved["version"]
	return adminview.EditForm{Form: f, Conflict: c}
}

// version reads a form's hidden version; a missing or garbled one is a
// bad request, not something the user typed.
func version(f adminview.Form) (int, error) {
	v, err := strconv.Atoi(f.V("version"))
	if err != nil || v < 0 {
		return 0, &statusError{status: http.StatusBadRequest, err: errors.New("web: the form has no valid version")}
	}
	return v, nil
}

// wholeOr reads a whole number checked by formErrors.whole; def when empty.
func wholeOr(s string, def int) int {
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		return def
	}
	return n
}

// parseKRW reads an amount in won typed with or without thousands
// separators ("200,000,000,000"); "" is not disclosed (nil).
func parseKRW(s string) (*int64, bool) {
	s = strings.NewReplacer(",", "", " ", "", "_", "").Replace(s)
	if s == "" {
		return nil, true
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return nil, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, false
	}
	return &n, true
}

// amountHint spells a typed amount in the page's units ("2,000억원"), or ""
// when it is empty or not a number.
func (ar *adminReq) amountHint(s string) string {
	n, ok := parseKRW(s)
	if !ok || n == nil {
		return ""
	}
	return ar.L.Money(n)
}

// krwValue shows a saved amount as the form shows it: digits with
// thousands separators.
func krwValue(n *int64) string { return orEmpty(n, format.Number) }

func intValue(n *int) string { return orEmpty(n, strconv.Itoa) }

// orEmpty shows a number a form may leave empty: "" when there is none.
func orEmpty[N any](n *N, show func(N) string) string {
	if n == nil {
		return ""
	}
	return show(*n)
}

// putText stores a bilingual value in a form's values.
func putText(v map[string]string, name string, t contest.Text) {
	v[name+"_ko"], v[name+"_en"] = t.KO, t.EN
}

// formOf reads the named fields of a posted form, without surrounding
// space.
func formOf(r *http.Request, names ...string) adminview.Form {
	values := make(map[string]string, len(names))
	for _, n := range names {
		values[n] = trimmed(r, n)
	}
	return adminview.NewForm(values)
}

// editFormOf reads the posted form of a saved record: its fields and the
// hidden version of the record the form was made from.
func editFormOf(r *http.Request, names ...string) adminview.Form {
	f := formOf(r, names...)
	f.Values["version"] = trimmed(r, "version")
	return f
}

// savedForm is the edit form of a saved record, showing its values.
func savedForm(values map[string]string) adminview.EditForm {
	return adminview.EditForm{Form: adminview.NewForm(values)}
}

// options lists codes with their labels (message prefix + code); a non-empty
// none adds an empty first choice with that label.
func (ar *adminReq) options(prefix string, codes []string, none string) []adminview.Option {
	var out []adminview.Option
	if none != "" {
		out = append(out, adminview.Option{Value: "", Label: none})
	}
	for _, c := range codes {
		out = append(out, adminview.Option{Value: c, Label: ar.T(prefix + c)})
	}
	return out
}

func (ar *adminReq) confidenceOptions() []adminview.Option {
	return ar.options("records.confidence.", contest.Confidences, "")
}

// withChoice makes sure a refused form's choice is among the options, so
// the select shows it even when the choice is no longer offered (a team
// already entered, an organization already a member).
func withChoice(opts []adminview.Option, value, lbl string) []adminview.Option {
	if value == "" {
		return opts
	}
	for _, o := range opts {
		if o.Value == value {
			return opts
		}
	}
	return append(slices.Clone(opts), adminview.Option{Value: value, Label: lbl})
}

// label returns the label of a code among options, or the code.
func label(opts []adminview.Option, code string) string {
	for _, o := range opts {
		if o.Value == code {
			return o.Label
		}
	}
	return code
}

// announceValue shows an announcement time as a datetime-local value in
// KST.
func announceValue(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(format.KST).Format(kstLocal)
}

// parseAnnounce reads the announcement field: a datetime-local value in KST,
// or a bare date (which, like a ticked "only the day is known", means
// 00:00 KST of that day).
func parseAnnounce(s string, dateOnly bool) (*time.Time, bool, bool) {
	if s == "" {
		return nil, false, true
	}
	if t, err := time.ParseInLocation("2006-01-02", s, format.KST); err == nil {
		return &t, true, true
	}
	t, err := time.ParseInLocation(kstLocal, s, format.KST)
	if err != nil {
		return nil, false, false
	}
	if dateOnly {
		t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, format.KST)
	}
	return &t, dateOnly, true
}

// validation words a validation problem in the page's language.
func (ar *adminReq) validation(p contest.Problem) string {
	return ar.T("validation."+p.Key, p.Args...)
}
