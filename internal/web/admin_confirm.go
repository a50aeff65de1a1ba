package web

// The confirmation pages of the console's irreversible actions on a round
// (close, schedule, widen the disclosure) and of the requests waiting for
// a second admin: each GET shows on one confirmation page
// (adminview.ConfirmPage) what will happen, and the POST of its form does
// it.

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/internal/web/format"
	"github.com/kai-challenge/portal/web/admin"
)

// roundConfirm starts the confirmation page of an action on a round.
func (ar *adminReq) roundConfirm(slug, name, heading string) adminview.ConfirmPage {
	return adminview.ConfirmPage{
		AdminPage: ar.page("rounds", heading+" · "+name),
		Heading:   heading,
		BackURL:   ar.L.URL("/admin/rounds/" + slug),
		BackLabel: name,
	}
}

// confirmRefused answers a confirmation page whose action cannot be done
// now with why (the error table's message), and no form.
func (s *server) confirmRefused(w http.ResponseWriter, ar *adminReq, slug, heading string, err error) error {
	ref, ok := ar.refusal(err, adminview.NewForm(nil), "")
	if !ok {
		return err
	}
	_, d, derr := ar.adminRound(slug)
	if derr != nil {
		return derr
	}
	return s.roundConfirmRefused(w, ar, d, heading, ref)
}

// roundConfirmRefused is confirmRefused for the round d already read.
func (s *server) roundConfirmRefused(w http.ResponseWriter, ar *adminReq, d postgres.AdminRound, heading string, ref refusal) error {
	v := ar.roundConfirm(d.Info.Slug, ar.textIn(d.Info.Name), heading)
	v.Fact("round-status", ar.T("admin.round.status"), ar.statusLabel(d.Info.Status))
	v.Refused = ref.notice
	return s.render(w, ar.r, ref.status, admin.Confirm(v))
}

// queryForm reads the fields of a form sent with GET (a confirmation
// page's request).
func queryForm(r *http.Request, names ...string) adminview.Form {
	q := r.URL.Query()
	values := make(map[string]string, len(names))
	for _, n := range names {
		values[n] = q.Get(n)
	}
	return adminview.NewForm(values)
}

// handleCloseConfirm says what closing the round does, or why it cannot
// be closed now (its status, missing scores).
func (s *server) handleCloseConfirm(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	_, d, err := ar.adminRound(ar.param("slug"))
	if err != nil {
		return err
	}
	slug := d.Info.Slug
	v := ar.roundConfirm(slug, ar.textIn(d.Info.Name), ar.T("admin.confirm.close.heading"))
	v.Fact("round-status", ar.T("admin.round.status"), ar.statusLabel(d.Info.Status))
	if d.Scored {
		v.Fact("completeness", ar.T("admin.completeness"),
			ar.T("admin.completeness.count", "entered", ar.L.Number(d.Entered), "required", ar.L.Number(d.Required)))
	}
	status := http.StatusOK
	switch err := contest.CheckRound(slug, d.Info.Status, contest.ActClose); {
	case err != nil:
		ref, _ := ar.refusal(err, adminview.NewForm(nil), "")
		v.Refused, status = ref.notice, ref.status
	case !d.Complete():
		v.Refused, status = ar.incompleteNotice(&contest.IncompleteError{Missing: d.Missing}), http.StatusConflict
	default:
		v.Happens = ar.T("admin.confirm.close.happens")
		v.Offer(adminview.ConfirmForm{TestID: "close-form", Action: ar.L.URL("/admin/rounds/" + slug + "/close"),
			Submit: ar.T("admin.action.close"), SubmitID: "confirm"})
	}
	return s.render(w, r, status, admin.Confirm(v))
}

// scheduleAt reads the publication time typed in KST into f, with a
// message on the field when it is not a time ahead.
func (ar *adminReq) scheduleAt(f adminview.Form) time.Time {
	at, err := time.ParseInLocation(kstLocal, f.V("at"), format.KST)
	switch {
	case err != nil:
		f.Errors["at"] = ar.T("admin.invalid.datetime")
	case !at.After(ar.s.now()):
		f.Errors["at"] = ar.T("admin.invalid.past")
	}
	return at
}

// handleScheduleConfirm shows the results a scheduled publication would
// publish and when, in KST, bound to their fingerprint; an open,
// incomplete or blocked round is refused with the reason, and a time that
// is not ahead goes back to the round's form.
func (s *server) handleScheduleConfirm(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	slug := ar.param("slug")
	f := queryForm(r, "at")
	at := ar.scheduleAt(f)
	heading := ar.T("admin.confirm.schedule.heading")
	if f.Invalid() {
		v, err := s.roundPage(ar, slug)
		if err != nil {
			return err
		}
		v.Schedule = f
		return s.render(w, r, http.StatusUnprocessableEntity, admin.Round(v))
	}
	prog, d, err := ar.adminRound(ar.param("slug"))
	if err != nil {
		return err
	}
	if err := contest.CheckRound(slug, d.Info.Status, contest.ActSchedule); err != nil {
		ref, _ := ar.refusal(err, adminview.NewForm(nil), "") // a RoundStateError is in the error table
		return s.roundConfirmRefused(w, ar, d, heading, ref)
	}
	v, err := s.roundPublicationPage(ar, prog, d, at)
	if err != nil {
		return s.confirmRefused(w, ar, slug, heading, err)
	}
	return s.render(w, r, http.StatusOK, admin.Publication(v))
}

// handleRequestShow shows a pending request as its reviewers see it: a
// publication on the round's publication page, a correction with the same
// per-team diff its requester confirmed, with the approval for another
// admin and the withdrawal for its requester.
func (s *server) handleRequestShow(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	q, err := s.routeRequest(r)
	if err != nil {
		return err
	}
	if q.Kind != contest.RequestCorrect {
		return ar.redirect(w, "/admin/rounds/"+q.Round+"/publish")
	}
	v, err := s.requestPage(ar, q)
	return show(s, w, r, v, err, admin.CorrectionConfirm)
}

// routeRequest reads the request named by the route's {id}.
func (s *server) routeRequest(r *http.Request) (postgres.PublicationRequest, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return postgres.PublicationRequest{}, &statusError{status: http.StatusNotFound, err: err}
	}
	return s.store.Request(r.Context(), id)
}

// requestPage builds the review page of a correction request from the
// correction applied anew to the latest revision: the diff its requester
// saw as long as nothing changed (the fingerprints say so).
func (s *server) requestPage(ar *adminReq, q postgres.PublicationRequest) (adminview.CorrectionPage, error) {
	d, err := s.store.AdminRound(ar.r.Context(), q.Program, q.Round)
	if err != nil {
		return adminview.CorrectionPage{}, err
	}
	v := adminview.CorrectionPage{ConfirmPage: ar.roundConfirm(q.Round, ar.textIn(d.Info.Name), ar.T("admin.requests.correct.heading"))}
	v.Fact("requested-by", ar.T("admin.requests.by"), ar.T("admin.requests.by.value", "who", q.RequestedBy, "at", ar.dateTime(&q.RequestedAt)))
	v.Fact("corrects", ar.T("admin.requests.corrects"), ar.L.Number(q.Corrects))
	v.Fact("reason-ko", ar.T("admin.field.why_ko"), q.Reason.KO)
	v.Fact("reason-en", ar.T("admin.field.why_en"), q.Reason.EN)
	if q.Status != contest.RequestPending {
		v.Refused = ar.T("admin.requests.closed", "status", ar.T("admin.requests.status."+q.Status))
		return v, nil
	}
	if q.Correction == nil {
		return v, contest.ErrNotFound
	}
	p, err := s.store.CorrectionPreview(ar.r.Context(), q.Program, q.Round, *q.Correction)
	if err != nil {
		ref, ok := ar.refusal(err, adminview.NewForm(nil), "")
		if !ok {
			return v, err
		}
		v.Refused = ref.notice
		return v, nil
	}
	v.Rows = ar.correctionRows(p, ar.consoleNames(d).teams)
	if p.Fingerprint != q.Fingerprint {
		v.Notice("stale-results", ar.T("pub.stale", "reviewed", short(q.Fingerprint), "current", short(p.Fingerprint)))
	}
	ar.offerDecision(&v.ConfirmPage, q, d.Info.Status)
	return v, nil
}

// requestRefused shows a correction request's page again with why its
// approval was refused.
func (s *server) requestRefused(w http.ResponseWriter, ar *adminReq, id int64, err error) error {
	ref, ok := ar.refusal(err, adminview.NewForm(nil), "")
	if !ok {
		return err
	}
	q, qerr := s.store.Request(ar.r.Context(), id)
	if qerr != nil {
		return qerr
	}
	v, perr := s.requestPage(ar, q)
	if perr != nil {
		return perr
	}
	v.Refuse(ref.notice)
	return s.render(w, ar.r, ref.status, admin.CorrectionConfirm(v))
}

// handleRequestWithdraw withdraws the viewer's own pending request; a
// request of another admin is theirs to withdraw.
func (s *server) handleRequestWithdraw(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	q, err := s.routeRequest(r)
	if err != nil {
		return err
	}
	if q.RequestedBy != ar.actor().Name {
		return s.roundRefused(w, ar, q.Round, http.StatusUnprocessableEntity, ar.T("admin.requests.not_own", "who", q.RequestedBy))
	}
	if err := s.store.WithdrawRequest(r.Context(), q.ID, ar.actor()); err != nil {
		ref, ok := ar.refusal(err, adminview.NewForm(nil), "")
		if !ok {
			return err
		}
		return s.roundRefused(w, ar, q.Round, ref.status, ref.notice)
	}
	ar.flash(ar.T("admin.requests.withdrawn"))
	return ar.redirect(w, "/admin/rounds/"+q.Round)
}

// roundRefused shows a round's page again with why an action was refused.
func (s *server) roundRefused(w http.ResponseWriter, ar *adminReq, slug string, status int, notice string) error {
	v, err := s.roundPage(ar, slug)
	if err != nil {
		return err
	}
	v.Refuse(notice)
	return s.render(w, ar.r, status, admin.Round(v))
}

// pendingRows lists the program's pending requests (of one round, when
// round is not ""), with the links to review, approve or withdraw them;
// names maps round slugs to their names.
func (s *server) pendingRows(ar *adminReq, program, round string, names map[string]string) ([]adminview.RequestRow, error) {
	if !ar.isAdmin() {
		return nil, nil // requests are reviewed by admins only
	}
	reqs, err := s.store.PendingRequests(ar.r.Context())
	if err != nil {
		return nil, err
	}
	var rows []adminview.RequestRow
	for _, q := range reqs {
		if q.Program != program || (round != "" && q.Round != round) {
			continue
		}
		id := strconv.FormatInt(q.ID, 10)
		row := adminview.RequestRow{ID: id, Own: q.RequestedBy == ar.actor().Name,
			ReviewURL: ar.L.URL("/admin/requests/" + id)}
		name := names[q.Round]
		if name == "" {
			name = q.Round
		}
		row.Message = ar.T("admin.requests.row", "who", q.RequestedBy, "what", ar.T("admin.requests.kind."+q.Kind),
			"round", name, "at", ar.dateTime(&q.RequestedAt))
		if q.Kind != contest.RequestCorrect {
			row.ReviewURL = ar.L.URL("/admin/rounds/" + q.Round + "/publish")
		}
		if row.Own {
			row.WithdrawURL = ar.L.URL("/admin/requests/" + id + "/withdraw")
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// handleRoundSchedule sets or cancels the scheduled publication. The time
// is typed in KST, whatever the browser's time zone. Confirmed on the
// schedule's confirmation page (with the fingerprint of the results
// shown there), it is a publication request at that time: with two
// approvals it waits for another admin, who schedules it by approving.
func (s *server) handleRoundSchedule(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	slug := ar.param("slug")
	var at time.Time
	done := "admin.done.unschedule"
	f := adminview.NewForm(nil)
	if r.PostFormValue("cancel") == "" {
		done = "admin.done.schedule"
		f = formOf(r, "at")
		at = ar.scheduleAt(f)
		if !f.Invalid() && r.PostFormValue("fingerprint") != "" {
			return s.requestPublication(w, ar, slug, at)
		}
	}
	return s.runStep(w, ar, roundStep{form: f,
		place: func(v *adminview.RoundAdminPage) {
			if f.Invalid() {
				v.Schedule = f
			}
		},
		do: func(ar *adminReq, program string) (string, error) {
			return ar.T(done), s.store.SchedulePublication(r.Context(), program, slug, at, ar.actor())
		}})
}

// roundControls adds a round page's pending requests and disclosure
// controls. While a request waits, the round offers its review instead
// of another publication.
func (s *server) roundControls(ar *adminReq, v *adminview.RoundAdminPage, program string, d postgres.AdminRound) error {
	rows, err := s.pendingRows(ar, program, v.Slug, map[string]string{v.Slug: v.Name})
	if err != nil {
		return err
	}
	v.Controls.Pending = rows
	if len(rows) > 0 {
		v.CanPublish, v.CanSchedule = false, false
	}
	ar.disclosureControls(v, d)
	return nil
}

// notReady takes the publication and schedule controls off a round whose
// results cannot be published (missing scores, an undecided tie at the
// cut) and says why instead.
func (ar *adminReq) notReady(v *adminview.RoundAdminPage, rr postgres.RoundResults, d postgres.AdminRound, n consoleNames) {
	if !v.CanPublish && !v.CanSchedule {
		return
	}
	rep := rr.Report
	if rep.Complete && !rep.Blocked {
		return
	}
	ie := &contest.IncompleteError{Missing: d.Missing}
	if rep.Complete {
		for _, o := range tiedAtCut(rr, n) {
			ie.Blocked = append(ie.Blocked, o.Value)
		}
	}
	v.CanPublish, v.CanSchedule = false, false
	v.Controls.NotReady = ar.incompleteNotice(ie)
}

// Widening what a published round discloses (outcomes → aggregates →
// full): each step is a dated public event, so the console confirms it on
// the one confirmation page first, and refuses a narrower level with why.

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
	slug := ar.param("slug")
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
	_, d, err := ar.adminRound(ar.param("slug"))
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
	slug := ar.param("slug")
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
