package view

// StandingsPage is the current field.
type StandingsPage struct {
	Page
	In  []Standing
	Out []Standing
}

// Standing is a team in the standings.
type Standing struct {
	// Rank is the place of a team still in ("1", "2", …; ties share one);
	// RankRound is the published round it is ranked by and RankDate the
	// date of that publication. All empty for a team out.
	Rank         string
	RankRound    Link
	RankDate     string
	Team         Link
	Lead         Link
	StatusCode   string
	Status       string
	Round        Link // the round of the latest outcome (for teams out: the round it left)
	When         string
	OutcomeCode  string
	Outcome      string
	Reason       string
	Figures      []Figure
	FiguresRound Link
	// Sources cite the outcome; FigureSources the published figures.
	Sources       []Source
	FigureSources []Source
}
