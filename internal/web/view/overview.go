package view

// OverviewPage is the home page.
type OverviewPage struct {
	Page
	Program    ProgramSummary
	StillIn    []TeamCard
	Next       *NextRound
	Latest     *Decision
	Counts     []Stat
	QuickLinks []Link
	Sources    []Source
}

// ProgramSummary is the program's header.
type ProgramSummary struct {
	Name       string
	Ministry   string
	Agencies   []string
	Goal       string
	Note       string
	FinalTeams string
	StartedOn  string
}

// Stat is a labelled number.
type Stat struct {
	Label string
	Value string
	URL   string
}

// TeamCard is a team still in the competition.
type TeamCard struct {
	Team      Link
	Lead      Link
	Model     string
	LastRound Link
	// Total is the team's latest published total; "" when none was published.
	Total      string
	TotalRound Link
	// TotalSources cite the total.
	TotalSources []Source
}

// NextRound is the next round that is not published yet.
type NextRound struct {
	Round    Link
	Kind     string
	Period   string
	When     string // planned evaluation or announcement date; "" when unknown
	Note     string
	Entrants string
	Places   string
}

// Decision is the most recent published round and its outcomes.
type Decision struct {
	Round    Link
	When     string
	Summary  string
	Outcomes []Outcome
}
