package contest

import (
	"math/big"
	"strings"
	"testing"
)

func TestMaxPoints(t *testing.T) {
	at, ok := new(big.Rat).SetString(MaxPoints)
	if !ok {
		t.Fatalf("MaxPoints %q is not a decimal", MaxPoints)
	}
	if ExceedsMaxPoints(at) {
		t.Errorf("ExceedsMaxPoints(%s) = true", MaxPoints)
	}
	above := new(big.Rat).Add(at, big.NewRat(1, 100))
	if !ExceedsMaxPoints(above) {
		t.Errorf("ExceedsMaxPoints(%s) = false", above.FloatString(2))
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct {
		s                string
		slug, code, role bool
	}{
		{"lg-ai-research", true, true, false},
		{"global_common", false, true, true},
		{"participant", true, true, true},
		{"a1", true, true, false},
		{"", false, false, false},
		{"-a", false, false, false},
		{"a--b", false, false, false},
		{"a__b", false, false, true},
		{"A", false, false, false},
		{strings.Repeat("a", MaxSlugLen), true, true, true},
		{strings.Repeat("a", MaxSlugLen+1), false, false, true},
	} {
		if got := ValidSlug(tc.s); got != tc.slug {
			t.Errorf("ValidSlug(%q) = %v", tc.s, got)
		}
		if got := ValidCode(tc.s); got != tc.code {
			t.Errorf("ValidCode(%q) = %v", tc.s, got)
		}
		if got := ValidRole(tc.s); got != tc.role {
			t.Errorf("ValidRole(%q) = %v", tc.s, got)
		}
	}
}

func TestDateAndYear(t *testing.T) {
	for s, want := range map[string]bool{"2026-01-14": true, "2026-01-32": false, "2026-1-14": false, "": false} {
		if got := ValidDate(s); got != want {
			t.Errorf("ValidDate(%q) = %v", s, got)
		}
	}
	for y, want := range map[int]bool{MinYear - 1: false, MinYear: true, MaxYear: true, MaxYear + 1: false} {
		if got := ValidYear(y); got != want {
			t.Errorf("ValidYear(%d) = %v", y, got)
		}
	}
}
