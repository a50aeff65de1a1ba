package auth

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

func TestTOTP(t *testing.T) {
	secret, uri, err := NewTOTP("admin@msit.go.kr")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(uri, "otpauth://totp/") || !strings.Contains(uri, "secret="+secret) {
		t.Fatalf("uri %q does not carry secret %q", uri, secret)
	}
	if got := TOTPURI("admin@msit.go.kr", secret); got != uri {
		t.Errorf("TOTPURI = %q, want %q", got, uri)
	}
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	code, err := totp.GenerateCode(secret, now)
	if err != nil {
		t.Fatal(err)
	}
	step, ok := CheckTOTP(secret, code, now.Add(20*time.Second))
	if !ok || step != totpStep(now) {
		t.Errorf("current code: step %d ok %v, want %d true", step, ok, totpStep(now))
	}
	if _, ok := CheckTOTP(secret, code, now.Add(2*time.Minute)); ok {
		t.Error("a code two minutes old was accepted")
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if _, ok := CheckTOTP(secret, wrong, now); ok {
		t.Error("a wrong code was accepted")
	}
	if got := TOTPURI("admin@msit.go.kr", "not base32!"); got != "" {
		t.Errorf("TOTPURI of a malformed secret = %q, want \"\"", got)
	}
	png, err := TOTPQRCode(uri, 200)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("qr code: %v, %d bytes", err, len(png))
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes, err := newRecoveryCodes(RecoveryCodes)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 11 || c[5] != '-' || seen[c] {
			t.Errorf("bad or repeated code %q", c)
		}
		seen[c] = true
	}
	if !bytes.Equal(HashRecoveryCode(codes[0]), HashRecoveryCode(" "+strings.ToUpper(strings.ReplaceAll(codes[0], "-", ""))+" ")) {
		t.Error("a recovery code typed in capitals without its dash does not match")
	}
	if bytes.Equal(HashRecoveryCode(codes[0]), HashRecoveryCode(codes[1])) {
		t.Error("two codes hash alike")
	}
}

func TestDefaultMFAMode(t *testing.T) {
	for base, want := range map[string]string{"https://kai-challenge.kr": MFARequired, "HTTPS://x": MFARequired, "http://localhost:8080": MFAOptional} {
		if got := DefaultMFAMode(base); got != want {
			t.Errorf("DefaultMFAMode(%q) = %q, want %q", base, got, want)
		}
	}
}
