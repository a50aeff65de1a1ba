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
	v := adminview.OrgsPage{AdminPage: ar.page("organizations", ar.T("records.orgs.title")), Create: create, Kinds: ar.orgKinds()}
	v.Path = "/admin/organizations"
	v.Create = create.Or(nil)
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

func (s *server) handleOrgs(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	v, err := s.orgsPage(ar, adminview.Form{})
	return show(s, w, r, v, err, admin.Orgs)
}

// handleOrgCreate adds an organization.
func (s *server) handleOrgCreate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	var f orgForm
	return ar.submit(w, formSave{form: &f, taken: "slug",
		write: func(int) (string, string, error) {
			o, err := s.store.CreateOrganization(r.Context(), f.record(), ar.actor())
			return ar.T("records.orgs.created", "name", ar.textIn(o.Name)), "/admin/organizations", err
		},
		reshow: func(typed adminview.Form, ref refusal) error {
			v, err := s.orgsPage(ar, typed)
			return reshow(s, w, ar, ref, v, err, admin.Orgs)
		}})
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
	o, err := s.store.Organization(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, admin.OrgEdit(s.orgEditPage(ar, o)))
}

// handleOrgUpdate changes an organization if nobody saved it since the form
// was made.
func (s *server) handleOrgUpdate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	slug := chi.URLParam(r, "slug")
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
