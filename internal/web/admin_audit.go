package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
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

// auditActions are the actions the filter offers, in the order of the
// work they belong to; each is named in the catalogs as
// "audit.action.<action>".
var auditActions = []string{
	"auth.login", "auth.login_failed", "auth.reauth",
	"scores.save", "scores.import",
	"entry.eligibility", "entry.add", "entry.remove",
	"round.close", "round.reopen", "round.request_publish", "round.approve", "round.schedule", "round.publish",
	"round.publish_failed", "round.decide", "round.request_correct", "round.correct", "round.request_void",
	"round.request_withdraw", "round.disclose", "objection.file", "objection.decide",
	"round.create", "round.update", "criterion.create", "criterion.update", "criterion.delete",
	"user.create", "user.role", "user.disable", "user.enable", "user.password",
	"user.mfa_enrol", "user.mfa_recovery", "user.sessions_end",
	"program.import", "team.create", "team.update", "organization.create", "organization.update",
	"membership.add", "membership.update", "membership.remove",
	"budget.create", "budget.update", "allocation.create", "allocation.update", "allocation.delete",
}

// auditLinks are the console pages of the entity kinds the audit log
// names ("round:r2/team:lg"); a kind without one links to the page of
// the entity it belongs to (a criterion to its round).
var auditLinks = map[string]string{
	"round": "/admin/rounds/", "team": "/admin/teams/", "org": "/admin/organizations/",
	"organization": "/admin/organizations/", "budget": "/admin/budgets/", "user": "/admin/users",
}

// auditNames resolves the slugs of audit entities to names, by entity
// kind ("round", "team", "org"/"organization").
type auditNames map[string]map[string]string

func (s *server) auditNames(ar *adminReq, program string, rounds []postgres.RoundRef) (auditNames, error) {
	ctx := ar.r.Context()
	orgNames := map[string]string{}
	n := auditNames{"round": {}, "team": {}, "org": orgNames, "organization": orgNames}
	for _, rd := range rounds {
		n["round"][rd.Slug] = ar.textIn(rd.Name)
	}
	teams, err := s.store.Teams(ctx, program)
	if err != nil {
		return n, err
	}
	for _, t := range teams {
		n["team"][t.Slug] = ar.textIn(t.Name)
	}
	orgs, err := s.store.Organizations(ctx)
	if err != nil {
		return n, err
	}
	for _, o := range orgs {
		orgNames[o.Slug] = ar.textIn(o.Name)
	}
	return n, nil
}

func (n auditNames) name(kind, key string) string {
	if name, ok := n[kind][key]; ok {
		return name
	}
	return key
}

// auditEntities names and links the parts of an event's entity.
func (ar *adminReq) auditEntities(entity string, names auditNames) []adminview.AuditEntity {
	var out []adminview.AuditEntity
	parent := ""
	for _, part := range strings.Split(entity, "/") {
		kind, key, ok := strings.Cut(part, ":")
		if !ok {
			out = append(out, adminview.AuditEntity{Name: part})
			continue
		}
		e := adminview.AuditEntity{Kind: ar.label("audit.entity."+kind, kind), Name: names.name(kind, key), URL: parent}
		if link, ok := auditLinks[kind]; ok {
			e.URL = link
			if strings.HasSuffix(link, "/") {
				e.URL += url.PathEscape(key)
			}
			e.URL = ar.L.URL(e.URL)
		}
		parent = e.URL
		out = append(out, e)
	}
	return out
}

// label is the message id's text, or fallback when the catalogs lack it
// (an action recorded by a newer version).
func (ar *adminReq) label(id, fallback string) string {
	if ar.L.Has(id) {
		return ar.T(id)
	}
	return fallback
}

// handleAudit lists audit events, newest first, filtered by actor, round,
// action and KST dates (both inclusive), under the result of recomputing
// the whole hash chain.
func (s *server) handleAudit(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	ctx := r.Context()
	f, filter := ar.auditFilter(r.URL.Query())
	status := http.StatusOK
	if f.Invalid() {
		status = http.StatusUnprocessableEntity
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
	names, err := s.auditNames(ar, prog.Slug, rounds)
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
		Rounds:    ar.auditRounds(rounds, f.V("round")),
		Actions:   ar.auditActions(f.V("action")),
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
	if len(events) == auditLimit {
		v.Limited = ar.T("admin.audit.limited", "n", auditLimit)
	}
	for _, e := range events {
		row := auditRow(e)
		row.ActionLabel = ar.label("audit.action."+e.Action, e.Action)
		row.Actor = ar.label("audit.actor."+e.Actor, e.Actor)
		row.Entities = ar.auditEntities(e.Entity, names)
		if e.Round != "" {
			row.Round = names.name("round", e.Round)
		}
		v.Events = append(v.Events, row)
	}
	return s.render(w, r, status, admin.Audit(v))
}

// auditFilter reads the filter form; refused dates leave their message on
// the form and filter nothing.
func (ar *adminReq) auditFilter(q url.Values) (adminview.Form, postgres.AuditFilter) {
	f := adminview.NewForm(nil)
	for _, name := range []string{"actor", "round", "action", "from", "to"} {
		f.Values[name] = strings.TrimSpace(q.Get(name))
	}
	filter := postgres.AuditFilter{Actor: f.V("actor"), Round: f.V("round"), Action: f.V("action"), Limit: auditLimit}
	day := func(name string) time.Time {
		if f.V(name) == "" {
			return time.Time{}
		}
		d, err := time.ParseInLocation(time.DateOnly, f.V(name), format.KST)
		if err != nil {
			f.Errors[name] = ar.T("admin.invalid.date")
		}
		return d
	}
	filter.From = day("from")
	if to := day("to"); !to.IsZero() {
		filter.To = to.AddDate(0, 0, 1) // the whole day
	}
	if f.Invalid() {
		filter.From, filter.To = time.Time{}, time.Time{}
	}
	return f, filter
}

// auditRounds offers the program's rounds to filter by.
func (ar *adminReq) auditRounds(rounds []postgres.RoundRef, chosen string) []adminview.Option {
	out := []adminview.Option{{Value: "", Label: ar.T("admin.audit.any")}}
	for _, rd := range rounds {
		out = append(out, adminview.Option{Value: rd.Slug, Label: ar.textIn(rd.Name), Selected: rd.Slug == chosen})
	}
	return out
}

// auditActions offers the actions to filter by, with one typed in the
// address that the list does not know.
func (ar *adminReq) auditActions(chosen string) []adminview.Option {
	out := []adminview.Option{{Value: "", Label: ar.T("admin.audit.any")}}
	for _, a := range auditActions {
		out = append(out, adminview.Option{Value: a, Label: ar.label("audit.action."+a, a), Selected: a == chosen})
	}
	if chosen != "" && !slices.Contains(auditActions, chosen) {
		out = append(out, adminview.Option{Value: chosen, Label: chosen, Selected: true})
	}
	return out
}

func auditRow(e postgres.AuditEvent) adminview.AuditRow {
	return adminview.AuditRow{
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
	}
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
