package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kai-challenge/portal/internal/config"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/scorecsv"
)

// cliActor is how command-line changes appear in the audit log.
var cliActor = contest.Actor{Name: "cli"}

// withRound opens the database and resolves the program (the -program flag
// or the first program) for a round command.
func withRound(ctx context.Context, name string, args []string, getenv func(string) string, stderr io.Writer,
	register func(*flag.FlagSet), fn func(db *database, program string, rest []string) error) error {
	var program string
	cfg, rest, err := config.Load(name, args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&program, "program", "", "program slug (default: the first program)")
		if register != nil {
			register(fs)
		}
	})
	if err != nil {
		return usageError(err.Error())
	}
	db, err := openDatabase(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if program == "" {
		p, err := db.Store.DefaultProgram(ctx)
		if err != nil {
			return fmt.Errorf("no program in the database; import one first: %w", err)
		}
		program = p.Slug
	}
	return fn(db, program, rest)
}

func cmdScores(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		return usageError("usage: portal scores import ROUND FILE.csv [--dry-run]")
	}
	var dryRun bool
	return withRound(ctx, "scores import", args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&dryRun, "dry-run", false, "check and report what would change; write nothing")
	}, func(db *database, program string, rest []string) error {
		if len(rest) != 2 {
			return usageError("usage: portal scores import ROUND FILE.csv [--dry-run]")
		}
		f, err := os.Open(rest[1])
		if err != nil {
			return err
		}
		defer f.Close()
		rows, err := scorecsv.Parse(f)
		if err != nil {
			return fmt.Errorf("%s: nothing was imported:\n%w", rest[1], err)
		}
		diff, err := db.Store.ImportScores(ctx, program, rest[0], rows, cliActor, dryRun, "")
		if err != nil {
			return fmt.Errorf("%s: nothing was imported:\n%w", rest[1], err)
		}
		verb := "imported"
		if dryRun {
			verb = "dry run, nothing written; would import"
		}
		fmt.Fprintf(stdout, "%s %s: %d new, %d changed, %d unchanged\n", verb, rest[0], len(diff.New), len(diff.Changed), diff.Unchanged)
		for _, c := range diff.New {
			fmt.Fprintf(stdout, "  new      line %d: %s %s%s = %s\n", c.Line, c.Team, c.Criterion, evalSuffix(c.Evaluator), c.New)
		}
		for _, c := range diff.Changed {
			fmt.Fprintf(stdout, "  changed  line %d: %s %s%s %s → %s\n", c.Line, c.Team, c.Criterion, evalSuffix(c.Evaluator), c.Old, c.New)
		}
		return nil
	})
}

func evalSuffix(e int) string {
	if e == 0 {
		return ""
	}
	return fmt.Sprintf(" #%d", e)
}

func cmdResults(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var asJSON bool
	return withRound(ctx, "results", args, getenv, stderr, func(fs *flag.FlagSet) {
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
			_, err = fmt.Fprintf(stdout, "%s\n", b)
			return err
		}
		writeResultsTable(stdout, rr)
		return nil
	})
}

func writeResultsTable(w io.Writer, rr postgres.RoundResults) {
	rep := rr.Report
	fmt.Fprintf(w, "%s / %s — %s (%s)\n", rep.Program, rep.Round, rr.Info.Name.EN, rep.Status)
	if rr.Announced {
		fmt.Fprintln(w, "outcomes as announced; figures not published are shown as —")
	}
	var cats []string
	if rr.Input != nil {
		for _, c := range rr.Input.Criteria {
			cats = append(cats, c.Code)
		}
	} else {
		seen := map[string]bool{}
		for _, t := range rep.Teams {
			for c := range t.Categories {
				if !seen[c] {
					seen[c] = true
					cats = append(cats, c)
				}
			}
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "RANK\tTEAM\t%s\tTOTAL\tOUTCOME\tREASON\n", strings.Join(upper(cats), "\t"))
	for _, t := range rep.Teams {
		rank := "—"
		if t.Rank != nil {
			rank = fmt.Sprint(*t.Rank)
		}
		cells := make([]string, len(cats))
		for i, c := range cats {
			cells[i] = orDash(t.Categories[c])
		}
		total := "—"
		if t.Total != nil {
			total = *t.Total
		}
		outcome := "(undecided)"
		if t.Outcome != nil {
			outcome = string(*t.Outcome)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", rank, t.Team, strings.Join(cells, "\t"), total, outcome, t.Reason.EN)
	}
	tw.Flush()
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

func cmdRound(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const use = "usage: portal round close|reopen|publish ROUND, or portal round decide ROUND --advance a,b --reason-ko … --reason-en …"
	if len(args) == 0 {
		return usageError(use)
	}
	action := args[0]
	switch action {
	case "close", "reopen", "publish", "decide":
	default:
		return usageError(use)
	}
	var advance, reasonKO, reasonEN string
	return withRound(ctx, "round "+action, args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&advance, "advance", "", "round decide: teams of the tie that go through, comma separated")
		fs.StringVar(&reasonKO, "reason-ko", "", "round decide: the reason in Korean")
		fs.StringVar(&reasonEN, "reason-en", "", "round decide: the reason in English")
	}, func(db *database, program string, rest []string) error {
		if len(rest) != 1 {
			return usageError(use)
		}
		round := rest[0]
		switch action {
		case "close":
			if err := db.Store.CloseRound(ctx, program, round, cliActor); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s: closed\n", round)
		case "reopen":
			if err := db.Store.ReopenRound(ctx, program, round, cliActor); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s: reopened for scoring\n", round)
		case "publish":
			rr, err := db.Store.PublishRound(ctx, program, round, cliActor, time.Now().UTC())
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s: published (revision %d)\n", round, rr.Revision)
		case "decide":
			if reasonKO == "" || reasonEN == "" {
				return usageError("round decide: --reason-ko and --reason-en are both required")
			}
			var teams []string
			for _, t := range strings.Split(advance, ",") {
				if t = strings.TrimSpace(t); t != "" {
					teams = append(teams, t)
				}
			}
			if err := db.Store.DecideRound(ctx, program, round, teams, contest.Text{KO: reasonKO, EN: reasonEN}, cliActor); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s: decision recorded (advance: %s)\n", round, strings.Join(teams, ", "))
		default:
			return usageError(use)
		}
		return nil
	})
}
