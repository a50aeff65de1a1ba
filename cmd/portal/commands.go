package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/kai-challenge/portal/internal/config"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programfile"
)

func cmdMigrate(ctx context.Context, args []string, e env) error {
	cfg, rest, err := config.Load("migrate", args, e.getenv, e.stderr)
	if err != nil {
		return usageError(err.Error())
	}
	dir := "up"
	if len(rest) > 0 {
		dir = rest[0]
	}
	if len(rest) > 1 || (dir != "up" && dir != "down") {
		return usageError("usage: portal migrate [up|down]")
	}
	url, stop, err := connectDatabase(ctx, cfg, e.stderr)
	if err != nil {
		return err
	}
	defer stop()
	if dir == "down" {
		err = postgres.MigrateDown(url)
	} else {
		err = postgres.Migrate(url)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "migrate %s: done\n", dir)
	return nil
}

func cmdImport(ctx context.Context, args []string, e env) error {
	var f *programfile.File
	return dbCommand{
		name: "import",
		check: func(rest []string) (err error) {
			if len(rest) != 1 {
				return usageError("import: want exactly one FILE")
			}
			f, err = readProgramFile(rest[0])
			return err
		},
		run: func(db *database, rest []string) error {
			return importProgram(ctx, db.Store, rest[0], f, e.stdout)
		},
	}.exec(ctx, args, e)
}

// readProgramFile reads and validates a program file; nothing touches the
// database before the whole file is known to be good.
func readProgramFile(path string) (*programfile.File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := programfile.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: nothing was imported:\n%w", path, err)
	}
	return f, nil
}

func importProgram(ctx context.Context, store *postgres.Store, path string, f *programfile.File, stdout io.Writer) error {
	sum, err := store.ImportProgramBy(ctx, f, contest.Actor{Name: "cli"})
	if err != nil {
		return fmt.Errorf("%s: nothing was imported: %w", path, err)
	}
	fmt.Fprintf(stdout, "imported %s: %d organizations, %d teams, %d rounds, %d scores\n",
		sum.Program, sum.Organizations, sum.Teams, sum.Rounds, sum.Scores)
	for _, n := range sum.Notes {
		fmt.Fprintln(stdout, "note:", n)
	}
	return nil
}

// seedFrom imports a program file when its program is not in the database
// yet. Once it is, the database is the record: what staff entered since is
// never overwritten by restarting the server (use `portal import` to apply
// a changed file on purpose).
func seedFrom(ctx context.Context, store *postgres.Store, path string, stdout io.Writer) error {
	f, err := readProgramFile(path)
	if err != nil {
		return err
	}
	switch _, err := store.PublicProgram(ctx, f.Program.Slug); {
	case err == nil:
		fmt.Fprintf(stdout, "program %s is already in the database; not re-importing %s (use `portal import` to apply changes)\n", f.Program.Slug, path)
		return nil
	case !errors.Is(err, contest.ErrNotFound):
		return err
	}
	return importProgram(ctx, store, path, f, stdout)
}
