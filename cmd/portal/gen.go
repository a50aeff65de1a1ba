package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"

	"github.com/kai-challenge/portal/internal/programgen"
)

// cmdGen writes a synthetic program file of a chosen size (for benchmarks
// and load tests): the same flags always write the same bytes.
func cmdGen(_ context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	o := programgen.Size(100)
	fs.IntVar(&o.Teams, "teams", o.Teams, "teams in the scored round (5, 25 and 100 are the benchmark sizes)")
	fs.IntVar(&o.Leaves, "leaves", o.Leaves, "leaf criteria")
	fs.IntVar(&o.Categories, "categories", o.Categories, "top-level categories")
	fs.IntVar(&o.Evaluators, "evaluators", o.Evaluators, "evaluators per panel")
	fs.Uint64Var(&o.Seed, "seed", o.Seed, "random seed")
	out := fs.String("o", "", "write to this file instead of standard output")
	if err := fs.Parse(args); err != nil {
		return usageError("gen: " + err.Error())
	}
	if fs.NArg() != 0 {
		return usageError("usage: portal gen [-teams N] [-seed S] [-o FILE]")
	}
	if *out == "" {
		return genWrite(e.stdout, o)
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := genWrite(f, o); err != nil {
		f.Close()
		return err
	}
	// A write the file system only refuses on close is not a success.
	return f.Close()
}

// genWrite writes the program file; options out of bounds are a usage
// error, a failed write is not.
func genWrite(w io.Writer, o programgen.Options) error {
	if err := programgen.Write(w, o); err != nil {
		if errors.Is(err, programgen.ErrOptions) {
			return usageError(err.Error())
		}
		return err
	}
	return nil
}
