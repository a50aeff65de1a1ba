package postgres_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
)

func TestManageCriteriaAndEntries(t *testing.T) {
	store, pool, ctx := manageStore(t)
	const round = "stage-2"
	name := func(s string) contest.Text { return contest.Text{KO: s + " (ko)", EN: s} }

	// Build a tree in the draft stage-2 round.
	for _, c := range []postgres.CriterionRecord{
		{Code: "benchmark", Name: name("Benchmarks"), Max: "40"},
		{Code: "expert", Name: name("Experts"), Max: "35", PanelSize: 5, Aggregate: "trimmed_mean"},
		{Code: "nia", Parent: "benchmark", Name: name("NIA"), Max: "10.5"},
		{Code: "global_common", Parent: "benchmark", Name: name("Global"), Max: "29.5"},
	} {
		if _, err := store.CreateCriterion(ctx, manageProgram, round, c, manageActor); err != nil {
			t.Fatalf("create %s: %v", c.Code, err)
		}
	}
	crits, err := store.Criteria(ctx, manageProgram, round)
	if err != nil {
		t.Fatal(err)
	}
	var tree []string
	for _, c := range crits {
		tree = append(tree, strings.Repeat("  ", c.Depth)+c.Code+" "+c.Max)
	}
	want := []string{"benchmark 40.00", "  nia 10.50", "  global_common 29.50", "expert 35.00"}
	wantSame(t, "tree", want, tree)
	wantAudit(t, store, "criterion.create", 4, "round:stage-2/criterion:global_common", nil,
		map[string]any{"code": "global_common", "parent": "benchmark", "max": "29.50"})

	// Field errors.
	_, err = store.CreateCriterion(ctx, manageProgram, round, postgres.CriterionRecord{Code: "total", Max: "0"}, manageActor)
	fe := wantFieldErrors(t, err, "code", "name_ko", "name_en", "max")
	if got := fe.Fields["max"]; got.Key != "positive" || got.English() != "must be > 0" {
		t.Errorf("max message = %+v", got)
	}
	_, err = store.CreateCriterion(ctx, manageProgram, round, postgres.CriterionRecord{Code: "bad code", Name: name("X"), Max: "-1",
		PanelSize: 2, Aggregate: "trimmed_mean"}, manageActor)
	wantFieldErrors(t, err, "code", "max", "aggregate")
	_, err = store.CreateCriterion(ctx, manageProgram, round, postgres.CriterionRecord{Code: "sub", Parent: "expert", Name: name("Sub"), Max: "5"}, manageActor)
	wantFieldErrors(t, err, "parent")
	_, err = store.CreateCriterion(ctx, manageProgram, round, postgres.CriterionRecord{Code: "sub", Parent: "nowhere", Name: name("Sub"), Max: "5"}, manageActor)
	wantFieldErrors(t, err, "parent")
	if _, err := store.CreateCriterion(ctx, manageProgram, round, postgres.CriterionRecord{Code: "nia", Name: name("NIA"), Max: "5"}, manageActor); !errors.Is(err, contest.ErrConflict) {
		t.Errorf("duplicate code: err = %v, want ErrConflict", err)
	}
	benchmark := must(store.Criterion(ctx, manageProgram, round, "benchmark")).val(t)
	benchmark.Parent = "nia"
	_, err = store.UpdateCriterion(ctx, manageProgram, round, "benchmark", benchmark, manageActor)
	wantFieldErrors(t, err, "parent")

	// Entries: add one, then enter scores.
	if err := store.AddEntry(ctx, manageProgram, round, "trillion-labs", manageActor); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, store, "entry.add", 1, "round:stage-2/team:trillion-labs", nil, map[string]any{"team": "trillion-labs", "status": "eligible"})
	if err := store.AddEntry(ctx, manageProgram, round, "lg", manageActor); !errors.Is(err, contest.ErrConflict) {
		t.Errorf("entry twice: err = %v, want ErrConflict", err)
	}
	wantFieldErrors(t, store.AddEntry(ctx, manageProgram, round, "nobody", manageActor), "team")
	if _, err := store.SaveScores(ctx, manageProgram, round, []postgres.ScoreEdit{
		{Team: "lg", Criterion: "nia", Value: "9.5"},
		{Team: "lg", Criterion: "expert", Evaluator: 4, Value: "30"},
	}, manageActor); err != nil {
		t.Fatal(err)
	}

	// Lowering a maximum below an entered score is a field error on max.
	nia := must(store.Criterion(ctx, manageProgram, round, "nia")).val(t)
	if nia.Scores != 1 || !nia.Leaf || nia.Depth != 1 {
		t.Errorf("nia = %+v", nia)
	}
	unchanged := snapshot(t, pool)
	low := nia
	low.Max = "9"
	_, err = store.UpdateCriterion(ctx, manageProgram, round, "nia", low, manageActor)
	fe = wantFieldErrors(t, err, "max")
	if got := fe.Fields["max"]; got.Key != "max_below" || !strings.Contains(got.English(), "9.50") {
		t.Errorf("max message = %+v", fe.Fields["max"])
	}
	// Panels that would orphan scores.
	expert := must(store.Criterion(ctx, manageProgram, round, "expert")).val(t)
	small := expert
	small.PanelSize, small.Aggregate = 3, "mean"
	_, err = store.UpdateCriterion(ctx, manageProgram, round, "expert", small, manageActor)
	wantFieldErrors(t, err, "panel_size")
	direct := expert
	direct.PanelSize, direct.Aggregate = 0, ""
	_, err = store.UpdateCriterion(ctx, manageProgram, round, "expert", direct, manageActor)
	wantFieldErrors(t, err, "panel_size")
	// A scored criterion, and a team with scores, are not deleted.
	err = store.DeleteCriterion(ctx, manageProgram, round, "nia", nia.Version, manageActor)
	wantFieldErrors(t, err, "")
	err = store.DeleteCriterion(ctx, manageProgram, round, "benchmark", benchmark.Version, manageActor)
	wantFieldErrors(t, err, "")
	err = store.RemoveEntry(ctx, manageProgram, round, "lg", manageActor)
	wantFieldErrors(t, err, "")
	unchanged("refused criteria changes")

	// What the scores allow goes through.
	ok := nia
	ok.Max, ok.Code, ok.Name.EN = "9.50", "nia_bench", "NIA benchmarks"
	got := must(store.UpdateCriterion(ctx, manageProgram, round, "nia", ok, manageActor)).val(t)
	if got.Max != "9.50" || got.Code != "nia_bench" || got.Version != 2 || got.Scores != 1 || got.Parent != "benchmark" {
		t.Errorf("updated %+v", got)
	}
	wantAudit(t, store, "criterion.update", 1, "round:stage-2/criterion:nia", map[string]any{"code": "nia", "max": "10.50"},
		map[string]any{"code": "nia_bench", "max": "9.50", "version": float64(2)})
	if _, err := store.UpdateCriterion(ctx, manageProgram, round, "nia_bench", ok, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale criterion update: err = %v, want ErrStale", err)
	}
	bigger := expert
	bigger.PanelSize = 7
	if _, err := store.UpdateCriterion(ctx, manageProgram, round, "expert", bigger, manageActor); err != nil {
		t.Errorf("growing the panel: %v", err)
	}
	// Moving a criterion appends it to its new siblings.
	gc := must(store.Criterion(ctx, manageProgram, round, "global_common")).val(t)
	gc.Parent = ""
	if _, err := store.UpdateCriterion(ctx, manageProgram, round, "global_common", gc, manageActor); err != nil {
		t.Fatal(err)
	}
	crits, err = store.Criteria(ctx, manageProgram, round)
	if err != nil {
		t.Fatal(err)
	}
	tree = tree[:0]
	for _, c := range crits {
		tree = append(tree, strings.Repeat("  ", c.Depth)+c.Code)
	}
	wantSame(t, "tree after the move", []string{"benchmark", "  nia_bench", "expert", "global_common"}, tree)

	// Deleting an unscored leaf, and removing an unscored entry.
	gc, _ = store.Criterion(ctx, manageProgram, round, "global_common")
	if err := store.DeleteCriterion(ctx, manageProgram, round, "global_common", gc.Version-1, manageActor); !errors.Is(err, contest.ErrStale) {
		t.Errorf("stale delete: err = %v, want ErrStale", err)
	}
	if err := store.DeleteCriterion(ctx, manageProgram, round, "global_common", gc.Version, manageActor); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, store, "criterion.delete", 1, "round:stage-2/criterion:global_common", map[string]any{"code": "global_common"}, nil)
	if err := store.RemoveEntry(ctx, manageProgram, round, "trillion-labs", manageActor); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, store, "entry.remove", 1, "round:stage-2/team:trillion-labs", map[string]any{"team": "trillion-labs"}, nil)
	rr := must(store.RoundRecord(ctx, manageProgram, round)).val(t)
	var entries []string
	for _, e := range rr.Entries {
		entries = append(entries, e.Team)
	}
	wantSame(t, "entries", []string{"lg", "skt", "upstage", "motif"}, entries)
}

func TestManageClosedRoundKeepsRuleAndCriteria(t *testing.T) {
	store, _, ctx := manageStore(t)
	const round = "final"
	if _, err := store.CreateCriterion(ctx, manageProgram, round, postgres.CriterionRecord{Code: "total_score",
		Name: contest.Text{KO: "총점", EN: "Score"}, Max: "100"}, manageActor); err != nil {
		t.Fatal(err)
	}
	for _, team := range []string{"lg", "skt"} {
		if err := store.AddEntry(ctx, manageProgram, round, team, manageActor); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.SaveScores(ctx, manageProgram, round, []postgres.ScoreEdit{
		{Team: "lg", Criterion: "total_score", Value: "90"}, {Team: "skt", Criterion: "total_score", Value: "80"}}, manageActor); err != nil {
		t.Fatal(err)
	}
	if err := store.CloseRound(ctx, manageProgram, round, manageActor); err != nil {
		t.Fatal(err)
	}
	r := must(store.RoundRecord(ctx, manageProgram, round)).val(t)
	rule := r
	rule.Advance = 1
	if _, err := store.UpdateRound(ctx, manageProgram, round, rule, manageActor); !errors.Is(err, contest.ErrRoundState) {
		t.Errorf("rule of a closed round: err = %v, want contest.ErrRoundState", err)
	}
	c := must(store.Criterion(ctx, manageProgram, round, "total_score")).val(t)
	c.Name.EN = "Total score"
	if _, err := store.UpdateCriterion(ctx, manageProgram, round, "total_score", c, manageActor); !errors.Is(err, contest.ErrRoundState) {
		t.Errorf("criterion of a closed round: err = %v, want contest.ErrRoundState", err)
	}
	if err := store.RemoveEntry(ctx, manageProgram, round, "skt", manageActor); !errors.Is(err, contest.ErrRoundState) {
		t.Errorf("entry of a closed round: err = %v, want contest.ErrRoundState", err)
	}
	// Before publication its name, note and announcement may still change.
	at := time.Date(2026, 12, 30, 10, 0, 0, 0, time.UTC)
	r.Name.EN, r.Note.EN, r.AnnounceAt = "Final evaluation (2026)", r.Note.EN+" More.", &at
	up := must(store.UpdateRound(ctx, manageProgram, round, r, manageActor)).val(t)
	if up.Name.EN != "Final evaluation (2026)" || !up.AnnounceAt.Equal(at) || up.Status != "closed" {
		t.Errorf("updated %+v", up)
	}
}
