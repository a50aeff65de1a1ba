package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
)

// closeAndPublish closes a round and publishes it at once: publication
// requires a closed round.
func closeAndPublish(ctx context.Context, t *testing.T, st *postgres.Store, program, round string, actor contest.Actor, at time.Time) {
	t.Helper()
	if err := st.CloseRound(ctx, program, round, actor); err != nil {
		t.Fatalf("close %s: %v", round, err)
	}
	if _, err := st.PublishRound(ctx, program, round, actor, at); err != nil {
		t.Fatalf("publish %s: %v", round, err)
	}
}
