package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// TestPreparedDecideMatchesCompute checks that deciding a prepared round
// under another rule, eligibility and decision gives exactly what Compute
// gives for the changed input, errors included.
func TestPreparedDecideMatchesCompute(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 7))
	decided := 0
	for i := range propertyCases {
		base := genInput(randSource{rng}, false)
		p, err := Prepare(base)
		if err != nil {
			t.Fatalf("case %d: prepare: %v", i, err)
		}
		for range 3 {
			in := base
			in.Rule.Advance = rng.IntN(len(base.Entries) + 2)
			in.Rule.Backfill = rng.IntN(2) == 1
			in.Rule.MinTotal = nil
			if rng.IntN(3) == 0 {
				in.Rule.MinTotal = big.NewRat(int64(rng.IntN(60)), 1)
			}
			in.Entries = slices.Clone(base.Entries)
			for j := range in.Entries {
				if rng.IntN(3) == 0 {
					in.Entries[j] = genEntry(randSource{rng}, in.Entries[j].Team)
				}
			}
			rng.Shuffle(len(in.Entries), func(a, b int) { in.Entries[a], in.Entries[b] = in.Entries[b], in.Entries[a] })
			in.Decision = nil
			if rng.IntN(2) == 0 {
				in = withDecision(t, in, rng)
			}
			if in.Decision != nil {
				decided++
			}
			want, wantErr := Compute(in)
			got, gotErr := p.Decide(in.Rule, in.Entries, in.Decision)
			if (wantErr == nil) != (gotErr == nil) || errors.Is(gotErr, ErrInvalidDecision) != errors.Is(wantErr, ErrInvalidDecision) {
				t.Fatalf("case %d: errors differ: compute %v, decide %v", i, wantErr, gotErr)
			}
			if !bytes.Equal(encode(t, want), encode(t, got)) {
				t.Fatalf("case %d: results differ (-compute +decide):\n%s", i, gocmp.Diff(want, got, ratComparer))
			}
		}
	}
	if decided == 0 {
		t.Fatal("no generated scenario carried a decision")
	}
}

// TestPreparedDecideRefusesOtherTeams checks that the entries must be the
// prepared teams, each once, with a known status.
func TestPreparedDecideRefusesOtherTeams(t *testing.T) {
	in := genInput(randSource{rand.New(rand.NewPCG(1, 1))}, false)
	for len(in.Entries) < 2 {
		in = genInput(randSource{rand.New(rand.NewPCG(uint64(len(in.Entries)), 2))}, false)
	}
	p, err := Prepare(in)
	if err != nil {
		t.Fatal(err)
	}
	for name, entries := range map[string][]Entry{
		"unknown": append(slices.Clone(in.Entries), Entry{Team: "nobody"}),
		"twice":   append(slices.Clone(in.Entries), in.Entries[0]),
		"missing": in.Entries[1:],
		"status":  append([]Entry{{Team: in.Entries[0].Team, Status: "sleeping"}}, in.Entries[1:]...),
	} {
		if _, err := p.Decide(in.Rule, entries, nil); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: got %v, want an invalid input", name, err)
		}
	}
}

func BenchmarkPreparedDecide(b *testing.B) {
	in := benchInput()
	p, err := Prepare(in)
	if err != nil {
		b.Fatal(err)
	}
	rule := in.Rule
	rule.Advance = 20
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Decide(rule, in.Entries, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// Decide may run concurrently on one Prepared (the race detector checks).
func TestPreparedDecideConcurrently(t *testing.T) {
	in := benchInput()
	p, err := Prepare(in)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := encode(t, want)
	errs := make(chan error, 4)
	for g := range 4 {
		go func() {
			rule := in.Rule
			rule.Advance = 5 + g
			if _, err := p.Decide(rule, in.Entries, nil); err != nil {
				errs <- err
				return
			}
			got, err := p.Decide(in.Rule, in.Entries, in.Decision)
			if err != nil {
				errs <- err
				return
			}
			g, _ := json.Marshal(got)
			if !bytes.Equal(g, wantJSON) {
				err = errors.New("a concurrent decision differs from Compute")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
