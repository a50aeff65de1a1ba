package main

import (
	"context"
	"fmt"
	"io"

	"github.com/kai-challenge/portal/internal/config"
)

func cmdAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return usageError("usage: portal audit verify")
	}
	cfg, _, err := config.Load("audit verify", args[1:], getenv, stderr)
	if err != nil {
		return usageError(err.Error())
	}
	db, err := openDatabase(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	vr, err := db.Store.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if vr.BrokenAt != 0 {
		return fmt.Errorf("audit log BROKEN at event %d: %s (%d events checked)", vr.BrokenAt, vr.Problem, vr.Events)
	}
	fmt.Fprintf(stdout, "audit log intact: %d events, head %s\n", vr.Events, vr.Head)
	return nil
}
