package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/web/admin"
)

// teamFields are the inputs of the team form.
var teamFields = []string{
	"slug", "name_ko", "name_en", "lead", "model", "model_note_ko", "model_note_en",
	"goal_ko", "goal_en", "note_ko", "note_en",
}

// memberFields are the inputs of a membership form; the organization is
// chosen only when adding (memberAddFields), then it is the route's.
var (
	memberFields    = []string{"role", "since", "until", "confidence", "note_ko", "note_en"}
	memberAddFields = append([]string{"org"}, memberFields...)
)

func teamValues(t postgres.TeamRecord) map[string]string {
	v := map[string]string{"slug": t.Slug, "lead": t.Lead, "model": t.Model, "version": strconv.Itoa(t.Version)}
	putText(v, "name", t.Name)
	putText(v, "model_note", t.ModelNote)
	putText(v, "goal", t.Goal)
	putText(v, "note", t.Note)
	return v
}

func teamOf(f adminview.Form) postgres.TeamRecord {
	return postgres.TeamRecord{
		Slug: f.V("slug"), Name: textOf(f, "name"), Lead: f.V("lead"), Model: f.V("model"),
		ModelNote: textOf(f, "model_note"), Goal: textOf(f, "goal"), Note: textOf(f, "note"),
	}
}

func memberValues(m postgres.MemberRecord) map[string]string {
	v := map[string]string{
		"org": m.Org, "role": m.Role, "since": m.Since, "until": m.Until, "confidence": m.Confidence,
		"version": strconv.Itoa(m.Version),
	}
	putText(v, "note", m.Note)
	return v
}

func memberOf(f adminview.Form) postgres.MemberRecord {
	return postgres.MemberRecord{
		Org: f.V("org"), Role: f.V("role"), Since: f.V("since"), Until: f.V("until"),
		Confidence: f.V("confidence"), Note: textOf(f, "note"),
	}
}

// orgOptions lists the organizations by name, with an empty choice first;
// skip leaves some out.
func (ar *adminReq) orgOptions(orgs []postgres.OrgRecord, skip func(slug string) bool) []adminview.Option {
	out := []adminview.Option{{Value: "", Label: ar.T("records.choose")}}
	for _, o := range orgs {
		if skip == nil || !skip(o.Slug) {
			out = append(out, adminview.Option{Value: o.Slug, Label: ar.textIn(o.Name) + " (" + o.Slug + ")"})
		}
	}
	return out
}

// teamsPage lists the program's teams; create is the add form as typed.
func (s *server) teamsPage(ar *adminReq, create adminview.Form) (adminview.TeamsPage, error) {
	prog, err := ar.program()
	if err != nil {
		return adminview.TeamsPage{}, err
	}
	teams, err := s.store.Teams(ar.r.Context(), prog.Slug)
	if err != nil {
		return adminview.TeamsPage{}, err
	}
	orgs, err := s.store.Organizations(ar.r.Context())
	if err != nil {
		return adminview.TeamsPage{}, err
	}
	v := adminview.TeamsPage{AdminPage: ar.page("teams", ar.T("records.teams.title")), Create: create, Orgs: ar.orgOptions(orgs, nil)}
	v.Path = "/admin/teams"
	if v.Create.Values == nil {
		v.Create = adminview.NewForm(nil)
	}
	for _, t := range teams {
		v.Teams = append(v.Teams, adminview.TeamRow{
			Slug:      t.Slug,
			Name:      ar.textIn(t.Name),
			Lead:      ar.textIn(t.LeadName),
			Model:     t.Model,
			URL:       ar.L.URL("/admin/teams/" + t.Slug),
			PublicURL: ar.L.URL("/teams/" + t.Slug),
		})
	}
	return v, nil
}

func (s *server) handleTeams(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	v, err := s.teamsPage(ar, adminview.Form{})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, admin.Teams(v))
}

// handleTeamCreate adds a team at the end of the program's teams and goes
// to its page, where members are added.
func (s *server) handleTeamCreate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	f := formOf(r, teamFields...)
	t, err := s.store.CreateTeam(r.Context(), prog.Slug, teamOf(f), ar.actor())
	if err != nil {
		ref, ok := ar.refusal(err, f, "slug")
		if !ok {
			return err
		}
		v, err := s.teamsPage(ar, f)
		if err != nil {
			return err
		}
		v.Notice, v.NoticeKind = ref.notice, "error"
		return s.render(w, r, ref.status, admin.Teams(v))
	}
	ar.flash(ar.T("records.teams.created", "name", ar.textIn(t.Name)))
	return ar.redirect(w, "/admin/teams/"+t.Slug)
}

// teamEditPage is the page of a saved team with its members, every form
// showing the saved values.
func (s *server) teamEditPage(ar *adminReq, program, slug string) (adminview.TeamEditPage, postgres.TeamRecord, error) {
	t, err := s.store.Team(ar.r.Context(), program, slug)
	if err != nil {
		return adminview.TeamEditPage{}, t, err
	}
	orgs, err := s.store.Organizations(ar.r.Context())
	if err != nil {
		return adminview.TeamEditPage{}, t, err
	}
	in := map[string]bool{t.Lead: true}
	for _, m := range t.Members {
		in[m.Org] = true
	}
	leads := ar.orgOptions(orgs, nil)
	joinable := ar.orgOptions(orgs, func(slug string) bool { return in[slug] })
	name := ar.textIn(t.Name)
	v := adminview.TeamEditPage{
		AdminPage:   ar.page("teams", ar.T("records.teams.edit", "name", name)),
		Slug:        t.Slug,
		Name:        name,
		Edit:        savedForm(teamValues(t)),
		Orgs:        leads,
		AddMember:   adminview.NewForm(map[string]string{"role": "participant", "confidence": contest.Confirmed}),
		MemberOrgs:  joinable,
		Confidences: ar.confidenceOptions(),
		PublicURL:   ar.L.URL("/teams/" + t.Slug),
	}
	v.Path = "/admin/teams/" + t.Slug
	for _, m := range t.Members {
		period := m.Since + " – " + m.Until
		if m.Since == "" && m.Until == "" {
			period = ""
		}
		v.Members = append(v.Members, adminview.MemberRow{
			Org:        m.Org,
			OrgName:    ar.textIn(m.OrgName),
			Role:       m.Role,
			Period:     period,
			Confidence: label(v.Confidences, m.Confidence),
			Note:       ar.textIn(m.Note),
			Version:    strconv.Itoa(m.Version),
			Edit:       savedForm(memberValues(m)),
		})
	}
	return v, t, nil
}

func (s *server) handleTeamEdit(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	v, _, err := s.teamEditPage(ar, prog.Slug, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, admin.TeamEdit(v))
}

// refuseTeam re-renders the team page after a refused write; edit puts the
// refused form (as typed) in its place.
func (s *server) refuseTeam(w http.ResponseWriter, ar *adminReq, program, slug string, ref refusal, edit func(*adminview.TeamEditPage, postgres.TeamRecord)) error {
	v, t, err := s.teamEditPage(ar, program, slug)
	if err != nil {
		return err
	}
	edit(&v, t)
	v.Notice, v.NoticeKind = ref.notice, "error"
	return s.render(w, ar.r, ref.status, admin.TeamEdit(v))
}

// handleTeamUpdate changes a team if nobody saved it since the form was
// made.
func (s *server) handleTeamUpdate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	slug := chi.URLParam(r, "slug")
	f := editFormOf(r, teamFields...)
	ver, err := version(f)
	if err != nil {
		return err
	}
	t := teamOf(f)
	t.Version = ver
	out, err := s.store.UpdateTeam(r.Context(), prog.Slug, slug, t, ar.actor())
	if err != nil {
		ref, ok := ar.refusal(err, f, "slug")
		if !ok {
			return err
		}
		return s.refuseTeam(w, ar, prog.Slug, slug, ref, func(v *adminview.TeamEditPage, cur postgres.TeamRecord) {
			v.Edit = adminview.EditForm{Form: f}
			if ref.stale {
				v.Edit = ar.staleForm(f, teamFields, teamValues(cur), map[string][]adminview.Option{"lead": v.Orgs})
			}
		})
	}
	ar.flash(ar.T("records.teams.updated", "name", ar.textIn(out.Name)))
	return ar.redirect(w, "/admin/teams/"+out.Slug)
}

// handleMemberAdd adds an organization to a team's consortium.
func (s *server) handleMemberAdd(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	slug := chi.URLParam(r, "slug")
	f := formOf(r, memberAddFields...)
	m, err := s.store.AddMember(r.Context(), prog.Slug, slug, memberOf(f), ar.actor())
	if err != nil {
		ref, ok := ar.refusal(err, f, "org")
		if !ok {
			return err
		}
		return s.refuseTeam(w, ar, prog.Slug, slug, ref, func(v *adminview.TeamEditPage, _ postgres.TeamRecord) {
			v.AddMember = f
			v.MemberOrgs = withChoice(v.MemberOrgs, f.V("org"), f.V("org"))
		})
	}
	ar.flash(ar.T("records.members.added", "name", ar.textIn(m.OrgName)))
	return ar.redirect(w, "/admin/teams/"+slug)
}

// handleMemberUpdate changes a membership if nobody saved it since the form
// was made. The organization is the route's; a membership moves to another
// organization by removing it and adding another.
func (s *server) handleMemberUpdate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	slug, org := chi.URLParam(r, "slug"), chi.URLParam(r, "org")
	f := editFormOf(r, memberFields...)
	ver, err := version(f)
	if err != nil {
		return err
	}
	m := memberOf(f)
	m.Org, m.Version = org, ver
	out, err := s.store.UpdateMember(r.Context(), prog.Slug, slug, m, ar.actor())
	if err != nil {
		ref, ok := ar.refusal(err, f, "role")
		if !ok {
			return err
		}
		return s.refuseTeam(w, ar, prog.Slug, slug, ref, func(v *adminview.TeamEditPage, cur postgres.TeamRecord) {
			for i, row := range v.Members {
				if row.Org != org {
					continue
				}
				v.Members[i].Edit = adminview.EditForm{Form: f}
				if ref.stale {
					for _, cm := range cur.Members {
						if cm.Org == org {
							v.Members[i].Edit = ar.staleForm(f, memberFields, memberValues(cm), map[string][]adminview.Option{"confidence": v.Confidences})
						}
					}
				}
			}
		})
	}
	ar.flash(ar.T("records.members.updated", "name", ar.textIn(out.OrgName)))
	return ar.redirect(w, "/admin/teams/"+slug)
}

// handleMemberRemove takes an organization out of a team's consortium if
// nobody changed the membership since the page was made.
func (s *server) handleMemberRemove(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	prog, err := ar.program()
	if err != nil {
		return err
	}
	slug, org := chi.URLParam(r, "slug"), chi.URLParam(r, "org")
	f := formOf(r, "version")
	ver, err := version(f)
	if err != nil {
		return err
	}
	if err := s.store.RemoveMember(r.Context(), prog.Slug, slug, org, ver, ar.actor()); err != nil {
		ref, ok := ar.refusal(err, f, "version")
		if !ok {
			return err
		}
		return s.refuseTeam(w, ar, prog.Slug, slug, ref, func(*adminview.TeamEditPage, postgres.TeamRecord) {})
	}
	ar.flash(ar.T("records.members.removed", "org", org))
	return ar.redirect(w, "/admin/teams/"+slug)
}
