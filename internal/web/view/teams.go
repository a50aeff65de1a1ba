package view

import (
	"github.com/kai-challenge/portal/internal/web/chart"
)

// TeamsPage lists the teams in groups.
type TeamsPage struct {
	Page
	Groups []TeamGroup
}

// TeamGroup is competing, out, not selected or applicants.
type TeamGroup struct {
	Code  string
	Title string
	Intro string
	Teams []TeamRow
}

// TeamRow is a team in a list.
type TeamRow struct {
	Team        Link
	Lead        Link
	Model       string
	Members     string
	Round       Link
	OutcomeCode string
	Outcome     string
	Reason      string
	// Sources cite the outcome.
	Sources []Source
}

// TeamPage is one team.
type TeamPage struct {
	Page
	// Downloads link the data behind the page (CSV, JSON).
	Downloads    []Link
	Name         string
	StatusCode   string
	Status       string
	StatusDetail string
	Lead         Link
	LeadKind     string
	Model        string
	ModelNote    string
	Goal         string
	Note         string
	MemberCount  string
	MemberGroups []MemberGroup
	Rounds       []TeamRound
	Support      []Allocation
	Sources      []Source
	// Chart is the team's points per scored round against the round
	// average and the cut; nil when the team took part in no scored round.
	Chart *chart.Team
	// ChartRows are the chart's figures as a table.
	ChartRows   []TeamChartRow
	ChartSeries []string
	ChartNotes  []string
	// Objections are the formal objections the team filed.
	Objections []Objection
}

// TeamChartRow is one round of the team chart as text.
type TeamChartRow struct {
	Round    Link
	Cells    []Cell // category points, in ChartSeries order
	Total    Cell
	Mean     Cell
	Cut      Cell
	Outcome  string
	Disclose bool
}

// MemberGroup is the consortium members of one organization kind.
type MemberGroup struct {
	Kind    string
	Members []Member
}

// Member is a consortium member.
type Member struct {
	Org     Link
	Role    string
	Since   string
	Until   string
	Marker  *Marker
	Note    string
	Sources []Source
}

// TeamRound is a round the team entered.
type TeamRound struct {
	Slug        string // round slug
	Round       Link
	Kind        string
	When        string
	Published   bool
	Status      string // round status label
	Eligibility string // "" when eligible or not published
	EntryReason string
	Outcome     *Outcome
	Figures     []Figure
	// Joined marks the round the team joined the running through (an
	// additional call); Exited the round it left.
	Joined bool
	Exited bool
	Marker string
	// Sources cite the published figures.
	FigureSources []Source
}
