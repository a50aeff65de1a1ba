package rules

import "errors"

var (
	// ErrInvalidInput is matched by every error Compute and Validate
	// report: the input is structurally wrong and no result exists.
	ErrInvalidInput = errors.New("invalid input")
	// ErrInvalidDecision is matched by errors about a recorded decision
	// that cannot apply: it names a team outside the tied group or a
	// disqualified one, names more teams than the places left, repeats a
	// team, or lacks a reason.
	ErrInvalidDecision = errors.New("invalid decision")
	// ErrDecisionNotNeeded is matched when a decision is recorded but no
	// tie straddles the cut (for example because scores changed since it
	// was recorded). Callers may drop the decision and compute again.
	ErrDecisionNotNeeded = errors.New("decision not needed: no tie at the cut")
)

// InputError describes one structural problem of an Input. It matches
// ErrInvalidInput and, through Unwrap, its more specific Err.
type InputError struct {
	// Path locates the problem in the input, for example "scores[3]",
	// "criteria[0].children[2].max", "entries[1].team" or
	// "decision.advance[0]".
	Path string
	// Msg says what is wrong, naming the values involved.
	Msg string
	// Err is ErrInvalidInput, ErrInvalidDecision or ErrDecisionNotNeeded.
	Err error
}

// Error implements error.
func (e *InputError) Error() string {
	if e.Path == "" {
		return "rules: " + e.Msg
	}
	return "rules: " + e.Path + ": " + e.Msg
}

// Unwrap returns the sentinel e is an instance of.
func (e *InputError) Unwrap() error { return e.Err }

// Is makes every InputError match ErrInvalidInput.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

func inputErr(path, msg string) *InputError {
	return &InputError{Path: path, Msg: msg, Err: ErrInvalidInput}
}

func decisionErr(path, msg string) *InputError {
	return &InputError{Path: path, Msg: msg, Err: ErrInvalidDecision}
}
