package postgres

import (
	"context"
	"time"
)

// changesChannel is the notification channel on which every change to the
// record is announced; the trigger notify_portal_changes on the audit log
// (migration 000004) sends it.
const changesChannel = "portal_changes"

// ListenChanges calls onChange for every change notification until ctx
// ends. When the connection is lost it calls onChange too (changes may have
// been missed) and listens again.
func (s *Store) ListenChanges(ctx context.Context, onChange func()) {
	for ctx.Err() == nil {
		s.listenOnce(ctx, onChange)
		if ctx.Err() != nil {
			return
		}
		onChange()
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func (s *Store) listenOnce(ctx context.Context, onChange func()) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		return
	}
	defer func() {
		// Leave the pooled connection as it was found.
		uctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, _ = conn.Exec(uctx, "UNLISTEN "+changesChannel)
	}()
	for {
		if _, err := conn.Conn().WaitForNotification(ctx); err != nil {
			return
		}
		onChange()
	}
}
