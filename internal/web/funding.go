package web

import (
	"strconv"

	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/view"
)

// fundingPage lists the budgets by year with the support they fund.
// Amounts that were never disclosed say so.
func (pr *pageReq) fundingPage(budgets []postgres.PublicBudget) (view.FundingPage, error) {
	v := view.FundingPage{Page: pr.page("funding", pr.T("nav.funding"))}
	for _, b := range budgets {
		bv := view.Budget{
			Year:    strconv.Itoa(b.Year),
			Amount:  pr.money(b.AmountKRW),
			Marker:  pr.marker(b.Confidence),
			Note:    pr.L.Text(b.Note),
			Sources: pr.sources(b.Sources),
		}
		for _, a := range b.Allocations {
			bv.Allocations = append(bv.Allocations, pr.allocation(a))
		}
		v.Budgets = append(v.Budgets, bv)
	}
	return v, nil
}
