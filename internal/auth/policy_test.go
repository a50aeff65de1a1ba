package auth_test

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/contest"
)

func reason(err error) string {
	if err == nil {
		return ""
	}
	var pe *auth.PolicyError
	if !errors.As(err, &pe) {
		return "not a PolicyError: " + err.Error()
	}
	return pe.Reason
}

func TestValidatePassword(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("correct horse ", 10)[:128]
	for _, c := range []struct {
		pw, want string
	}{
		{"correct horse battery staple", ""},
		{"my kettle sings at dawn", ""},
		{"dragon7391846205", ""},
		{"정부 평가는 공정해야 한다", ""},
		// Length counts characters, not bytes: 11 Korean syllables are 33
		// bytes and still too short; 12 are enough.
		{"한글비밀번호는안전할까", auth.ReasonTooShort},
		{"한글비밀번호는안전할까요", ""},
		{"abcdefgh123", auth.ReasonTooShort},
		{"xk7#mq2!vz9p", ""},
		{long, ""},
		{long + "e", auth.ReasonTooLong},
		{"", auth.ReasonTooShort},
		{"abc\x00defghijklmn", auth.ReasonCharacters},
		{"abcdefghijk\nlmn", auth.ReasonCharacters},
		{"\xff\xfeabcdefghijklmn", auth.ReasonCharacters},
		// Common passwords, whatever the case, with the suffixes people add.
		{"password123456", auth.ReasonCommon},
		{"Password123456", auth.ReasonCommon},
		{"PASSWORDPASSWORD", auth.ReasonCommon},
		{"qwertyuiop12", auth.ReasonCommon},
		{"iloveyou1234", auth.ReasonCommon},
		{"1qaz2wsx3edc4rfv", auth.ReasonCommon},
		{"2026kaichallenge", auth.ReasonCommon},
		{"sunshinedragon", auth.ReasonCommon},
		{"P@ssw0rd2026!", auth.ReasonCommon},
		{"dkssudgktpdy", auth.ReasonCommon}, // 안녕하세요 typed with the Korean IME off
		{"가나다라마바사아자차카타", auth.ReasonCommon},
		{"사랑해요사랑해요사랑해요", auth.ReasonPattern},
		{"대한민국대한민국만세만세", auth.ReasonCommon},
		// Repeats and sequences.
		{"aaaaaaaaaaaa", auth.ReasonPattern},
		{"            ", auth.ReasonPattern},
		{"가가가가가가가가가가가가", auth.ReasonPattern},
		{"ababababababab", auth.ReasonPattern},
		{"qweqweqweqweqwe", auth.ReasonPattern},
		{"abcdefghijklm", auth.ReasonPattern},
		{"ZYXWVUTSRQPO", auth.ReasonPattern},
		{"123456789012", auth.ReasonPattern},
		{"9876543210987", auth.ReasonPattern},
	} {
		if got := reason(auth.ValidatePassword(c.pw)); got != c.want {
			t.Errorf("ValidatePassword(%q) = %q, want %q", c.pw, got, c.want)
		}
	}
}

func TestPolicyErrorIsBilingual(t *testing.T) {
	t.Parallel()
	for _, pw := range []string{"short", strings.Repeat("가나", 65), "password123456", "aaaaaaaaaaaa", "a\x01bcdefghijklm"} {
		err := auth.ValidatePassword(pw)
		var pe *auth.PolicyError
		if !errors.As(err, &pe) {
			t.Fatalf("%q: %v is not a PolicyError", pw, err)
		}
		if pe.Message.KO == "" || pe.Message.EN == "" || err.Error() != pe.Message.EN {
			t.Errorf("%q: message %+v, Error() %q", pw, pe.Message, err.Error())
		}
		if !errors.Is(err, contest.ErrInvalid) {
			t.Errorf("%q: error does not match contest.ErrInvalid", pw)
		}
	}
}

func TestValidatePasswordFor(t *testing.T) {
	t.Parallel()
	const email = "Kim.Minjun.1990@msit.go.kr"
	for _, c := range []struct {
		pw, want string
	}{
		{"kim.minjun.1990@msit.go.kr", auth.ReasonEmail},
		{"KIM.MINJUN.1990", auth.ReasonEmail},
		{"kim.minjun.19902026", auth.ReasonEmail},
		{"!kim.minjun.1990", auth.ReasonEmail},
		{"kim.minjun.1990 likes tea", ""},
		{"correct horse battery staple", ""},
		{"password123456", auth.ReasonCommon},
	} {
		if got := reason(auth.ValidatePasswordFor(c.pw, email)); got != c.want {
			t.Errorf("ValidatePasswordFor(%q, %q) = %q, want %q", c.pw, email, got, c.want)
		}
	}
}

// Every entry of the embedded list that the length rule alone lets through
// is refused.
func TestCommonListIsEnforced(t *testing.T) {
	t.Parallel()
	f, err := os.Open("common-passwords.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		if line != strings.ToLower(line) {
			t.Errorf("entry %q is not lower case", line)
		}
		if utf8.RuneCountInString(line) < auth.MinLength {
			continue
		}
		for _, pw := range []string{line, strings.ToUpper(line)} {
			if r := reason(auth.ValidatePassword(pw)); r != auth.ReasonCommon && r != auth.ReasonPattern {
				t.Errorf("listed %q accepted (reason %q)", pw, r)
			}
		}
	}
	if n < 1000 {
		t.Errorf("the list has %d entries, want about 1,000", n)
	}
}

func TestGeneratePassword(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 200 {
		pw := auth.GeneratePassword()
		if len(pw) != 20 || strings.ContainsAny(pw, "0O1lIio") {
			t.Fatalf("generated %q: want 20 unambiguous characters", pw)
		}
		if err := auth.ValidatePassword(pw); err != nil {
			t.Fatalf("generated %q fails the policy: %v", pw, err)
		}
		if seen[pw] {
			t.Fatalf("generated %q twice", pw)
		}
		seen[pw] = true
	}
}

func TestValidRole(t *testing.T) {
	t.Parallel()
	for role, want := range map[string]bool{"admin": true, "scorer": true, "Admin": false, "": false, "public": false} {
		if got := auth.ValidRole(role); got != want {
			t.Errorf("ValidRole(%q) = %v", role, got)
		}
	}
	for _, r := range auth.Roles {
		if !auth.ValidRole(r) {
			t.Errorf("Roles lists %q, which is not valid", r)
		}
	}
}
