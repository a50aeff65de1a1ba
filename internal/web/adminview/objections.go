package adminview

// ObjectionsLink is the address of a round's objections page, linked from
// the round's workflow page: only a published round has results to object
// to, and only admins record and decide objections; "" otherwise.
func (p RoundAdminPage) ObjectionsLink() string {
	if p.PublicRoundURL == "" || p.User == nil || !p.User.IsAdmin {
		return ""
	}
	return p.URL("/admin/rounds/" + p.Slug + "/objections")
}

// ObjectionsPage lists the formal objections (이의신청) against a round and
// files a new one.
type ObjectionsPage struct {
	AdminPage
	Slug      string
	RoundName string
	RoundURL  string // the round's workflow page
	PublicURL string // the round's public page
	Rows      []ObjectionRow
	// File is the filing form as typed (team, filed_on, summary_ko,
	// summary_en, decision_due, sources: one URL a line).
	File  Form
	Teams []Option
}

// ObjectionRow is one objection as staff see it: who decided it included.
type ObjectionRow struct {
	ID         string
	Team       string
	Filed      string
	Summary    string
	Due        string
	StatusCode string
	Status     string
	Decided    string
	Decision   string
	DecidedBy  string
	Sources    []string
	// DecideURL is the page that decides the objection; "" once decided.
	DecideURL string
}

// ObjectionDecidePage decides one pending objection.
type ObjectionDecidePage struct {
	AdminPage
	Slug       string
	RoundName  string
	ListURL    string
	RoundURL   string
	Objection  ObjectionRow
	Form       EditForm // status, decided_on, decision_ko, decision_en, version
	Statuses   []Option
	Undecided  bool
	Correction string // what to do when the objection is upheld
}
