package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
)

// cmdResults prints a round's results as a table, or as the results
// document with --json.
func cmdResults(ctx context.Context, args []string, e env) error {
	var asJSON bool
	return withRound(ctx, "results", args, e, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print the results document (JSON)")
	}, func(db *database, program string, rest []string) error {
		if len(rest) != 1 {
			return usageError("usage: portal results ROUND [--json]")
		}
		rr, err := db.Store.Results(ctx, program, rest[0])
		if err != nil {
			return err
		}
		if asJSON {
			b, err := json.MarshalIndent(rr.Report, "", "  ")
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(e.stdout, "%s\n", b)
			return err
		}
		writeResultsTable(e.stdout, rr)
		return nil
	})
}

func writeResultsTable(w io.Writer, rr postgres.RoundResults) {
	rep := rr.Report
	fmt.Fprintf(w, "%s / %s — %s (%s)\n", rep.Program, rep.Round, rr.Info.Name.EN, rep.Status)
	if rr.Announced {
		fmt.Fprintln(w, "outcomes as announced; figures not published are shown as —")
	}
	if r := rr.Info.Rounding.Normalized(); r.Decimals != 2 || r.Level != rules.RoundCategory || rr.Info.Disclosure != postgres.DisclosureFull {
		unit := "decimals"
		if r.Decimals == 1 {
			unit = "decimal"
		}
		fmt.Fprintf(w, "rounding: %d %s, %s level; discloses: %s\n", r.Decimals, unit, r.Level, rr.Info.Disclosure)
	}
	cats := resultCategories(rr)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "RANK\tTEAM\t%s\tTOTAL\tOUTCOME\tREASON\n", strings.Join(upper(cats), "\t"))
	for _, t := range rep.Teams {
		cells := make([]string, len(cats))
		for i, c := range cats {
			cells[i] = orDash(t.Categories[c])
		}
		rank := "—"
		if t.Rank != nil {
			rank = fmt.Sprint(*t.Rank)
		}
		outcome := "(undecided)"
		if t.Outcome != nil {
			outcome = string(*t.Outcome)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", rank, t.Team, strings.Join(cells, "\t"), orDash(deref(t.Total)), outcome, t.Reason.EN)
	}
	tw.Flush()
	writeResultsNotes(w, rr)
}

// resultCategories are the columns of the results table: the round's
// criteria, or for an announced round without them, the categories its
// teams carry, in order of first appearance.
func resultCategories(rr postgres.RoundResults) []string {
	var cats []string
	if rr.Input != nil {
		for _, c := range rr.Input.Criteria {
			cats = append(cats, c.Code)
		}
		return cats
	}
	seen := map[string]bool{}
	for _, t := range rr.Report.Teams {
		for c := range t.Categories {
			if !seen[c] {
				seen[c] = true
				cats = append(cats, c)
			}
		}
	}
	return cats
}

// writeResultsNotes says below the table why the results are not final.
func writeResultsNotes(w io.Writer, rr postgres.RoundResults) {
	rep := rr.Report
	if rr.NoCriteria {
		fmt.Fprintln(w, "no criteria defined yet: nothing to compute")
	} else if !rep.Complete {
		fmt.Fprintf(w, "incomplete: %d required score(s) missing\n", len(rep.Missing))
	}
	if rep.Blocked && rep.Complete {
		fmt.Fprintln(w, "blocked: a tie straddles the cut; record a decision with `portal round decide`")
	}
	if rr.StaleDecision {
		fmt.Fprintln(w, "note: the recorded tie decision no longer applies and was ignored")
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func upper(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.ToUpper(x)
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
