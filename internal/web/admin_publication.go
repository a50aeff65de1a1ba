package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/web/adminview"
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
	FailedSchedules(ctx context.Context) ([]postgres.FailedSchedule, error)
}

// handlePublishConfirm shows what a publication of the round would
// publish, what the button will do, and the pending request if any, with
// the approval form for an admin who did not make it.
func (s *server) handlePublishConfirm(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	v, err := s.publicationPage(ar, chi.URLParam(r, "slug"))
	return show(s, w, r, v, err, admin.Publication)
}

// publicationPage builds the confirmation page from the store's preview.
func (s *server) publicationPage(ar *adminReq, slug string) (adminview.PublicationPage, error) {
	prog, err := ar.program()
	if err != nil {
		return adminview.PublicationPage{}, err
	}
	d, err := s.store.AdminRound(ar.r.Context(), prog.Slug, slug)
	if err != nil {
		return adminview.PublicationPage{}, err
	}
	p, err := s.store.PublicationPreview(ar.r.Context(), prog.Slug, slug)
	if err != nil {
		return adminview.PublicationPage{}, err
	}
	n := ar.consoleNames(d)
	v := adminview.PublicationPage{
		AdminPage:   ar.page("rounds", ar.T("pub.title", "round", ar.textIn(d.Info.Name))),
		Slug:        slug,
		Name:        ar.textIn(d.Info.Name),
		RoundURL:    ar.L.URL("/admin/rounds/" + slug),
		Fingerprint: p.Fingerprint,
		Rows:        ar.publicationRows(p, n.teams),
	}
	switch {
	case p.Pending != nil:
		v.Pending = ar.T("pub.pending", "who", p.Pending.RequestedBy, "at", ar.dateTime(&p.Pending.RequestedAt))
		v.Own = p.Pending.RequestedBy == ar.actor().Name
		if !v.Own && ar.isAdmin() && contest.Allows(d.Info.Status, contest.ActApprove) {
			v.ApproveURL = ar.L.URL("/admin/requests/" + strconv.FormatInt(p.Pending.ID, 10) + "/approve")
			v.Fingerprint = p.Pending.Fingerprint
			v.Happens = ar.T("pub.happens.approve")
		}
	case ar.isAdmin() && contest.Allows(d.Info.Status, contest.ActRequestPublish):
		v.RequestURL = ar.L.URL("/admin/rounds/" + slug + "/publish")
		v.Happens = ar.T("pub.happens.publish")
		if p.Approvals > 1 {
			v.Happens = ar.T("pub.happens.request")
		}
	}
	return v, nil
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
	ar := s.adminBegin(r)
	slug := chi.URLParam(r, "slug")
	fp := r.PostFormValue("fingerprint")
	prog, err := ar.program()
	if err != nil {
		return err
	}
	q, err := s.store.RequestPublication(r.Context(), prog.Slug, slug, fp, time.Time{}, ar.actor(), s.now())
	if _, stale := contest.IsStaleResults(err); stale && fp == "" {
		// Nothing reviewed yet: show what would be published first.
		return ar.redirect(w, "/admin/rounds/"+slug+"/publish")
	}
	if err == nil {
		done := "admin.done.publish"
		if q.Status == contest.RequestPending {
			done = "pub.done.request"
		}
		ar.flash(ar.T(done))
		return ar.redirect(w, "/admin/rounds/"+slug)
	}
	return s.publicationRefused(w, ar, slug, fp, err)
}

// handleRequestApprove approves a pending request as reviewed on the
// confirmation page; the requester is refused.
func (s *server) handleRequestApprove(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return &statusError{status: http.StatusNotFound, err: err}
	}
	q, err := s.store.Request(r.Context(), id)
	if err != nil {
		return err
	}
	fp := r.PostFormValue("fingerprint")
	_, err = s.store.ApprovePublication(r.Context(), id, fp, ar.actor(), s.now())
	if err == nil {
		ar.flash(ar.T("pub.done.approve"))
		return ar.redirect(w, "/admin/rounds/"+q.Round)
	}
	return s.publicationRefused(w, ar, q.Round, fp, err)
}

// publicationRefused shows the confirmation page again with why the
// request or approval was refused; stale results show both fingerprints.
func (s *server) publicationRefused(w http.ResponseWriter, ar *adminReq, slug, reviewed string, err error) error {
	ref, ok := ar.refusal(err, adminview.NewForm(nil), "")
	if !ok {
		return err
	}
	v, perr := s.publicationPage(ar, slug)
	if errors.Is(perr, contest.ErrInvalid) || errors.Is(perr, contest.ErrRoundState) {
		// Nothing to preview (an open round): back to the round's page.
		rv, rerr := s.roundPage(ar, slug)
		if rerr != nil {
			return rerr
		}
		rv.Refuse(ref.notice)
		return s.render(w, ar.r, ref.status, admin.Round(rv))
	}
	if perr != nil {
		return perr
	}
	if se, ok := contest.IsStaleResults(err); ok {
		v.Stale = ar.T("pub.stale", "reviewed", short(se.Reviewed), "current", short(se.Current))
	} else if reviewed != "" && v.Fingerprint != "" && reviewed != v.Fingerprint {
		v.Stale = ar.T("pub.stale", "reviewed", short(reviewed), "current", short(v.Fingerprint))
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
	prog, err := ar.program()
	if err != nil {
		return err
	}
	d, err := s.store.AdminRound(ar.r.Context(), prog.Slug, slug)
	if err != nil {
		return err
	}
	p, err := s.store.CorrectionPreview(ar.r.Context(), prog.Slug, slug, c)
	if err != nil {
		return s.runStep(w, ar, roundStep{form: f, do: func(*adminReq, string) (string, error) { return "", err }})
	}
	n := ar.consoleNames(d)
	v := adminview.CorrectionPage{
		AdminPage: ar.page("rounds", ar.T("pub.correct.heading")),
		Name:      ar.textIn(d.Info.Name),
		RoundURL:  ar.L.URL("/admin/rounds/" + slug),
		Action:    ar.L.URL("/admin/rounds/" + slug + "/correct"),
		Happens:   ar.T("pub.correct.happens", "n", p.Corrects+1),
	}
	if p.Approvals > 1 {
		v.Happens = ar.T("pub.correct.happens_request")
	}
	names := []string{"kind"}
	for name := range f.Values {
		names = append(names, name)
	}
	slices.Sort(names[1:])
	for _, name := range names {
		val := f.V(name)
		if name == "kind" {
			val = ar.r.PostFormValue("kind")
		}
		v.Hidden = append(v.Hidden, adminview.Option{Value: name, Label: val})
	}
	v.Hidden = append(v.Hidden, adminview.Option{Value: "corrects", Label: strconv.Itoa(p.Corrects)},
		adminview.Option{Value: "fingerprint", Label: p.Fingerprint})
	for _, ch := range p.Diff {
		name := n.teams[ch.Team]
		if name == "" {
			name = ch.Team
		}
		v.Rows = append(v.Rows, adminview.CorrectionRow{
			Team: ch.Team, Name: name, Changed: ch.Changed,
			Total:   change(ptrText(ch.Old.Total), ptrText(ch.New.Total)),
			Rank:    change(ar.rankText(ch.Old.Rank), ar.rankText(ch.New.Rank)),
			Outcome: change(ar.outcomeText(ch.Old.Outcome), ar.outcomeText(ch.New.Outcome)),
		})
	}
	return s.render(w, ar.r, http.StatusOK, admin.CorrectionConfirm(v))
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
