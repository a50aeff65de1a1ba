package postgres_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
)

// execSQL runs one statement on the test database (for setup the store has
// no operation for).
func execSQL(t *testing.T, url, sql string, args ...any) {
	t.Helper()
	pool := must(postgres.Open(t.Context(), url)).val(t)
	defer pool.Close()
	if _, err := pool.Exec(t.Context(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

// setApprovals sets how many admins program p's publications need.
func setApprovals(t *testing.T, url string, n int) {
	t.Helper()
	execSQL(t, url, `UPDATE programs SET approvals = $1 WHERE slug = 'p'`, n)
}

// setSchedule sets a round's scheduled publication directly.
func setSchedule(t *testing.T, url, round string, at time.Time, by string) {
	t.Helper()
	execSQL(t, url, `UPDATE rounds SET publish_at = $2, scheduled_by = $3 WHERE slug = $1`, round, at, by)
}

func closeRound(t *testing.T, store *postgres.Store, round string) {
	t.Helper()
	if err := store.CloseRound(t.Context(), "p", round, alice); err != nil {
		t.Fatal(err)
	}
}

// saveScore changes one score of round r1 of program p.
func saveScore(t *testing.T, store *postgres.Store, team, criterion, value string) {
	t.Helper()
	ctx := t.Context()
	cells := must(store.RoundScores(ctx, "p", "r1")).val(t)
	for _, c := range cells {
		if c.Team == team && c.Criterion == criterion {
			if _, err := store.SaveScores(ctx, "p", "r1", []postgres.ScoreEdit{{Team: team, Criterion: criterion, Value: value, Version: c.Version}}, alice); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no score %s %s", team, criterion)
}

// wantUnpublished checks that round r1 is in no public read.
func wantUnpublished(t *testing.T, store *postgres.Store) {
	t.Helper()
	ctx := t.Context()
	if _, err := store.PublishedResults(ctx, "p", "r1"); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("published results: %v, want ErrNotFound", err)
	}
	if _, _, err := store.Revision(ctx, "p", "r1", 1); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("revision 1: %v, want ErrNotFound", err)
	}
	f, err := store.PublicFeed(ctx, "p")
	if err != nil || len(f.Rounds) != 0 {
		t.Errorf("feed: %+v, %v", f.Rounds, err)
	}
}

// publishedDocument is the public results document of r1 as JSON.
func publishedDocument(t *testing.T, store *postgres.Store) []byte {
	t.Helper()
	rr := must(store.PublishedResults(t.Context(), "p", "r1")).val(t)
	// Public reads name the disclosure level; the reviewed document is the
	// results as frozen, without it.
	rep := rr.Report
	rep.Disclosure = ""
	doc := must(json.Marshal(rep)).val(t)
	return doc
}

// With two approvals, A's request leaves the round unpublished everywhere
// public, A cannot approve it, and B's approval publishes exactly the
// document A and B reviewed.
func TestFourEyesPublication(t *testing.T) {
	store, url, ctx := scoredFixture(t, false)
	setApprovals(t, url, 2)
	if _, err := store.RequestPublication(ctx, "p", "r1", strings.Repeat("0", 64), time.Time{}, alice, time.Now()); !errors.Is(err, contest.ErrRoundState) {
		t.Fatalf("request for an open round: %v, want ErrRoundState", err)
	}
	closeRound(t, store, "r1")
	p := must(store.PublicationPreview(ctx, "p", "r1")).val(t)
	if p.Approvals != 2 || len(p.Fingerprint) != 64 || p.Fingerprint != contest.Fingerprint(p.Document) || p.Report.Status != rules.ReportPublished {
		t.Fatalf("preview %+v", p)
	}
	if _, err := store.PublishRound(ctx, "p", "r1", alice, time.Now()); !errors.Is(err, contest.ErrApprovalRequired) {
		t.Fatalf("direct publication with two approvals: %v", err)
	}
	req := must(store.RequestPublication(ctx, "p", "r1", p.Fingerprint, time.Time{}, alice, time.Now())).val(t)
	if req.Status != contest.RequestPending || req.RequestedBy != alice.Name || req.Fingerprint != p.Fingerprint || !bytes.Equal(req.Document, p.Document) {
		t.Fatalf("request %+v", req)
	}
	wantUnpublished(t, store)
	if again, err := store.PublicationPreview(ctx, "p", "r1"); err != nil || again.Pending == nil || again.Pending.ID != req.ID {
		t.Errorf("preview after the request: pending %+v, %v", again.Pending, err)
	}
	if _, err := store.RequestPublication(ctx, "p", "r1", p.Fingerprint, time.Time{}, bob, time.Now()); !errors.Is(err, contest.ErrConflict) {
		t.Errorf("second pending request: %v, want ErrConflict", err)
	}
	if _, err := store.ApprovePublication(ctx, req.ID, p.Fingerprint, alice, time.Now()); !errors.Is(err, contest.ErrSelfApproval) {
		t.Fatalf("self-approval: %v, want ErrSelfApproval", err)
	}
	// B reviewed something else: refused, and the request still waits.
	if _, err := store.ApprovePublication(ctx, req.ID, strings.Repeat("a", 64), bob, time.Now()); !errors.Is(err, contest.ErrStale) {
		t.Fatalf("approval of another document: %v, want ErrStale", err)
	}
	wantUnpublished(t, store)
	at := time.Date(2026, 8, 1, 6, 0, 0, 0, time.UTC)
	done := must(store.ApprovePublication(ctx, req.ID, p.Fingerprint, bob, at)).val(t)
	if done.Status != contest.RequestApproved || done.DecidedBy != bob.Name || done.Revision != 1 {
		t.Errorf("approved request %+v", done)
	}
	if got := publishedDocument(t, store); !bytes.Equal(got, p.Document) {
		t.Errorf("published\n%s\nreviewed\n%s", got, p.Document)
	}
	if _, err := store.ApprovePublication(ctx, req.ID, p.Fingerprint, bob, at); !errors.Is(err, contest.ErrRequestClosed) {
		t.Errorf("second approval: %v, want ErrRequestClosed", err)
	}
	for action, want := range map[string]int{"round.request_publish": 1, "round.approve": 1, "round.publish": 1} {
		if n := countAudit(t, store, action); n != want {
			t.Errorf("%d %s events, want %d", n, action, want)
		}
	}
}

// Any change of the inputs after A's request voids it: B's approval is
// refused, and a request for a preview the inputs no longer produce is
// refused with both fingerprints.
func TestFourEyesRequestVoidedByChange(t *testing.T) {
	store, url, ctx := scoredFixture(t, false)
	setApprovals(t, url, 2)
	closeRound(t, store, "r1")
	p, req := requestPublication(t, store, time.Time{})
	// Reopen, change a score, close again.
	if err := store.ReopenRound(ctx, "p", "r1", bob); err != nil {
		t.Fatal(err)
	}
	saveScore(t, store, "t3", "a", "45")
	closeRound(t, store, "r1")
	if _, err := store.ApprovePublication(ctx, req.ID, p.Fingerprint, bob, time.Now()); !errors.Is(err, contest.ErrRequestClosed) {
		t.Fatalf("approval after a change: %v, want ErrRequestClosed", err)
	}
	got, err := store.Request(ctx, req.ID)
	if err != nil || got.Status != contest.RequestVoided || got.Note == "" {
		t.Errorf("request after the change %+v, %v", got, err)
	}
	wantUnpublished(t, store)
	// The old preview cannot be requested either.
	_, err = store.RequestPublication(ctx, "p", "r1", p.Fingerprint, time.Time{}, alice, time.Now())
	se, ok := contest.IsStaleResults(err)
	if !ok || !errors.Is(err, contest.ErrStale) || se.Reviewed != p.Fingerprint || se.Current == p.Fingerprint || len(se.CurrentDocument) == 0 {
		t.Fatalf("request of a stale preview: %v", err)
	}
	// A decision recorded after the request voids it too.
	fresh := must(store.PublicationPreview(ctx, "p", "r1")).val(t)
	if bytes.Equal(fresh.Document, p.Document) {
		t.Fatal("the score change did not change the document")
	}
	req2 := must(store.RequestPublication(ctx, "p", "r1", fresh.Fingerprint, time.Time{}, alice, time.Now())).val(t)
	if err := store.SetEligibility(ctx, "p", "r1", "t3", contest.EntryWithdrew, contest.Text{KO: "철회", EN: "withdrew"}, bob); !errors.Is(err, contest.ErrRoundState) {
		t.Fatalf("eligibility of a closed round: %v", err)
	}
	if err := store.WithdrawRequest(ctx, req2.ID, alice); err != nil {
		t.Fatal(err)
	}
	if _, err := store.ApprovePublication(ctx, req2.ID, fresh.Fingerprint, bob, time.Now()); !errors.Is(err, contest.ErrRequestClosed) {
		t.Errorf("approval of a withdrawn request: %v", err)
	}
	wantUnpublished(t, store)
}

// publishR1 closes and publishes r1 through a request (approvals 1).
// requestPublication has alice ask to publish r1 as its preview now
// stands, at at (zero: at once); it returns the preview and the request.
func requestPublication(t *testing.T, store *postgres.Store, at time.Time) (postgres.Preview, postgres.PublicationRequest) {
	t.Helper()
	p := must(store.PublicationPreview(t.Context(), "p", "r1")).val(t)
	req := must(store.RequestPublication(t.Context(), "p", "r1", p.Fingerprint, at, alice, time.Now())).val(t)
	return p, req
}

func publishR1(t *testing.T, store *postgres.Store) {
	t.Helper()
	ctx := t.Context()
	closeRound(t, store, "r1")
	p := must(store.PublicationPreview(ctx, "p", "r1")).val(t)
	req, err := store.RequestPublication(ctx, "p", "r1", p.Fingerprint, time.Time{}, alice, time.Now())
	if err != nil || req.Status != contest.RequestApproved || req.Revision != 1 {
		t.Fatalf("publication with one approval: %+v, %v", req, err)
	}
}

func outcomeOf(f postgres.TeamFigures) string {
	if f.Outcome == nil {
		return ""
	}
	return string(*f.Outcome)
}

// A correction shows the per-team diff before anything happens and, with
// two approvals, waits for B; B's approval publishes exactly the preview.
func TestFourEyesCorrection(t *testing.T) {
	store, url, ctx := scoredFixture(t, false)
	publishR1(t, store)
	setApprovals(t, url, 2)
	before := publishedDocument(t, store)
	c := postgres.Correction{Team: "t3", Criterion: "a", Value: "45"} // t3 40 → 65, past t2 (60)
	p := must(store.CorrectionPreview(ctx, "p", "r1", c)).val(t)
	if p.Corrects != 1 || p.Report.Status != rules.ReportCorrected || p.Fingerprint != contest.Fingerprint(p.Document) {
		t.Fatalf("preview %+v", p)
	}
	changes := map[string]postgres.TeamChange{}
	for _, ch := range p.Diff {
		changes[ch.Team] = ch
	}
	if ch := changes["t2"]; !ch.Changed || outcomeOf(ch.Old) != "advanced" || outcomeOf(ch.New) != "eliminated" || *ch.Old.Rank != 2 || *ch.New.Rank != 3 {
		t.Errorf("t2 %+v", ch)
	}
	if ch := changes["t3"]; !ch.Changed || *ch.Old.Total != "40.00" || *ch.New.Total != "65.00" || outcomeOf(ch.New) != "advanced" {
		t.Errorf("t3 %+v", ch)
	}
	if ch := changes["t1"]; ch.Changed {
		t.Errorf("t1 changed: %+v", ch)
	}
	if got := publishedDocument(t, store); !bytes.Equal(got, before) {
		t.Fatal("the preview changed the public results")
	}
	why := contest.Text{KO: "입력 오류", EN: "data entry error"}
	if _, err := store.RequestCorrection(ctx, "p", "r1", postgres.CorrectionRequest{Corrects: 1, Change: c, Fingerprint: p.Fingerprint}, alice, time.Now()); !errors.Is(err, contest.ErrInvalid) {
		t.Fatalf("correction without a reason: %v", err)
	}
	if _, err := store.CorrectRound(ctx, "p", "r1", c, why, alice, time.Now()); !errors.Is(err, contest.ErrApprovalRequired) {
		t.Fatalf("direct correction with two approvals: %v", err)
	}
	req, err := store.RequestCorrection(ctx, "p", "r1", postgres.CorrectionRequest{Corrects: 1, Change: c, Reason: why, Fingerprint: p.Fingerprint}, alice, time.Now())
	if err != nil || req.Status != contest.RequestPending || req.Kind != contest.RequestCorrect || req.Corrects != 1 || req.Correction == nil || req.Correction.Value != "45" {
		t.Fatalf("request %+v, %v", req, err)
	}
	if got := publishedDocument(t, store); !bytes.Equal(got, before) {
		t.Fatal("a pending correction changed the public results")
	}
	if _, err := store.ApprovePublication(ctx, req.ID, p.Fingerprint, alice, time.Now()); !errors.Is(err, contest.ErrSelfApproval) {
		t.Fatalf("self-approval: %v", err)
	}
	done, err := store.ApprovePublication(ctx, req.ID, p.Fingerprint, bob, time.Now())
	if err != nil || done.Revision != 2 || done.Status != contest.RequestApproved {
		t.Fatalf("approval %+v, %v", done, err)
	}
	if got := publishedDocument(t, store); !bytes.Equal(got, p.Document) {
		t.Errorf("published\n%s\nreviewed\n%s", got, p.Document)
	}
	recs, err := store.Corrections(ctx, "p", "r1")
	if err != nil || len(recs) != 1 || recs[0].Reason != why {
		t.Errorf("corrections %+v, %v", recs, err)
	}
}

// Two concurrent corrections of the same revision: exactly one succeeds,
// the other is refused with both versions.
func TestConcurrentCorrections(t *testing.T) {
	store, _, ctx := scoredFixture(t, false)
	publishR1(t, store)
	why := contest.Text{KO: "정정", EN: "correction"}
	changes := []postgres.Correction{{Team: "t3", Criterion: "a", Value: "25"}, {Team: "t2", Criterion: "b", Value: "35"}}
	var reqs []postgres.CorrectionRequest
	for _, c := range changes {
		p := must(store.CorrectionPreview(ctx, "p", "r1", c)).val(t)
		reqs = append(reqs, postgres.CorrectionRequest{Corrects: p.Corrects, Change: c, Reason: why, Fingerprint: p.Fingerprint})
	}
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = store.RequestCorrection(ctx, "p", "r1", r, []contest.Actor{alice, bob}[i], time.Now())
		}()
	}
	wg.Wait()
	var ok, stale int
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		se, isStale := contest.IsStaleResults(err)
		if !isStale || !errors.Is(err, contest.ErrStale) || se.Revision != 1 || se.CurrentRevision != 2 ||
			len(se.ReviewedDocument) == 0 || len(se.CurrentDocument) == 0 || bytes.Equal(se.ReviewedDocument, se.CurrentDocument) {
			t.Errorf("refused correction: %v (%+v)", err, se)
			continue
		}
		stale++
	}
	if ok != 1 || stale != 1 {
		t.Fatalf("%d succeeded, %d refused as stale: %v", ok, stale, errs)
	}
	if rr, err := store.PublishedResults(ctx, "p", "r1"); err != nil || rr.Revision != 2 {
		t.Errorf("revision %d, %v", rr.Revision, err)
	}
}

// Tie decisions belong to the revision they were made for.
func TestDecisionsPerRevision(t *testing.T) {
	store, _, ctx := scoredFixture(t, false)
	// t1 (30, 40) = 70; t2 and t3 (30, 30) tie across the cut of two.
	saveScore(t, store, "t3", "a", "30")
	saveScore(t, store, "t3", "b", "30")
	saveScore(t, store, "t1", "a", "30")
	reason := contest.Text{KO: "동점 심사", EN: "tie review"}
	if err := store.DecideRound(ctx, "p", "r1", []string{"t2"}, reason, alice); err != nil {
		t.Fatal(err)
	}
	publishR1(t, store)
	why := contest.Text{KO: "정정", EN: "correction"}
	correct := func(rev int, c postgres.Correction) {
		t.Helper()
		p := must(store.CorrectionPreview(ctx, "p", "r1", c)).val(t)
		if _, err := store.RequestCorrection(ctx, "p", "r1", postgres.CorrectionRequest{Corrects: rev, Change: c, Reason: why, Fingerprint: p.Fingerprint}, bob, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	// t1 70 → 75: the same tie, so the decision carries over to revision 2.
	correct(1, postgres.Correction{Team: "t1", Criterion: "b", Value: "45"})
	// t1 (30, 30): a tie of three for two places; the decision was for
	// another tie, so the correction needs a new one.
	c := postgres.Correction{Team: "t1", Criterion: "b", Value: "30"}
	if _, err := store.CorrectionPreview(ctx, "p", "r1", c); !errors.Is(err, contest.ErrInvalid) || !strings.Contains(err.Error(), "new decision") {
		t.Fatalf("correction changing the tie without a decision: %v", err)
	}
	c.Decision = &postgres.FrozenDecision{Advance: []string{"t1", "t2"}, Reason: contest.Text{KO: "새 결정", EN: "new decision"}}
	correct(2, c)
	rr, err := store.PublishedResults(ctx, "p", "r1")
	if err != nil || rr.Revision != 3 || rr.Input.Decision == nil || rr.Input.Decision.Reason.EN != "new decision" {
		t.Fatalf("revision 3 decision: %+v, %v", rr.Input, err)
	}
	// t3 60 → 40: t1 and t2 both pass, no tie: no decision is current.
	correct(3, postgres.Correction{Team: "t3", Criterion: "b", Value: "10"})
	rr, err = store.PublishedResults(ctx, "p", "r1")
	if err != nil || rr.Revision != 4 || rr.Input.Decision != nil {
		t.Fatalf("revision 4 decision: %+v, %v", rr.Input, err)
	}
	for _, tm := range rr.Result.Teams {
		if tm.ReasonCode == rules.ReasonDecision {
			t.Errorf("team %s decided by an earlier revision's decision", tm.Team)
		}
	}
	// The earlier revisions keep theirs.
	for rev, want := range map[int]string{1: "tie review", 2: "tie review", 3: "new decision"} {
		old, _, err := store.Revision(ctx, "p", "r1", rev)
		if err != nil || old.Input.Decision == nil || old.Input.Decision.Reason.EN != want {
			t.Errorf("revision %d decision %+v, %v", rev, old.Input, err)
		}
	}
	if res, err := store.Results(ctx, "p", "r1"); err != nil || res.StaleDecision || res.Input.Decision != nil {
		t.Errorf("staff results after the correction: %+v, %v", res.Input, err)
	}
}

// A decision recorded after the request voids it: the trigger on the
// inputs, not only the approval's fingerprint check.
func TestFourEyesRequestVoidedByDecision(t *testing.T) {
	store, url, ctx := scoredFixture(t, false)
	setApprovals(t, url, 2)
	saveScore(t, store, "t3", "a", "30")
	saveScore(t, store, "t3", "b", "30")
	why := contest.Text{KO: "동점 심사", EN: "tie review"}
	if err := store.DecideRound(ctx, "p", "r1", []string{"t2"}, why, alice); err != nil {
		t.Fatal(err)
	}
	closeRound(t, store, "r1")
	p, req := requestPublication(t, store, time.Time{})
	if err := store.DecideRound(ctx, "p", "r1", []string{"t3"}, why, bob); err != nil {
		t.Fatal(err)
	}
	if got, err := store.Request(ctx, req.ID); err != nil || got.Status != contest.RequestVoided || !strings.Contains(got.Note, "decisions") {
		t.Errorf("request after a new decision: %+v, %v", got, err)
	}
	if _, err := store.ApprovePublication(ctx, req.ID, p.Fingerprint, bob, time.Now()); !errors.Is(err, contest.ErrRequestClosed) {
		t.Errorf("approval after a new decision: %v", err)
	}
	if pending, err := store.PendingRequests(ctx); err != nil || len(pending) != 0 {
		t.Errorf("pending %+v, %v", pending, err)
	}
	wantUnpublished(t, store)
}
