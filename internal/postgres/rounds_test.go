package postgres_test

import (
	"errors"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
)

func TestManageRounds(t *testing.T) {
	store, pool, ctx := manageStore(t)

	rounds := must(store.RoundRecords(ctx, manageProgram)).val(t)
	if len(rounds) != 6 || rounds[2].Slug != "stage-1" || rounds[2].Status != "published" {
		t.Fatalf("rounds: %+v", rounds)
	}

	// Create: a draft appended after the last round.
	at := time.Date(2026, 12, 20, 14, 0, 0, 0, time.FixedZone("KST", 9*3600))
	r, err := store.CreateRound(ctx, manageProgram, postgres.RoundRecord{
		Slug: "stage-3", Kind: "stage", Name: contest.Text{KO: "3차 단계평가", EN: "Stage 3"}, Period: "2026H2",
		EvaluatedOn: "2026-12-10", AnnounceAt: &at, Advance: 2, MinTotal: "60"}, manageActor)
	if err != nil {
		t.Fatal(err)
	}
	if r.Position != rounds[5].Position+1 || r.Status != "draft" || r.MinTotal != "60.00" || !r.AnnounceAt.Equal(at) || r.EvaluatedOn != "2026-12-10" {
		t.Errorf("created %+v", r)
	}
	wantAudit(t, store, "round.create", 1, "round:stage-3", nil, map[string]any{"slug": "stage-3", "advance": float64(2), "min_total": "60.00"})

	_, err = store.CreateRound(ctx, manageProgram, postgres.RoundRecord{Slug: "-x", Kind: "final", Name: contest.Text{EN: "X"},
		EvaluatedOn: "2026-13-01", Advance: -1, MinTotal: "1.234"}, manageActor)
	wantFieldErrors(t, err, "slug", "kind", "name_ko", "evaluated_on", "advance", "min_total")
	if _, err := store.CreateRound(ctx, manageProgram, postgres.RoundRecord{Slug: "final", Kind: "stage",
		Name: contest.Text{KO: "최종", EN: "Final"}}, manageActor); !errors.Is(err, contest.ErrConflict) {
		t.Errorf("duplicate round: err = %v, want ErrConflict", err)
	}

	// Update a draft: everything may change.
	r.Advance, r.Backfill, r.Kind, r.MinTotal = 1, true, "selection", ""
	up := must(store.UpdateRound(ctx, manageProgram, "stage-3", r, manageActor)).val(t)
	if up.Advance != 1 || !up.Backfill || up.Kind != "selection" || up.MinTotal != "" || up.Version != 2 {
		t.Errorf("updated %+v", up)
	}
	wantAudit(t, store, "round.update", 1, "round:stage-3", map[string]any{"advance": float64(2), "kind": "stage"},
		map[string]any{"advance": float64(1), "kind": "selection", "min_total": ""})
	if _, err := store.UpdateRound(ctx, manageProgram, "stage-3", r, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale round update: err = %v, want ErrStale", err)
	}

	// The published stage-1 round: its rule, kind, name and announcement
	// stay; only its note may change.
	s1 := must(store.RoundRecord(ctx, manageProgram, "stage-1")).val(t)
	if len(s1.Entries) != 5 {
		t.Errorf("stage-1 entries: %+v", s1.Entries)
	}
	unchanged := snapshot(t, pool)
	for _, change := range []func(*postgres.RoundRecord){
		func(r *postgres.RoundRecord) { r.Advance = 3 },
		func(r *postgres.RoundRecord) { r.Backfill = true },
		func(r *postgres.RoundRecord) { r.Kind = "selection" },
		func(r *postgres.RoundRecord) { r.Name.EN = "Renamed" },
		func(r *postgres.RoundRecord) { t := r.AnnounceAt.Add(time.Hour); r.AnnounceAt = &t },
	} {
		edit := s1
		change(&edit)
		if _, err := store.UpdateRound(ctx, manageProgram, "stage-1", edit, manageActor); !errors.Is(err, contest.ErrRoundState) {
			t.Errorf("change of published stage-1: err = %v, want contest.ErrRoundState", err)
		}
	}
	if _, err := store.CreateCriterion(ctx, manageProgram, "stage-1", postgres.CriterionRecord{Code: "extra",
		Name: contest.Text{KO: "추가", EN: "Extra"}, Max: "5"}, manageActor); !errors.Is(err, contest.ErrRoundState) {
		t.Errorf("criterion added to published stage-1: err = %v, want contest.ErrRoundState", err)
	}
	if err := store.DeleteCriterion(ctx, manageProgram, "stage-1", "nia", 1, manageActor); !errors.Is(err, contest.ErrRoundState) {
		t.Errorf("criterion deleted from published stage-1: err = %v, want contest.ErrRoundState", err)
	}
	if err := store.AddEntry(ctx, manageProgram, "stage-1", "kt", manageActor); !errors.Is(err, contest.ErrRoundState) {
		t.Errorf("entry added to published stage-1: err = %v, want contest.ErrRoundState", err)
	}
	unchanged("refused changes of stage-1")
	edit := s1
	edit.Note.EN += " Updated."
	noted, err := store.UpdateRound(ctx, manageProgram, "stage-1", edit, manageActor)
	if err != nil {
		t.Fatalf("note of published stage-1: %v", err)
	}
	if noted.Note.EN != edit.Note.EN || noted.Status != "published" || noted.Version != s1.Version+1 {
		t.Errorf("noted %+v", noted)
	}
}

func TestEligibilityBeforePublication(t *testing.T) {
	store, _, ctx := scoredFixture(t, false)
	if err := store.SetEligibility(ctx, "p", "r1", "t1", "disqualified", contest.Text{KO: "독자성", EN: "independence"}, alice); err != nil {
		t.Fatal(err)
	}
	if err := store.SetEligibility(ctx, "p", "r1", "t1", "disqualified", contest.Text{}, alice); err == nil {
		t.Error("disqualification without a reason accepted")
	}
	rr := must(store.Results(ctx, "p", "r1")).val(t)
	if tm := reportTeam(t, rr.Report, "t1"); tm.Outcome == nil || *tm.Outcome != "disqualified" {
		t.Errorf("t1: %+v", tm)
	}
	if n := countAudit(t, store, "entry.eligibility"); n != 1 {
		t.Errorf("%d eligibility events", n)
	}
}
