package postgres_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
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
