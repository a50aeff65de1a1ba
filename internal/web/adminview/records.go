package adminview

// The record-editing pages of the console: organizations, teams and their
// members, rounds with their criteria and entries, budgets and their
// allocations. Every form keeps what was typed when it is refused; an edit
// form that met a newer version of its record also carries the saved
// values next to the typed ones.

// StaleField is one field of a record that someone else saved while the
// form was open: the value typed and the value saved now.
type StaleField struct {
	Label   string
	Yours   string
	Current string
}

// Conflict says a form met a newer version of its record. Nothing was
// saved; the form keeps what was typed and now carries the new version, so
// saving it again deliberately replaces the saved values.
type Conflict struct {
	// Fields lists the fields whose saved value differs from the typed one.
	Fields []StaleField
}

// EditForm is the form of an existing record: what was typed (or the saved
// values), the refused fields, and a conflict if one happened.
type EditForm struct {
	Form
	Conflict *Conflict
}

// Open reports whether the form needs the user's attention, so a folded
// form starts unfolded.
func (e EditForm) Open() bool { return e.Invalid() || e.Conflict != nil }

// OrgsPage lists the organizations and adds new ones.
type OrgsPage struct {
	AdminPage
	Orgs   []OrgRow
	Create Form
	Kinds  []Option
}

// OrgRow is one organization of the list.
type OrgRow struct {
	Slug      string
	Name      string
	Kind      string
	Teams     string
	URL       string
	PublicURL string
}

// OrgEditPage edits one organization.
type OrgEditPage struct {
	AdminPage
	Slug      string
	Edit      EditForm
	Kinds     []Option
	Teams     string
	PublicURL string
}

// TeamsPage lists the program's teams and adds new ones.
type TeamsPage struct {
	AdminPage
	Teams  []TeamRow
	Create Form
	Orgs   []Option // lead organizations, with an empty choice first
}

// TeamRow is one team of the list.
type TeamRow struct {
	Slug      string
	Name      string
	Lead      string
	Model     string
	URL       string
	PublicURL string
}

// TeamEditPage edits a team and its consortium.
type TeamEditPage struct {
	AdminPage
	Slug        string
	Name        string
	Edit        EditForm
	Orgs        []Option // lead organizations
	Members     []MemberRow
	AddMember   Form
	MemberOrgs  []Option // organizations that may join, with an empty choice first
	Confidences []Option
	PublicURL   string
}

// MemberRow is one member organization of a team with its edit form.
type MemberRow struct {
	Org        string
	OrgName    string
	Role       string
	Period     string
	Confidence string
	Note       string
	Version    string // of the saved membership, for removing it
	Edit       EditForm
}

// RoundEditPage creates a round (New) or edits one with its criteria tree
// and entries.
type RoundEditPage struct {
	AdminPage
	New        bool
	Slug       string
	Name       string
	StatusCode string
	Status     string
	RoundURL   string // the round's workflow page
	Edit       EditForm
	Kinds      []Option
	// CopySources are the rounds a new round may copy its criteria tree
	// from, after "" (start empty); only on the new-round form.
	CopySources []Option
	// Locked explains what the round's status keeps from changing; "" when
	// everything may change.
	Locked string
	// CanEditTree says criteria and entries may change (not closed or
	// published).
	CanEditTree  bool
	Criteria     []CriterionRow
	NewCriterion Form
	Parents      []Option // "" (top level) and every criterion
	Aggregates   []Option // "" (scored directly) and the aggregates
	Entries      []EntryEditRow
	AddEntry     Form
	TeamOptions  []Option // teams not entered yet
}

// CriterionRow is one node of a round's criteria tree with its edit form.
type CriterionRow struct {
	Code   string
	Name   string
	Depth  int
	Leaf   bool
	Max    string
	Panel  string // "" when scored directly
	Scores string
	// CanDelete says the criterion has no sub-criteria and no scores; the
	// store also keeps one with published figures.
	CanDelete bool
	Version   string // of the saved criterion, for deleting it
	Edit      EditForm
	Parents   []Option // every other criterion
}

// EntryEditRow is one team entered in a round.
type EntryEditRow struct {
	Team       string
	Name       string
	StatusCode string
	Status     string
	Scores     string
	// CanRemove says no score was entered for the team.
	CanRemove bool
}

// BudgetsPage lists the fiscal years with their allocations and adds a
// year.
type BudgetsPage struct {
	AdminPage
	Budgets     []BudgetRow
	Create      Form
	CreateHint  string // the typed amount in words ("2,000억원")
	Confidences []Option
}

// BudgetRow is one fiscal year of the list.
type BudgetRow struct {
	Year        string
	Amount      string
	Confidence  string
	URL         string
	Allocations []AllocationRow
}

// BudgetEditPage edits one fiscal year's budget and its allocations.
type BudgetEditPage struct {
	AdminPage
	Year          string
	Edit          EditForm
	EditHint      string
	Confidences   []Option
	Allocations   []AllocationRow
	NewAllocation Form
	NewHint       string
	Teams         []Option // "" (program-wide) and every team
	Kinds         []Option
	FundingURL    string
}

// AllocationRow is one allocation with its edit form.
type AllocationRow struct {
	ID         string
	Team       string
	Kind       string
	GPU        string
	Quantity   string
	Amount     string
	Confidence string
	Version    string // of the saved allocation, for deleting it
	Edit       EditForm
	Hint       string
}
