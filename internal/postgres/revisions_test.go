package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
)

// A published revision is decoded once: later reads share its input and
// result, each read gets report teams of its own (disclosure rewrites
// them), and a correction's new revision is read anew.
func TestLatestRevisionDecodedOnce(t *testing.T) {
	t.Parallel()
	store, _ := scoredFixture(t, false)
	ctx := context.Background()
	closeRound(t, store, "r1")
	if _, err := store.PublishRound(ctx, "p", "r1", alice, time.Now()); err != nil {
		t.Fatal(err)
	}
	read := func() postgres.RoundResults {
		t.Helper()
		rr, err := store.PublishedResults(ctx, "p", "r1")
		if err != nil {
			t.Fatal(err)
		}
		return rr
	}
	a, b := read(), read()
	if a.Result == nil || a.Result != b.Result || a.Input != b.Input {
		t.Errorf("the second read decoded revision %d again", a.Revision)
	}
	first := a.Report.Teams[0].Team
	a.Report.Teams[0].Team = "changed"
	if c := read(); c.Report.Teams[0].Team != first {
		t.Errorf("a read's report teams changed another's: %q", c.Report.Teams[0].Team)
	}
	why := contest.Text{KO: "입력 오류 정정", EN: "data entry error corrected"}
	if _, err := store.CorrectRound(ctx, "p", "r1", postgres.Correction{Team: "t3", Criterion: "a", Value: "45"}, why, alice, time.Now()); err != nil {
		t.Fatal(err)
	}
	if d := read(); d.Revision != 2 || d.Result == b.Result || d.Report.Status != "corrected" {
		t.Errorf("after the correction: revision %d, status %q, same result %v", d.Revision, d.Report.Status, d.Result == b.Result)
	}
}
