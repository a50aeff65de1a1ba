// Package scheduler publishes rounds at their scheduled announcement time.
// The schedule lives in the database, so a restart loses nothing, and
// several servers may run it at once: publishing locks the round row and a
// round is published only once. A publication that fails at its time (the
// round was reopened, is blocked, or changed since its approval) is not
// dropped: the store keeps the schedule, marks it failed for the console
// and records round.publish_failed, and the scheduler does not retry it
// until someone reschedules, clears or publishes it.
package scheduler

import (
	"context"
	"log/slog"
	"time"
)

// Publisher is what the scheduler needs from the store.
type Publisher interface {
	PublishDue(ctx context.Context, now time.Time) ([]string, map[string]error, error)
}

// Run checks for due publications every interval until ctx ends. It checks
// once immediately, so a publication that fell due while the server was down
// happens at start.
func Run(ctx context.Context, p Publisher, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		Tick(ctx, p, time.Now(), log)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick publishes what is due at now.
func Tick(ctx context.Context, p Publisher, now time.Time, log *slog.Logger) {
	published, failed, err := p.PublishDue(ctx, now)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("scheduled publication check failed", "err", err)
		}
		return
	}
	for _, r := range published {
		log.Info("published on schedule", "round", r)
	}
	for r, err := range failed {
		log.Error("scheduled publication failed; the schedule stays until someone acts", "round", r, "err", err)
	}
}
