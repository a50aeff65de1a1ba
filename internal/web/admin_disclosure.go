package web

// Widening what a published round discloses (outcomes → aggregates →
// full): each step is a dated public event, so the console confirms it on
// the one confirmation page first, and refuses a narrower level with why.

import (
	"net/http"
	"slices"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/internal/web/format"
	"github.com/kai-challenge/portal/web/admin"
)

// disclosureFields are the fields of the disclosure form.
var disclosureFields = []string{"level", "on", "note_ko", "note_en"}

// checkDisclosure checks the disclosure form into f and returns its date.
func (ar *adminReq) checkDisclosure(f adminview.Form) time.Time {
	if !slices.Contains(postgres.DisclosureLevels, f.V("level")) {
		f.Errors["level"] = ar.T("admin.invalid.choice")
	}
	on, err := time.ParseInLocation(time.DateOnly, f.V("on"), format.KST)
	if err != nil {
		f.Errors["on"] = ar.T("admin.confirm.invalid_date")
	}
	ar.checkReasons(f, "note_ko", "note_en", true)
	return on
}

// disclosureControls offers an admin the levels a published round can
// widen to (its own included: a further step of the same level).
func (ar *adminReq) disclosureControls(v *adminview.RoundAdminPage, d postgres.AdminRound) {
	cur := d.Info.Disclosure
	from := slices.Index(postgres.DisclosureLevels, cur)
	if !ar.isAdmin() || !contest.Published(d.Info.Status) || from < 0 {
		return
	}
	c := &v.Controls
	c.CanDisclose = true
	c.Disclosure = ar.disclosureLabel(cur)
	for _, l := range postgres.DisclosureLevels[from:] {
		c.DisclosureLevels = append(c.DisclosureLevels, adminview.Option{Value: l, Label: ar.disclosureLabel(l)})
	}
	c.Disclose = c.Disclose.Or(map[string]string{"level": cur, "on": ar.s.now().In(format.KST).Format(time.DateOnly)})
}

// handleDisclosureConfirm says what widening the disclosure does: from
// which level to which, from what date, with what note, on the public
// pages for good. A narrower level or an unpublished round is refused
// with why; a refused form goes back to the round's page.
func (s *server) handleDisclosureConfirm(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	slug := chi.URLParam(r, "slug")
	f := queryForm(r, disclosureFields...)
	on := ar.checkDisclosure(f)
	if f.Invalid() {
		v, err := s.roundPage(ar, slug)
		if err != nil {
			return err
		}
		v.Controls.Disclose = f
		return s.render(w, r, http.StatusUnprocessableEntity, admin.Round(v))
	}
	_, d, err := s.adminRound(ar)
	if err != nil {
		return err
	}
	cur, level := d.Info.Disclosure, f.V("level")
	v := ar.roundConfirm(slug, ar.textIn(d.Info.Name), ar.T("admin.confirm.disclose.heading"))
	v.Fact("disclosure-current", ar.T("admin.confirm.disclose.current"), ar.disclosureLabel(cur))
	v.Fact("disclosure-new", ar.T("admin.confirm.disclose.level"), ar.disclosureLabel(level))
	v.Fact("disclosure-on", ar.T("admin.confirm.disclose.on"), ar.L.Date(&on))
	v.Fact("disclosure-note-ko", ar.T("admin.confirm.disclose.note_ko"), f.V("note_ko"))
	v.Fact("disclosure-note-en", ar.T("admin.confirm.disclose.note_en"), f.V("note_en"))
	status := http.StatusOK
	switch {
	case !contest.Published(d.Info.Status):
		v.Refused, status = ar.T("admin.confirm.disclose.unpublished"), http.StatusUnprocessableEntity
	case slices.Index(postgres.DisclosureLevels, level) < slices.Index(postgres.DisclosureLevels, cur):
		v.Refused = ar.T("admin.confirm.disclose.narrow", "current", ar.disclosureLabel(cur), "level", ar.disclosureLabel(level))
		status = http.StatusUnprocessableEntity
	default:
		v.Happens = ar.T("admin.confirm.disclose.happens", "level", ar.disclosureLabel(level), "on", ar.L.Date(&on))
		v.Irreversible = true
		hidden := make([]adminview.Option, 0, len(disclosureFields))
		for _, name := range disclosureFields {
			hidden = append(hidden, adminview.Option{Value: name, Label: f.V(name)})
		}
		v.Offer(adminview.ConfirmForm{TestID: "disclose-confirm", Action: ar.L.URL("/admin/rounds/" + slug + "/disclosure"),
			Hidden: hidden, Submit: ar.T("admin.confirm.disclose.submit"), SubmitID: "confirm"})
	}
	return s.render(w, r, status, admin.Confirm(v))
}

func (ar *adminReq) disclosureLabel(level string) string { return ar.T("disclosure." + level) }

// handleDisclosure widens the disclosure as confirmed; the store refuses a
// narrower level, an earlier date than the last step or an unpublished
// round, and the round's page says why.
func (s *server) handleDisclosure(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	slug := chi.URLParam(r, "slug")
	f := formOf(r, disclosureFields...)
	on := ar.checkDisclosure(f)
	return s.runStep(w, ar, roundStep{form: f,
		place: func(v *adminview.RoundAdminPage) { v.Controls.Disclose = f },
		do: func(ar *adminReq, program string) (string, error) {
			return ar.T("admin.confirm.disclose.done", "level", ar.disclosureLabel(f.V("level"))),
				s.store.WidenDisclosure(r.Context(), program, slug, f.V("level"), on,
					contest.Text{KO: f.V("note_ko"), EN: f.V("note_en")}, ar.actor())
		}})
}
