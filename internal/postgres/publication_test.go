package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
)

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
