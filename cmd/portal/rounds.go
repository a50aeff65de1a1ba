package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kai-challenge/portal/internal/auth"
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

const roundUsage = `usage: portal round close|reopen ROUND
       portal round publish|request ROUND --as EMAIL [--at TIME]
       portal round approve ROUND --as EMAIL [--fingerprint FP]
       portal round correct ROUND --as EMAIL --team T (--criterion C [--evaluator N] --value V | --status S)
                            --reason-ko … --reason-en … [--fingerprint FP]
       portal round decide ROUND --advance a,b --reason-ko … --reason-en …`

// roundFlags are the flags of the round commands.
type roundFlags struct {
	as, at, fingerprint         string
	advance, reasonKO, reasonEN string
	team, criterion, value      string
	status, statusKO, statusEN  string
	decisionKO, decisionEN      string
	evaluator, revision         int
}

func (f *roundFlags) register(fs *flag.FlagSet) {
	for _, v := range []struct {
		p           *string
		name, usage string
	}{
		{&f.as, "as", "the acting admin's email (publish, request, approve, correct)"},
		{&f.at, "at", "request/publish: publish at this time (RFC 3339) instead of at once"},
		{&f.fingerprint, "fingerprint", "approve/correct: the fingerprint of the results reviewed"},
		{&f.advance, "advance", "decide, correct: teams of the tie that go through, comma separated"},
		{&f.reasonKO, "reason-ko", "decide, correct: the reason in Korean"},
		{&f.reasonEN, "reason-en", "decide, correct: the reason in English"},
		{&f.team, "team", "correct: the team"},
		{&f.criterion, "criterion", "correct: the criterion of the corrected score"},
		{&f.value, "value", "correct: the corrected score"},
		{&f.status, "status", "correct: the team's corrected eligibility"},
		{&f.statusKO, "status-reason-ko", "correct: the reason for a disqualification, in Korean"},
		{&f.statusEN, "status-reason-en", "correct: the reason for a disqualification, in English"},
		{&f.decisionKO, "decision-ko", "correct: the reason of the new tie decision, in Korean"},
		{&f.decisionEN, "decision-en", "correct: the reason of the new tie decision, in English"},
	} {
		fs.StringVar(v.p, v.name, "", v.usage)
	}
	fs.IntVar(&f.evaluator, "evaluator", 0, "correct: the evaluator of the corrected score (panel criteria)")
	fs.IntVar(&f.revision, "revision", 0, "correct: the revision corrected (default: the latest)")
}

// roundCmd is one round subcommand.
type roundCmd func(ctx context.Context, st *postgres.Store, program, round string, f roundFlags, stdout io.Writer) error

// roundActions are the round subcommands.
var roundActions = map[string]roundCmd{
	"close": func(ctx context.Context, st *postgres.Store, program, round string, f roundFlags, stdout io.Writer) error {
		actor, err := optionalActor(ctx, st, f.as)
		if err != nil {
			return err
		}
		return report(stdout, round+": closed", st.CloseRound(ctx, program, round, actor))
	},
	"reopen": func(ctx context.Context, st *postgres.Store, program, round string, f roundFlags, stdout io.Writer) error {
		actor, err := optionalActor(ctx, st, f.as)
		if err != nil {
			return err
		}
		return report(stdout, round+": reopened for scoring", st.ReopenRound(ctx, program, round, actor))
	},
	"publish": func(ctx context.Context, st *postgres.Store, program, round string, f roundFlags, stdout io.Writer) error {
		return roundRequest(ctx, st, program, round, f, stdout, true)
	},
	"request": func(ctx context.Context, st *postgres.Store, program, round string, f roundFlags, stdout io.Writer) error {
		return roundRequest(ctx, st, program, round, f, stdout, false)
	},
	"approve": roundApprove,
	"correct": roundCorrect,
	"decide":  roundDecide,
}

// report prints msg when err is nil, and returns err.
func report(stdout io.Writer, msg string, err error) error {
	if err == nil {
		fmt.Fprintln(stdout, msg)
	}
	return err
}

// optionalActor is the --as admin when given, and otherwise cliActor.
func optionalActor(ctx context.Context, st *postgres.Store, email string) (contest.Actor, error) {
	if email == "" {
		return cliActor, nil
	}
	return adminActor(ctx, st, email)
}

// adminActor is the enabled admin account named by --as, as the audit log
// records it: the email, from the command line.
func adminActor(ctx context.Context, st *postgres.Store, email string) (contest.Actor, error) {
	if email == "" {
		return contest.Actor{}, usageError("--as EMAIL is required: name the acting admin account")
	}
	u, _, err := st.UserByEmail(ctx, email)
	if errors.Is(err, contest.ErrNotFound) {
		return contest.Actor{}, fmt.Errorf("--as %s: no such account", email)
	}
	if err != nil {
		return contest.Actor{}, err
	}
	if u.Role != auth.RoleAdmin || u.Disabled {
		return contest.Actor{}, fmt.Errorf("--as %s: not an enabled admin account", email)
	}
	return contest.Actor{Name: u.Email, Addr: cliAddr}, nil
}

// cliAddr is the client address the audit log records for changes made
// from the command line.
const cliAddr = "cli"

// roundRequest publishes (or, with two approvals, requests the
// publication of) the results the inputs produce now, bound to their
// fingerprint. publish refuses when the program requires two approvals.
func roundRequest(ctx context.Context, st *postgres.Store, program, round string, f roundFlags, stdout io.Writer, publish bool) error {
	actor, err := adminActor(ctx, st, f.as)
	if err != nil {
		return err
	}
	var at time.Time
	if f.at != "" {
		if at, err = time.Parse(time.RFC3339, f.at); err != nil {
			return usageError("--at: want a time like 2026-08-10T14:00:00+09:00")
		}
	}
	p, err := st.PublicationPreview(ctx, program, round)
	if err != nil {
		return err
	}
	if publish && p.Approvals > 1 {
		return fmt.Errorf("%s: %w (portal round request, then portal round approve by another admin)", round, contest.ErrApprovalRequired)
	}
	req, err := st.RequestPublication(ctx, program, round, p.Fingerprint, at, actor, time.Now().UTC())
	if err != nil {
		return err
	}
	switch {
	case req.Status == contest.RequestPending:
		fmt.Fprintf(stdout, "%s: publication requested (request %d, fingerprint %s); another admin must approve it: portal round approve %s --as EMAIL\n",
			round, req.ID, req.Fingerprint, round)
	case req.Revision == 0 && req.PublishAt != nil:
		fmt.Fprintf(stdout, "%s: scheduled for %s (fingerprint %s)\n", round, req.PublishAt.Format(time.RFC3339), req.Fingerprint)
	default:
		fmt.Fprintf(stdout, "%s: published (revision %d, fingerprint %s)\n", round, req.Revision, req.Fingerprint)
	}
	return nil
}

// pendingRequest is the round's pending request.
func pendingRequest(ctx context.Context, st *postgres.Store, program, round string) (postgres.PublicationRequest, error) {
	reqs, err := st.PublicationRequests(ctx, program, round)
	if err != nil {
		return postgres.PublicationRequest{}, err
	}
	for _, q := range reqs {
		if q.Status == contest.RequestPending {
			return q, nil
		}
	}
	return postgres.PublicationRequest{}, fmt.Errorf("%s: no pending request to approve", round)
}

// roundApprove approves the round's pending request as --as, for the
// results --fingerprint names or, without it, the results the inputs
// produce now (which must be the requested ones).
func roundApprove(ctx context.Context, st *postgres.Store, program, round string, f roundFlags, stdout io.Writer) error {
	actor, err := adminActor(ctx, st, f.as)
	if err != nil {
		return err
	}
	q, err := pendingRequest(ctx, st, program, round)
	if err != nil {
		return err
	}
	fp := f.fingerprint
	if fp == "" {
		var p postgres.Preview
		if q.Kind == contest.RequestCorrect {
			p, err = st.CorrectionPreview(ctx, program, round, *q.Correction)
		} else {
			p, err = st.PublicationPreview(ctx, program, round)
		}
		if err != nil {
			return err
		}
		printDiff(stdout, p)
		fp = p.Fingerprint
	}
	done, err := st.ApprovePublication(ctx, q.ID, fp, actor, time.Now().UTC())
	if err != nil {
		return err
	}
	if done.Revision == 0 && done.PublishAt != nil {
		fmt.Fprintf(stdout, "%s: request %d approved; scheduled for %s\n", round, done.ID, done.PublishAt.Format(time.RFC3339))
		return nil
	}
	fmt.Fprintf(stdout, "%s: request %d by %s approved; published revision %d\n", round, done.ID, done.RequestedBy, done.Revision)
	return nil
}

// roundCorrect shows what a correction changes, team by team, and applies
// (or, with two approvals, requests) it only when --fingerprint confirms
// the results shown.
func roundCorrect(ctx context.Context, st *postgres.Store, program, round string, f roundFlags, stdout io.Writer) error {
	actor, err := adminActor(ctx, st, f.as)
	if err != nil {
		return err
	}
	c := postgres.Correction{Team: f.team, Criterion: f.criterion, Evaluator: f.evaluator, Value: f.value,
		Status: f.status, Reason: contest.Text{KO: f.statusKO, EN: f.statusEN}}
	if f.advance != "" {
		c.Decision = &postgres.FrozenDecision{Advance: splitList(f.advance), Reason: contest.Text{KO: f.decisionKO, EN: f.decisionEN}}
	}
	why := contest.Text{KO: f.reasonKO, EN: f.reasonEN}
	if why.KO == "" || why.EN == "" {
		return usageError("round correct: --reason-ko and --reason-en are both required")
	}
	p, err := st.CorrectionPreview(ctx, program, round, c)
	if err != nil {
		return err
	}
	printDiff(stdout, p)
	if f.fingerprint == "" {
		fmt.Fprintf(stdout, "nothing was changed; to correct revision %d as shown, repeat with --fingerprint %s\n", p.Corrects, p.Fingerprint)
		return nil
	}
	rev := f.revision
	if rev == 0 {
		rev = p.Corrects
	}
	req, err := st.RequestCorrection(ctx, program, round, postgres.CorrectionRequest{Corrects: rev, Change: c, Reason: why, Fingerprint: f.fingerprint},
		actor, time.Now().UTC())
	if err != nil {
		return err
	}
	if req.Status == contest.RequestPending {
		fmt.Fprintf(stdout, "%s: correction requested (request %d); another admin must approve it: portal round approve %s --as EMAIL\n", round, req.ID, round)
		return nil
	}
	fmt.Fprintf(stdout, "%s: corrected (revision %d)\n", round, req.Revision)
	return nil
}

// printDiff prints a correction preview's changes per team.
func printDiff(stdout io.Writer, p postgres.Preview) {
	if p.Kind != contest.RequestCorrect {
		fmt.Fprintf(stdout, "%s: results to publish (fingerprint %s)\n", p.Info.Slug, p.Fingerprint)
		return
	}
	fmt.Fprintf(stdout, "%s: correction of revision %d (fingerprint %s)\n", p.Info.Slug, p.Corrects, p.Fingerprint)
	for _, ch := range p.Diff {
		if !ch.Changed {
			continue
		}
		fmt.Fprintf(stdout, "  %-16s %s → %s\n", ch.Team, figures(ch.Old), figures(ch.New))
	}
}

func figures(f postgres.TeamFigures) string {
	total, rank, outcome := "-", "-", "-"
	if f.Total != nil {
		total = *f.Total
	}
	if f.Rank != nil {
		rank = fmt.Sprint(*f.Rank)
	}
	if f.Outcome != nil {
		outcome = string(*f.Outcome)
	}
	return fmt.Sprintf("%s points, rank %s, %s", total, rank, outcome)
}

func splitList(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func roundDecide(ctx context.Context, st *postgres.Store, program, round string, f roundFlags, stdout io.Writer) error {
	if f.reasonKO == "" || f.reasonEN == "" {
		return usageError("round decide: --reason-ko and --reason-en are both required")
	}
	actor, err := optionalActor(ctx, st, f.as)
	if err != nil {
		return err
	}
	teams := splitList(f.advance)
	err = st.DecideRound(ctx, program, round, teams, contest.Text{KO: f.reasonKO, EN: f.reasonEN}, actor)
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
	var f roundFlags
	return withRound(ctx, "round "+args[0], args[1:], e, f.register, func(db *database, program string, rest []string) error {
		if len(rest) != 1 {
			return usageError(roundUsage)
		}
		return action(ctx, db.Store, program, rest[0], f, e.stdout)
	})
}
