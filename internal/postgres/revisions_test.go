package postgres_test

import (
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
)

// A published revision is decoded once: later reads share its input and
// result, each read gets report teams of its own (disclosure rewrites
// them), and a correction's new revision is read anew.
func TestLatestRevisionDecodedOnce(t *testing.T) {
	store, _, ctx := scoredFixture(t, false)
	closeRound(t, store, "r1")
	must(store.PublishRound(ctx, "p", "r1", alice, time.Now())).val(t)
	a := must(store.PublishedResults(ctx, "p", "r1")).val(t)
	b := must(store.PublishedResults(ctx, "p", "r1")).val(t)
	if a.Result == nil || a.Result != b.Result || a.Input != b.Input {
		t.Errorf("the second read decoded revision %d again", a.Revision)
	}
	first := a.Report.Teams[0].Team
	a.Report.Teams[0].Team = "changed"
	if c := must(store.PublishedResults(ctx, "p", "r1")).val(t); c.Report.Teams[0].Team != first {
		t.Errorf("a read's report teams changed another's: %q", c.Report.Teams[0].Team)
	}
	why := contest.Text{KO: "입력 오류 정정", EN: "data entry error corrected"}
	must(store.CorrectRound(ctx, "p", "r1", postgres.Correction{Team: "t3", Criterion: "a", Value: "45"}, why, alice, time.Now())).val(t)
	if d := must(store.PublishedResults(ctx, "p", "r1")).val(t); d.Revision != 2 || d.Result == b.Result || d.Report.Status != "corrected" {
		t.Errorf("after the correction: revision %d, status %q, same result %v", d.Revision, d.Report.Status, d.Result == b.Result)
	}
}
