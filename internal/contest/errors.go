package contest

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors shared by the store and the web layer.
var (
	// ErrNotFound means the requested record does not exist (or is not public).
	ErrNotFound = errors.New("not found")
	// ErrConflict means a uniqueness rule was violated.
	ErrConflict = errors.New("conflict")
	// ErrStale means the record changed since the caller read it.
	ErrStale = errors.New("stale version")
	// ErrInvalid means the input broke a domain rule.
	ErrInvalid = errors.New("invalid")
	// ErrLastAdmin refuses to disable or demote the last enabled admin:
	// with no admin left nobody could manage the portal.
	ErrLastAdmin = fmt.Errorf("%w: the last enabled admin cannot be disabled or demoted", ErrInvalid)
)

// MissingScore is a required score that has not been entered: the team, the
// leaf criterion and, for a panel leaf, the evaluator (0 otherwise).
type MissingScore struct {
	Team      string
	Criterion string
	Evaluator int
}

// IncompleteError lists what keeps a round from being closed, published or
// corrected: missing scores and an undecided tie at the cut. It matches
// ErrInvalid.
type IncompleteError struct {
	Missing []MissingScore
	Blocked []string // teams in an undecided tie at the cut
}

// Error lists the missing scores and the undecided tie.
func (e *IncompleteError) Error() string {
	var b strings.Builder
	if len(e.Missing) > 0 {
		fmt.Fprintf(&b, "%d required score(s) missing:", len(e.Missing))
		for _, m := range e.Missing {
			if m.Evaluator > 0 {
				fmt.Fprintf(&b, "\n  team %s, criterion %s, evaluator %d", m.Team, m.Criterion, m.Evaluator)
			} else {
				fmt.Fprintf(&b, "\n  team %s, criterion %s", m.Team, m.Criterion)
			}
		}
	}
	if len(e.Blocked) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "a tie straddles the cut (%s): record a decision first (portal round decide)", strings.Join(e.Blocked, ", "))
	}
	return b.String()
}

// Is makes the error match ErrInvalid.
func (e *IncompleteError) Is(target error) bool { return target == ErrInvalid }
