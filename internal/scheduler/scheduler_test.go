package scheduler

import (
	"context"
	"errors"
	"log/slog"
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

// Run checks at once (so publications due while the server was down happen
// at start) and then on every tick, until its context ends.
func TestRunChecksAtStartAndOnTicks(t *testing.T) {
	p := &fakePublisher{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { Run(ctx, p, 20*time.Millisecond, slog.New(slog.DiscardHandler)); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		p.mu.Lock()
		n := len(p.calls)
		p.mu.Unlock()
		if n >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d checks", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("Run did not stop")
	}
}

func TestTickSurvivesErrors(t *testing.T) {
	p := &fakePublisher{fail: true}
	Tick(context.Background(), p, time.Now(), slog.New(slog.DiscardHandler))
	if len(p.calls) != 1 {
		t.Fatalf("calls = %d", len(p.calls))
	}
}
