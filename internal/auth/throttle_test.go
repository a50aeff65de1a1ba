package auth

import (
	"testing"
	"time"
)

func TestSignInDelayGrowsAndIsCapped(t *testing.T) {
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{{0, 0}, {4, 0}, {5, 4 * time.Second}, {6, 8 * time.Second}, {7, 16 * time.Second}, {8, 30 * time.Second}, {1000, 30 * time.Second}} {
		if got := SignInDelay(tc.failures, 5); got != tc.want {
			t.Errorf("SignInDelay(%d, 5) = %v, want %v", tc.failures, got, tc.want)
		}
	}
}

func TestSignInHistoryWait(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	h := SignInHistory{Now: now, AccountFailures: 6, AccountLast: now.Add(-3 * time.Second)}
	if got := h.Wait(); got != 5*time.Second {
		t.Errorf("account wait = %v, want 5s", got)
	}
	h = SignInHistory{Now: now, AddressFailures: 200, AddressLast: now.Add(-time.Second)}
	if got := h.Wait(); got != 29*time.Second {
		t.Errorf("address wait = %v, want 29s", got)
	}
	// A known address is not slowed by the address's failures on other
	// accounts.
	h.KnownAddress = true
	if got := h.Wait(); got != 0 {
		t.Errorf("known address wait = %v, want 0", got)
	}
	h = SignInHistory{Now: now, AccountFailures: 9, AccountLast: now.Add(-time.Minute)}
	if got := h.Wait(); got != 0 {
		t.Errorf("wait after the capped delay passed = %v, want 0", got)
	}
}
