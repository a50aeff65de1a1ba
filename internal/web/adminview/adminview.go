// Package adminview holds the view models of the staff console (/admin).
// Like the public ones in package view they are already translated and
// formatted, and hold no database rows, requests or I/O; forms carry the
// user's input and a message per refused field, so a refused form
// re-renders exactly as it was typed.
package adminview

import "github.com/kai-challenge/portal/internal/web/view"

// AdminPage is what the console's layout needs on every page.
type AdminPage struct {
	view.Page
	// AdminCSS is the content-addressed URL of the console's stylesheet.
	AdminCSS string
	// User is the signed-in staff member; nil on the sign-in and setup pages.
	User *AdminUser
	// Flash is a one-time notice after a redirect ("12 scores saved").
	Flash string
	// Notice is a message shown on top of a re-rendered page, e.g. why an
	// action was refused; NoticeKind is "error" or "ok".
	Notice     string
	NoticeKind string
}

// Refuse shows why an action was refused on top of the re-rendered page;
// an empty notice leaves the page as it is (the form says why).
func (p *AdminPage) Refuse(notice string) {
	if notice != "" {
		p.Notice, p.NoticeKind = notice, "error"
	}
}

// AdminUser is the signed-in staff member.
type AdminUser struct {
	Email   string
	RoleTxt string
	IsAdmin bool
}

// AdminNavItem is one entry of the console's navigation.
type AdminNavItem struct {
	Key     string
	Label   string
	URL     string
	Current bool
}

// adminNav is the console's navigation in order: the key (also the page's
// Section), the path, the label's message id and whether only admins see it.
var adminNav = []struct {
	key, path, label string
	adminOnly        bool
}{
	{"rounds", "/admin", "admin.nav.rounds", false},
	{"teams", "/admin/teams", "records.nav.teams", true},
	{"organizations", "/admin/organizations", "records.nav.organizations", true},
	{"budgets", "/admin/budgets", "records.nav.budgets", true},
	{"audit", "/admin/audit", "admin.nav.audit", true},
	{"users", "/admin/users", "admin.nav.users", true},
	{"password", "/admin/password", "admin.nav.password", false},
	{"mfa", "/admin/mfa", "admin.nav.mfa", false},
	{"sessions", "/admin/sessions", "admin.nav.sessions", false},
}

// AdminNav lists the console's navigation for the signed-in user: the
// record pages, the audit log and the accounts are for admins only.
func (p AdminPage) AdminNav() []AdminNavItem {
	if p.User == nil {
		return nil
	}
	var out []AdminNavItem
	for _, it := range adminNav {
		if it.adminOnly && !p.User.IsAdmin {
			continue
		}
		out = append(out, AdminNavItem{Key: it.key, Label: p.T(it.label), URL: p.URL(it.path), Current: p.Section == it.key})
	}
	return out
}

// Form is a submitted or blank form: the values as typed and a message per
// field that was refused.
type Form struct {
	Values map[string]string
	Errors map[string]string
}

// NewForm is the one way to make a form: values are its fields as typed
// or saved (nil for none), and nothing is refused yet.
func NewForm(values map[string]string) Form {
	if values == nil {
		values = map[string]string{}
	}
	return Form{Values: values, Errors: map[string]string{}}
}

// Or returns f, or a blank form with the defaults when f was never made
// (a page shown without a refused form).
func (f Form) Or(defaults map[string]string) Form {
	if f.Values == nil {
		return NewForm(defaults)
	}
	return f
}

// V returns a field's value.
func (f Form) V(name string) string { return f.Values[name] }

// E returns a field's message; "" when it is fine.
func (f Form) E(name string) string { return f.Errors[name] }

// Invalid reports whether any field was refused.
func (f Form) Invalid() bool { return len(f.Errors) > 0 }

// Option is one choice of a select.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// AdminErrorPage is a refused or failed request inside the console.
type AdminErrorPage struct {
	AdminPage
	Status  int
	Heading string
	Message string
}

// LoginPage is the sign-in form.
type LoginPage struct {
	AdminPage
	Email string
	Next  string
	Error string
}

// SetupPage creates the first admin through the one-time link.
type SetupPage struct {
	AdminPage
	Token string
	Form  Form
}

// PasswordPage changes the signed-in user's password.
type PasswordPage struct {
	AdminPage
	Form Form
}

// DashboardPage lists the rounds with their workflow state.
type DashboardPage struct {
	AdminPage
	Program string
	Rounds  []AdminRoundRow
	// Failed lists the scheduled publications that failed.
	Failed []FailedRow
	// Pending lists the requests waiting for a second admin.
	Pending []RequestRow
}

// AdminRoundRow is one round of the dashboard.
type AdminRoundRow struct {
	Slug         string
	Name         string
	URL          string
	ScoresURL    string
	HasGrid      bool // the round has criteria to score
	Kind         string
	StatusCode   string
	Status       string
	Teams        string
	Completeness string // "12 / 20"; "" when the round has no criteria
	Complete     bool
	Missing      string
	Announce     string
	Scheduled    string
	Published    string
}

// RoundAdminPage is one round's workflow page.
type RoundAdminPage struct {
	AdminPage
	Slug       string
	Name       string
	Kind       string
	StatusCode string
	Status     string
	Rule       string
	Announce   string
	Published  string
	ScoresURL  string
	// Scheduled is the scheduled publication ("" when none), ScheduledBy
	// who set it.
	Scheduled   string
	ScheduledBy string

	Complete bool
	Scored   bool
	// ShowCompleteness is true for a round still being scored.
	ShowCompleteness bool
	Completeness     string
	Missing          []MissingGroup
	MoreMissing      string

	CanClose    bool
	CanReopen   bool
	CanPublish  bool
	CanSchedule bool
	CanEdit     bool // eligibility may change (not closed, not published)
	CanDecide   bool
	CanCorrect  bool
	Schedule    Form // "at" as a datetime-local value in KST

	Entries     []EntryRow
	Eligibility Form // the refused eligibility form, for Eligibility.V("team")
	EligTeam    string

	Preview        *ResultsTable
	PreviewError   string
	StaleDecision  bool
	Decision       string // the recorded decision, in words
	Tied           []Option
	DecideForm     Form
	CorrectScore   Form
	CorrectElig    Form
	Teams          []Option
	Leaves         []Option
	StatusOptions  []Option
	Revisions      []RevisionRow
	PublicRoundURL string
	// Controls are the publication controls: pending requests, why the
	// round cannot be published yet, the disclosure.
	Controls RoundControls
}

// EntryRow is one team's eligibility in a round.
type EntryRow struct {
	Team     string
	Name     string
	Code     string
	Status   string
	ReasonKO string
	ReasonEN string
	Options  []Option
}

// ResultsTable is the computed (or published) results with the cut line.
type ResultsTable struct {
	Caption    string
	Categories []string
	Rows       []ResultRow
	Blocked    bool
	Complete   bool
	StatusCode string // preview | published | corrected
	Status     string
}

// ResultRow is one team's line of the results; CutAbove marks the first
// line below the cut.
type ResultRow struct {
	Team        string
	Name        string
	Rank        string
	Categories  []string
	Total       string
	OutcomeCode string
	Outcome     string
	Reason      string
	CutAbove    bool
}

// RevisionRow is one published revision.
type RevisionRow struct {
	Revision  string
	When      string
	Reason    string
	Change    string
	AuditHead string
	URL       string
}

// ScoresPage is the score grid of a round (or of one panel criterion).
type ScoresPage struct {
	AdminPage
	Slug       string
	RoundName  string
	RoundURL   string
	StatusCode string
	Status     string
	ReadOnly   bool
	Criterion  string // the panel criterion of this page; "" for the main grid
	Tabs       []AdminNavItem
	Completion string
	Columns    []GridColumn
	Groups     []GridGroup
	Rows       []GridRow
	Errors     int // number of refused cells
	Conflicts  int
	Action     string
	ImportURL  string
	// SumHeads head the rows' Sums columns.
	SumHeads []string
	// Pager pages through a large panel's evaluators; nil when all fit.
	Pager *GridPager
	// TemplateURL downloads a CSV to fill in for this page's leaves.
	TemplateURL string
	Import      *ImportPreview
}

// GridPager links the neighbouring pages of evaluators.
type GridPager struct {
	Label      string
	Prev, Next string // "" at either end
}

// GridGroup is a header cell spanning a criterion's columns.
type GridGroup struct {
	Label string
	Span  int
	Max   string
	Count string // entered / required for this criterion
}

// GridColumn is one column of the grid: a direct leaf or one evaluator of
// a panel leaf.
type GridColumn struct {
	Key   string
	Label string
	Max   string
}

// GridRow is one team's line of the grid.
type GridRow struct {
	Team  string
	Name  string
	Note  string // e.g. "withdrew": the team needs no scores
	Cells []GridCell
	// Sums are the row's figures after its cells: each panel's mean over
	// all its evaluators, and on the main grid the total.
	Sums []string
}

// GridCell is one input of the grid.
type GridCell struct {
	// Key is team.criterion.evaluator; the inputs are v.<key> (the value),
	// o.<key> (the value shown when the page was made) and n.<key> (its
	// version).
	Key      string
	Value    string
	Orig     string
	Version  int
	Label    string // accessible name: team · criterion · evaluator
	Error    string
	Conflict *CellConflict
	Saved    string // "by · when" of the stored value, for the title
	Missing  bool   // a required score not entered yet
}

// CellConflict shows both values of a cell someone else saved meanwhile.
type CellConflict struct {
	Yours  string
	Stored string
	By     string
	At     string
}

// ImportPreview is the dry run of a score CSV: what would change, or the
// line-numbered reasons it cannot be imported.
type ImportPreview struct {
	CSV string // the file's text, posted again to confirm
	// Base fingerprints the round's stored scores the preview was computed
	// from, posted again to confirm: a confirmation after someone else
	// changed a score is refused.
	Base    string
	Errors  []string
	New     []ImportChange
	Changed []ImportChange
	Summary string
	// Teams sums the preview per team, in the round's order.
	Teams []ImportTeam
}

// MissingGroup is a team's missing scores, one item per criterion.
type MissingGroup struct {
	Team  string
	Items []string
}

// ImportTeam is what an import would do to one team's scores.
type ImportTeam struct {
	Name                    string
	New, Changed, Unchanged int
}

// ImportChange is one score the import adds or changes.
type ImportChange struct {
	Line      string
	Team      string
	Criterion string
	Evaluator string
	Old       string
	New       string
}

// AuditPage lists audit events with filters and the chain's verification.
type AuditPage struct {
	AdminPage
	Filter   Form
	Rounds   []Option
	Actions  []Option
	Intact   bool
	Verify   string
	Events   []AuditRow
	Limited  string
	ResetURL string
}

// AuditRow is one audit event.
type AuditRow struct {
	ID     string
	At     string
	Actor  string
	Addr   string
	Action string
	Entity string
	Round  string
	Before string
	After  string
	Hash   string
	// ActionLabel names the action in the page's language; Entities are
	// the entity's parts (round, then team...) named and linked.
	ActionLabel string
	Entities    []AuditEntity
}

// AuditEntity is one part of an audit event's entity: its kind and name,
// linked to its console page when it has one.
type AuditEntity struct {
	Kind string
	Name string
	URL  string
}

// UsersPage lists staff accounts and adds new ones.
type UsersPage struct {
	AdminPage
	Users     []UserRow
	Add       Form
	Roles     []Option
	Generated string // a generated password, shown once
	NewEmail  string
}

// UserRow is one staff account.
type UserRow struct {
	ID       string
	Email    string
	Name     string
	Role     string
	Disabled bool
	Status   string
	Created  string
	Version  string
	Self     bool
	Roles    []Option
}
