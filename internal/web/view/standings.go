package view

// StandingsPage is the current field.
type StandingsPage struct {
	Page
	In  []Standing
	Out []Standing
}

// Standing is a team in the standings.
type Standing struct {
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
