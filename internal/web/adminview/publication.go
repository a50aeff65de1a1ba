package adminview

// PublicationPage is the confirmation page of a publication: the results
// that would be published, what will happen, and the request or approval
// form bound to the fingerprint of exactly those results.
type PublicationPage struct {
	ConfirmPage
	Rows []PublicationRow
	// Fingerprint is the fingerprint of the results shown.
	Fingerprint string
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
	ConfirmPage
	Rows []CorrectionRow
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
