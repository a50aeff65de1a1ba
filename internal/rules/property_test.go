package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

const propertyCases = 3000

// TestPropertyConsistent checks every generated result against the
// invariants of checkResult: categories add up to the total, ranks follow
// totals and tie-breaks, no more than N teams pass, a disqualified team
// never passes, the missing list is exactly what is absent.
func TestPropertyConsistent(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 1))
	for i := range propertyCases {
		in := genInput(randSource{rng}, false)
		res, err := Compute(in)
		if err != nil {
			t.Fatalf("case %d: %v\ninput: %+v", i, err, in)
		}
		if err := checkResult(in, res); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
	}
}

// TestPropertyOrderIndependent checks that shuffling entries, scores and
// decision teams changes nothing at all in the result.
func TestPropertyOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 2))
	for i := range propertyCases {
		in := genInput(randSource{rng}, false)
		if i%3 == 0 {
			in = withDecision(t, in, rng)
		}
		want, err := Compute(in)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		for range 3 {
			got, err := Compute(shuffled(in, rng))
			if err != nil {
				t.Fatalf("case %d shuffled: %v", i, err)
			}
			// Every field is exported and big.Rat marshals exactly, so
			// equal encodings mean equal results; go-cmp explains a
			// difference but is too slow to run on every case.
			if !bytes.Equal(encode(t, want), encode(t, got)) {
				t.Fatalf("case %d: result depends on input order (-original +shuffled):\n%s",
					i, gocmp.Diff(want, got, ratComparer))
			}
		}
	}
}

// TestPropertyDecisions checks that any fitting decision unblocks a tied
// round without letting more than N teams through, and that a decision is
// refused when no tie needs one or when it names a team outside the tie.
func TestPropertyDecisions(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 3))
	blocked := 0
	for i := range propertyCases {
		in := genInput(randSource{rng}, false)
		res, err := Compute(in)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if !res.Blocked {
			in.Decision = &Decision{Reason: Text{KO: "결정", EN: "decision"}}
			if _, err := Compute(in); !errors.Is(err, ErrDecisionNotNeeded) {
				t.Fatalf("case %d: decision without a tie gave %v", i, err)
			}
			continue
		}
		blocked++
		decided := withDecision(t, in, rng)
		got, err := Compute(decided)
		if err != nil {
			t.Fatalf("case %d: decision %+v: %v", i, decided.Decision, err)
		}
		if got.Blocked {
			t.Fatalf("case %d: still blocked after a decision", i)
		}
		if err := checkResult(decided, got); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		// Outside the tie: any team that is not tied at the cut.
		for _, tr := range res.Teams {
			if tr.ReasonCode == ReasonTieAtCut {
				continue
			}
			bad := decided
			bad.Decision = &Decision{Advance: []string{tr.Team}, Reason: decided.Decision.Reason}
			if _, err := Compute(bad); !errors.Is(err, ErrInvalidDecision) {
				t.Fatalf("case %d: decision for %s outside the tie gave %v", i, tr.Team, err)
			}
		}
	}
	t.Logf("%d of %d generated rounds were blocked", blocked, propertyCases)
	if blocked < propertyCases/50 {
		t.Errorf("only %d of %d generated rounds were blocked; the generator needs more ties", blocked, propertyCases)
	}
}

// withDecision adds a fitting decision when in is blocked: a random subset
// of the eligible tied teams, no larger than the places left.
func withDecision(t *testing.T, in Input, rng *rand.Rand) Input {
	t.Helper()
	res, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Blocked {
		return in
	}
	var tied []string
	rank := 0
	for _, tr := range res.Teams {
		if tr.ReasonCode == ReasonTieAtCut {
			tied = append(tied, tr.Team)
			rank = tr.Rank
		}
	}
	places := in.Rule.Advance - (rank - 1)
	rng.Shuffle(len(tied), func(i, j int) { tied[i], tied[j] = tied[j], tied[i] })
	in.Decision = &Decision{
		Advance: tied[:rng.IntN(min(places, len(tied))+1)],
		Reason:  Text{KO: "심사위원회 결정", EN: "decided by the review board"},
	}
	return in
}

func encode(t *testing.T, r Result) []byte {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
