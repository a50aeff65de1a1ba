package auth

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Each argon2id hash at 19 MiB takes tens of milliseconds: these tests hash
// a few dozen times in all.

func mustHash(t *testing.T, pw string) string {
	t.Helper()
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}
	return h
}

func mustCheck(t *testing.T, hash, pw string) bool {
	t.Helper()
	ok, err := CheckPassword(hash, pw)
	if err != nil {
		t.Fatalf("CheckPassword: %v", err)
	}
	return ok
}

func TestHashRoundTrip(t *testing.T) {
	t.Parallel()
	const pw = "correct horse battery staple"
	h := mustHash(t, pw)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not record argon2id v=19 m=19456,t=2,p=1", h)
	}
	p, salt, key, err := decode(h)
	if err != nil {
		t.Fatal(err)
	}
	if len(salt) != 16 || len(key) != 32 || p != current {
		t.Errorf("salt %d bytes, key %d bytes, params %+v", len(salt), len(key), p)
	}
	if strings.Contains(h, pw) {
		t.Error("the hash contains the password")
	}
	if !mustCheck(t, h, pw) {
		t.Error("the right password does not verify")
	}
	for _, wrong := range []string{"correct horse battery stapl", "Correct horse battery staple", "correct horse battery staple ", ""} {
		if mustCheck(t, h, wrong) {
			t.Errorf("wrong password %q verifies", wrong)
		}
	}
	if h2 := mustHash(t, pw); h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if NeedsRehash(h) {
		t.Error("a fresh hash needs a rehash")
	}
}

// The whole password is hashed: no bcrypt-style cut at 72 bytes or at the
// policy's maximum.
func TestLongPasswordsAreNotTruncated(t *testing.T) {
	t.Parallel()
	for _, base := range []string{strings.Repeat("a", 129), strings.Repeat("가", 129)} {
		p1, p2 := base+"1", base+"2" // 130 characters each
		h := mustHash(t, p1)
		if !mustCheck(t, h, p1) {
			t.Errorf("%d-byte password does not verify", len(p1))
		}
		if mustCheck(t, h, p2) {
			t.Errorf("two %d-byte passwords differing only in the last character verify against one hash", len(p1))
		}
	}
	if _, err := HashPassword(strings.Repeat("x", maxInputBytes+1)); err == nil {
		t.Error("an input beyond the byte bound was hashed")
	}
}

// A Korean password typed decomposed (macOS) verifies against the hash of
// the composed one (Windows), and a different syllable does not.
func TestKoreanPasswordsNormalized(t *testing.T) {
	t.Parallel()
	const pw = "우리 팀의 모델이 최고입니다"
	h := mustHash(t, pw)
	nfd := norm.NFD.String(pw)
	if nfd == pw {
		t.Fatal("fixture: NFD form equals NFC form")
	}
	if !mustCheck(t, h, pw) || !mustCheck(t, h, nfd) {
		t.Error("the same Korean password in NFC or NFD does not verify")
	}
	if mustCheck(t, h, "우리 팀의 모델이 최고입니디") {
		t.Error("a different Korean password verifies")
	}
}

// Parameters are read from the stored hash, so hashes made with other
// settings still verify and are reported for rehashing.
func TestCheckUsesStoredParameters(t *testing.T) {
	t.Parallel()
	old := params{memory: 8 * 1024, time: 1, threads: 1, saltLen: 16, keyLen: 32}
	salt := []byte("0123456789abcdef")
	const pw = "an older but fine password"
	h := encode(old, salt, derive([]byte(pw), salt, old))
	if !strings.Contains(h, "$m=8192,t=1,p=1$") {
		t.Fatalf("encoded %q", h)
	}
	if !mustCheck(t, h, pw) {
		t.Error("a hash with other parameters does not verify")
	}
	if mustCheck(t, h, pw+"!") {
		t.Error("a wrong password verifies against the older hash")
	}
	if !NeedsRehash(h) {
		t.Error("a hash with older parameters does not need a rehash")
	}
}

func TestMalformedHashes(t *testing.T) {
	t.Parallel()
	good := mustHash(t, "correct horse battery staple")
	parts := strings.Split(good, "$")
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	for name, h := range map[string]string{
		"empty":          "",
		"plain text":     "correct horse battery staple",
		"bcrypt":         "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":        with(1, "argon2i"),
		"version 16":     with(2, "v=16"),
		"order":          with(3, "t=2,m=19456,p=1"),
		"4 GiB":          with(3, "m=4194304,t=2,p=1"),
		"zero time":      with(3, "m=19456,t=0,p=1"),
		"zero lanes":     with(3, "m=19456,t=2,p=0"),
		"short salt":     with(4, "YWJj"),
		"bad base64 key": with(5, "!!!"),
		"extra field":    good + "$x",
	} {
		ok, err := CheckPassword(h, "correct horse battery staple")
		if ok || !errors.Is(err, ErrMalformedHash) {
			t.Errorf("%s: CheckPassword = %v, %v; want false, ErrMalformedHash", name, ok, err)
		}
		if !NeedsRehash(h) {
			t.Errorf("%s: NeedsRehash = false", name)
		}
	}
}

// Many logins at once all succeed; they queue on the slots instead of all
// allocating at once.
func TestConcurrentHashing(t *testing.T) {
	t.Parallel()
	n := cap(slots) + 4
	var wg sync.WaitGroup
	errs := make(chan error, n)
	hashes := make([]string, n)
	for i := range n {
		wg.Go(func() {
			h, err := HashPassword("correct horse battery staple")
			hashes[i] = h
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if !mustCheck(t, hashes[n-1], "correct horse battery staple") {
		t.Error("a hash made under contention does not verify")
	}
}

// With every slot taken, a hash waits; it runs as soon as one frees up. Not
// parallel: it holds the package's slots.
func TestHashingIsBounded(t *testing.T) {
	if cap(slots) < 2 {
		t.Fatalf("%d slots, want at least 2", cap(slots))
	}
	for range cap(slots) {
		slots <- struct{}{}
	}
	done := make(chan struct{})
	go func() {
		_, _ = HashPassword("correct horse battery staple")
		close(done)
	}()
	select {
	case <-done:
		t.Fatal("a hash ran while every slot was taken")
	case <-time.After(150 * time.Millisecond):
	}
	<-slots
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the hash did not run after a slot was freed")
	}
	for range cap(slots) - 1 {
		<-slots
	}
}

// DummyCheck runs one argon2id computation at the current parameters every
// time, like CheckPassword, not only the first time when it builds its
// hash. Not parallel: no other test hashes while it counts.
func TestDummyCheck(t *testing.T) {
	p, _, _, err := decode(dummyHash())
	if err != nil || p != current {
		t.Fatalf("dummy hash parameters %+v (%v), want the current %+v", p, err, current)
	}
	for i := range 3 {
		before := derivations.Load()
		start := time.Now()
		DummyCheck("whatever was typed")
		took := time.Since(start)
		if n := derivations.Load() - before; n != 1 {
			t.Errorf("call %d: DummyCheck ran %d argon2 computations, want 1", i, n)
		}
		if took < time.Millisecond {
			t.Errorf("call %d: DummyCheck took %v: it did no real work", i, took)
		}
	}
	// For comparison, a real check counts one computation too.
	h := mustHash(t, "correct horse battery staple")
	before := derivations.Load()
	mustCheck(t, h, "a wrong password")
	if n := derivations.Load() - before; n != 1 {
		t.Errorf("CheckPassword ran %d argon2 computations, want 1", n)
	}
}
