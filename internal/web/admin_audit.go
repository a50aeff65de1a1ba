package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/internal/web/format"
	"github.com/kai-challenge/portal/web/admin"
)

// auditLimit is how many events the page lists; filters narrow the rest.
const auditLimit = 200

// auditActions are the actions the filter offers; the store records no
// others today.
var auditActions = []string{
	"auth.login", "auth.login_failed",
	"scores.save", "scores.import",
	"entry.eligibility", "entry.add", "entry.remove",
	"round.close", "round.reopen", "round.schedule", "round.publish", "round.publish_failed", "round.decide", "round.correct",
	"round.create", "round.update", "criterion.create", "criterion.update", "criterion.delete",
	"user.create", "user.role", "user.disable", "user.enable", "user.password",
	"program.import", "team.create", "team.update", "organization.create", "organization.update",
	"membership.add", "membership.update", "membership.remove",
	"budget.create", "budget.update", "allocation.create", "allocation.update", "allocation.delete",
}

// handleAudit lists audit events, newest first, filtered by actor, round,
// action and KST dates (both inclusive), under the result of recomputing
// the whole hash chain.
func (s *server) handleAudit(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	ctx := r.Context()
	q := r.URL.Query()
	f := adminview.NewForm(nil)
	for _, name := range []string{"actor", "round", "action", "from", "to"} {
		f.Values[name] = strings.TrimSpace(q.Get(name))
	}
	filter := postgres.AuditFilter{Actor: f.V("actor"), Round: f.V("round"), Action: f.V("action"), Limit: auditLimit}
	if v := f.V("from"); v != "" {
		d, err := time.ParseInLocation(time.DateOnly, v, format.KST)
		if err != nil {
			f.Errors["from"] = ar.T("admin.invalid.date")
		}
		filter.From = d
	}
	if v := f.V("to"); v != "" {
		d, err := time.ParseInLocation(time.DateOnly, v, format.KST)
		if err != nil {
			f.Errors["to"] = ar.T("admin.invalid.date")
		} else {
			filter.To = d.AddDate(0, 0, 1)
		}
	}
	status := http.StatusOK
	if f.Invalid() {
		status = http.StatusUnprocessableEntity
		filter.From, filter.To = time.Time{}, time.Time{}
	}
	prog, err := ar.program()
	if err != nil {
		return err
	}
	rounds, err := s.store.RoundRefs(ctx, prog.Slug)
	if err != nil {
		return err
	}
	events, err := s.store.AuditEvents(ctx, filter)
	if err != nil {
		return err
	}
	// The whole chain is recomputed on every view, filtered or not: each
	// view shows the verdict, and a rewritten event must show at once, so
	// nothing is cached. It is one pass over the log; should that grow too
	// slow, verify on the unfiltered view only, not from a cache.
	vr, err := s.store.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	v := adminview.AuditPage{
		AdminPage: ar.page("audit", ar.T("admin.audit.title")),
		Filter:    f,
		Intact:    vr.BrokenAt == 0,
		ResetURL:  ar.L.URL("/admin/audit"),
	}
	v.Path = "/admin/audit"
	if raw := r.URL.RawQuery; raw != "" {
		v.Path += "?" + raw
	}
	if v.Intact {
		v.Verify = ar.T("admin.audit.intact", "n", ar.L.Number(vr.Events), "head", shortHash(vr.Head))
	} else {
		v.Verify = ar.T("admin.audit.broken", "id", vr.BrokenAt, "problem", vr.Problem)
	}
	v.Rounds = []adminview.Option{{Value: "", Label: ar.T("admin.audit.any")}}
	for _, rd := range rounds {
		v.Rounds = append(v.Rounds, adminview.Option{Value: rd.Slug, Label: ar.textIn(rd.Name), Selected: rd.Slug == f.V("round")})
	}
	v.Actions = []adminview.Option{{Value: "", Label: ar.T("admin.audit.any")}}
	known := false
	for _, a := range auditActions {
		v.Actions = append(v.Actions, adminview.Option{Value: a, Label: a, Selected: a == f.V("action")})
		known = known || a == f.V("action")
	}
	if !known && f.V("action") != "" {
		v.Actions = append(v.Actions, adminview.Option{Value: f.V("action"), Label: f.V("action"), Selected: true})
	}
	if len(events) == auditLimit {
		v.Limited = ar.T("admin.audit.limited", "n", auditLimit)
	}
	for _, e := range events {
		v.Events = append(v.Events, adminview.AuditRow{
			ID:     strconv.FormatInt(e.ID, 10),
			At:     e.At.In(format.KST).Format(time.DateTime) + " KST",
			Actor:  e.Actor,
			Addr:   e.ClientAddr,
			Action: e.Action,
			Entity: e.Entity,
			Round:  e.Round,
			Before: prettyJSON(e.Before),
			After:  prettyJSON(e.After),
			Hash:   e.Hash,
		})
	}
	return s.render(w, r, status, admin.Audit(v))
}

// prettyJSON indents an event's before/after; "" for none.
func prettyJSON(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return string(raw)
	}
	return buf.String()
}

func shortHash(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}
