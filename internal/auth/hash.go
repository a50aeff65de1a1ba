package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// params are argon2id's cost settings as a PHC string records them.
type params struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
	saltLen int
	keyLen  int
}

// current is what new hashes use: OWASP's argon2id minimum (19 MiB, two
// passes, one lane). Raising it makes NeedsRehash report older hashes.
var current = params{memory: 19 * 1024, time: 2, threads: 1, saltLen: 16, keyLen: 32}

// UseTestCost makes the hashes made from now on, and so every check against
// them, cheap: argon2id with 64 KiB and one pass. It is for the TestMain of
// other packages' tests, whose hundreds of sign-ins would otherwise spend
// much of the suite's CPU in argon2id; this package's own tests keep the
// real cost. Production code never calls it.
func UseTestCost() { current.memory, current.time = 64, 1 }

// Bounds on the parameters read back from a stored hash, so a corrupted or
// tampered row cannot make one login allocate gigabytes or spin for minutes.
const (
	maxMemory  = 1 << 20 // KiB: 1 GiB
	maxTime    = 64
	maxThreads = 64
)

// maxInputBytes bounds what is hashed. It is far above the longest password
// the policy accepts, even typed decomposed (a Hangul syllable sent as three
// jamo is nine bytes), so nothing a user may choose is ever cut; longer input
// is refused, never truncated.
const maxInputBytes = 32 * MaxLength

// ErrMalformedHash means a stored hash is not an argon2id PHC string this
// package can verify.
var ErrMalformedHash = errors.New("auth: malformed password hash")

// slots bounds how many argon2 computations run at once: each holds
// current.memory of RAM, so a login flood queues instead of exhausting memory.
var slots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

// derivations counts the argon2 computations done, so tests can tell that
// a check really ran one.
var derivations atomic.Int64

func derive(pw, salt []byte, p params) []byte {
	slots <- struct{}{}
	defer func() { <-slots }()
	derivations.Add(1)
	return argon2.IDKey(pw, salt, p.time, p.memory, p.threads, uint32(p.keyLen))
}

// HashPassword hashes the whole password (NFKC-normalized) with argon2id
// and a fresh random salt, and returns it as a PHC string:
// $argon2id$v=19$m=19456,t=2,p=1$salt$key. It does not apply the policy;
// call ValidatePassword first.
func HashPassword(pw string) (string, error) {
	if !utf8.ValidString(pw) {
		return "", errors.New("auth: hash password: not valid UTF-8")
	}
	if len(pw) > maxInputBytes {
		return "", fmt.Errorf("auth: hash password: longer than %d bytes", maxInputBytes)
	}
	salt := make([]byte, current.saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	key := derive([]byte(norm.NFKC.String(pw)), salt, current)
	return encode(current, salt, key), nil
}

// CheckPassword reports whether pw matches hash, using the parameters
// recorded in hash, in constant time. A malformed hash is an error; a
// password that could never have been hashed is simply a mismatch.
func CheckPassword(hash, pw string) (bool, error) {
	p, salt, key, err := decode(hash)
	if err != nil {
		return false, err
	}
	if !utf8.ValidString(pw) || len(pw) > maxInputBytes {
		return false, nil
	}
	got := derive([]byte(norm.NFKC.String(pw)), salt, p)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether hash was made with other parameters than the
// current ones (or cannot be read), so the caller should store a new hash
// of the password the user just proved to know.
func NeedsRehash(hash string) bool {
	p, _, _, err := decode(hash)
	return err != nil || p != current
}

// dummyHash is verified against when there is no account, see DummyCheck.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword(GeneratePassword())
	if err != nil {
		panic(err) // only on invalid UTF-8 or a failing random source
	}
	return h
})

// DummyCheck does the work of one CheckPassword and discards the result.
// A login for an unknown or disabled account calls it so that it takes as
// long as a wrong password, and response times do not reveal which emails
// have accounts.
func DummyCheck(pw string) {
	_, _ = CheckPassword(dummyHash(), pw)
}

var b64 = base64.RawStdEncoding

func encode(p params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

func decode(hash string) (params, []byte, []byte, error) {
	bad := func(why string) (params, []byte, []byte, error) {
		return params{}, nil, nil, fmt.Errorf("%w: %s", ErrMalformedHash, why)
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" {
		return bad("not a PHC string")
	}
	if parts[1] != "argon2id" {
		return bad("algorithm is not argon2id")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad("unsupported version " + parts[2])
	}
	p, why := decodeParams(parts[3])
	if why != "" {
		return bad(why)
	}
	salt, err := b64.Strict().DecodeString(parts[4])
	if err != nil || len(salt) < 8 || len(salt) > 64 {
		return bad("bad salt")
	}
	key, err := b64.Strict().DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return bad("bad key")
	}
	p.saltLen, p.keyLen = len(salt), len(key)
	return p, salt, key, nil
}

// decodeParams reads the "m=…,t=…,p=…" field of a hash; a non-empty why
// says what is wrong with it.
func decodeParams(field string) (p params, why string) {
	kv := strings.Split(field, ",")
	if len(kv) != 3 {
		return p, "parameters are not m,t,p"
	}
	var vals [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(kv[i], name+"=")
		if !ok {
			return p, "parameters are not m,t,p"
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return p, "parameter " + name + " is not a number"
		}
		vals[i] = n
	}
	m, t, threads := vals[0], vals[1], vals[2]
	if threads < 1 || threads > maxThreads || t < 1 || t > maxTime || m < 8*threads || m > maxMemory {
		return p, "parameters out of range"
	}
	p.memory, p.time, p.threads = uint32(m), uint32(t), uint8(threads)
	return p, ""
}
