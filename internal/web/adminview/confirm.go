package adminview

// ConfirmPage is the one confirmation page of the console's irreversible
// actions (close, schedule, publish, approve, correct, widen a disclosure,
// change a role): it says in words what will happen, lists the facts the
// action binds to, and offers the forms that do it. When the action cannot
// be done now, Refused says why and no form is offered.
type ConfirmPage struct {
	AdminPage
	// Heading is the page's title; BackURL and BackLabel lead back to
	// what the action is about (a round, the users).
	Heading   string
	BackURL   string
	BackLabel string
	// Notices are shown above the facts (a pending request, stale
	// results), each with its test hook.
	Notices []ConfirmNotice
	// Facts are what the action binds to, as label and value.
	Facts []ConfirmFact
	// Happens says what the button does; Irreversible adds that it cannot
	// be undone.
	Happens      string
	Irreversible bool
	// Refused says why the action cannot be done now ("" when it can).
	Refused string
	// Forms are the actions offered, the first one primary.
	Forms []ConfirmForm
}

// ConfirmNotice is one notice of a confirmation page.
type ConfirmNotice struct {
	TestID string
	Text   string
}

// ConfirmFact is one labelled fact of a confirmation page.
type ConfirmFact struct {
	TestID string
	Label  string
	Value  string
}

// ConfirmForm is one form of a confirmation page: where it posts, the
// values it sends back, and its button.
type ConfirmForm struct {
	TestID   string
	Action   string
	Hidden   []Option
	Submit   string
	SubmitID string
	Primary  bool
}

// Notice adds a notice to the page.
func (p *ConfirmPage) Notice(testID, text string) {
	if text != "" {
		p.Notices = append(p.Notices, ConfirmNotice{TestID: testID, Text: text})
	}
}

// Fact adds a fact to the page.
func (p *ConfirmPage) Fact(testID, label, value string) {
	p.Facts = append(p.Facts, ConfirmFact{TestID: testID, Label: label, Value: value})
}

// Offer adds a form to the page; the first one offered is the primary.
func (p *ConfirmPage) Offer(f ConfirmForm) {
	f.Primary = len(p.Forms) == 0
	p.Forms = append(p.Forms, f)
}

// Hidden is a form's values in order, from name and value pairs.
func Hidden(pairs ...string) []Option {
	out := make([]Option, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, Option{Value: pairs[i], Label: pairs[i+1]})
	}
	return out
}

// RequestRow is a pending publication or correction request, for the
// notices of the dashboard and the round page.
type RequestRow struct {
	ID      string
	Message string
	// ReviewURL shows the request (with the approval for another admin);
	// WithdrawURL is set for the viewer's own request.
	ReviewURL   string
	WithdrawURL string
	Own         bool
}

// RoundControls are a round page's publication controls besides the
// workflow buttons.
type RoundControls struct {
	// Pending lists the round's requests waiting for a second admin.
	Pending []RequestRow
	// NotReady says why a closed round cannot be published or scheduled
	// yet (missing scores, an undecided tie at the cut).
	NotReady string
	// CanDisclose offers widening what a published round discloses, from
	// Disclosure (the current level) to one of DisclosureLevels.
	CanDisclose      bool
	Disclosure       string
	DisclosureLevels []Option
	Disclose         Form
}
