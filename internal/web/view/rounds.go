package view

// RoundsPage lists the rounds.
type RoundsPage struct {
	Page
	Rounds []RoundRow
}

// RoundFacts are what the list of rounds and a round's page both say of
// a round: its kind, period, dates and status.
type RoundFacts struct {
	Kind       string
	Period     string
	Evaluated  string
	Announced  string
	StatusCode string
	Status     string
}

// RoundRow is a round in the list.
type RoundRow struct {
	RoundFacts
	Round    Link
	Entrants string
	Through  string // "" when not published
}

// RoundPage is one round.
type RoundPage struct {
	Page
	RoundFacts
	// Downloads link the data behind the page (CSV, JSON).
	Downloads   []Link
	Name        string
	Published   bool
	PublishedAt string
	Rule        Rule
	Criteria    []Criterion
	Entries     []Entry
	Scores      *ScoreTable // nil when nothing was published
	Stats       *ScoreTable // nil when no statistic was published
	Outcomes    []Outcome
	Note        string
	Sources     []Source
	// Results holds the computed results and how they were computed, once
	// the round's results are computed by the rule engine; nil until then
	// and for rounds whose results were only announced.
	Results *RoundResultsView
	// WhatIf links the what-if explorer of a published round; Examples are
	// ready-made scenarios (restoring a disqualified team, …).
	WhatIf   Link
	Examples []Link
	// Computations link each team's computation when the round is too
	// large to show every evaluator's score on its page (Results.Teams is
	// then empty).
	Computations []Link
	// Aggregates are the averages and ranges the portal computes over the
	// ranked teams, at the aggregates and full disclosure levels.
	Aggregates *ScoreTable
	// Disclosure names what the round discloses; Disclosures is its dated
	// history, oldest first.
	Disclosure  string
	Disclosures []DisclosureStep
	Objections  []Objection
}

// Rule states how the round decides.
type Rule struct {
	Places   string // e.g. "4개 팀 통과"
	Backfill string
	MinTotal string // "" when none
}

// Criterion is a row of the criteria table.
type Criterion struct {
	Code        string
	Name        string
	Depth       int
	Max         string
	Panel       string // "평가위원 10명 · 평균"; "" for directly scored criteria
	Description string
	Note        string
}

// Entry is a team's entry in a round.
type Entry struct {
	Team        Link
	Code        string // eligible | disqualified | withdrew; "" when not published
	Eligibility string
	Reason      string
}

// ScoreTable is a table of figures: one row per team (or statistic), one
// column per criterion and the total.
type ScoreTable struct {
	Caption string
	Head    string // heading of the row-header column
	Columns []ScoreColumn
	Rows    []ScoreRow
}

// ScoreColumn is a criterion column.
type ScoreColumn struct {
	Code  string
	Name  string
	Max   string
	Depth int
	Total bool
}

// ScoreRow is a row of figures; Head is the team or the statistic.
type ScoreRow struct {
	Head  Link
	Code  string // team slug or statistic
	Cells []Cell
	// Sources cite the row's published figures.
	Sources []Source
}

// DisclosureStep is a dated step of a round's staged disclosure.
type DisclosureStep struct {
	Date    string
	Level   string
	Note    string
	Sources []Source
}

// Objection is a formal objection (이의신청) against a round's results.
type Objection struct {
	Team       Link
	Round      Link
	Filed      string
	Summary    string
	StatusCode string // pending | upheld | rejected | withdrawn
	Status     string
	Due        string // "" when no date was announced
	Decided    string // "" while pending
	Decision   string
	Sources    []Source
}

// ComputationPage shows how one team's total in a large round was
// computed, leaf by leaf and evaluator by evaluator.
type ComputationPage struct {
	Page
	Round   Link
	Title   string
	Results *RoundResultsView // Method and the team's computation only
	WhatIf  Link
}
