package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/scorecsv"
)

// cliActor is how command-line changes appear in the audit log.
var cliActor = contest.Actor{Name: "cli"}

// withRound opens the database and resolves the program (the -program flag
// or the first program) for a round command.
func withRound(ctx context.Context, name string, args []string, e env,
	register func(*flag.FlagSet), fn func(db *database, program string, rest []string) error) error {
	var program string
	return dbCommand{
		name: name,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&program, "program", "", "program slug (default: the first program)")
			if register != nil {
				register(fs)
			}
		},
		run: func(db *database, rest []string) error {
			if program == "" {
				p, err := db.Store.DefaultProgram(ctx)
				if err != nil {
					return fmt.Errorf("no program in the database; import one first: %w", err)
				}
				program = p.Slug
			}
			return fn(db, program, rest)
		},
	}.exec(ctx, args, e)
}

func cmdScores(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] != "import" {
		return usageError("usage: portal scores import ROUND FILE.csv [--dry-run]")
	}
	var dryRun bool
	stdout := e.stdout
	return withRound(ctx, "scores import", args[1:], e, func(fs *flag.FlagSet) {
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

const roundUsage = "usage: portal round close|reopen|publish ROUND, or portal round decide ROUND --advance a,b --reason-ko … --reason-en …"

// decision is what `round decide` records: the flags of the round commands.
type decision struct {
	advance, reasonKO, reasonEN string
}

// roundActions are the round subcommands; each changes one round's status.
var roundActions = map[string]func(ctx context.Context, st *postgres.Store, program, round string, d decision, stdout io.Writer) error{
	"close": func(ctx context.Context, st *postgres.Store, program, round string, _ decision, stdout io.Writer) error {
		return report(stdout, round+": closed", st.CloseRound(ctx, program, round, cliActor))
	},
	"reopen": func(ctx context.Context, st *postgres.Store, program, round string, _ decision, stdout io.Writer) error {
		return report(stdout, round+": reopened for scoring", st.ReopenRound(ctx, program, round, cliActor))
	},
	"publish": func(ctx context.Context, st *postgres.Store, program, round string, _ decision, stdout io.Writer) error {
		rr, err := st.PublishRound(ctx, program, round, cliActor, time.Now().UTC())
		if err != nil {
			return err
		}
		return report(stdout, fmt.Sprintf("%s: published (revision %d)", round, rr.Revision), nil)
	},
	"decide": roundDecide,
}

// report prints msg when err is nil, and returns err.
func report(stdout io.Writer, msg string, err error) error {
	if err == nil {
		fmt.Fprintln(stdout, msg)
	}
	return err
}

func roundDecide(ctx context.Context, st *postgres.Store, program, round string, d decision, stdout io.Writer) error {
	if d.reasonKO == "" || d.reasonEN == "" {
		return usageError("round decide: --reason-ko and --reason-en are both required")
	}
	var teams []string
	for _, t := range strings.Split(d.advance, ",") {
		if t = strings.TrimSpace(t); t != "" {
			teams = append(teams, t)
		}
	}
	err := st.DecideRound(ctx, program, round, teams, contest.Text{KO: d.reasonKO, EN: d.reasonEN}, cliActor)
	return report(stdout, fmt.Sprintf("%s: decision recorded (advance: %s)", round, strings.Join(teams, ", ")), err)
}

func cmdRound(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return usageError(roundUsage)
	}
	action, ok := roundActions[args[0]]
	if !ok {
		return usageError(roundUsage)
	}
	var d decision
	return withRound(ctx, "round "+args[0], args[1:], e, func(fs *flag.FlagSet) {
		fs.StringVar(&d.advance, "advance", "", "round decide: teams of the tie that go through, comma separated")
		fs.StringVar(&d.reasonKO, "reason-ko", "", "round decide: the reason in Korean")
		fs.StringVar(&d.reasonEN, "reason-en", "", "round decide: the reason in English")
	}, func(db *database, program string, rest []string) error {
		if len(rest) != 1 {
			return usageError(roundUsage)
		}
		return action(ctx, db.Store, program, rest[0], d, e.stdout)
	})
}
