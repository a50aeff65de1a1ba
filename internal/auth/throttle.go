package auth

import "time"

// Sign-in throttling: failed sign-ins slow further attempts down instead of
// locking anyone out. After the free failures, each further failure doubles
// the wait before the next attempt, from ThrottleStep up to MaxSignInDelay;
// a successful sign-in clears the account's count. Failures are counted per
// account and per client address over ThrottleWindow.
const (
	ThrottleWindow      = 15 * time.Minute
	FreeAccountFailures = 5
	FreeAddressFailures = 20
	ThrottleStep        = 4 * time.Second
	MaxSignInDelay      = 30 * time.Second
	// KnownAddressPeriod is how far back a successful sign-in from an
	// address makes it a known address of the account.
	KnownAddressPeriod = 180 * 24 * time.Hour
)

// SignInDelay is the wait after the last of failures counted failures
// when free of them cost nothing: none up to free-1, then ThrottleStep,
// doubling with every further failure, capped at MaxSignInDelay.
func SignInDelay(failures, free int) time.Duration {
	if failures < free {
		return 0
	}
	d := ThrottleStep
	for i := free; i < failures && d < MaxSignInDelay; i++ {
		d *= 2
	}
	return min(d, MaxSignInDelay)
}

// SignInHistory is what the throttle needs to know about an attempt to sign
// in to an account from a client address.
type SignInHistory struct {
	// Now is the clock the times below were read with (the database's).
	Now time.Time
	// KnownAddress: the account signed in successfully from this address
	// before (within KnownAddressPeriod). Strangers' failures then do not
	// slow it down: only failures from this address count for the account,
	// and the address's failures on other accounts do not count at all.
	KnownAddress bool
	// AccountFailures counts the account's failures since its last
	// successful sign-in (only those from this address when KnownAddress);
	// AccountLast is the newest of them.
	AccountFailures int
	AccountLast     time.Time
	// AddressFailures counts the failures from this address on any
	// account; AddressLast is the newest of them.
	AddressFailures int
	AddressLast     time.Time
}

// Wait is how long the attempt must still wait (0: it may go ahead now).
func (h SignInHistory) Wait() time.Duration {
	wait := h.AccountLast.Add(SignInDelay(h.AccountFailures, FreeAccountFailures)).Sub(h.Now)
	if !h.KnownAddress {
		wait = max(wait, h.AddressLast.Add(SignInDelay(h.AddressFailures, FreeAddressFailures)).Sub(h.Now))
	}
	return max(wait, 0)
}
