package scheduler

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

type fakePublisher struct {
	mu    sync.Mutex
	calls []time.Time
	fail  bool
}

func (f *fakePublisher) PublishDue(ctx context.Context, now time.Time) ([]string, map[string]error, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, now)
	if f.fail {
		return nil, nil, errors.New("database down")
	}
	return []string{"r1"}, map[string]error{"r2": errors.New("incomplete")}, nil
}

// Run checks at once, so publications that fell due while the server was
// down happen at start, without waiting for the first tick.
func TestRunChecksAtStart(t *testing.T) {
	p := &fakePublisher{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { Run(ctx, p, time.Hour, slog.New(slog.DiscardHandler)); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for p.count() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no check at start")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("Run did not stop after its context ended")
	}
	if n := p.count(); n != 1 {
		t.Errorf("%d checks within an hour-long interval, want 1", n)
	}
}

// Run keeps checking on every tick.
func TestRunChecksOnTicks(t *testing.T) {
	p := &fakePublisher{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go Run(ctx, p, 10*time.Millisecond, slog.New(slog.DiscardHandler))
	deadline := time.Now().Add(5 * time.Second)
	for p.count() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d checks", p.count())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Tick logs what it published, what failed and a failed check, and keeps
// going.
func TestTickLogs(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	Tick(context.Background(), &fakePublisher{}, time.Now(), log)
	Tick(context.Background(), &fakePublisher{fail: true}, time.Now(), log)
	for _, want := range []string{"published on schedule", "round=r1", "scheduled publication failed", "round=r2", "incomplete", "scheduled publication check failed", "database down"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, buf.String())
		}
	}
}

func (f *fakePublisher) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}
