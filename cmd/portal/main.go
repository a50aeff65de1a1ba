// Command portal is the K-AI Challenge Portal: the public record and scoring
// back office of Korea's Sovereign AI Foundation Model competition.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/kai-challenge/portal/internal/devdb"
)

func main() {
	// The first signal starts a graceful shutdown; a second one ends the
	// process at once, after asking the private cluster, if this process
	// started it, to shut down too.
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	ctx, stop := context.WithCancel(context.Background())
	go func() {
		<-signals
		stop()
		s := <-signals
		devdb.StopAllNow()
		os.Exit(128 + int(s.(syscall.Signal)))
	}()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(exitCode(err))
	}
}

const usage = `usage: portal <command> [flags] [args]

commands:
  serve [-import FILE]             run the web portal (FILE seeds an empty database);
                                   SIGTERM/SIGINT drain it (-drain-delay 1s, -shutdown-timeout 10s)
  migrate [up|down]                apply or roll back the database schema
  import FILE                      import a program file (YAML or JSON), atomically
  scores import ROUND FILE.csv [--dry-run]
                                   import scores from CSV, all or nothing
  results ROUND [--json]           compute a round's ranks and outcomes
  round close|reopen|publish ROUND change a round's status
  round decide ROUND --advance a,b --reason-ko … --reason-en …
                                   record the decision for a tie at the cut
  audit verify                     recompute the audit log's hash chain
  user add --email E --role admin|scorer [--name N]
                                   create a staff account; the password is stdin's first
                                   line (an empty line generates one, shown only once)
  user password --email E          set a new password (from stdin, as for add)
  user disable|enable --email E    stop or restore an account's login
  user list                        list staff accounts
  gen [-teams N] [-seed S] [-o FILE]
                                   write a synthetic program file (N teams × 20 leaves ×
                                   50 evaluators; for benchmarks and load tests)

Environment: DATABASE_URL (the schema owner, used for migrations; empty: a private PostgreSQL
cluster under .data/), DATABASE_APP_PASSWORD (password the migrator sets for the runtime login
portal_app, through which the portal connects), DATABASE_APP_URL (connect as this login instead),
TRUSTED_PROXY_HEADER (e.g. X-Forwarded-For: name clients by the proxy's header), ADDR (default :8080).
`

// env is what a command reads and writes besides its arguments.
type env struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
}

// commands maps each command name to the function that runs it.
var commands = map[string]func(ctx context.Context, args []string, e env) error{
	"serve":   cmdServe,
	"migrate": cmdMigrate,
	"import":  cmdImport,
	"scores":  cmdScores,
	"results": cmdResults,
	"round":   cmdRound,
	"audit":   cmdAudit,
	"user":    cmdUser,
	"gen":     cmdGen,
}

// run is the whole program behind main, with its inputs and outputs passed in
// so tests can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError("no command")
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprint(stderr, usage)
		return usageError("unknown command " + name)
	}
	return cmd(ctx, rest, env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr})
}

// usageError is a mistake in the command line (exit status 2).
type usageError string

func (e usageError) Error() string { return string(e) }

func exitCode(err error) int {
	if _, ok := err.(usageError); ok {
		return 2
	}
	return 1
}
