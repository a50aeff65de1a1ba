package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/adminview"
	"github.com/kai-challenge/portal/web/admin"
)

// teamForm is the team form.
type teamForm struct {
	Slug      string       `form:"slug"`
	Name      contest.Text `form:"name"`
	Lead      string       `form:"lead"`
	Model     string       `form:"model"`
	ModelNote contest.Text `form:"model_note"`
	Goal      contest.Text `form:"goal"`
	Note      contest.Text `form:"note"`
}

// Validate leaves every check to the store.
func (f *teamForm) Validate() map[string]string { return nil }

func (f *teamForm) record() postgres.TeamRecord {
	return postgres.TeamRecord{
		Slug: f.Slug, Name: f.Name, Lead: f.Lead, Model: f.Model, ModelNote: f.ModelNote, Goal: f.Goal, Note: f.Note,
	}
}

// create adds a team at the end of the program's teams and goes to its
// page, where members are added.
func (f *teamForm) create(s *server, ar *adminReq, program string) (string, string, error) {
	t, err := s.store.CreateTeam(ar.r.Context(), program, f.record(), ar.actor())
	return ar.T("records.teams.created", "name", ar.textIn(t.Name)), "/admin/teams/" + t.Slug, err
}

func teamValues(t postgres.TeamRecord) map[string]string {
	v := map[string]string{"slug": t.Slug, "lead": t.Lead, "model": t.Model, "version": strconv.Itoa(t.Version)}
	putText(v, "name", t.Name)
	putText(v, "model_note", t.ModelNote)
	putText(v, "goal", t.Goal)
	putText(v, "note", t.Note)
	return v
}

// memberForm is the form of a membership; the organization is chosen only
// when adding (memberAddForm), then it is the route's.
type memberForm struct {
	Role       string       `form:"role"`
	Since      string       `form:"since"`
	Until      string       `form:"until"`
	Confidence string       `form:"confidence"`
	Note       contest.Text `form:"note"`
}

// Validate leaves every check to the store.
func (f *memberForm) Validate() map[string]string { return nil }

func (f *memberForm) record(org string) postgres.MemberRecord {
	return postgres.MemberRecord{
		Org: org, Role: f.Role, Since: f.Since, Until: f.Until, Confidence: f.Confidence, Note: f.Note,
	}
}

// memberAddForm adds an organization to a team.
type memberAddForm struct {
	Org string `form:"org"`
	memberForm
}

func memberValues(m postgres.MemberRecord) map[string]string {
	v := map[string]string{
		"org": m.Org, "role": m.Role, "since": m.Since, "until": m.Until, "confidence": m.Confidence,
		"version": strconv.Itoa(m.Version),
	}
	putText(v, "note", m.Note)
	return v
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
	v := adminview.TeamsPage{AdminPage: ar.page("teams", ar.T("records.teams.title")), Create: create.Or(nil), Orgs: ar.orgOptions(orgs, nil)}
	v.Path = "/admin/teams"
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

// teamPage is a team's page with its members.
var teamPage = recordPage[adminview.TeamEditPage, *adminview.TeamEditPage, postgres.TeamRecord]{
	build: (*server).teamEditPage, tmpl: admin.TeamEdit}

func (s *server) handleTeamEdit(w http.ResponseWriter, r *http.Request) error {
	return teamPage.show(s, w, r)
}

// handleTeamUpdate changes a team if nobody saved it since the form was
// made.
func (s *server) handleTeamUpdate(w http.ResponseWriter, r *http.Request) error {
	var f teamForm
	return teamPage.write(s, w, r, func(pw pageWrite) error {
		return pw.submit(w, formSave{form: &f, edit: true, taken: "slug",
			write: func(ver int) (string, string, error) {
				t := f.record()
				t.Version = ver
				out, err := s.store.UpdateTeam(r.Context(), pw.program, pw.slug, t, pw.actor())
				return pw.T("records.teams.updated", "name", pw.textIn(out.Name)), "/admin/teams/" + out.Slug, err
			},
			reshow: teamPage.put(s, pw, func(v *adminview.TeamEditPage, cur postgres.TeamRecord, typed adminview.Form, ref refusal) {
				v.Edit = pw.editForm(typed, ref, formFields(&f), teamValues(cur), map[string][]adminview.Option{"lead": v.Orgs})
			})})
	})
}

// handleMemberAdd adds an organization to a team's consortium.
func (s *server) handleMemberAdd(w http.ResponseWriter, r *http.Request) error {
	var f memberAddForm
	return teamPage.write(s, w, r, func(pw pageWrite) error {
		return pw.submit(w, formSave{form: &f, taken: "org",
			write: func(int) (string, string, error) {
				m, err := s.store.AddMember(r.Context(), pw.program, pw.slug, f.record(f.Org), pw.actor())
				return pw.T("records.members.added", "name", pw.textIn(m.OrgName)), "/admin/teams/" + pw.slug, err
			},
			reshow: teamPage.put(s, pw, func(v *adminview.TeamEditPage, _ postgres.TeamRecord, typed adminview.Form, _ refusal) {
				v.AddMember = typed
				v.MemberOrgs = withChoice(v.MemberOrgs, f.Org, f.Org)
			})})
	})
}

// handleMemberUpdate changes a membership if nobody saved it since the form
// was made. The organization is the route's; a membership moves to another
// organization by removing it and adding another.
func (s *server) handleMemberUpdate(w http.ResponseWriter, r *http.Request) error {
	var f memberForm
	return teamPage.write(s, w, r, func(pw pageWrite) error {
		org := pw.param("org")
		return pw.submit(w, formSave{form: &f, edit: true, taken: "role",
			write: func(ver int) (string, string, error) {
				m := f.record(org)
				m.Version = ver
				out, err := s.store.UpdateMember(r.Context(), pw.program, pw.slug, m, pw.actor())
				return pw.T("records.members.updated", "name", pw.textIn(out.OrgName)), "/admin/teams/" + pw.slug, err
			},
			reshow: teamPage.put(s, pw, func(v *adminview.TeamEditPage, cur postgres.TeamRecord, typed adminview.Form, ref refusal) {
				i := slices.IndexFunc(v.Members, func(row adminview.MemberRow) bool { return row.Org == org })
				j := slices.IndexFunc(cur.Members, func(m postgres.MemberRecord) bool { return m.Org == org })
				if i < 0 || j < 0 {
					return
				}
				v.Members[i].Edit = pw.editForm(typed, ref, formFields(&f), memberValues(cur.Members[j]),
					map[string][]adminview.Option{"confidence": v.Confidences})
			})})
	})
}

// handleMemberRemove takes an organization out of a team's consortium if
// nobody changed the membership since the page was made.
func (s *server) handleMemberRemove(w http.ResponseWriter, r *http.Request) error {
	return teamPage.write(s, w, r, func(pw pageWrite) error {
		org := pw.param("org")
		return pw.remove(w, func(ver int) error {
			return s.store.RemoveMember(r.Context(), pw.program, pw.slug, org, ver, pw.actor())
		}, pw.T("records.members.removed", "org", org), "/admin/teams/"+pw.slug, teamPage.again(s, pw))
	})
}

// orgForm is the organization form.
type orgForm struct {
	Slug string       `form:"slug"`
	Name contest.Text `form:"name"`
	Kind string       `form:"kind"`
}

// Validate leaves every check to the store.
func (f *orgForm) Validate() map[string]string { return nil }

func (f *orgForm) record() postgres.OrgRecord {
	return postgres.OrgRecord{Slug: f.Slug, Name: f.Name, Kind: f.Kind}
}

// create adds an organization.
func (f *orgForm) create(s *server, ar *adminReq, _ string) (string, string, error) {
	o, err := s.store.CreateOrganization(ar.r.Context(), f.record(), ar.actor())
	return ar.T("records.orgs.created", "name", ar.textIn(o.Name)), "/admin/organizations", err
}

func orgValues(o postgres.OrgRecord) map[string]string {
	v := map[string]string{"slug": o.Slug, "kind": o.Kind, "version": strconv.Itoa(o.Version)}
	putText(v, "name", o.Name)
	return v
}

func (ar *adminReq) orgKinds() []adminview.Option {
	return ar.options("org.kind.", contest.OrgKinds, ar.T("records.choose"))
}

// orgsPage lists the organizations; create is the add form as typed.
func (s *server) orgsPage(ar *adminReq, create adminview.Form) (adminview.OrgsPage, error) {
	orgs, err := s.store.Organizations(ar.r.Context())
	if err != nil {
		return adminview.OrgsPage{}, err
	}
	v := adminview.OrgsPage{AdminPage: ar.page("organizations", ar.T("records.orgs.title")), Create: create.Or(nil), Kinds: ar.orgKinds()}
	v.Path = "/admin/organizations"
	for _, o := range orgs {
		v.Orgs = append(v.Orgs, adminview.OrgRow{
			Slug:      o.Slug,
			Name:      ar.textIn(o.Name),
			Kind:      ar.T("org.kind." + o.Kind),
			Teams:     ar.L.Number(o.Teams),
			URL:       ar.L.URL("/admin/organizations/" + o.Slug),
			PublicURL: ar.L.URL("/organizations/" + o.Slug),
		})
	}
	return v, nil
}

// orgEditPage is the edit page of a saved organization.
func (s *server) orgEditPage(ar *adminReq, o postgres.OrgRecord) adminview.OrgEditPage {
	v := adminview.OrgEditPage{
		AdminPage: ar.page("organizations", ar.T("records.orgs.edit", "name", ar.textIn(o.Name))),
		Slug:      o.Slug,
		Edit:      savedForm(orgValues(o)),
		Kinds:     ar.orgKinds(),
		Teams:     ar.L.Number(o.Teams),
		PublicURL: ar.L.URL("/organizations/" + o.Slug),
	}
	v.Path = "/admin/organizations/" + o.Slug
	return v
}

func (s *server) handleOrgEdit(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	o, err := s.store.Organization(r.Context(), ar.param("slug"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, admin.OrgEdit(s.orgEditPage(ar, o)))
}

// handleOrgUpdate changes an organization if nobody saved it since the form
// was made.
func (s *server) handleOrgUpdate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	slug := ar.param("slug")
	var f orgForm
	return ar.submit(w, formSave{form: &f, edit: true, taken: "slug",
		write: func(ver int) (string, string, error) {
			o := f.record()
			o.Version = ver
			out, err := s.store.UpdateOrganization(r.Context(), slug, o, ar.actor())
			return ar.T("records.orgs.updated", "name", ar.textIn(out.Name)), "/admin/organizations", err
		},
		reshow: func(typed adminview.Form, ref refusal) error {
			cur, err := s.store.Organization(r.Context(), slug)
			if err != nil {
				return err
			}
			v := s.orgEditPage(ar, cur)
			v.Edit = ar.editForm(typed, ref, formFields(&f), orgValues(cur), map[string][]adminview.Option{"kind": v.Kinds})
			return reshow(s, w, ar, ref, v, nil, admin.OrgEdit)
		}})
}
