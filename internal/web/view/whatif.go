package view

// WhatIfPage is the what-if explorer of a round: an unofficial recomputation
// with a changed rule, weights or eligibility.
type WhatIfPage struct {
	Page
	Round Link
	Name  string
	// Unavailable explains why the round cannot be simulated; "" when it can.
	Unavailable string
	Form        WhatIfForm
	// Errors are the form's errors by field name; the result is omitted
	// while there are any.
	Errors   map[string]string
	Result   *WhatIfResult
	ShareURL string
	Official Link
}

// WhatIfForm is the scenario form with the visitor's input.
type WhatIfForm struct {
	Weights          []WeightField
	Advance          string
	AdvanceOfficial  string
	Backfill         string // "on" | "off"
	BackfillOfficial string
	MinTotal         string // "" for none
	MinTotalOfficial string
	Teams            []StatusField
	// Statuses are the eligibility choices, in order.
	Statuses []Option
	Reset    string // the explorer without a scenario
}

// WeightField is a category's maximum points.
type WeightField struct {
	Name     string // form field name: "max.benchmark"
	Label    string
	Official string
	Value    string
}

// StatusField is a team's eligibility in the scenario.
type StatusField struct {
	Name     string // form field name: "status.naver-cloud"
	Team     string
	Official string // label of the official eligibility
	Value    string // eligible | disqualified | withdrew
}

// Option is a choice of a select.
type Option struct {
	Value string
	Label string
}

// WhatIfResult compares the scenario with the official result.
type WhatIfResult struct {
	Summary string
	// Changes lists what the scenario changes, in words.
	Changes []string
	Notes   []string
	Rows    []WhatIfRow
}

// WhatIfRow is a team's official and simulated result.
type WhatIfRow struct {
	Team                Link
	Slug                string
	OfficialRank        string
	OfficialOutcomeCode string
	OfficialOutcome     string
	OfficialTotal       string
	Rank                string
	OutcomeCode         string
	Outcome             string
	Total               string
	Reason              string
	Changed             bool
	ChangeNote          string
}
