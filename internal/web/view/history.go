package view

import (
	"github.com/kai-challenge/portal/internal/web/chart"
)

// HistoryPage is the elimination history.
type HistoryPage struct {
	Page
	Summary []Stat
	// Path is the whole path in one line: "15 → 10 → 5 → 3 + 1 → 4".
	Path    string
	Diagram *chart.Lifelines
	Steps   []HistoryStep
}

// HistoryStep is one item of the history, in date order: the call, a
// decision round, a timeline event or an upcoming round.
type HistoryStep struct {
	Kind    string // "call" | "round" | "event" | "upcoming"
	Date    string
	Title   string
	Round   Link
	Marker  *Marker
	Facts   []Stat
	Exits   []Outcome
	Joins   []Outcome
	Note    string
	Sources []Source
	// Objections are the formal objections against a published round.
	Objections []HistoryObjection
}

// HistoryObjection is an objection noted at its round in the history:
// who filed it when and where it stands, linked to the round's objections.
type HistoryObjection struct {
	Text       string
	Decision   string // the reason, once decided
	StatusCode string
	URL        string
}
