package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Second factor: time-based one-time passwords (RFC 6238: 6 digits, 30
// second steps, SHA-1, as every authenticator app reads them) and
// single-use recovery codes.
const (
	// TOTPIssuer names the portal in authenticator apps.
	TOTPIssuer = "K-AI Challenge Portal"
	// TOTPPeriod is the length of one time step.
	TOTPPeriod = 30
	// TOTPSkew is how many steps before and after the current one are
	// accepted, for clocks that drift.
	TOTPSkew = 1
	// RecoveryCodes is how many recovery codes an enrolment issues.
	RecoveryCodes = 10
)

// Admin MFA modes (ADMIN_MFA).
const (
	// MFARequired: admins must use a second factor; one without is sent to
	// enrol at sign-in and can do nothing else.
	MFARequired = "required"
	// MFAOptional: staff may enrol; whoever did is asked for the code.
	MFAOptional = "optional"
	// MFAOff: no second factor is offered at enrolment (codes of staff who
	// enrolled earlier are still asked).
	MFAOff = "off"
)

// NewTOTP makes a new secret for account and returns it (base32, as typed
// into an app) with its otpauth:// URI (as read from the QR code).
func NewTOTP(account string) (secret, uri string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: account, Period: TOTPPeriod, SecretSize: 20})
	if err != nil {
		return "", "", fmt.Errorf("auth: new totp secret: %w", err)
	}
	return key.Secret(), key.URL(), nil
}

// TOTPURI is the otpauth:// URI of an existing secret; "" when the secret
// is not base32 (totp.Generate would otherwise make up a random one).
func TOTPURI(account, secret string) string {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(secret))
	if err != nil || len(raw) == 0 {
		return ""
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: account, Period: TOTPPeriod, Secret: raw})
	if err != nil {
		return ""
	}
	return key.URL()
}

// TOTPQRCode is a PNG image of the QR code of an otpauth:// URI.
func TOTPQRCode(uri string, size int) ([]byte, error) {
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return nil, fmt.Errorf("auth: qr code: %w", err)
	}
	img, err := key.Image(size, size)
	if err != nil {
		return nil, fmt.Errorf("auth: qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("auth: qr code: %w", err)
	}
	return buf.Bytes(), nil
}

// totpStep is the time step of t.
func totpStep(t time.Time) int64 { return t.Unix() / TOTPPeriod }

// CheckTOTP reports whether code is the secret's code of a step within
// TOTPSkew of now, and which step it matched, so the caller can refuse a
// step that was already used (a replay). Spaces in the code are ignored.
func CheckTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return 0, false
	}
	for d := -TOTPSkew; d <= TOTPSkew; d++ {
		at := now.Add(time.Duration(d*TOTPPeriod) * time.Second)
		want, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: TOTPPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return totpStep(at), true
		}
	}
	return 0, false
}

// recoveryAlphabet avoids letters easily mistaken for others (no 0/o, 1/l/i).
const recoveryAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// newRecoveryCodes returns n random codes like "k7m2p-x9qr4" (about 49
// bits each).
func newRecoveryCodes(n int) ([]string, error) {
	out := make([]string, n)
	for i := range out {
		var b [10]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("auth: recovery codes: %w", err)
		}
		var sb strings.Builder
		for j, c := range b {
			if j == 5 {
				sb.WriteByte('-')
			}
			sb.WriteByte(recoveryAlphabet[int(c)%len(recoveryAlphabet)])
		}
		out[i] = sb.String()
	}
	return out, nil
}

// NewRecoveryCodeSet returns RecoveryCodes new codes, to show once, and
// their hashes (HashRecoveryCode), to store.
func NewRecoveryCodeSet() (codes []string, hashes [][]byte, err error) {
	codes, err = newRecoveryCodes(RecoveryCodes)
	if err != nil {
		return nil, nil, err
	}
	hashes = make([][]byte, len(codes))
	for i, c := range codes {
		hashes[i] = HashRecoveryCode(c)
	}
	return codes, hashes, nil
}

// HashRecoveryCode is what is stored of a recovery code: the SHA-256 of
// the code without case, spaces or dashes, so it matches however it is
// typed back. The codes are random, so a fast hash is enough.
func HashRecoveryCode(code string) []byte {
	norm := strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(code)))
	h := sha256.Sum256([]byte(norm))
	return h[:]
}

// ValidMFAMode reports whether m is one of the ADMIN_MFA modes.
func ValidMFAMode(m string) bool { return m == MFARequired || m == MFAOptional || m == MFAOff }

// DefaultMFAMode is the mode when none is set: required when the portal
// is served over HTTPS, optional otherwise (local development).
func DefaultMFAMode(baseURL string) string {
	if strings.HasPrefix(strings.ToLower(baseURL), "https://") {
		return MFARequired
	}
	return MFAOptional
}
