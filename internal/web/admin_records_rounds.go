package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/web/admin"
)

// roundFields are the inputs of the round form. The announcement is a
// datetime-local value in KST.
var roundFields = []string{
	"slug", "kind", "name_ko", "name_en", "period", "evaluated_on", "announce_at", "announce_date_only",
	"advance", "backfill", "min_total", "note_ko", "note_en",
}

// criterionFields are the inputs of a criterion form; panel_size empty or 0
// means scored directly.
var criterionFields = []string{
	"code", "parent", "name_ko", "name_en", "description_ko", "description_en", "note_ko", "note_en",
	"max", "panel_size", "aggregate",
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return ""
}

func roundValues(rd postgres.RoundRecord) map[string]string {
	v := map[string]string{
		"slug": rd.Slug, "kind": rd.Kind, "period": rd.Period, "evaluated_on": rd.EvaluatedOn,
		"announce_at": announceValue(rd.AnnounceAt), "announce_date_only": flag(rd.AnnounceDateOnly),
		"advance": strconv.Itoa(rd.Advance), "backfill": flag(rd.Backfill), "min_total": rd.MinTotal,
		"version": strconv.Itoa(rd.Version),
	}
	putText(v, "name", rd.Name)
	putText(v, "note", rd.Note)
	return v
}

// roundForm completes a posted round form f with its checkboxes, read as
// "1" or "".
func roundForm(r *http.Request, f adminview.Form) adminview.Form {
	f.Values["announce_date_only"] = checked(r, "announce_date_only")
	f.Values["backfill"] = checked(r, "backfill")
	return f
}

// roundOf decodes the round form, leaving a message on each field it
// cannot read. cur is the saved round (nil when creating): an announcement
// left as shown keeps its saved instant exactly.
func (ar *adminReq) roundOf(f adminview.Form, cur *postgres.RoundRecord) postgres.RoundRecord {
	rd := postgres.RoundRecord{
		Slug: f.V("slug"), Kind: f.V("kind"), Name: textOf(f, "name"), Period: f.V("period"),
		EvaluatedOn: f.V("evaluated_on"), Backfill: f.V("backfill") != "", MinTotal: f.V("min_total"),
		Note: textOf(f, "note"),
	}
	if rd.Slug == "new" {
		// /admin/rounds/new is the form that creates rounds.
		f.Errors["slug"] = ar.T("records.invalid.slug_new")
	}
	rd.Advance = ar.whole(f, "advance", 0, true)
	dateOnly := f.V("announce_date_only") != ""
	if cur != nil && f.V("announce_at") == announceValue(cur.AnnounceAt) && dateOnly == cur.AnnounceDateOnly {
		rd.AnnounceAt, rd.AnnounceDateOnly = cur.AnnounceAt, cur.AnnounceDateOnly
	} else {
		at, only, ok := parseAnnounce(f.V("announce_at"), dateOnly)
		if !ok {
			f.Errors["announce_at"] = ar.T("admin.invalid.datetime")
		}
		rd.AnnounceAt, rd.AnnounceDateOnly = at, only
	}
	return rd
}

func criterionValues(c postgres.CriterionRecord) map[string]string {
	v := map[string]string{
		"code": c.Code, "parent": c.Parent, "max": c.Max, "panel_size": "", "aggregate": c.Aggregate,
		"version": strconv.Itoa(c.Version),
	}
	if c.PanelSize > 0 {
		v["panel_size"] = strconv.Itoa(c.PanelSize)
	}
	putText(v, "name", c.Name)
	putText(v, "description", c.Description)
	putText(v, "note", c.Note)
	return v
}

func (ar *adminReq) criterionOf(f adminview.Form) postgres.CriterionRecord {
	return postgres.CriterionRecord{
		Code: f.V("code"), Parent: f.V("parent"), Name: textOf(f, "name"), Description: textOf(f, "description"),
		Note: textOf(f, "note"), Max: f.V("max"), PanelSize: ar.whole(f, "panel_size", 0, false), Aggregate: f.V("aggregate"),
	}
}

func (ar *adminReq) roundKinds() []adminview.Option {
	return ar.options("round.kind.", contest.RoundKinds, "")
}

// roundNewPage is the form that creates a round.
func (s *server) roundNewPage(ar *adminReq, f adminview.Form) adminview.RoundEditPage {
	if f.Values == nil {
		f = adminview.NewForm(map[string]string{"kind": contest.KindStage})
	}
	v := adminview.RoundEditPage{
		AdminPage: ar.page("rounds", ar.T("records.rounds.new")),
		New:       true,
		Edit:      adminview.EditForm{Form: f},
		Kinds:     ar.roundKinds(),
	}
	v.Path = "/admin/rounds/new"
	return v
}

func (s *server) handleRoundNew(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	if _, err := ar.program(); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, admin.RoundEdit(s.roundNewPage(ar, adminview.Form{})))
}

// handleRoundCreate adds a draft round after the program's last one and
// goes to its edit page, where criteria and entries are added.
func (s *server) handleRoundCreate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	f := roundForm(r, formOf(r, roundFields...))
	rd := ar.roundOf(f, nil)
	refuse := func(ref refusal) error {
		v := s.roundNewPage(ar, f)
		v.Notice, v.NoticeKind = ref.notice, "error"
		return s.render(w, r, ref.status, admin.RoundEdit(v))
	}
	if f.Invalid() {
		return refuse(ar.invalid())
	}
	out, err := s.store.CreateRound(r.Context(), prog.Slug, rd, ar.actor())
	if err != nil {
		ref, ok := ar.refusal(err, f, "slug")
		if !ok {
			return err
		}
		return refuse(ref)
	}
	ar.flash(ar.T("records.rounds.created", "name", ar.textIn(out.Name)))
	return ar.redirect(w, "/admin/rounds/"+out.Slug+"/edit")
}

// roundEditPage is the edit page of a saved round: its settings, criteria
// tree and entries, every form showing the saved values.
func (s *server) roundEditPage(ar *adminReq, program, slug string) (adminview.RoundEditPage, postgres.RoundRecord, []postgres.CriterionRecord, error) {
	ctx := ar.r.Context()
	rd, err := s.store.RoundRecord(ctx, program, slug)
	if err != nil {
		return adminview.RoundEditPage{}, rd, nil, err
	}
	crits, err := s.store.Criteria(ctx, program, slug)
	if err != nil {
		return adminview.RoundEditPage{}, rd, nil, err
	}
	teams, err := s.store.Teams(ctx, program)
	if err != nil {
		return adminview.RoundEditPage{}, rd, nil, err
	}
	name := ar.textIn(rd.Name)
	v := adminview.RoundEditPage{
		AdminPage:    ar.page("rounds", ar.T("records.rounds.edit", "name", name)),
		Slug:         rd.Slug,
		Name:         name,
		StatusCode:   rd.Status,
		Status:       ar.statusLabel(rd.Status),
		RoundURL:     ar.L.URL("/admin/rounds/" + rd.Slug),
		Edit:         savedForm(roundValues(rd)),
		Kinds:        ar.roundKinds(),
		CanEditTree:  !contest.Published(rd.Status) && rd.Status != contest.StatusClosed,
		NewCriterion: adminview.NewForm(nil),
		Aggregates:   ar.options("aggregate.", contest.Aggregates, ar.T("records.criteria.direct")),
	}
	v.Path = "/admin/rounds/" + rd.Slug + "/edit"
	switch {
	case contest.Published(rd.Status):
		v.Locked = ar.T("records.rounds.locked.published")
	case rd.Status == contest.StatusClosed:
		v.Locked = ar.T("records.rounds.locked.closed")
	}
	v.Parents = []adminview.Option{{Value: "", Label: ar.T("records.criteria.top")}}
	for _, c := range crits {
		v.Parents = append(v.Parents, adminview.Option{Value: c.Code, Label: strings.Repeat("— ", c.Depth) + c.Code + " · " + ar.textIn(c.Name)})
	}
	for _, c := range crits {
		row := adminview.CriterionRow{
			Code:      c.Code,
			Name:      ar.textIn(c.Name),
			Depth:     c.Depth,
			Leaf:      c.Leaf,
			Max:       ar.L.Points(c.Max),
			Scores:    ar.L.Number(c.Scores),
			CanDelete: c.Leaf && c.Scores == 0,
			Version:   strconv.Itoa(c.Version),
			Edit:      savedForm(criterionValues(c)),
		}
		if c.PanelSize > 0 {
			row.Panel = ar.T("criterion.panel", "n", c.PanelSize, "aggregate", ar.T("aggregate."+c.Aggregate))
		}
		for _, p := range v.Parents {
			if p.Value != c.Code {
				row.Parents = append(row.Parents, p)
			}
		}
		v.Criteria = append(v.Criteria, row)
	}
	entered := map[string]bool{}
	for _, e := range rd.Entries {
		entered[e.Team] = true
		v.Entries = append(v.Entries, adminview.EntryEditRow{
			Team:       e.Team,
			Name:       ar.textIn(e.TeamName),
			StatusCode: e.Status,
			Status:     ar.T("entry." + e.Status),
			Scores:     ar.L.Number(e.Scores),
			CanRemove:  e.Scores == 0,
		})
	}
	v.TeamOptions = []adminview.Option{{Value: "", Label: ar.T("records.choose")}}
	for _, t := range teams {
		if !entered[t.Slug] {
			v.TeamOptions = append(v.TeamOptions, adminview.Option{Value: t.Slug, Label: ar.textIn(t.Name) + " (" + t.Slug + ")"})
		}
	}
	v.AddEntry = adminview.NewForm(nil)
	return v, rd, crits, nil
}

func (s *server) handleRoundEdit(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	v, _, _, err := s.roundEditPage(ar, prog.Slug, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, admin.RoundEdit(v))
}

// refuseRoundEdit re-renders a round's edit page after a refused write;
// edit puts the refused form (as typed) in its place. A round status that
// forbids the write is explained with what that status keeps.
func (s *server) refuseRoundEdit(w http.ResponseWriter, ar *adminReq, program, slug string, ref refusal,
	edit func(*adminview.RoundEditPage, postgres.RoundRecord, []postgres.CriterionRecord)) error {
	v, rd, crits, err := s.roundEditPage(ar, program, slug)
	if err != nil {
		return err
	}
	edit(&v, rd, crits)
	if ref.state && v.Locked != "" {
		ref.notice = v.Locked
	}
	v.Notice, v.NoticeKind = ref.notice, "error"
	return s.render(w, ar.r, ref.status, admin.RoundEdit(v))
}

// handleRoundUpdate changes a round's settings if nobody saved it since the
// form was made. A closed round keeps its kind and rule, a published one
// changes only its note.
func (s *server) handleRoundUpdate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	slug := chi.URLParam(r, "slug")
	cur, err := s.store.RoundRecord(r.Context(), prog.Slug, slug)
	if err != nil {
		return err
	}
	f := roundForm(r, editFormOf(r, roundFields...))
	ver, err := version(f)
	if err != nil {
		return err
	}
	rd := ar.roundOf(f, &cur)
	rd.Version = ver
	ref := ar.invalid()
	var out postgres.RoundRecord
	if !f.Invalid() {
		out, err = s.store.UpdateRound(r.Context(), prog.Slug, slug, rd, ar.actor())
		if err == nil {
			ar.flash(ar.T("records.rounds.updated", "name", ar.textIn(out.Name)))
			return ar.redirect(w, "/admin/rounds/"+out.Slug+"/edit")
		}
		var ok bool
		if ref, ok = ar.refusal(err, f, "slug"); !ok {
			return err
		}
	}
	return s.refuseRoundEdit(w, ar, prog.Slug, slug, ref, func(v *adminview.RoundEditPage, now postgres.RoundRecord, _ []postgres.CriterionRecord) {
		v.Edit = adminview.EditForm{Form: f}
		if ref.stale {
			v.Edit = ar.staleForm(f, roundFields, roundValues(now), map[string][]adminview.Option{"kind": v.Kinds})
		}
	})
}

// handleCriterionCreate adds a criterion to a round that is not closed or
// published.
func (s *server) handleCriterionCreate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	slug := chi.URLParam(r, "slug")
	f := formOf(r, criterionFields...)
	c := ar.criterionOf(f)
	ref := ar.invalid()
	if !f.Invalid() {
		out, err := s.store.CreateCriterion(r.Context(), prog.Slug, slug, c, ar.actor())
		if err == nil {
			ar.flash(ar.T("records.criteria.created", "code", out.Code))
			return ar.redirect(w, "/admin/rounds/"+slug+"/edit")
		}
		var ok bool
		if ref, ok = ar.refusal(err, f, "code"); !ok {
			return err
		}
	}
	return s.refuseRoundEdit(w, ar, prog.Slug, slug, ref, func(v *adminview.RoundEditPage, _ postgres.RoundRecord, _ []postgres.CriterionRecord) {
		v.NewCriterion = f
	})
}

// handleCriterionUpdate changes a criterion if nobody saved it since the
// form was made.
func (s *server) handleCriterionUpdate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	slug, code := chi.URLParam(r, "slug"), chi.URLParam(r, "code")
	f := editFormOf(r, criterionFields...)
	ver, err := version(f)
	if err != nil {
		return err
	}
	c := ar.criterionOf(f)
	c.Version = ver
	ref := ar.invalid()
	if !f.Invalid() {
		out, err := s.store.UpdateCriterion(r.Context(), prog.Slug, slug, code, c, ar.actor())
		if err == nil {
			ar.flash(ar.T("records.criteria.updated", "code", out.Code))
			return ar.redirect(w, "/admin/rounds/"+slug+"/edit")
		}
		var ok bool
		if ref, ok = ar.refusal(err, f, "code"); !ok {
			return err
		}
	}
	return s.refuseRoundEdit(w, ar, prog.Slug, slug, ref, func(v *adminview.RoundEditPage, _ postgres.RoundRecord, crits []postgres.CriterionRecord) {
		for i := range v.Criteria {
			if v.Criteria[i].Code != code {
				continue
			}
			v.Criteria[i].Edit = adminview.EditForm{Form: f}
			if !ref.stale {
				continue
			}
			for _, cc := range crits {
				if cc.Code == code {
					v.Criteria[i].Edit = ar.staleForm(f, criterionFields, criterionValues(cc),
						map[string][]adminview.Option{"parent": v.Parents, "aggregate": v.Aggregates})
				}
			}
		}
	})
}

// handleCriterionDelete removes a criterion without sub-criteria or scores
// if nobody changed it since the page was made.
func (s *server) handleCriterionDelete(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	slug, code := chi.URLParam(r, "slug"), chi.URLParam(r, "code")
	f := formOf(r, "version")
	ver, err := version(f)
	if err != nil {
		return err
	}
	if err := s.store.DeleteCriterion(r.Context(), prog.Slug, slug, code, ver, ar.actor()); err != nil {
		ref, ok := ar.refusal(err, f, "version")
		if !ok {
			return err
		}
		return s.refuseRoundEdit(w, ar, prog.Slug, slug, ref, func(*adminview.RoundEditPage, postgres.RoundRecord, []postgres.CriterionRecord) {})
	}
	ar.flash(ar.T("records.criteria.deleted", "code", code))
	return ar.redirect(w, "/admin/rounds/"+slug+"/edit")
}

// handleEntryAdd enters a team in a round that is not closed or published.
func (s *server) handleEntryAdd(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	slug := chi.URLParam(r, "slug")
	f := formOf(r, "team")
	if f.V("team") == "" {
		f.Errors["team"] = ar.T("admin.invalid.required")
	}
	ref := ar.invalid()
	if !f.Invalid() {
		err := s.store.AddEntry(r.Context(), prog.Slug, slug, f.V("team"), ar.actor())
		if err == nil {
			ar.flash(ar.T("records.entries.added", "team", f.V("team")))
			return ar.redirect(w, "/admin/rounds/"+slug+"/edit")
		}
		var ok bool
		if ref, ok = ar.refusal(err, f, "team"); !ok {
			return err
		}
	}
	return s.refuseRoundEdit(w, ar, prog.Slug, slug, ref, func(v *adminview.RoundEditPage, _ postgres.RoundRecord, _ []postgres.CriterionRecord) {
		v.AddEntry = f
		v.TeamOptions = withChoice(v.TeamOptions, f.V("team"), f.V("team"))
	})
}

// handleEntryRemove takes a team without scores or announced outcomes out
// of a round that is not closed or published.
func (s *server) handleEntryRemove(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	slug, team := chi.URLParam(r, "slug"), chi.URLParam(r, "team")
	if err := s.store.RemoveEntry(r.Context(), prog.Slug, slug, team, ar.actor()); err != nil {
		ref, ok := ar.refusal(err, adminview.NewForm(nil), "team")
		if !ok {
			return err
		}
		return s.refuseRoundEdit(w, ar, prog.Slug, slug, ref, func(*adminview.RoundEditPage, postgres.RoundRecord, []postgres.CriterionRecord) {})
	}
	ar.flash(ar.T("records.entries.removed", "team", team))
	return ar.redirect(w, "/admin/rounds/"+slug+"/edit")
}
