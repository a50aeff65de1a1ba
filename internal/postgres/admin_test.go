package postgres_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
)

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
