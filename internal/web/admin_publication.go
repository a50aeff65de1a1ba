package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/internal/web/format"
	"github.com/kai-challenge/portal/web/admin"
)

// PublicationStore is what the publication pages need of the store.
type PublicationStore interface {
	PublicationPreview(ctx context.Context, program, round string) (postgres.Preview, error)
	RequestPublication(ctx context.Context, program, round, fingerprint string, at time.Time, actor contest.Actor, now time.Time) (postgres.PublicationRequest, error)
	ApprovePublication(ctx context.Context, requestID int64, fingerprint string, actor contest.Actor, now time.Time) (postgres.PublicationRequest, error)
	Request(ctx context.Context, id int64) (postgres.PublicationRequest, error)
	CorrectionPreview(ctx context.Context, program, round string, c postgres.Correction) (postgres.Preview, error)
	RequestCorrection(ctx context.Context, program, round string, req postgres.CorrectionRequest, actor contest.Actor, now time.Time) (postgres.PublicationRequest, error)
	WithdrawRequest(ctx context.Context, requestID int64, actor contest.Actor) error
	PendingRequests(ctx context.Context) ([]postgres.PublicationRequest, error)
	FailedSchedules(ctx context.Context) ([]postgres.FailedSchedule, error)
	WidenDisclosure(ctx context.Context, program, round, level string, on time.Time, note contest.Text, actor contest.Actor) error
}

// handlePublishConfirm shows what a publication of the round would
// publish, what the button will do, and the pending request if any, with
// the approval form for an admin who did not make it.
func (s *server) handlePublishConfirm(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	slug := ar.param("slug")
	v, err := s.publicationPage(ar, slug, time.Time{})
	if err != nil {
		return s.confirmRefused(w, ar, slug, ar.T("pub.heading"), err)
	}
	return s.render(w, r, http.StatusOK, admin.Publication(v))
}

// publicationPage builds the confirmation page of a publication (at once,
// or at the time at when it is not zero) from the store's preview.
func (s *server) publicationPage(ar *adminReq, slug string, at time.Time) (adminview.PublicationPage, error) {
	program, d, err := ar.adminRound(slug)
	if err != nil {
		return adminview.PublicationPage{}, err
	}
	return s.roundPublicationPage(ar, program, d, at)
}

// roundPublicationPage builds the confirmation page of a publication of
// the round d already read.
func (s *server) roundPublicationPage(ar *adminReq, program string, d postgres.AdminRound, at time.Time) (adminview.PublicationPage, error) {
	slug := d.Info.Slug
	p, err := s.store.PublicationPreview(ar.r.Context(), program, slug)
	if err != nil {
		return adminview.PublicationPage{}, err
	}
	n := ar.consoleNames(d)
	heading := ar.T("pub.heading")
	if !at.IsZero() {
		heading = ar.T("admin.confirm.schedule.heading")
	}
	v := adminview.PublicationPage{ConfirmPage: ar.roundConfirm(slug, ar.textIn(d.Info.Name), heading),
		Rows: ar.publicationRows(p, n.teams), Fingerprint: p.Fingerprint}
	v.Title = ar.T("pub.title", "round", ar.textIn(d.Info.Name))
	if !at.IsZero() {
		v.Fact("schedule-at", ar.T("admin.confirm.schedule.at"), ar.dateTime(&at))
	}
	ar.offerPublication(&v.ConfirmPage, d.Info.Status, p, at)
	return v, nil
}

// offerPublication offers what the viewer may do with the round's
// publication: approve another admin's pending request or withdraw their
// own, or else request the publication of the reviewed results, at once
// or at the time at.
func (ar *adminReq) offerPublication(v *adminview.ConfirmPage, status string, p postgres.Preview, at time.Time) {
	if q := p.Pending; q != nil {
		v.Notice("pending-request", ar.T("pub.pending", "who", q.RequestedBy, "at", ar.dateTime(&q.RequestedAt)))
		if q.PublishAt != nil {
			v.Fact("request-at", ar.T("admin.confirm.schedule.at"), ar.dateTime(q.PublishAt))
		}
		ar.offerDecision(v, *q, status)
		return
	}
	if !ar.isAdmin() || !contest.Allows(status, contest.ActRequestPublish) {
		return
	}
	key, action := "pub.happens.publish", "/admin/rounds/"+p.Info.Slug+"/publish"
	hidden := adminview.Hidden("fingerprint", p.Fingerprint)
	if !at.IsZero() {
		key, action = "admin.confirm.schedule.happens", "/admin/rounds/"+p.Info.Slug+"/schedule"
		hidden = append(hidden, adminview.Hidden("at", at.In(format.KST).Format(kstLocal))...)
	}
	if p.Approvals > 1 {
		key += "_request"
		if at.IsZero() {
			key = "pub.happens.request"
		}
	}
	v.Happens = ar.T(key, "at", ar.dateTime(&at))
	v.Irreversible = p.Approvals < 2 // a request can still be withdrawn
	v.Offer(adminview.ConfirmForm{TestID: "request-form", Action: ar.L.URL(action), Hidden: hidden,
		Submit: ar.T("pub.action.request"), SubmitID: "request-publish"})
}

// offerDecision offers the decision on a pending request: its requester
// may withdraw it (and is told why they cannot approve it), another admin
// may approve it as reviewed.
func (ar *adminReq) offerDecision(v *adminview.ConfirmPage, q postgres.PublicationRequest, status string) {
	id := strconv.FormatInt(q.ID, 10)
	if q.RequestedBy == ar.actor().Name {
		v.Notice("own-request", ar.T("pub.own"))
		v.Offer(adminview.ConfirmForm{TestID: "withdraw-form", Action: ar.L.URL("/admin/requests/" + id + "/withdraw"),
			Submit: ar.T("admin.requests.withdraw"), SubmitID: "withdraw"})
		return
	}
	if !ar.isAdmin() || !contest.Allows(status, contest.ActApprove) {
		return
	}
	switch {
	case q.Kind == contest.RequestCorrect:
		v.Happens = ar.T("admin.requests.happens.correct")
	case q.PublishAt != nil:
		v.Happens = ar.T("admin.requests.happens.schedule", "at", ar.dateTime(q.PublishAt))
	default:
		v.Happens = ar.T("pub.happens.approve")
	}
	v.Irreversible = true
	v.Offer(adminview.ConfirmForm{TestID: "approve-form", Action: ar.L.URL("/admin/requests/" + id + "/approve"),
		Hidden: adminview.Hidden("fingerprint", q.Fingerprint), Submit: ar.T("pub.action.approve"), SubmitID: "approve"})
}

// publicationRows lists the teams of a preview in its order.
func (ar *adminReq) publicationRows(p postgres.Preview, teams map[string]string) []adminview.PublicationRow {
	rows := make([]adminview.PublicationRow, 0, len(p.Report.Teams))
	for _, t := range p.Report.Teams {
		row := adminview.PublicationRow{Team: t.Team, Name: teams[t.Team], Rank: "–", Total: "–", Outcome: "–"}
		if row.Name == "" {
			row.Name = t.Team
		}
		if t.Rank != nil {
			row.Rank = ar.L.Number(*t.Rank)
		}
		if t.Total != nil {
			row.Total = *t.Total
		}
		if t.Outcome != nil && *t.Outcome != "" {
			row.Outcome = ar.T("outcome." + string(*t.Outcome))
		}
		rows = append(rows, row)
	}
	return rows
}

// handleRoundPublish requests the publication of the results the admin
// reviewed on the confirmation page (their fingerprint): with one approval
// required it publishes them at once, with two it records a request that a
// different admin approves. Results that changed meanwhile are refused
// with both fingerprints and the new results shown.
func (s *server) handleRoundPublish(w http.ResponseWriter, r *http.Request) error {
	return s.requestPublication(w, s.adminBegin(r), chi.URLParam(r, "slug"), time.Time{})
}

// requestPublication requests the publication of the reviewed results at
// once or, with at set, at that time.
func (s *server) requestPublication(w http.ResponseWriter, ar *adminReq, slug string, at time.Time) error {
	fp := ar.r.PostFormValue("fingerprint")
	prog, err := ar.program()
	if err != nil {
		return err
	}
	q, err := s.store.RequestPublication(ar.r.Context(), prog.Slug, slug, fp, at, ar.actor(), s.now())
	if _, stale := contest.IsStaleResults(err); stale && fp == "" {
		// Nothing reviewed yet: show what would be published first.
		return ar.redirect(w, "/admin/rounds/"+slug+"/publish")
	}
	if err == nil {
		done := "admin.done.publish"
		switch {
		case q.Status == contest.RequestPending:
			done = "pub.done.request"
		case !at.IsZero():
			done = "admin.done.schedule"
		}
		ar.flash(ar.T(done))
		return ar.redirect(w, "/admin/rounds/"+slug)
	}
	return s.publicationRefused(w, ar, slug, fp, at, err)
}

// handleRequestApprove approves a pending request as reviewed on the
// confirmation page; the requester is refused.
func (s *server) handleRequestApprove(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	q, err := s.routeRequest(r)
	if err != nil {
		return err
	}
	fp := r.PostFormValue("fingerprint")
	_, err = s.store.ApprovePublication(r.Context(), q.ID, fp, ar.actor(), s.now())
	if err == nil {
		ar.flash(ar.T("pub.done.approve"))
		return ar.redirect(w, "/admin/rounds/"+q.Round)
	}
	if q.Kind == contest.RequestCorrect {
		return s.requestRefused(w, ar, q.ID, err)
	}
	return s.publicationRefused(w, ar, q.Round, fp, time.Time{}, err)
}

// publicationRefused shows the confirmation page again with why the
// request or approval was refused; stale results show both fingerprints.
func (s *server) publicationRefused(w http.ResponseWriter, ar *adminReq, slug, reviewed string, at time.Time, err error) error {
	ref, ok := ar.refusal(err, adminview.NewForm(nil), "")
	if !ok {
		return err
	}
	v, perr := s.publicationPage(ar, slug, at)
	if perr != nil {
		// Nothing to preview any more (an open or incomplete round).
		return s.confirmRefused(w, ar, slug, ar.T("pub.heading"), err)
	}
	if se, ok := contest.IsStaleResults(err); ok {
		v.Notice("stale-results", ar.T("pub.stale", "reviewed", short(se.Reviewed), "current", short(se.Current)))
	} else if reviewed != "" && reviewed != v.Fingerprint {
		v.Notice("stale-results", ar.T("pub.stale", "reviewed", short(reviewed), "current", short(v.Fingerprint)))
	}
	v.Refuse(ref.notice)
	return s.render(w, ar.r, ref.status, admin.Publication(v))
}

// short is the first characters of a fingerprint, enough to tell two apart.
func short(fp string) string {
	if len(fp) > 12 {
		return fp[:12]
	}
	return fp
}

// failedSchedules lists the program's scheduled publications that failed,
// for the console's banner.
func (s *server) failedSchedules(ar *adminReq, program string) ([]adminview.FailedRow, error) {
	failed, err := s.store.FailedSchedules(ar.r.Context())
	if err != nil {
		return nil, err
	}
	var rows []adminview.FailedRow
	for _, f := range failed {
		if f.Program != program {
			continue
		}
		at := f.PublishAt
		rows = append(rows, adminview.FailedRow{
			URL:     ar.L.URL("/admin/rounds/" + f.Round),
			Message: ar.T("pub.failed.row", "round", ar.textIn(f.Name), "at", ar.dateTime(&at), "who", f.ScheduledBy, "error", f.Error),
		})
	}
	return rows, nil
}

// correctionConfirm shows what the typed correction changes for each team
// (CorrectionPreview) and asks for confirmation; the confirmation carries
// the revision corrected and the fingerprint of the corrected results.
func (s *server) correctionConfirm(w http.ResponseWriter, ar *adminReq, slug string, f adminview.Form, c postgres.Correction) error {
	program, d, err := ar.adminRound(slug)
	if err != nil {
		return err
	}
	p, err := s.store.CorrectionPreview(ar.r.Context(), program, slug, c)
	if err != nil {
		return s.runStep(w, ar, roundStep{form: f, do: func(*adminReq, string) (string, error) { return "", err }})
	}
	v := adminview.CorrectionPage{ConfirmPage: ar.roundConfirm(slug, ar.textIn(d.Info.Name), ar.T("pub.correct.heading")),
		Rows: ar.correctionRows(p, ar.consoleNames(d).teams)}
	v.Happens = ar.T("pub.correct.happens", "n", p.Corrects+1)
	if p.Approvals > 1 {
		v.Happens = ar.T("pub.correct.happens_request")
	}
	v.Irreversible = p.Approvals < 2 // a request can still be withdrawn
	names := []string{"kind"}
	for name := range f.Values {
		names = append(names, name)
	}
	slices.Sort(names[1:])
	var hidden []adminview.Option
	for _, name := range names {
		val := f.V(name)
		if name == "kind" {
			val = ar.r.PostFormValue("kind")
		}
		hidden = append(hidden, adminview.Option{Value: name, Label: val})
	}
	hidden = append(hidden, adminview.Hidden("corrects", strconv.Itoa(p.Corrects), "fingerprint", p.Fingerprint, "confirm", "1")...)
	v.Offer(adminview.ConfirmForm{TestID: "confirm-correction", Action: ar.L.URL("/admin/rounds/" + slug + "/correct"),
		Hidden: hidden, Submit: ar.T("pub.correct.confirm"), SubmitID: "confirm"})
	return s.render(w, ar.r, http.StatusOK, admin.CorrectionConfirm(v))
}

// correctionRows lists each team's figures before and after a correction.
func (ar *adminReq) correctionRows(p postgres.Preview, teams map[string]string) []adminview.CorrectionRow {
	rows := make([]adminview.CorrectionRow, 0, len(p.Diff))
	for _, ch := range p.Diff {
		name := teams[ch.Team]
		if name == "" {
			name = ch.Team
		}
		rows = append(rows, adminview.CorrectionRow{
			Team: ch.Team, Name: name, Changed: ch.Changed,
			Total:   change(ptrText(ch.Old.Total), ptrText(ch.New.Total)),
			Rank:    change(ar.rankText(ch.Old.Rank), ar.rankText(ch.New.Rank)),
			Outcome: change(ar.outcomeText(ch.Old.Outcome), ar.outcomeText(ch.New.Outcome)),
		})
	}
	return rows
}

// requestCorrection applies (or, with two approvals, requests) a confirmed
// correction of the revision it names, as reviewed.
func (s *server) requestCorrection(ar *adminReq, program, slug string, f adminview.Form, c postgres.Correction) (string, error) {
	corrects, _ := strconv.Atoi(ar.r.PostFormValue("corrects"))
	q, err := s.store.RequestCorrection(ar.r.Context(), program, slug, postgres.CorrectionRequest{
		Corrects: corrects, Change: c, Fingerprint: ar.r.PostFormValue("fingerprint"),
		Reason: contest.Text{KO: f.V("why_ko"), EN: f.V("why_en")},
	}, ar.actor(), s.now())
	if err != nil {
		return "", err
	}
	if q.Status == contest.RequestPending {
		return ar.T("pub.done.request"), nil
	}
	return ar.T("admin.done.correct", "n", q.Revision), nil
}

// change shows a figure before and after, or once when it is the same.
func change(old, cur string) string {
	if old == cur {
		return cur
	}
	return old + " → " + cur
}

func ptrText(s *string) string {
	if s == nil {
		return "–"
	}
	return *s
}

func (ar *adminReq) rankText(r *int) string {
	if r == nil {
		return "–"
	}
	return ar.L.Number(*r)
}

func (ar *adminReq) outcomeText(o *rules.Outcome) string {
	if o == nil || *o == "" {
		return "–"
	}
	return ar.T("outcome." + string(*o))
}
