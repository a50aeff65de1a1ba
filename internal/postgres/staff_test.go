package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/scorecsv"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/programfile"
)

// scoredFixture imports a small program: one stage round, two direct
// leaves, three teams, N = 2; fully scored unless partial.
func scoredFixture(t *testing.T, partial bool) (*postgres.Store, string) {
	t.Helper()
	url := pgtest.URL(t)
	pool, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	store := postgres.New(pool)
	txt := func(s string) programfile.Text { return programfile.Text{KO: s, EN: s} }
	f := &programfile.File{Program: programfile.Program{Slug: "p", Name: txt("P"), Ministry: txt("M")}}
	f.Organizations = []programfile.Organization{{Slug: "o", Name: txt("O"), Kind: "other"}}
	r := programfile.Round{Slug: "r1", Kind: "stage", Name: txt("Round"), Rule: programfile.Rule{Advance: 2},
		Criteria: []programfile.Criterion{{Code: "a", Name: txt("A"), Max: "50.00"}, {Code: "b", Name: txt("B"), Max: "50.00"}}}
	vals := map[string][2]string{"t1": {"40.00", "40.00"}, "t2": {"30.00", "30.00"}, "t3": {"20.00", "20.00"}}
	for _, team := range []string{"t1", "t2", "t3"} {
		f.Teams = append(f.Teams, programfile.Team{Slug: team, Name: txt(team), Lead: "o"})
		r.Entries = append(r.Entries, programfile.Entry{Team: team, Status: "eligible"})
		r.Scores = append(r.Scores, programfile.Score{Team: team, Criterion: "a", Value: vals[team][0]})
		if !partial || team != "t3" {
			r.Scores = append(r.Scores, programfile.Score{Team: team, Criterion: "b", Value: vals[team][1]})
		}
	}
	f.Rounds = []programfile.Round{r}
	if _, err := store.ImportProgram(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	return store, url
}

var alice = contest.Actor{Name: "alice@example.com", Addr: "192.0.2.1"}
var bob = contest.Actor{Name: "bob@example.com", Addr: "192.0.2.2"}

func countAudit(t *testing.T, store *postgres.Store, action string) int {
	t.Helper()
	ev, err := store.AuditEvents(context.Background(), postgres.AuditFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return len(ev)
}

func TestConcurrentScoreSavesOneWins(t *testing.T) {
	t.Parallel()
	store, _ := scoredFixture(t, true)
	ctx := context.Background()
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

func TestScheduledPublication(t *testing.T) {
	t.Parallel()
	store, _ := scoredFixture(t, false)
	ctx := context.Background()
	at := time.Date(2026, 8, 10, 14, 0, 0, 0, time.UTC)
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

func TestScheduledPublicationOfIncompleteRoundFailsVisibly(t *testing.T) {
	t.Parallel()
	store, _ := scoredFixture(t, true)
	ctx := context.Background()
	at := time.Now().Add(-time.Minute)
	if err := store.SchedulePublication(ctx, "p", "r1", at, alice); err != nil {
		t.Fatal(err)
	}
	_, failed, err := store.PublishDue(ctx, time.Now())
	if err != nil || failed["r1"] == nil || !strings.Contains(failed["r1"].Error(), "team t3, criterion b") {
		t.Fatalf("failed = %v, err = %v", failed, err)
	}
	if n := countAudit(t, store, "round.publish_failed"); n != 1 {
		t.Errorf("%d publish_failed events", n)
	}
}

func TestCorrectionMakesNewRevision(t *testing.T) {
	t.Parallel()
	store, _ := scoredFixture(t, false)
	ctx := context.Background()
	if _, err := store.PublishRound(ctx, "p", "r1", alice, time.Now()); err != nil {
		t.Fatal(err)
	}
	first, err := store.PublishedResults(ctx, "p", "r1")
	if err != nil {
		t.Fatal(err)
	}
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

func TestEligibilityBeforePublication(t *testing.T) {
	t.Parallel()
	store, _ := scoredFixture(t, false)
	ctx := context.Background()
	if err := store.SetEligibility(ctx, "p", "r1", "t1", "disqualified", contest.Text{KO: "독자성", EN: "independence"}, alice); err != nil {
		t.Fatal(err)
	}
	if err := store.SetEligibility(ctx, "p", "r1", "t1", "disqualified", contest.Text{}, alice); err == nil {
		t.Error("disqualification without a reason accepted")
	}
	rr, err := store.Results(ctx, "p", "r1")
	if err != nil {
		t.Fatal(err)
	}
	if tm := reportTeam(t, rr.Report, "t1"); tm.Outcome == nil || *tm.Outcome != "disqualified" {
		t.Errorf("t1: %+v", tm)
	}
	if n := countAudit(t, store, "entry.eligibility"); n != 1 {
		t.Errorf("%d eligibility events", n)
	}
}

func reportTeam(t *testing.T, rep rules.Report, team string) rules.ReportTeam {
	t.Helper()
	for _, tm := range rep.Teams {
		if tm.Team == team {
			return tm
		}
	}
	t.Fatalf("team %s is not in the report", team)
	return rules.ReportTeam{}
}

// A correction that creates a tie across the cut is refused with a message
// that names the tied teams.
func TestCorrectionIntoATieIsRefused(t *testing.T) {
	t.Parallel()
	store, _ := scoredFixture(t, false)
	ctx := context.Background()
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

// A confirmed score import writes only if the scores are still those its
// preview was computed against; the check happens with the round locked.
func TestScoreImportConfirmsAgainstItsPreview(t *testing.T) {
	t.Parallel()
	store, _ := scoredFixture(t, true)
	ctx := context.Background()
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
