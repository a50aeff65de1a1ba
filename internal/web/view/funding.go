package view

// FundingPage lists budgets and allocations.
type FundingPage struct {
	Page
	Budgets []Budget
}

// Budget is one year's funding.
type Budget struct {
	Year        string
	Amount      Amount
	Marker      *Marker
	Note        string
	Sources     []Source
	Allocations []Allocation
}
