package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
)

func TestAdminRounds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, _ := scoredFixture(t, true)
	at := time.Date(2031, 1, 15, 5, 0, 0, 0, time.UTC)
	if err := store.SchedulePublication(ctx, "p", "r1", at, alice); err != nil {
		t.Fatal(err)
	}
	rounds, err := store.AdminRounds(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if len(rounds) != 1 {
		t.Fatalf("%d rounds", len(rounds))
	}
	r := rounds[0]
	if r.Slug != "r1" || r.Teams != 3 || !r.Scored || r.Required != 6 || r.Entered != 5 || r.Complete() {
		t.Errorf("summary %+v", r)
	}
	if diff := cmp.Diff([]rules.Missing{{Team: "t3", Criterion: "b"}}, r.Missing); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}
	if r.PublishAt == nil || !r.PublishAt.Equal(at) || r.ScheduledBy != alice.Name {
		t.Errorf("schedule %v by %q", r.PublishAt, r.ScheduledBy)
	}
	refs, err := store.RoundRefs(ctx, "p")
	if err != nil || len(refs) != 1 || refs[0].Slug != "r1" || refs[0].Name.EN != "Round" {
		t.Errorf("round refs %+v, %v", refs, err)
	}
}

func TestAdminRound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, _ := scoredFixture(t, false)
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
