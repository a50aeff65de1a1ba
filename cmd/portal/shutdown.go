package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/kai-challenge/portal/internal/config"
)

// shutdown stops srv gracefully: for cfg.DrainDelay /readyz answers 503
// while requests are still served, then the listener closes and in-flight
// requests finish; all within cfg.ShutdownTimeout of the signal, after which
// the remaining connections are closed. The caller then stops the
// background work, the pool and the private cluster.
func shutdown(srv *http.Server, cfg config.Config, stdout io.Writer) error {
	fmt.Fprintln(stdout, "portal: shutting down")
	deadline := time.Now().Add(cfg.ShutdownTimeout)
	time.Sleep(min(cfg.DrainDelay, cfg.ShutdownTimeout/2))
	sctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		if !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		fmt.Fprintf(stdout, "portal: requests still running after %v were cut off\n", cfg.ShutdownTimeout)
	}
	return nil
}
