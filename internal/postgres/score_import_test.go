package postgres_test

import (
	"errors"
	"testing"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/scorecsv"
)

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
