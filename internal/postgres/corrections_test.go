package postgres_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
)

func TestCorrectionMakesNewRevision(t *testing.T) {
	store, _, ctx := scoredFixture(t, false)
	closeRound(t, store, "r1")
	if _, err := store.PublishRound(ctx, "p", "r1", alice, time.Now()); err != nil {
		t.Fatal(err)
	}
	first := must(store.PublishedResults(ctx, "p", "r1")).val(t)
	why := contest.Text{KO: "입력 오류 정정", EN: "data entry error corrected"}
	if _, err := store.CorrectRound(ctx, "p", "r1", postgres.Correction{Team: "t3", Criterion: "a", Value: "45"}, contest.Text{}, alice, time.Now()); !errors.Is(err, contest.ErrInvalid) {
		t.Errorf("correction without a reason: %v", err)
	}
	rev, err := store.CorrectRound(ctx, "p", "r1", postgres.Correction{Team: "t3", Criterion: "a", Value: "45"}, why, alice, time.Now())
	if err != nil || rev != 2 {
		t.Fatalf("correct: rev %d, %v", rev, err)
	}
	cur, _ := store.PublishedResults(ctx, "p", "r1")
	if cur.Report.Status != "corrected" || cur.Revision != 2 || cur.Report.Teams[1].Team != "t3" {
		t.Errorf("current revision: %+v", cur.Report)
	}
	old, rec, err := store.Revision(ctx, "p", "r1", 1)
	if err != nil || rec.Revision != 1 {
		t.Fatalf("revision 1: %v, revision %d", err, rec.Revision)
	}
	if diff := cmp.Diff(first.Report, old.Report); diff != "" {
		t.Errorf("revision 1 changed after the correction (-as published +now):\n%s", diff)
	}
	list, err := store.Corrections(ctx, "p", "r1")
	if err != nil || len(list) != 1 || list[0].Reason != why || !strings.Contains(string(list[0].Change), `"old": "20.00"`) {
		t.Errorf("corrections list: %+v %v", list, err)
	}
	// An eligibility correction too.
	rev, err = store.CorrectRound(ctx, "p", "r1", postgres.Correction{Team: "t1", Status: "disqualified", Reason: contest.Text{KO: "실격", EN: "disqualified"}}, why, bob, time.Now())
	if err != nil || rev != 3 {
		t.Fatalf("eligibility correction: %d %v", rev, err)
	}
	cur, _ = store.PublishedResults(ctx, "p", "r1")
	if tm := reportTeam(t, cur.Report, "t1"); tm.Outcome == nil || *tm.Outcome != "disqualified" {
		t.Errorf("t1 after disqualification: %+v", tm)
	}
}

// A correction that creates a tie across the cut is refused with a message
// that names the tied teams.
func TestCorrectionIntoATieIsRefused(t *testing.T) {
	store, _, ctx := scoredFixture(t, false)
	closeRound(t, store, "r1")
	if _, err := store.PublishRound(ctx, "p", "r1", alice, time.Now()); err != nil {
		t.Fatal(err)
	}
	why := contest.Text{KO: "정정", EN: "correction"}
	// t3 (20, 20) becomes (30, 20): still third, revision 2.
	if _, err := store.CorrectRound(ctx, "p", "r1", postgres.Correction{Team: "t3", Criterion: "a", Value: "30"}, why, alice, time.Now()); err != nil {
		t.Fatal(err)
	}
	// (30, 30) would tie t2 exactly across the cut of two places.
	_, err := store.CorrectRound(ctx, "p", "r1", postgres.Correction{Team: "t3", Criterion: "b", Value: "30"}, why, alice, time.Now())
	if !errors.Is(err, contest.ErrInvalid) || !strings.Contains(err.Error(), "a tie straddles the cut (t2, t3)") {
		t.Errorf("correction into a tie: %v", err)
	}
	if rr, _ := store.PublishedResults(ctx, "p", "r1"); rr.Revision != 2 {
		t.Errorf("after a refused correction the current revision is %d, want 2", rr.Revision)
	}
}

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
