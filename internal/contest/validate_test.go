package contest_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/kai-challenge/portal/internal/contest"
)

// FieldErrors keeps the first problem of a field, matches ErrInvalid, and
// speaks English for logs and the command line.
func TestFieldErrors(t *testing.T) {
	fe := &contest.FieldErrors{}
	if fe.OrNil() != nil {
		t.Fatal("no problem is not nil")
	}
	fe.Slug("slug", "Bad_Slug")
	fe.OneOf("kind", "guild", []string{"company", "startup"})
	fe.Text("name", contest.Text{KO: "가"}, false)
	fe.Between("year", 1999, 2000, 2100)
	fe.Add("year", "required") // the first problem of a field wins
	err := fe.OrNil()
	if !errors.Is(err, contest.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	want := `invalid input: kind: must be one of company, startup (got "guild"); name_en: required when the Korean text is given; ` +
		`slug: must be a slug (lowercase letters and digits in words joined by single hyphens, at most ` + strconv.Itoa(contest.MaxSlugLen) + ` characters); year: must be >= 2000`
	if err.Error() != want {
		t.Errorf("Error() =\n%s\nwant\n%s", err, want)
	}
	if got := contest.Invalid("entry_has_scores", "n", 3).Error(); got != "invalid input: the team has 3 entered score(s) in this round; remove them first" {
		t.Errorf("Invalid = %q", got)
	}
}
