package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
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

// correct posts a correction form, which must answer with the
// confirmation page showing the per-team diff and change nothing yet, and
// then confirms it as the page's form does.
func (c *staffClient) correct(t *testing.T, env *consoleEnv, slug string, form url.Values) (confirm, done response) {
	t.Helper()
	before := env.dump()
	confirm = c.post("/admin/rounds/"+slug+"/correct", form)
	if confirm.status != http.StatusOK || !strings.Contains(confirm.body, `data-testid="correction-diff"`) {
		t.Fatalf("correction of %s: %d, want the confirmation with the diff\n%s", slug, confirm.status, confirm.body)
	}
	env.wantUnchanged(t, before, "an unconfirmed correction changed the database")
	vals := formValues(t, confirm.body, "confirm-correction")
	if vals.Get("fingerprint") == "" || vals.Get("corrects") == "" || vals.Get("confirm") != "1" {
		t.Fatalf("the confirmation form lacks its binding: %v", vals)
	}
	return confirm, c.post("/admin/rounds/"+slug+"/correct", vals)
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
