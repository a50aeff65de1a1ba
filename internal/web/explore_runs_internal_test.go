package web

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/rules"
)

// At most the slots' number of simulations run at once; another scenario
// waits for a slot, then is refused.
func TestSimulationsCapConcurrency(t *testing.T) {
	t.Parallel()
	c := newSimulations()
	c.slots = make(chan struct{}, 1)
	c.wait = 50 * time.Millisecond
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := c.run(context.Background(), func() (simulation, error) {
			close(started)
			<-release
			return simulation{}, nil
		})
		done <- err
	}()
	<-started
	ran := false
	_, err := c.run(context.Background(), func() (simulation, error) { ran = true; return simulation{}, nil })
	if !errors.Is(err, errSimulationsBusy) || ran {
		t.Fatalf("second simulation while the only slot is taken: err %v, ran %v", err, ran)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := c.run(context.Background(), func() (simulation, error) { return simulation{}, nil }); err != nil {
		t.Fatalf("after the slot is free: %v", err)
	}
	if got := c.runs.Load(); got != 2 {
		t.Errorf("%d simulations ran, want 2", got)
	}
}

// A scenario is kept for the generation it was simulated in, and a newer
// generation forgets it; memory stays bounded.
func TestSimulationsKeptPerGeneration(t *testing.T) {
	t.Parallel()
	c := newSimulations()
	sim := simulation{res: &rules.Result{}, notes: []string{"n"}}
	c.keep(3, "p/r?advance=2", sim)
	if got, ok := c.lookup(3, "p/r?advance=2"); !ok || got.res != sim.res {
		t.Fatal("a kept scenario is not found in its generation")
	}
	if _, ok := c.lookup(4, "p/r?advance=2"); ok {
		t.Fatal("a scenario of an older generation is found")
	}
	c.keep(4, "p/r?advance=3", sim)
	c.keep(3, "p/r?advance=4", sim) // late: an older generation is not kept
	if _, ok := c.lookup(4, "p/r?advance=4"); ok {
		t.Fatal("an older generation's scenario was kept")
	}
	for i := range maxScenarios + 10 {
		c.keep(4, "p/r?min_total="+string(rune('a'+i%26))+string(rune(i)), sim)
	}
	if n := len(c.m); n > maxScenarios {
		t.Errorf("%d scenarios kept, want at most %d", n, maxScenarios)
	}
}
