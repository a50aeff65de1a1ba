package view

// OrganizationsPage lists organizations by kind.
type OrganizationsPage struct {
	Page
	Groups []OrgGroup
}

// OrgGroup is the organizations of one kind.
type OrgGroup struct {
	Kind  string
	Count string
	Orgs  []OrgRow
}

// OrgRow is an organization in the list.
type OrgRow struct {
	Org   Link
	Teams string
}

// OrganizationPage is one organization.
type OrganizationPage struct {
	Page
	Name    string
	Kind    string
	Teams   []OrgTeam
	Sources []Source
}

// OrgTeam is a consortium the organization belongs to.
type OrgTeam struct {
	Team       Link
	Role       string
	Since      string
	Marker     *Marker
	StatusCode string
	Status     string
	Detail     string
}
