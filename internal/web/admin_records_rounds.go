package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/web/admin"
)

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

// roundForm is the round form. The announcement is a datetime-local value
// in KST.
type roundForm struct {
	Slug             string       `form:"slug"`
	Kind             string       `form:"kind"`
	Name             contest.Text `form:"name"`
	Period           string       `form:"period"`
	EvaluatedOn      string       `form:"evaluated_on"`
	AnnounceAt       string       `form:"announce_at"`
	AnnounceDateOnly bool         `form:"announce_date_only"`
	Advance          string       `form:"advance"`
	Backfill         bool         `form:"backfill"`
	MinTotal         string       `form:"min_total"`
	Note             contest.Text `form:"note"`
}

// Validate checks the slug is not the creating form's, the places are a
// number and the announcement a time.
func (f *roundForm) Validate() map[string]string {
	_, _, announceOK := parseAnnounce(f.AnnounceAt, f.AnnounceDateOnly)
	// /admin/rounds/new is the form that creates rounds.
	return formErrors{}.when(f.Slug == "new", "slug", "records.invalid.slug_new").
		whole("advance", f.Advance, true).
		when(!announceOK, "announce_at", "admin.invalid.datetime")
}

// record is the round the form describes. cur is the saved round (nil
// when creating): an announcement left as shown keeps its saved instant
// exactly.
func (f *roundForm) record(cur *postgres.RoundRecord) postgres.RoundRecord {
	rd := postgres.RoundRecord{
		Slug: f.Slug, Kind: f.Kind, Name: f.Name, Period: f.Period, EvaluatedOn: f.EvaluatedOn,
		Backfill: f.Backfill, MinTotal: f.MinTotal, Advance: wholeOr(f.Advance, 0), Note: f.Note,
	}
	if cur != nil && f.AnnounceAt == announceValue(cur.AnnounceAt) && f.AnnounceDateOnly == cur.AnnounceDateOnly {
		rd.AnnounceAt, rd.AnnounceDateOnly = cur.AnnounceAt, cur.AnnounceDateOnly
	} else {
		rd.AnnounceAt, rd.AnnounceDateOnly, _ = parseAnnounce(f.AnnounceAt, f.AnnounceDateOnly)
	}
	return rd
}

// roundNewForm is the form that creates a round: the round's settings and
// the earlier round whose criteria tree it starts with ("" for none).
type roundNewForm struct {
	roundForm
	CopyFrom string `form:"copy_from"`
}

// criterionForm is the form of a criterion; panel_size empty or 0 means
// scored directly.
type criterionForm struct {
	Code        string       `form:"code"`
	Parent      string       `form:"parent"`
	Name        contest.Text `form:"name"`
	Description contest.Text `form:"description"`
	Note        contest.Text `form:"note"`
	Max         string       `form:"max"`
	PanelSize   string       `form:"panel_size"`
	Aggregate   string       `form:"aggregate"`
}

// Validate checks the panel size is a number.
func (f *criterionForm) Validate() map[string]string {
	return formErrors{}.whole("panel_size", f.PanelSize, false)
}

func (f *criterionForm) record() postgres.CriterionRecord {
	return postgres.CriterionRecord{
		Code: f.Code, Parent: f.Parent, Name: f.Name, Description: f.Description, Note: f.Note,
		Max: f.Max, PanelSize: wholeOr(f.PanelSize, 0), Aggregate: f.Aggregate,
	}
}

// entryForm enters a team in a round.
type entryForm struct {
	Team string `form:"team"`
}

// Validate requires a team.
func (f *entryForm) Validate() map[string]string {
	if f.Team == "" {
		return map[string]string{"team": "admin.invalid.required"}
	}
	return nil
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

func (ar *adminReq) roundKinds() []adminview.Option {
	return ar.options("round.kind.", contest.RoundKinds, "")
}

// roundNewPage is the form that creates a round; rounds are the program's
// rounds, whose criteria trees the new one may copy.
func (s *server) roundNewPage(ar *adminReq, f adminview.Form, rounds []postgres.RoundRecord) adminview.RoundEditPage {
	f = f.Or(map[string]string{"kind": contest.KindStage})
	v := adminview.RoundEditPage{
		AdminPage:   ar.page("rounds", ar.T("records.rounds.new")),
		New:         true,
		Edit:        adminview.EditForm{Form: f},
		Kinds:       ar.roundKinds(),
		CopySources: ar.copySources(rounds),
	}
	v.Path = "/admin/rounds/new"
	return v
}

// copySources are the choices of the round whose criteria a new round
// copies: none, then the program's rounds, latest first, by name.
func (ar *adminReq) copySources(rounds []postgres.RoundRecord) []adminview.Option {
	out := []adminview.Option{{Value: "", Label: ar.T("records.rounds.copy_none")}}
	for _, rd := range slices.Backward(rounds) {
		label := ar.textIn(rd.Name)
		if rd.Period != "" {
			label += " (" + rd.Period + ")"
		}
		out = append(out, adminview.Option{Value: rd.Slug, Label: label})
	}
	return out
}

// programRounds reads the program and its rounds, which a new round's
// criteria tree may copy.
func (s *server) programRounds(ar *adminReq) (string, []postgres.RoundRecord, error) {
	prog, err := ar.program()
	if err != nil {
		return "", nil, err
	}
	rounds, err := s.store.RoundRecords(ar.r.Context(), prog.Slug)
	return prog.Slug, rounds, err
}

func (s *server) handleRoundNew(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	_, rounds, err := s.programRounds(ar)
	return show(s, w, r, s.roundNewPage(ar, adminview.Form{}, rounds), err, admin.RoundEdit)
}

// handleRoundCreate adds a draft round after the program's last one,
// with a copy of an earlier round's criteria tree when one is chosen, and
// goes to its edit page, where criteria and entries are added.
func (s *server) handleRoundCreate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	program, rounds, err := s.programRounds(ar)
	if err != nil {
		return err
	}
	var f roundNewForm
	return ar.submit(w, formSave{form: &f, taken: "slug",
		write: func(int) (string, string, error) {
			out, err := s.store.CreateRoundFrom(r.Context(), program, f.record(nil), f.CopyFrom, ar.actor())
			msg := ar.T("records.rounds.created", "name", ar.textIn(out.Name))
			if i := slices.IndexFunc(rounds, func(rd postgres.RoundRecord) bool { return rd.Slug == f.CopyFrom }); i >= 0 {
				msg = ar.T("records.rounds.created_copy", "name", ar.textIn(out.Name), "from", ar.textIn(rounds[i].Name))
			}
			return msg, "/admin/rounds/" + out.Slug + "/edit", err
		},
		reshow: func(typed adminview.Form, ref refusal) error {
			v := s.roundNewPage(ar, typed, rounds)
			return reshow(s, w, ar, ref, v, nil, admin.RoundEdit)
		}})
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
	v := ar.roundEditHeader(rd)
	v.Parents = []adminview.Option{{Value: "", Label: ar.T("records.criteria.top")}}
	for _, c := range crits {
		v.Parents = append(v.Parents, adminview.Option{Value: c.Code, Label: strings.Repeat("— ", c.Depth) + c.Code + " · " + ar.textIn(c.Name)})
	}
	for _, c := range crits {
		v.Criteria = append(v.Criteria, ar.criterionRow(c, v.Parents))
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
	v.TeamOptions = ar.orgOptions(nil, nil)
	for _, t := range teams {
		if !entered[t.Slug] {
			v.TeamOptions = append(v.TeamOptions, adminview.Option{Value: t.Slug, Label: ar.textIn(t.Name) + " (" + t.Slug + ")"})
		}
	}
	v.AddEntry = adminview.NewForm(nil)
	return v, rd, crits, nil
}

// roundEditHeader is the top of a round's edit page: the round form as
// saved and, when the round's status keeps its criteria and entries, why.
func (ar *adminReq) roundEditHeader(rd postgres.RoundRecord) adminview.RoundEditPage {
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
		CanEditTree:  contest.Allows(rd.Status, contest.ActEditSetup),
		NewCriterion: adminview.NewForm(nil),
		Aggregates:   ar.options("aggregate.", contest.Aggregates, ar.T("records.criteria.direct")),
	}
	v.Path = "/admin/rounds/" + rd.Slug + "/edit"
	switch {
	case v.CanEditTree:
	case contest.Allows(rd.Status, contest.ActCorrect):
		v.Locked = ar.T("records.rounds.locked.published")
	default:
		v.Locked = ar.T("records.rounds.locked.closed")
	}
	return v
}

// criterionRow is a saved criterion with its edit form; parents are the
// choices of a parent, the criterion itself left out.
func (ar *adminReq) criterionRow(c postgres.CriterionRecord, parents []adminview.Option) adminview.CriterionRow {
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
	for _, p := range parents {
		if p.Value != c.Code {
			row.Parents = append(row.Parents, p)
		}
	}
	return row
}

// roundSaved is what the forms of a round's edit page compare with.
type roundSaved struct {
	round    postgres.RoundRecord
	criteria []postgres.CriterionRecord
}

// roundPage is a round's edit page. A round status that forbids a write is
// explained with what that status keeps.
var roundPage = recordPage[adminview.RoundEditPage, *adminview.RoundEditPage, roundSaved]{
	build: func(s *server, ar *adminReq, program, slug string) (adminview.RoundEditPage, roundSaved, error) {
		v, rd, crits, err := s.roundEditPage(ar, program, slug)
		return v, roundSaved{round: rd, criteria: crits}, err
	},
	tmpl: admin.RoundEdit,
	refused: func(_ *adminReq, v *adminview.RoundEditPage, ref *refusal) {
		if ref.state && v.Locked != "" {
			ref.notice = v.Locked
		}
	},
}

func (s *server) handleRoundEdit(w http.ResponseWriter, r *http.Request) error {
	return roundPage.show(s, w, r)
}

// editURL is the round's edit page, where its writes go back to.
func (pw pageWrite) editURL() string { return "/admin/rounds/" + pw.slug + "/edit" }

// handleRoundUpdate changes a round's settings if nobody saved it since the
// form was made. A closed round keeps its kind and rule, a published one
// changes only its note.
func (s *server) handleRoundUpdate(w http.ResponseWriter, r *http.Request) error {
	var f roundForm
	return roundPage.write(s, w, r, func(pw pageWrite) error {
		cur, err := s.store.RoundRecord(r.Context(), pw.program, pw.slug)
		if err != nil {
			return err
		}
		return pw.submit(w, formSave{form: &f, edit: true, taken: "slug",
			write: func(ver int) (string, string, error) {
				rd := f.record(&cur)
				rd.Version = ver
				out, err := s.store.UpdateRound(r.Context(), pw.program, pw.slug, rd, pw.actor())
				return pw.T("records.rounds.updated", "name", pw.textIn(out.Name)), "/admin/rounds/" + out.Slug + "/edit", err
			},
			reshow: roundPage.put(s, pw, func(v *adminview.RoundEditPage, now roundSaved, typed adminview.Form, ref refusal) {
				v.Edit = pw.editForm(typed, ref, formFields(&f), roundValues(now.round), map[string][]adminview.Option{"kind": v.Kinds})
			})})
	})
}

// handleCriterionCreate adds a criterion to a round that is not closed or
// published.
func (s *server) handleCriterionCreate(w http.ResponseWriter, r *http.Request) error {
	var f criterionForm
	return roundPage.write(s, w, r, func(pw pageWrite) error {
		return pw.submit(w, formSave{form: &f, taken: "code",
			write: func(int) (string, string, error) {
				out, err := s.store.CreateCriterion(r.Context(), pw.program, pw.slug, f.record(), pw.actor())
				return pw.T("records.criteria.created", "name", pw.textIn(out.Name)), pw.editURL(), err
			},
			reshow: roundPage.put(s, pw, func(v *adminview.RoundEditPage, _ roundSaved, typed adminview.Form, _ refusal) {
				v.NewCriterion = typed
			})})
	})
}

// handleCriterionUpdate changes a criterion if nobody saved it since the
// form was made.
func (s *server) handleCriterionUpdate(w http.ResponseWriter, r *http.Request) error {
	var f criterionForm
	return roundPage.write(s, w, r, func(pw pageWrite) error {
		code := pw.param("code")
		return pw.submit(w, formSave{form: &f, edit: true, taken: "code",
			write: func(ver int) (string, string, error) {
				c := f.record()
				c.Version = ver
				out, err := s.store.UpdateCriterion(r.Context(), pw.program, pw.slug, code, c, pw.actor())
				return pw.T("records.criteria.updated", "name", pw.textIn(out.Name)), pw.editURL(), err
			},
			reshow: roundPage.put(s, pw, func(v *adminview.RoundEditPage, now roundSaved, typed adminview.Form, ref refusal) {
				i := slices.IndexFunc(v.Criteria, func(row adminview.CriterionRow) bool { return row.Code == code })
				j := slices.IndexFunc(now.criteria, func(c postgres.CriterionRecord) bool { return c.Code == code })
				if i < 0 || j < 0 {
					return
				}
				v.Criteria[i].Edit = pw.editForm(typed, ref, formFields(&f), criterionValues(now.criteria[j]),
					map[string][]adminview.Option{"parent": v.Parents, "aggregate": v.Aggregates})
			})})
	})
}

// handleCriterionDelete removes a criterion without sub-criteria or scores
// if nobody changed it since the page was made.
func (s *server) handleCriterionDelete(w http.ResponseWriter, r *http.Request) error {
	return roundPage.write(s, w, r, func(pw pageWrite) error {
		code := pw.param("code")
		return pw.remove(w, func(ver int) error {
			return s.store.DeleteCriterion(r.Context(), pw.program, pw.slug, code, ver, pw.actor())
		}, pw.T("records.criteria.deleted", "code", code), pw.editURL(), roundPage.again(s, pw))
	})
}

// handleEntryAdd enters a team in a round that is not closed or published.
func (s *server) handleEntryAdd(w http.ResponseWriter, r *http.Request) error {
	var f entryForm
	return roundPage.write(s, w, r, func(pw pageWrite) error {
		return pw.submit(w, formSave{form: &f, taken: "team",
			write: func(int) (string, string, error) {
				err := s.store.AddEntry(r.Context(), pw.program, pw.slug, f.Team, pw.actor())
				return pw.T("records.entries.added", "team", f.Team), pw.editURL(), err
			},
			reshow: roundPage.put(s, pw, func(v *adminview.RoundEditPage, _ roundSaved, typed adminview.Form, _ refusal) {
				v.AddEntry = typed
				v.TeamOptions = withChoice(v.TeamOptions, f.Team, f.Team)
			})})
	})
}

// handleEntryRemove takes a team without scores or announced outcomes out
// of a round that is not closed or published.
func (s *server) handleEntryRemove(w http.ResponseWriter, r *http.Request) error {
	return roundPage.write(s, w, r, func(pw pageWrite) error {
		team := pw.param("team")
		if err := s.store.RemoveEntry(r.Context(), pw.program, pw.slug, team, pw.actor()); err != nil {
			ref, ok := pw.refusal(err, adminview.NewForm(nil), "team")
			if !ok {
				return err
			}
			return roundPage.again(s, pw)(ref)
		}
		pw.flash(pw.T("records.entries.removed", "team", team))
		return pw.redirect(w, pw.editURL())
	})
}
