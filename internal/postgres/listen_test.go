package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
)

// Every change to the record reaches the listeners, so every portal process
// can drop its cached pages.
func TestChangesAreAnnounced(t *testing.T) {
	store, _ := freshStore(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	changes := make(chan struct{}, 10)
	go store.ListenChanges(ctx, func() { changes <- struct{}{} })
	// A listener that cannot LISTEN reconnects (and reports a change) about
	// every second, so a quiet spell of 1.5 s shows it is really listening.
	quietSince := time.Now()
	for deadline := time.Now().Add(10 * time.Second); time.Since(quietSince) < 1500*time.Millisecond; {
		select {
		case <-changes:
			quietSince = time.Now()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("the listener never settled: it keeps reconnecting")
		}
	}
	if _, err := store.ImportProgramBy(t.Context(), readProgram(t, realProgram), contest.Actor{Name: "cli"}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changes:
	case <-time.After(5 * time.Second):
		t.Fatal("no change notification after an import")
	}
}
