// Command withdb runs a command with TEST_DATABASE_URL set to a throwaway
// PostgreSQL cluster that it starts before and removes after, so that the
// test binaries of every package share one server instead of each starting
// its own (make test runs `go test ./...` under it). With
// TEST_DATABASE_URL already set it just runs the command. The server plans
// each prepared statement once per session (Server.PlanOnce).
//
//	go run ./internal/pgtest/withdb go test ./...
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/kai-challenge/portal/internal/pgtest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: withdb COMMAND [ARG...]")
		os.Exit(2)
	}
	os.Exit(run(os.Args[1], os.Args[2:]))
}

func run(name string, args []string) int {
	cmd := exec.Command(name, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = os.Environ()
	if os.Getenv("TEST_DATABASE_URL") == "" {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		srv, err := pgtest.StartServer(ctx)
		if err != nil {
			cancel()
			fmt.Fprintf(os.Stderr, "withdb: %v\n", err)
			return 1
		}
		defer func() {
			if err := srv.Stop(); err != nil {
				fmt.Fprintf(os.Stderr, "withdb: %v\n", err)
			}
		}()
		err = srv.PlanOnce(ctx)
		cancel()
		if err != nil {
			fmt.Fprintf(os.Stderr, "withdb: %v\n", err)
			return 1
		}
		cmd.Env = append(cmd.Env, "TEST_DATABASE_URL="+srv.URL)
	}
	// Ctrl-C reaches the command through the terminal; a termination sent
	// to this process alone is passed on. Either way this process waits for
	// the command to end and then stops the server.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "withdb: %v\n", err)
		return 1
	}
	go func() {
		for s := range signals {
			if s == syscall.SIGTERM {
				_ = cmd.Process.Signal(s)
			}
		}
	}()
	err := cmd.Wait()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return exit.ExitCode()
	default:
		fmt.Fprintf(os.Stderr, "withdb: %v\n", err)
		return 1
	}
}
