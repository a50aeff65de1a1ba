package postgres_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
)

func TestScheduledPublication(t *testing.T) {
	store, _, ctx := scoredFixture(t, false)
	at := time.Date(2026, 8, 10, 14, 0, 0, 0, time.UTC)
	closeRound(t, store, "r1")
	if err := store.SchedulePublication(ctx, "p", "r1", at, alice); err != nil {
		t.Fatal(err)
	}
	if pub, _, err := store.PublishDue(ctx, at.Add(-time.Second)); err != nil || len(pub) != 0 {
		t.Fatalf("before the time: published %v, %v", pub, err)
	}
	if _, err := store.PublishedResults(ctx, "p", "r1"); !errors.Is(err, contest.ErrNotFound) {
		t.Fatalf("results public before the scheduled time: %v", err)
	}
	pub, failed, err := store.PublishDue(ctx, at)
	if err != nil || len(pub) != 1 || len(failed) != 0 {
		t.Fatalf("at the time: published %v failed %v err %v", pub, failed, err)
	}
	rr, err := store.PublishedResults(ctx, "p", "r1")
	if err != nil || rr.Report.Status != "published" || rr.Revision != 1 {
		t.Fatalf("after: %+v %v", rr.Report, err)
	}
	if n := countAudit(t, store, "round.publish"); n != 1 {
		t.Errorf("%d publish events", n)
	}
	if head, _ := store.AuditHead(ctx, "p", "r1"); len(head) != 64 {
		t.Errorf("audit head %q", head)
	}
	if pub, _, _ := store.PublishDue(ctx, at.Add(time.Hour)); len(pub) != 0 {
		t.Errorf("published twice: %v", pub)
	}
}

// Scheduling an open, incomplete or blocked round is refused with the
// reason.
func TestSchedulingRefusals(t *testing.T) {
	store, _, ctx := scoredFixture(t, true)
	at := time.Now().Add(time.Hour)
	err := store.SchedulePublication(ctx, "p", "r1", at, alice)
	var se *contest.RoundStateError
	if !errors.As(err, &se) || se.Status != contest.StatusDraft || se.Hint() != "close it first" {
		t.Fatalf("scheduling an open round: %v", err)
	}
	// An incomplete round can be neither closed nor scheduled; the reason
	// names the missing score.
	if err := store.CloseRound(ctx, "p", "r1", alice); err == nil || !strings.Contains(err.Error(), "team t3, criterion b") {
		t.Fatalf("closing an incomplete round: %v", err)
	}
	if _, err := store.PublishRound(ctx, "p", "r1", alice, time.Now()); !errors.Is(err, contest.ErrRoundState) {
		t.Errorf("publishing an open round: %v", err)
	}
	// A closed round with an undecided tie at the cut is blocked.
	saveScore(t, store, "t3", "a", "30")
	if _, err := store.SaveScores(ctx, "p", "r1", []postgres.ScoreEdit{{Team: "t3", Criterion: "b", Value: "30"}}, alice); err != nil {
		t.Fatal(err)
	}
	closeRound(t, store, "r1")
	err = store.SchedulePublication(ctx, "p", "r1", at, alice)
	var ie *contest.IncompleteError
	if !errors.As(err, &ie) || len(ie.Blocked) != 2 || !strings.Contains(err.Error(), "a tie straddles the cut (t2, t3)") {
		t.Fatalf("scheduling a blocked round: %v", err)
	}
	if d, err := store.AdminRound(ctx, "p", "r1"); err != nil || d.PublishAt != nil {
		t.Errorf("a refused schedule was kept: %v, %v", d.PublishAt, err)
	}
}

// With two approvals a round is scheduled only through an approved
// request; the scheduler publishes exactly the approved document.
func TestScheduledPublicationWithApproval(t *testing.T) {
	store, url, ctx := scoredFixture(t, false)
	setApprovals(t, url, 2)
	closeRound(t, store, "r1")
	at := time.Now().Add(time.Hour).Truncate(time.Second)
	if err := store.SchedulePublication(ctx, "p", "r1", at, alice); !errors.Is(err, contest.ErrNotApproved) {
		t.Fatalf("scheduling without approval: %v", err)
	}
	p, req := requestPublication(t, store, at)
	if req.PublishAt == nil || !req.PublishAt.Equal(at) {
		t.Errorf("request time %v", req.PublishAt)
	}
	if _, err := store.ApprovePublication(ctx, req.ID, p.Fingerprint, bob, time.Now()); err != nil {
		t.Fatal(err)
	}
	wantUnpublished(t, store)
	if d, err := store.AdminRound(ctx, "p", "r1"); err != nil || d.PublishAt == nil || !d.PublishAt.Equal(at) {
		t.Fatalf("schedule after approval: %v, %v", d.PublishAt, err)
	}
	// Moving the approved schedule is allowed.
	later := at.Add(time.Hour)
	if err := store.SchedulePublication(ctx, "p", "r1", later, bob); err != nil {
		t.Fatal(err)
	}
	pub, failed, err := store.PublishDue(ctx, later)
	if err != nil || len(pub) != 1 || len(failed) != 0 {
		t.Fatalf("published %v failed %v err %v", pub, failed, err)
	}
	if got := publishedDocument(t, store); !bytes.Equal(got, p.Document) {
		t.Errorf("published\n%s\napproved\n%s", got, p.Document)
	}
}

// A scheduled publication that fails at its time stays visible: it keeps
// its schedule, is listed by FailedSchedules and audited once, until
// someone acts.
func TestScheduledPublicationFailsVisibly(t *testing.T) {
	store, _, ctx := scoredFixture(t, false)
	closeRound(t, store, "r1")
	at := time.Now().Add(-time.Minute)
	if err := store.SchedulePublication(ctx, "p", "r1", at, alice); err != nil {
		t.Fatal(err)
	}
	if err := store.ReopenRound(ctx, "p", "r1", bob); err != nil {
		t.Fatal(err)
	}
	_, failed, err := store.PublishDue(ctx, time.Now())
	if err != nil || !errors.Is(failed["r1"], contest.ErrRoundState) {
		t.Fatalf("failed = %v, err = %v", failed, err)
	}
	if pub, failed, err := store.PublishDue(ctx, time.Now()); err != nil || len(pub)+len(failed) != 0 {
		t.Errorf("tried again: %v %v %v", pub, failed, err)
	}
	if n := countAudit(t, store, "round.publish_failed"); n != 1 {
		t.Errorf("%d publish_failed events", n)
	}
	fs, err := store.FailedSchedules(ctx)
	if err != nil || len(fs) != 1 || fs[0].Round != "r1" || !fs[0].PublishAt.Equal(at.Truncate(time.Microsecond)) || fs[0].ScheduledBy != alice.Name ||
		!strings.Contains(fs[0].Error, "r1 is scoring") {
		t.Fatalf("failed schedules %+v, %v", fs, err)
	}
	wantUnpublished(t, store)
	if d, err := store.AdminRound(ctx, "p", "r1"); err != nil || d.PublishAt == nil {
		t.Errorf("the failed schedule was cleared: %v", err)
	}
	// Clearing the schedule is acting on it.
	if err := store.SchedulePublication(ctx, "p", "r1", time.Time{}, bob); err != nil {
		t.Fatal(err)
	}
	if fs, err := store.FailedSchedules(ctx); err != nil || len(fs) != 0 {
		t.Errorf("after clearing: %+v, %v", fs, err)
	}
}

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
