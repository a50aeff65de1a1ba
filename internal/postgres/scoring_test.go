package postgres_test

// The scoring workflow on a scored round (scoredFixture): scores saved and
// imported (scores.go), the console's view of rounds (admin.go), scheduled
// publication and corrections (publication.go, corrections.go).

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/scorecsv"
)

func TestConcurrentScoreSavesOneWins(t *testing.T) {
	store, _, ctx := scoredFixture(t, true)
	// Both editors saw the empty cell (version 0) and save different values at once.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, v := range []string{"11.00", "12.00"} {
		wg.Add(1)
		go func(i int, v string) {
			defer wg.Done()
			_, errs[i] = store.SaveScores(ctx, "p", "r1", []postgres.ScoreEdit{{Team: "t3", Criterion: "b", Value: v, Version: 0}}, []contest.Actor{alice, bob}[i])
		}(i, v)
	}
	wg.Wait()
	var wins, conflicts int
	for _, err := range errs {
		var se postgres.StaleScoresError
		switch {
		case err == nil:
			wins++
		case errors.As(err, &se) && errors.Is(err, contest.ErrStale):
			conflicts++
			if len(se) != 1 || se[0].Current.Version != 1 || se[0].Yours == se[0].Current.Value {
				t.Errorf("conflict does not show both values: %+v", se[0])
			}
		default:
			t.Fatalf("unexpected error %v", err)
		}
	}
	if wins != 1 || conflicts != 1 {
		t.Fatalf("wins=%d conflicts=%d, want 1 and 1", wins, conflicts)
	}
	if n := countAudit(t, store, "scores.save"); n != 1 {
		t.Errorf("%d scores.save audit events, want 1", n)
	}
	// Updating with the right version works; with the old one it conflicts.
	cells, _ := store.RoundScores(ctx, "p", "r1")
	var v int
	for _, c := range cells {
		if c.Team == "t3" && c.Criterion == "b" {
			v = c.Version
		}
	}
	if _, err := store.SaveScores(ctx, "p", "r1", []postgres.ScoreEdit{{Team: "t3", Criterion: "b", Value: "13", Version: v}}, alice); err != nil {
		t.Fatal(err)
	}
	if _, err := store.SaveScores(ctx, "p", "r1", []postgres.ScoreEdit{{Team: "t3", Criterion: "b", Value: "14", Version: v}}, bob); !errors.Is(err, contest.ErrStale) {
		t.Errorf("save with a stale version: %v, want ErrStale", err)
	}
	// Invalid values are refused before anything is written.
	if _, err := store.SaveScores(ctx, "p", "r1", []postgres.ScoreEdit{{Team: "t3", Criterion: "b", Value: "51", Version: 2}}, bob); !errors.Is(err, contest.ErrInvalid) {
		t.Errorf("value above max: %v, want ErrInvalid", err)
	}
}

// A confirmed score import writes only if the scores are still those its
// preview was computed against; the check happens with the round locked.
func TestScoreImportConfirmsAgainstItsPreview(t *testing.T) {
	store, _, ctx := scoredFixture(t, true)
	rows := []scorecsv.Row{{Line: 2, Team: "t3", Criterion: "b", Value: "15"}}
	preview, err := store.ImportScores(ctx, "p", "r1", rows, alice, true, "")
	if err != nil || len(preview.New) != 1 || len(preview.Base) != 64 {
		t.Fatalf("preview: %+v, %v", preview, err)
	}
	if _, err := store.SaveScores(ctx, "p", "r1", []postgres.ScoreEdit{{Team: "t1", Criterion: "a", Value: "41", Version: 1}}, bob); err != nil {
		t.Fatal(err)
	}
	if _, err := store.ImportScores(ctx, "p", "r1", rows, alice, false, preview.Base); !errors.Is(err, contest.ErrStale) {
		t.Fatalf("confirming a stale preview: %v, want ErrStale", err)
	}
	again, err := store.ImportScores(ctx, "p", "r1", rows, alice, true, "")
	if err != nil || again.Base == preview.Base || len(again.New) != 1 {
		t.Fatalf("fresh preview: %+v, %v", again, err)
	}
	if _, err := store.ImportScores(ctx, "p", "r1", rows, alice, false, again.Base); err != nil {
		t.Fatalf("confirming the fresh preview: %v", err)
	}
}

func TestAdminRounds(t *testing.T) {
	store, url, ctx := scoredFixture(t, true)
	at := time.Date(2031, 1, 15, 5, 0, 0, 0, time.UTC)
	// An incomplete round cannot be scheduled any more; a schedule that
	// outlived a reopening is still listed, so set one directly.
	setSchedule(t, url, "r1", at, alice.Name)
	rounds := must(store.AdminRounds(ctx, "p")).val(t)
	if len(rounds) != 1 {
		t.Fatalf("%d rounds", len(rounds))
	}
	r := rounds[0]
	if r.Slug != "r1" || r.Teams != 3 || !r.Scored || r.Required != 6 || r.Entered != 5 || r.Complete() {
		t.Errorf("summary %+v", r)
	}
	wantSame(t, "missing", []rules.Missing{{Team: "t3", Criterion: "b"}}, r.Missing)
	if r.PublishAt == nil || !r.PublishAt.Equal(at) || r.ScheduledBy != alice.Name {
		t.Errorf("schedule %v by %q", r.PublishAt, r.ScheduledBy)
	}
	refs, err := store.RoundRefs(ctx, "p")
	if err != nil || len(refs) != 1 || refs[0].Slug != "r1" || refs[0].Name.EN != "Round" {
		t.Errorf("round refs %+v, %v", refs, err)
	}
	// An unknown program is not found, rather than a program without rounds.
	if rounds, err := store.AdminRounds(ctx, "nope"); !errors.Is(err, contest.ErrNotFound) || rounds != nil {
		t.Errorf("rounds of an unknown program: %+v, %v; want ErrNotFound", rounds, err)
	}
	if refs, err := store.RoundRefs(ctx, "nope"); !errors.Is(err, contest.ErrNotFound) || refs != nil {
		t.Errorf("round refs of an unknown program: %+v, %v; want ErrNotFound", refs, err)
	}
	if _, err := store.AdminRound(ctx, "nope", "r1"); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("round of an unknown program: %v, want ErrNotFound", err)
	}
}

// TestAdminRoundsOfRecord: on the real record, the list of rounds says of
// each round what its console page says, and the criteria of a round are
// its criteria tree in the order of the public round page.
func TestAdminRoundsOfRecord(t *testing.T) {
	store, _, ctx := importRecord(t)
	rounds := must(store.AdminRounds(ctx, program)).val(t)
	refs := must(store.RoundRefs(ctx, program)).val(t)
	var slugs, refSlugs []string
	for _, r := range refs {
		refSlugs = append(refSlugs, r.Slug)
	}
	for i, sum := range rounds {
		slugs = append(slugs, sum.Slug)
		if i > 0 && sum.Position < rounds[i-1].Position {
			t.Errorf("%s listed after %s", sum.Slug, rounds[i-1].Slug)
		}
		d := must(store.AdminRound(ctx, program, sum.Slug)).val(t)
		want := postgres.AdminRoundSummary{Slug: d.Info.Slug, Kind: d.Info.Kind, Name: d.Info.Name, Status: d.Info.Status,
			Position: sum.Position, AnnounceAt: d.Info.AnnounceAt, AnnounceDateOnly: d.AnnounceDateOnly, PublishAt: d.PublishAt,
			ScheduledBy: d.ScheduledBy, PublishedAt: d.Info.PublishedAt, Teams: len(d.Entries), Completeness: d.Completeness}
		if diff := cmp.Diff(want, sum); diff != "" {
			t.Errorf("%s: summary differs from the round page (-round page +summary):\n%s", sum.Slug, diff)
		}
		info := must(store.Round(ctx, program, sum.Slug)).val(t)
		if diff := cmp.Diff(info, d.Info); diff != "" {
			t.Errorf("%s: info (-Round +AdminRound):\n%s", sum.Slug, diff)
		}
		pub := must(store.PublicRound(ctx, program, sum.Slug)).val(t)
		if len(pub.Criteria) != len(d.Criteria) {
			t.Fatalf("%s: %d criteria, %d on the public page", sum.Slug, len(d.Criteria), len(pub.Criteria))
		}
		category := ""
		for j, pc := range pub.Criteria {
			if pc.Depth == 0 {
				category = pc.Code
			}
			panel := 0
			if pc.PanelSize != nil {
				panel = *pc.PanelSize
			}
			want := postgres.AdminCriterion{Code: pc.Code, Name: pc.Name, Max: pc.Max, Depth: pc.Depth, Leaf: pc.Leaf,
				PanelSize: panel, Aggregate: pc.Aggregate, Category: category}
			if diff := cmp.Diff(want, d.Criteria[j]); diff != "" {
				t.Errorf("%s: criterion %d (-public page +console):\n%s", sum.Slug, j, diff)
			}
		}
	}
	wantSlugs := []string{"document-review", "presentation-review", "stage-1", "additional-call", "stage-2", "final"}
	wantSame(t, "rounds", wantSlugs, slugs)
	wantSame(t, "round refs", wantSlugs, refSlugs)
	s1 := must(store.AdminRound(ctx, program, "stage-1")).val(t)
	if len(s1.Criteria) < 2 || s1.Criteria[1].Code != "nia" || s1.Criteria[1].Depth != 1 || s1.Criteria[1].Category != "benchmark" ||
		s1.Criteria[0].Leaf || s1.Criteria[0].Max != "40.00" {
		t.Errorf("stage-1 criteria = %+v", s1.Criteria)
	}
}

// TestAdminRoundDecision: a recorded tie decision shows on the round page
// with who decided it and when.
func TestAdminRoundDecision(t *testing.T) {
	store, _, ctx := scoredFixture(t, false)
	d := must(store.AdminRound(ctx, "p", "r1")).val(t)
	if d.Decision != nil {
		t.Fatalf("decision before any: %+v", d.Decision)
	}
	// t3 ties t2 (60 each) across the cut of two.
	cells, err := store.RoundScores(ctx, "p", "r1")
	if err != nil {
		t.Fatal(err)
	}
	var edits []postgres.ScoreEdit
	for _, c := range cells {
		if c.Team == "t3" {
			edits = append(edits, postgres.ScoreEdit{Team: "t3", Criterion: c.Criterion, Value: "30.00", Version: c.Version})
		}
	}
	if len(edits) != 2 {
		t.Fatalf("t3 cells: %+v", edits)
	}
	if _, err := store.SaveScores(ctx, "p", "r1", edits, alice); err != nil {
		t.Fatal(err)
	}
	before := time.Now().Add(-time.Minute)
	why := contest.Text{KO: "발표 점수 우위", EN: "better presentation"}
	if err := store.DecideRound(ctx, "p", "r1", []string{"t3"}, why, bob); err != nil {
		t.Fatal(err)
	}
	if d, err = store.AdminRound(ctx, "p", "r1"); err != nil {
		t.Fatal(err)
	}
	if d.Decision == nil {
		t.Fatal("no decision")
	}
	if diff := cmp.Diff([]string{"t3"}, d.Decision.Advance); diff != "" || d.Decision.Reason != why || d.Decision.DecidedBy != bob.Name ||
		d.Decision.DecidedAt.Before(before) {
		t.Errorf("decision %+v", d.Decision)
	}
	if !d.Complete() || d.Required != 6 || d.Entered != 6 {
		t.Errorf("completeness with a decision: %+v", d.Completeness)
	}
}

func TestAdminRound(t *testing.T) {
	store, _, ctx := scoredFixture(t, false)
	d, err := store.AdminRound(ctx, "p", "r1")
	if err != nil {
		t.Fatal(err)
	}
	if !d.Complete() || d.Required != 6 || len(d.Entries) != 3 || len(d.Criteria) != 2 || d.Revisions != nil || d.PublishAt != nil {
		t.Errorf("round %+v", d)
	}
	if c := d.Criteria[0]; c.Code != "a" || !c.Leaf || c.Max != "50.00" || c.Category != "a" || c.Depth != 0 {
		t.Errorf("criterion %+v", c)
	}
	if err := store.SetEligibility(ctx, "p", "r1", "t3", contest.EntryWithdrew, contest.Text{KO: "철회", EN: "withdrew"}, alice); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := store.CloseRound(ctx, "p", "r1", alice); err != nil {
		t.Fatal(err)
	}
	if _, err := store.PublishRound(ctx, "p", "r1", alice, now); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CorrectRound(ctx, "p", "r1", postgres.Correction{Team: "t2", Criterion: "a", Value: "31"},
		contest.Text{KO: "오기", EN: "typo"}, bob, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	d, err = store.AdminRound(ctx, "p", "r1")
	if err != nil {
		t.Fatal(err)
	}
	// A withdrawn team needs no scores.
	if d.Required != 4 || d.Entered != 4 {
		t.Errorf("completeness after withdrawal: %d / %d", d.Entered, d.Required)
	}
	if len(d.Revisions) != 2 || d.Revisions[0].Change != nil || d.Revisions[1].Reason.EN != "typo" ||
		d.Revisions[1].PublishedBy != bob.Name || len(d.Revisions[1].AuditHead) != 64 {
		t.Errorf("revisions %+v", d.Revisions)
	}
	if _, err := store.AdminRound(ctx, "p", "nope"); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("unknown round: %v", err)
	}
}

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
