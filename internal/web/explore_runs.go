package web

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kai-challenge/portal/internal/rules"
)

// Bounds of the what-if explorer's simulations.
const (
	// maxScenarios bounds the simulated scenarios kept per change of the
	// record.
	maxScenarios = 512
	// simulationWait is how long a scenario waits for a simulation slot
	// before it is answered 503: it holds one of the page cache's render
	// slots meanwhile, which the pages need.
	simulationWait = 100 * time.Millisecond
)

// errSimulationsBusy is a scenario that found every simulation slot taken.
var errSimulationsBusy = errors.New("web: what-if simulations busy")

// simulation is a scenario's simulated result with its notes. The result
// keeps no leaf trails: the explorer compares ranks, totals and outcomes.
type simulation struct {
	res   *rules.Result
	notes []string
}

// simulations runs the explorer's scenarios: at most a few at once, so a
// burst of scenarios takes only part of the machine and cached pages keep
// their speed, and each canonical scenario at most once per change of the
// record.
type simulations struct {
	slots chan struct{}
	wait  time.Duration
	runs  atomic.Int64 // simulations computed (tests count them)
	perChange[simulation]
}

// newSimulations allows half the processors (at least one) to simulate at
// once.
func newSimulations() *simulations {
	return &simulations{
		slots:     make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2)),
		wait:      simulationWait,
		perChange: perChange[simulation]{limit: maxScenarios},
	}
}

// perChange keeps values by key for one change of the record (the page
// cache's generation): a newer generation drops the older values, a value
// of an older one is not kept, and a full memory (limit above zero) drops
// one value at random.
type perChange[V any] struct {
	limit int
	mu    sync.Mutex
	gen   uint64
	m     map[string]V
}

// lookup returns the key's value of generation gen.
func (c *perChange[V]) lookup(gen uint64, key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		var zero V
		return zero, false
	}
	v, ok := c.m[key]
	return v, ok
}

// keep stores the key's value of generation gen.
func (c *perChange[V]) keep(gen uint64, key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || c.m == nil {
		if gen < c.gen {
			return
		}
		c.gen, c.m = gen, map[string]V{}
	}
	if c.limit > 0 && len(c.m) >= c.limit {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[key] = v
}

// run computes a simulation in a free slot, waiting for one at most the
// wait, on a thread of lowered priority (lowPriority).
func (c *simulations) run(ctx context.Context, compute func() (simulation, error)) (simulation, error) {
	t := time.NewTimer(c.wait)
	defer t.Stop()
	select {
	case c.slots <- struct{}{}:
	case <-t.C:
		return simulation{}, errSimulationsBusy
	case <-ctx.Done():
		return simulation{}, ctx.Err()
	}
	defer func() { <-c.slots }()
	c.runs.Add(1)
	return lowPriority(compute)
}

// scenario is the simulation of the canonical scenario query of a round:
// from memory when this change of the record already simulated it, else
// computed under the concurrency cap. Without a page cache there is no
// change signal, and nothing is kept.
func (s *server) scenario(ctx context.Context, round, query string, f, official whatIfForm, data whatIfData) (simulation, error) {
	var gen uint64
	if s.cache != nil {
		gen = s.cache.Generation()
		if sim, ok := s.sims.lookup(gen, round+"?"+query); ok {
			return sim, nil
		}
	}
	sim, err := s.sims.run(ctx, func() (simulation, error) {
		res, notes, err := s.simulate(f, official, data)
		if err != nil {
			return simulation{}, err
		}
		for i := range res.Teams {
			res.Teams[i].Leaves = nil
		}
		return simulation{res: res, notes: notes}, nil
	})
	if err == nil && s.cache != nil {
		s.sims.keep(gen, round+"?"+query, sim)
	}
	return sim, err
}
