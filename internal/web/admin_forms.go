package web

// The console's forms are typed: each decodes into a struct whose fields
// name their inputs (`form:"slug"`), checks what only the form knows
// (numbers, dates) in Validate, returning a message key per refused field,
// and goes through one create/update flow (submit) shared by every record
// form: decode, validate, check the hidden version of an edit, write, and
// either go on with a one-time message or re-render with what was typed.

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/web/adminview"
)

// consoleForm is a form decoded into a struct with `form` tags.
type consoleForm interface {
	// Validate returns a message key per field the form itself refuses;
	// the store checks the rest.
	Validate() map[string]string
}

// textType is a bilingual field: a contest.Text tagged `form:"note"` is
// the two inputs note_ko and note_en.
var textType = reflect.TypeFor[contest.Text]()

// eachField calls fn with every tagged field of the struct f points to,
// embedded structs included, in declaration order; a bilingual field is
// its Korean input, then its English one.
func eachField(f any, fn func(name string, v reflect.Value)) {
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		t := v.Type()
		for i := range t.NumField() {
			sf, fv := t.Field(i), v.Field(i)
			name := sf.Tag.Get("form")
			switch {
			case sf.Anonymous && sf.Type.Kind() == reflect.Struct:
				walk(fv)
			case name != "" && sf.Type == textType:
				fn(name+"_ko", fv.Field(0))
				fn(name+"_en", fv.Field(1))
			case name != "":
				fn(name, fv)
			}
		}
	}
	walk(reflect.ValueOf(f).Elem())
}

// formErrors is the message key of each field a form refuses; its checks
// chain, so a Validate is the list of its checks.
type formErrors map[string]string

// whole refuses a field that is not a whole number (thousands separators
// allowed), or empty when required.
func (e formErrors) whole(name, s string, required bool) formErrors {
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return e.require(name, s, required)
	}
	if _, err := strconv.Atoi(s); err != nil {
		e[name] = "records.invalid.whole"
	}
	return e
}

// amount refuses an amount in won that is not a number.
func (e formErrors) amount(name, s string) formErrors {
	if _, ok := parseKRW(s); !ok {
		e[name] = "records.invalid.amount"
	}
	return e
}

// day refuses a field that is not a calendar day (YYYY-MM-DD), or empty
// when required.
func (e formErrors) day(name, s string, required bool) formErrors {
	if s == "" {
		return e.require(name, s, required)
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		e[name] = "admin.invalid.date"
	}
	return e
}

// require refuses the field when it is required and s is empty.
func (e formErrors) require(name, s string, required bool) formErrors {
	if required && s == "" {
		e[name] = "admin.invalid.required"
	}
	return e
}

// when refuses the field with key when bad.
func (e formErrors) when(bad bool, name, key string) formErrors {
	if bad {
		e[name] = key
	}
	return e
}

// decodeForm fills the form's fields from the posted values, without
// surrounding space; a checkbox (bool) is set when posted at all.
func decodeForm(r *http.Request, f consoleForm) {
	eachField(f, func(name string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Bool:
			v.SetBool(r.PostFormValue(name) != "")
		case reflect.String:
			v.SetString(strings.TrimSpace(r.PostFormValue(name)))
		}
	})
}

// formValues returns the form's fields as the templates show them; a
// ticked checkbox is "1".
func formValues(f consoleForm) map[string]string {
	out := map[string]string{}
	eachField(f, func(name string, v reflect.Value) {
		if v.Kind() == reflect.Bool {
			out[name] = flag(v.Bool())
			return
		}
		out[name] = v.String()
	})
	return out
}

// formFields lists the form's inputs in order.
func formFields(f consoleForm) []string {
	var out []string
	eachField(f, func(name string, _ reflect.Value) { out = append(out, name) })
	return out
}

// formSave is one write of a console form.
type formSave struct {
	// form is decoded from the request by submit.
	form consoleForm
	// edit says the form changes a saved record: it carries the record's
	// hidden version.
	edit bool
	// taken is the identifier field a taken value is shown on.
	taken string
	// write saves the decoded form (with the version of an edit) and says
	// what the next page announces and where it is.
	write func(version int) (flash, next string, err error)
	// reshow re-renders the form's page with the typed form and why it
	// was refused.
	reshow func(typed adminview.Form, ref refusal) error
}

// submit is the one create/update/stale flow of the console's forms. A
// form refused by Validate or by the store re-renders with everything
// typed (422, or 409 when the record changed since the form was made).
func (ar *adminReq) submit(w http.ResponseWriter, fs formSave) error {
	decodeForm(ar.r, fs.form)
	typed := adminview.NewForm(formValues(fs.form))
	ver := 0
	if fs.edit {
		typed.Values["version"] = trimmed(ar.r, "version")
		var err error
		if ver, err = version(typed); err != nil {
			return err
		}
	}
	for field, key := range fs.form.Validate() {
		typed.Errors[field] = ar.T(key)
	}
	ref := ar.invalid()
	if !typed.Invalid() {
		flash, next, err := fs.write(ver)
		if err == nil {
			ar.flash(flash)
			return ar.redirect(w, next)
		}
		var ok bool
		if ref, ok = ar.refusal(err, typed, fs.taken); !ok {
			return err
		}
	}
	return fs.reshow(typed, ref)
}

// editForm is a refused edit form as it re-renders: as typed, and beside
// the saved values when the record changed since the form was made.
func (ar *adminReq) editForm(typed adminview.Form, ref refusal, fields []string, saved map[string]string, choices map[string][]adminview.Option) adminview.EditForm {
	if ref.stale {
		return ar.staleForm(typed, fields, saved, choices)
	}
	return adminview.EditForm{Form: typed}
}

// remove is the one flow of a delete button: it carries the version of
// the record the page showed, and a refusal re-renders the page.
func (ar *adminReq) remove(w http.ResponseWriter, del func(version int) error, flash, next string, reshow func(refusal) error) error {
	f := formOf(ar.r, "version")
	ver, err := version(f)
	if err != nil {
		return err
	}
	if err := del(ver); err != nil {
		ref, ok := ar.refusal(err, f, "version")
		if !ok {
			return err
		}
		return reshow(ref)
	}
	ar.flash(flash)
	return ar.redirect(w, next)
}

// refusable is a console page that can say why a write was refused.
type refusable[P any] interface {
	*P
	Refuse(notice string)
}

// reshow renders page v again after a refused write, with why, unless
// building it failed (err).
func reshow[P any, PP refusable[P]](s *server, w http.ResponseWriter, ar *adminReq, ref refusal, v P, err error, c func(P) templ.Component) error {
	if err != nil {
		return err
	}
	PP(&v).Refuse(ref.notice)
	return s.render(w, ar.r, ref.status, c(v))
}

// show renders console page v, unless building it failed (err).
func show[P any](s *server, w http.ResponseWriter, r *http.Request, v P, err error, c func(P) templ.Component) error {
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, c(v))
}

// recordList is a console list of records with its add form: the page,
// built with the add form as typed, and its template; newForm is the add
// form, taken the field of its identifier; inProgram says the records
// belong to the program.
type recordList[P any, PP refusable[P]] struct {
	page      func(s *server, ar *adminReq, create adminview.Form) (P, error)
	tmpl      func(P) templ.Component
	newForm   func() addForm
	taken     string
	inProgram bool
}

// addForm is the add form of a record list.
type addForm interface {
	consoleForm
	// create saves the decoded form (a record of the program, when the
	// list has one) and says what the next page announces and where it
	// is.
	create(s *server, ar *adminReq, program string) (flash, next string, err error)
}

// showOn is the handler of the list: it renders the list with an empty
// add form.
func (l recordList[P, PP]) showOn(s *server) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := l.page(s, s.adminBegin(r), adminview.Form{})
		return show(s, w, r, v, err, l.tmpl)
	}
}

// createOn is the handler of the add form.
func (l recordList[P, PP]) createOn(s *server) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error { return l.create(s, w, r) }
}

// create is the add form's flow; a refused form goes back on the list as
// typed.
func (l recordList[P, PP]) create(s *server, w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	program := ""
	if l.inProgram {
		prog, err := ar.program()
		if err != nil {
			return err
		}
		program = prog.Slug
	}
	f := l.newForm()
	return ar.submit(w, formSave{form: f, taken: l.taken,
		write: func(int) (string, string, error) { return f.create(s, ar, program) },
		reshow: func(typed adminview.Form, ref refusal) error {
			v, err := l.page(s, ar, typed)
			return reshow[P, PP](s, w, ar, ref, v, err, l.tmpl)
		}})
}

// recordPage is the console page of one saved record, to which its forms
// post: build makes it as saved, with what its forms compare with (R), for
// the program and the route's record (key); refused adjusts it when it is
// shown again after a refused write; finish, if set, completes it from what
// its forms hold, as saved or as typed, just before it is rendered.
type recordPage[V any, VP refusable[V], R any] struct {
	// key is the route parameter naming the record; "" is {slug}.
	key     string
	build   func(s *server, ar *adminReq, program, key string) (V, R, error)
	tmpl    func(V) templ.Component
	refused func(ar *adminReq, v *V, ref *refusal)
	finish  func(ar *adminReq, v *V)
}

// pageWrite is a write posted on a record page: the console request, the
// program and the route's record (slug, or the value of the page's key).
type pageWrite struct {
	*adminReq
	w       http.ResponseWriter
	program string
	slug    string
}

// show renders the page of the route's {slug}.
func (pg recordPage[V, VP, R]) show(s *server, w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	v, _, err := pg.build(s, ar, prog.Slug, ar.param(pg.param()))
	if err == nil && pg.finish != nil {
		pg.finish(ar, &v)
	}
	return show(s, w, r, v, err, pg.tmpl)
}

// param is the route parameter naming the record.
func (pg recordPage[V, VP, R]) param() string {
	if pg.key == "" {
		return "slug"
	}
	return pg.key
}

// write begins a write on the page of the route's {slug} and runs fn.
func (pg recordPage[V, VP, R]) write(s *server, w http.ResponseWriter, r *http.Request, fn func(pw pageWrite) error) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	return fn(pageWrite{adminReq: ar, w: w, program: prog.Slug, slug: ar.param(pg.param())})
}

// put is the reshow of a form refused on the page: place puts the typed
// form in its place on the page as it is saved now.
func (pg recordPage[V, VP, R]) put(s *server, pw pageWrite, place func(v *V, cur R, typed adminview.Form, ref refusal)) func(adminview.Form, refusal) error {
	return func(typed adminview.Form, ref refusal) error {
		v, cur, err := pg.build(s, pw.adminReq, pw.program, pw.slug)
		if err != nil {
			return err
		}
		place(&v, cur, typed, ref)
		if pg.refused != nil {
			pg.refused(pw.adminReq, &v, &ref)
		}
		if pg.finish != nil {
			pg.finish(pw.adminReq, &v)
		}
		return reshow[V, VP](s, pw.w, pw.adminReq, ref, v, nil, pg.tmpl)
	}
}

// again shows the page as saved after a refused write that had no form.
func (pg recordPage[V, VP, R]) again(s *server, pw pageWrite) func(refusal) error {
	put := pg.put(s, pw, func(*V, R, adminview.Form, refusal) {})
	return func(ref refusal) error { return put(adminview.Form{}, ref) }
}
