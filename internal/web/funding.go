package web

import (
	"net/http"
	"strconv"

	"github.com/kai-challenge/portal/internal/web/view"
	"github.com/kai-challenge/portal/web/pages"
)

// handleFunding lists the budgets by year with the support they fund.
// Amounts that were never disclosed say so.
func (s *server) handleFunding(w http.ResponseWriter, r *http.Request) error {
	pr, budgets, err := load(s, r, s.store.PublicFunding)
	if err != nil {
		return err
	}
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
	return s.render(w, r, http.StatusOK, pages.Funding(v))
}
