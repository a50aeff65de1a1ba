package main

import (
	"context"
	"fmt"
)

func cmdAudit(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] != "verify" {
		return usageError("usage: portal audit verify")
	}
	return dbCommand{name: "audit verify", run: func(db *database, _ []string) error {
		vr, err := db.Store.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		if vr.BrokenAt != 0 {
			return fmt.Errorf("audit log BROKEN at event %d: %s (%d events checked)", vr.BrokenAt, vr.Problem, vr.Events)
		}
		fmt.Fprintf(e.stdout, "audit log intact: %d events, head %s, %d recorded heads match\n", vr.Events, vr.Head, vr.Checkpoints)
		return nil
	}}.exec(ctx, args[1:], e)
}
