package auth

import (
	"bufio"
	"crypto/rand"
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/kai-challenge/portal/internal/contest"
)

// Length limits of a password, in characters (runes) after NFKC
// normalization: a Korean syllable counts as one, like a Latin letter.
const (
	MinLength = 12
	MaxLength = 128
)

// Reasons a password is refused (PolicyError.Reason).
const (
	ReasonTooShort   = "too_short"
	ReasonTooLong    = "too_long"
	ReasonCharacters = "characters"
	ReasonCommon     = "common"
	ReasonPattern    = "pattern"
	ReasonEmail      = "email"
)

// PolicyError says why a password was refused, in Korean and English. It
// matches contest.ErrInvalid, so the web layer answers 422.
type PolicyError struct {
	Reason  string
	Message contest.Text
}

// Error returns the English message, which the CLI prints as is.
func (e *PolicyError) Error() string { return e.Message.EN }

// Unwrap makes errors.Is(err, contest.ErrInvalid) hold.
func (e *PolicyError) Unwrap() error { return contest.ErrInvalid }

var messages = map[string]contest.Text{
	ReasonTooShort: {KO: "비밀번호는 12자 이상이어야 합니다.", EN: "The password must be at least 12 characters long."},
	ReasonTooLong:  {KO: "비밀번호는 128자 이하여야 합니다.", EN: "The password must be at most 128 characters long."},
	ReasonCharacters: {KO: "비밀번호에 제어 문자나 잘못된 문자가 들어 있습니다.",
		EN: "The password contains control characters or invalid text."},
	ReasonCommon: {KO: "너무 흔한 비밀번호입니다. 추측하기 어려운 비밀번호를 고르세요.",
		EN: "This password is too common; choose one that is harder to guess."},
	ReasonPattern: {KO: "같은 문자의 반복이나 연속된 문자·숫자는 비밀번호로 쓸 수 없습니다.",
		EN: "The password must not be a repeated character or a simple sequence of letters or digits."},
	ReasonEmail: {KO: "비밀번호는 이메일 주소와 달라야 합니다.", EN: "The password must not be the email address."},
}

func refuse(reason string) error { return &PolicyError{Reason: reason, Message: messages[reason]} }

//go:embed common-passwords.txt
var commonFile string

// common holds the embedded list, normalized and lower-cased like the
// passwords it is compared with.
var common = func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonFile))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m[fold(line)] = true
	}
	return m
}()

// fold is the form passwords are compared in: NFKC, lower case.
func fold(s string) string { return strings.ToLower(norm.NFKC.String(s)) }

// ValidatePassword applies the policy: 12 to 128 characters, no control
// characters, not a common password, not a repeated character, a short
// repeated unit or a simple sequence, and not a common password with a
// trivial prefix or suffix (password123456). It never shortens anything.
// The error is a *PolicyError.
func ValidatePassword(pw string) error {
	if !utf8.ValidString(pw) {
		return refuse(ReasonCharacters)
	}
	n := norm.NFKC.String(pw)
	for _, r := range n {
		if unicode.IsControl(r) {
			return refuse(ReasonCharacters)
		}
	}
	switch c := utf8.RuneCountInString(n); {
	case c < MinLength:
		return refuse(ReasonTooShort)
	case c > MaxLength:
		return refuse(ReasonTooLong)
	}
	f := strings.ToLower(n)
	if patterned(f) {
		return refuse(ReasonPattern)
	}
	if common[f] {
		return refuse(ReasonCommon)
	}
	if commonWithTrivial(f, func(s string) bool { return common[s] }) {
		return refuse(ReasonCommon)
	}
	return nil
}

// ValidatePasswordFor applies ValidatePassword and also refuses the user's
// email address, its local part, or either with a trivial prefix or suffix.
func ValidatePasswordFor(pw, email string) error {
	if err := ValidatePassword(pw); err != nil {
		return err
	}
	f, e := fold(pw), fold(strings.TrimSpace(email))
	if e == "" {
		return nil
	}
	local := e
	if i := strings.LastIndexByte(e, '@'); i >= 0 {
		local = e[:i]
	}
	own := func(s string) bool { return s == e || (s == local && local != "") }
	if own(f) || commonWithTrivial(f, own) {
		return refuse(ReasonEmail)
	}
	return nil
}

// patterned reports a password made of one character, of a unit of at most
// four characters repeated (abababab…, qweqweqwe…), or of a run of letters
// or digits each one up or down from the one before (abcdef…, 987654…;
// digits wrap, so 123456789012 counts).
func patterned(s string) bool {
	rs := []rune(s)
	if len(rs) < 2 {
		return true
	}
	for unit := 1; unit <= 4 && unit < len(rs); unit++ {
		if len(rs)%unit == 0 && strings.Repeat(string(rs[:unit]), len(rs)/unit) == s {
			return true
		}
	}
	return sequence(rs)
}

func sequence(rs []rune) bool {
	up, down := true, true
	for i := 1; i < len(rs); i++ {
		a, b := rs[i-1], rs[i]
		switch {
		case isDigit(a) && isDigit(b):
			d := (b - a + 10) % 10
			up, down = up && d == 1, down && d == 9
		case isLetter(a) && isLetter(b):
			up, down = up && b-a == 1, down && a-b == 1
		default:
			return false
		}
	}
	return up || down
}

func isDigit(r rune) bool  { return '0' <= r && r <= '9' }
func isLetter(r rune) bool { return 'a' <= r && r <= 'z' }

// commonWithTrivial reports whether s is a word accepted by isBase with
// something trivial before or after it: up to six characters that are not
// letters (a year and a symbol, a short PIN), a repeat, a sequence, or a
// common password (iloveyou1234, P@ssw0rd2026!, 2026password, sunshinedragon).
func commonWithTrivial(s string, isBase func(string) bool) bool {
	trivial := func(t string) bool {
		if isBase(t) || common[t] || patterned(t) {
			return true
		}
		if utf8.RuneCountInString(t) > 6 {
			return false
		}
		for _, r := range t {
			if unicode.IsLetter(r) {
				return false
			}
		}
		return true
	}
	for i := range s {
		if i == 0 {
			continue
		}
		head, tail := s[:i], s[i:]
		if (isBase(head) && utf8.RuneCountInString(head) >= 3 && trivial(tail)) ||
			(isBase(tail) && utf8.RuneCountInString(tail) >= 3 && trivial(head)) {
			return true
		}
	}
	return false
}

// alphabet leaves out characters that are easy to misread or mistype
// (0 O o, 1 l I i) so a generated password can be read out or copied by hand.
const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratePassword returns 20 random characters from an unambiguous
// alphabet (about 115 bits), drawn from crypto/rand; the result always
// passes ValidatePassword.
func GeneratePassword() string {
	for {
		b := make([]byte, 0, 20)
		var buf [64]byte
		for len(b) < cap(b) {
			rand.Read(buf[:]) // never fails since Go 1.24
			for _, x := range buf {
				// Reject the top bytes so every character is equally likely.
				if int(x) < 256-256%len(alphabet) && len(b) < cap(b) {
					b = append(b, alphabet[int(x)%len(alphabet)])
				}
			}
		}
		if ValidatePassword(string(b)) == nil {
			return string(b)
		}
	}
}
