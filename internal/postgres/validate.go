package postgres

// Checking console input before it reaches the database. Problems come back
// as *FieldErrors, contest's validation vocabulary: a message key and its
// arguments per form field, worded by the portal's catalogs.

import (
	"strings"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
)

// FieldErrors is contest.FieldErrors, the problems of a record's input.
type FieldErrors = contest.FieldErrors

// recordError is a problem with the record as a whole.
func recordError(key string, args ...any) error { return contest.Invalid(key, args...) }

// points checks a decimal of the points domain and returns it with exactly
// two decimals; positive refuses zero.
func points(e *FieldErrors, field, s string, required, positive bool) string {
	if s == "" {
		if required {
			e.Required(field)
		}
		return ""
	}
	v, err := rules.ParseValue(s)
	if err != nil {
		e.Add(field, "decimal")
		return ""
	}
	if positive && v.Sign() <= 0 {
		e.Add(field, "positive")
		return ""
	}
	if contest.ExceedsMaxPoints(v) {
		e.Add(field, "at_most", "n", contest.MaxPoints)
		return ""
	}
	return rules.FormatCents(v)
}

func trimText(t contest.Text) contest.Text {
	return contest.Text{KO: strings.TrimSpace(t.KO), EN: strings.TrimSpace(t.EN)}
}
