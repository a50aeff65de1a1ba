package adminview

// PublicationPage is the confirmation page of a publication: the results
// that would be published, what will happen, and the request or approval
// form bound to the fingerprint of exactly those results.
type PublicationPage struct {
	AdminPage
	Slug     string
	Name     string
	RoundURL string
	// Happens says in words what the button does.
	Happens string
	Rows    []PublicationRow
	// Fingerprint is the reviewed document's, sent back with the form.
	Fingerprint string
	// RequestURL is set when the viewer may request the publication.
	RequestURL string
	// Pending describes the round's pending request ("" when none);
	// ApproveURL is set when the viewer may approve it, and Own says the
	// viewer made it (and must wait for another admin).
	Pending    string
	ApproveURL string
	Own        bool
	// Stale shows the reviewed and current fingerprints after a refusal.
	Stale string
}

// FailedRow is a scheduled publication that failed at its time: it stays
// on the console until someone acts.
type FailedRow struct {
	URL     string
	Message string
}

// CorrectionPage confirms a correction: what changes for each team, and
// the form that applies (or requests) it, bound to the reviewed results.
type CorrectionPage struct {
	AdminPage
	Name     string
	RoundURL string
	Action   string
	Happens  string
	Rows     []CorrectionRow
	// Hidden are the correction's fields, the revision it corrects and
	// the fingerprint of the corrected results, sent back on confirmation.
	Hidden []Option
}

// CorrectionRow is one team's figures before and after a correction.
type CorrectionRow struct {
	Team    string
	Name    string
	Changed bool
	Total   string
	Rank    string
	Outcome string
}

// PublicationRow is one team of the results to publish.
type PublicationRow struct {
	Team    string
	Name    string
	Rank    string
	Total   string
	Outcome string
}
