package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
)

// handleScoresTemplate is a score CSV to fill in for one grid page: the
// main grid's leaves, or with ?criterion= one large panel. It has the
// import's header and one row per team, leaf and evaluator with the value
// left empty, so a 185-member panel is typed in a spreadsheet and
// uploaded rather than into 185 columns.
func (s *server) handleScoresTemplate(w http.ResponseWriter, r *http.Request) error {
	ar := s.adminBegin(r)
	criterion := r.URL.Query().Get("criterion")
	g, err := s.loadGrid(ar, chi.URLParam(r, "slug"), criterion)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	_ = cw.Write([]string{"team", "criterion", "evaluator", "value"})
	for _, e := range g.round.Entries {
		for _, l := range g.leaves {
			for _, ev := range l.evaluators() {
				evaluator := ""
				if ev > 0 {
					evaluator = strconv.Itoa(ev)
				}
				_ = cw.Write([]string{e.Team, l.Code, evaluator, ""})
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	name := g.program + "-" + g.slug + "-scores"
	if criterion != "" {
		name += "-" + criterion
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8; header=present")
	_, err = w.Write(buf.Bytes())
	return err
}
