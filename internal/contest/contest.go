// Package contest holds the portal's domain vocabulary: bilingual text, the
// kinds and statuses of rounds, entries and outcomes, and the sentinel errors
// every layer uses. It has no SQL and no HTTP.
package contest

// Text is a string in Korean and English.
type Text struct {
	KO string `json:"ko"`
	EN string `json:"en"`
}

// In returns the text in lang ("ko" or "en"), falling back to the other language.
func (t Text) In(lang string) string {
	if lang == "en" {
		if t.EN != "" {
			return t.EN
		}
		return t.KO
	}
	if t.KO != "" {
		return t.KO
	}
	return t.EN
}

// IsZero reports whether both languages are empty.
func (t Text) IsZero() bool { return t.KO == "" && t.EN == "" }

// Round kinds.
const (
	KindSelection  = "selection"
	KindStage      = "stage"
	KindAdditional = "additional"
)

// Round statuses, in workflow order.
const (
	StatusDraft     = "draft"
	StatusScoring   = "scoring"
	StatusClosed    = "closed"
	StatusPublished = "published"
	StatusCorrected = "corrected"
)

// Entry statuses (eligibility).
const (
	EntryEligible     = "eligible"
	EntryDisqualified = "disqualified"
	EntryWithdrew     = "withdrew"
)

// Outcomes of a team in a round.
const (
	OutcomeSelected     = "selected"
	OutcomeNotSelected  = "not_selected"
	OutcomeAdvanced     = "advanced"
	OutcomeEliminated   = "eliminated"
	OutcomeDisqualified = "disqualified"
	OutcomeWithdrew     = "withdrew"
)

// Confidence of a public fact.
const (
	Confirmed   = "confirmed"
	Reported    = "reported"
	Conflicting = "conflicting"
)

// OrgKinds lists the valid organization kinds.
var OrgKinds = []string{"company", "startup", "university", "research_institute", "public_body", "other"}

// AllocationKinds lists the valid kinds of support.
var AllocationKinds = []string{"gpu", "data", "talent", "funding", "other"}

// Aggregates lists the valid panel aggregation methods.
var Aggregates = []string{"mean", "median", "trimmed_mean"}

// Published reports whether a round status makes its results public.
func Published(status string) bool { return status == StatusPublished || status == StatusCorrected }

// Actor is who made a change and from where, as the audit log records it.
type Actor struct {
	// Name is a staff member's email, or "cli" / "import" / "scheduler".
	Name string
	// Addr is the client address of a web request; empty for the CLI.
	Addr string
}
