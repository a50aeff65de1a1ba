package contest

// The validation rules of the record, shared by the program file importer
// (programfile) and the staff console (postgres), so that a value one
// accepts the other accepts too. They mirror the database's domains and
// checks (migrations/000001_record.up.sql); each caller words its own
// messages.

import (
	"math/big"
	"regexp"
	"time"
)

// MaxSlugLen is the longest slug or criterion code.
const MaxSlugLen = 64

var (
	slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	// codeRE is the slug rule with underscores allowed too (global_common).
	codeRE = regexp.MustCompile(`^[a-z0-9]+([_-][a-z0-9]+)*$`)
	roleRE = regexp.MustCompile(`^[a-z_]+$`)
)

// ValidSlug reports whether s is a slug: lowercase letters and digits in
// words joined by single hyphens, at most MaxSlugLen bytes.
func ValidSlug(s string) bool { return len(s) <= MaxSlugLen && slugRE.MatchString(s) }

// ValidCode reports whether s is a criterion code: like a slug, but words
// may also be joined by underscores. It does not refuse TotalCode.
func ValidCode(s string) bool { return len(s) <= MaxSlugLen && codeRE.MatchString(s) }

// ValidRole reports whether s is a member role: lowercase letters and
// underscores (participant, lead_partner).
func ValidRole(s string) bool { return roleRE.MatchString(s) }

// TotalCode names the round total in published figures; no criterion may
// use it as its code.
const TotalCode = "total"

// RoundKinds lists the valid round kinds.
var RoundKinds = []string{KindSelection, KindStage, KindAdditional}

// Confidences lists the valid confidences of a public fact.
var Confidences = []string{Confirmed, Reported, Conflicting}

// MinTrimmedPanel is the smallest panel a trimmed mean may aggregate: it
// drops the highest and the lowest value and needs one left.
const MinTrimmedPanel = 3

// MinYear and MaxYear bound the year of a budget.
const (
	MinYear = 2000
	MaxYear = 2100
)

// ValidYear reports whether y is within MinYear..MaxYear.
func ValidYear(y int) bool { return y >= MinYear && y <= MaxYear }

// DateLayout is the layout of a date without a time (YYYY-MM-DD).
const DateLayout = "2006-01-02"

// ValidDate reports whether s is a date YYYY-MM-DD.
func ValidDate(s string) bool {
	_, err := time.Parse(DateLayout, s)
	return err == nil
}

// MaxPoints is the largest value of the points domain, numeric(7, 2): the
// type of maxima, scores, published figures and minimum totals.
const MaxPoints = "99999.99"

var maxPoints = big.NewRat(9999999, 100)

// ExceedsMaxPoints reports whether v is larger than MaxPoints.
func ExceedsMaxPoints(v *big.Rat) bool { return v.Cmp(maxPoints) > 0 }
