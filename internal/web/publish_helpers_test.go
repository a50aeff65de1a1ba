package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
)

// publish publishes (or, with two approvals, requests) a closed round as
// an admin does: through the confirmation page, bound to what it shows.
func (c *staffClient) publish(t *testing.T, slug string) response {
	t.Helper()
	_, vals := c.formAt(t, "/admin/rounds/"+slug+"/publish", "request-form")
	if vals.Get("fingerprint") == "" {
		t.Fatalf("the confirmation of %s carries no fingerprint", slug)
	}
	return c.post("/admin/rounds/"+slug+"/publish", vals)
}

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
