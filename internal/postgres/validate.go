package postgres

// Checking console input before it reaches the database. Problems come back
// as *FieldErrors: one message in Korean and English per form field, with the
// rules of the program file (programfile) shared through contest.

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
)

// FieldErrors is what is wrong with a form's input: one message in Korean
// and English per field. Bilingual fields are named with a language suffix
// (name_ko, name_en); the empty name is the record as a whole (e.g. "it has
// scores"). It matches contest.ErrInvalid.
type FieldErrors struct {
	Fields map[string]contest.Text
}

// Error lists the problems in English, field by field.
func (e *FieldErrors) Error() string {
	keys := slices.Sorted(maps.Keys(e.Fields))
	parts := make([]string, len(keys))
	for i, k := range keys {
		if k == "" {
			parts[i] = e.Fields[k].EN
		} else {
			parts[i] = k + ": " + e.Fields[k].EN
		}
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Is makes the error match contest.ErrInvalid.
func (e *FieldErrors) Is(target error) bool { return target == contest.ErrInvalid }

// In returns the messages in lang ("ko" or "en"), keyed by field, in the
// shape a form's Validate method returns.
func (e *FieldErrors) In(lang string) map[string]string {
	out := make(map[string]string, len(e.Fields))
	for k, t := range e.Fields {
		out[k] = t.In(lang)
	}
	return out
}

// add records a problem; the first message of a field wins.
func (e *FieldErrors) add(field, ko, en string) {
	if e.Fields == nil {
		e.Fields = map[string]contest.Text{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = contest.Text{KO: ko, EN: en}
	}
}

// orNil returns e as an error, or nil (untyped) when nothing was added.
func (e *FieldErrors) orNil() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// recordError is a problem with the record as a whole.
func recordError(ko, en string) error {
	fe := &FieldErrors{}
	fe.add("", ko, en)
	return fe
}

func (e *FieldErrors) required(field string) {
	e.add(field, "필수 항목입니다", "required")
}

// chars refuses what PostgreSQL text cannot hold.
func (e *FieldErrors) chars(field, s string) bool {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		e.add(field, "쓸 수 없는 문자가 들어 있습니다", "contains characters that cannot be stored")
		return false
	}
	return true
}

func (e *FieldErrors) slug(field, s string) {
	switch {
	case s == "":
		e.required(field)
	case !contest.ValidSlug(s):
		e.add(field,
			fmt.Sprintf("영문 소문자·숫자로 된 낱말을 하이픈(-) 하나로 이은 %d자 이내의 식별자여야 합니다 (예: lg-ai-research)", contest.MaxSlugLen),
			fmt.Sprintf("must be a slug (lowercase letters and digits in words joined by single hyphens, at most %d characters)", contest.MaxSlugLen))
	}
}

func (e *FieldErrors) code(field, s string) {
	switch {
	case s == "":
		e.required(field)
	case !contest.ValidCode(s):
		e.add(field,
			fmt.Sprintf("영문 소문자·숫자로 된 낱말을 하이픈(-)이나 밑줄(_) 하나로 이은 %d자 이내의 코드여야 합니다 (예: global_common)", contest.MaxSlugLen),
			fmt.Sprintf("must be a code (lowercase letters and digits in words joined by single hyphens or underscores, at most %d characters)", contest.MaxSlugLen))
	case s == contest.TotalCode:
		e.add(field, fmt.Sprintf("%q은 라운드 총점을 가리키는 예약어입니다", contest.TotalCode),
			fmt.Sprintf("%q is reserved for the round total", contest.TotalCode))
	}
}

// text checks a Korean/English pair: both languages when required, and
// never one without the other.
func (e *FieldErrors) text(field string, t contest.Text, required bool) {
	ko, en := field+"_ko", field+"_en"
	okKO, okEN := e.chars(ko, t.KO), e.chars(en, t.EN)
	switch {
	case !okKO || !okEN:
	case required || !t.IsZero():
		if t.KO == "" {
			if required {
				e.required(ko)
			} else {
				e.add(ko, "영어로 썼다면 한국어로도 써야 합니다", "required when the English text is given")
			}
		}
		if t.EN == "" {
			if required {
				e.required(en)
			} else {
				e.add(en, "한국어로 썼다면 영어로도 써야 합니다", "required when the Korean text is given")
			}
		}
	}
}

func (e *FieldErrors) oneOf(field, s string, allowed []string) {
	switch {
	case s == "":
		e.required(field)
	case !slices.Contains(allowed, s):
		list := strings.Join(allowed, ", ")
		e.add(field, "다음 중 하나여야 합니다: "+list, fmt.Sprintf("must be one of %s (got %q)", list, s))
	}
}

// date checks an optional date; "" is no date.
func (e *FieldErrors) date(field, s string) bool {
	if s == "" {
		return true
	}
	if !contest.ValidDate(s) {
		e.add(field, "YYYY-MM-DD 형식의 날짜여야 합니다", fmt.Sprintf("must be a date YYYY-MM-DD (got %q)", s))
		return false
	}
	return true
}

// points checks a decimal of the points domain and returns it with exactly
// two decimals; positive refuses zero.
func (e *FieldErrors) points(field, s string, required, positive bool) string {
	if s == "" {
		if required {
			e.required(field)
		}
		return ""
	}
	v, err := rules.ParseValue(s)
	if err != nil {
		e.add(field, "소수점 아래 두 자리까지의 0 이상인 수여야 합니다 (예: 1.5)", "must be a decimal number with at most two decimals (e.g. 1.5)")
		return ""
	}
	if positive && v.Sign() <= 0 {
		e.add(field, "0보다 커야 합니다", "must be > 0")
		return ""
	}
	if contest.ExceedsMaxPoints(v) {
		e.add(field, contest.MaxPoints+" 이하여야 합니다", "must be at most "+contest.MaxPoints)
		return ""
	}
	return rules.FormatCents(v)
}

func (e *FieldErrors) between(field string, v, lo, hi int64) {
	switch {
	case v < lo:
		e.add(field, fmt.Sprintf("%d 이상이어야 합니다", lo), fmt.Sprintf("must be >= %d", lo))
	case v > hi:
		e.add(field, fmt.Sprintf("%d 이하여야 합니다", hi), fmt.Sprintf("must be at most %d", hi))
	}
}

func trimText(t contest.Text) contest.Text {
	return contest.Text{KO: strings.TrimSpace(t.KO), EN: strings.TrimSpace(t.EN)}
}
