package contest

// The round workflow as one state machine. The store refuses what it
// forbids, the console offers only what it allows and the CLI goes through
// the store, so the three can never disagree about "which status allows
// what".

import "fmt"

// Action is something staff do to a round.
type Action string

// The actions on a round.
const (
	// ActScore enters, changes or imports scores and sets eligibility.
	ActScore Action = "score"
	// ActEditSetup changes the round's rule, kind, criteria tree or entries.
	ActEditSetup Action = "edit_setup"
	// ActEditDetails changes the round's slug, name and dates.
	ActEditDetails Action = "edit_details"
	// ActEditNote changes the round's note, which stays editable after
	// publication.
	ActEditNote Action = "edit_note"
	// ActClose ends scoring.
	ActClose Action = "close"
	// ActReopen takes a closed round back to scoring.
	ActReopen Action = "reopen"
	// ActDecide records which teams of a tie at the cut go through.
	ActDecide Action = "decide"
	// ActPublish makes the results of a closed round public (at once, on
	// schedule, or as requested and approved).
	ActPublish Action = "publish"
	// ActImportPublish publishes a round from the program file
	// (`publish: true` of a historic round): the file is the record, so
	// the round need not be closed first.
	ActImportPublish Action = "import_publish"
	// ActRequestPublish asks for the publication of a closed round's
	// results as reviewed: with two approvals required, the round stays
	// closed with the request pending ("publication requested") until a
	// different admin approves it.
	ActRequestPublish Action = "request_publish"
	// ActApprove approves a pending publication or correction request.
	ActApprove Action = "approve"
	// ActSchedule sets or clears the time of an automatic publication of a
	// closed round.
	ActSchedule Action = "schedule"
	// ActCorrect publishes a new revision of published results.
	ActCorrect Action = "correct"
)

// transitions lists, per status, the actions it permits and the status each
// leads to (the same status when the action does not move the round).
var transitions = map[string]map[Action]string{
	StatusDraft: {
		ActScore:         StatusScoring,
		ActEditSetup:     StatusDraft,
		ActEditDetails:   StatusDraft,
		ActEditNote:      StatusDraft,
		ActClose:         StatusClosed,
		ActDecide:        StatusDraft,
		ActImportPublish: StatusPublished,
	},
	StatusScoring: {
		ActScore:         StatusScoring,
		ActEditSetup:     StatusScoring,
		ActEditDetails:   StatusScoring,
		ActEditNote:      StatusScoring,
		ActClose:         StatusClosed,
		ActDecide:        StatusScoring,
		ActImportPublish: StatusPublished,
	},
	StatusClosed: {
		ActEditDetails:    StatusClosed,
		ActEditNote:       StatusClosed,
		ActReopen:         StatusScoring,
		ActDecide:         StatusClosed,
		ActPublish:        StatusPublished,
		ActImportPublish:  StatusPublished,
		ActRequestPublish: StatusClosed,
		ActApprove:        StatusPublished,
		ActSchedule:       StatusClosed,
	},
	StatusPublished: {
		ActEditNote: StatusPublished,
		ActCorrect:  StatusCorrected,
		ActApprove:  StatusCorrected,
	},
	StatusCorrected: {
		ActEditNote: StatusCorrected,
		ActCorrect:  StatusCorrected,
		ActApprove:  StatusCorrected,
	},
}

// Statuses lists the round statuses in workflow order.
var Statuses = []string{StatusDraft, StatusScoring, StatusClosed, StatusPublished, StatusCorrected}

// Allows reports whether a round in status may undergo a.
func Allows(status string, a Action) bool {
	_, ok := transitions[status][a]
	return ok
}

// Next is the status a round in status reaches through a; ok is false when
// the status forbids a.
func Next(status string, a Action) (next string, ok bool) {
	next, ok = transitions[status][a]
	return next, ok
}

// CheckRound returns nil when a round in status may undergo a, and
// otherwise a *RoundStateError (matching ErrRoundState) that says why.
func CheckRound(round, status string, a Action) error {
	if Allows(status, a) {
		return nil
	}
	return &RoundStateError{Round: round, Status: status, Action: a}
}

// ErrRoundState means a round's status does not allow the operation.
var ErrRoundState = fmt.Errorf("the round's status does not allow this")

// RoundStateError is an action the round's status forbids.
type RoundStateError struct {
	Round  string
	Status string
	Action Action
}

// Error names the round, its status and, if any, the hint.
func (e *RoundStateError) Error() string {
	msg := fmt.Sprintf("%s: %s is %s", ErrRoundState, e.Round, e.Status)
	if hint := e.Hint(); hint != "" {
		msg += "; " + hint
	}
	return msg
}

// Is makes the error match ErrRoundState.
func (e *RoundStateError) Is(target error) bool { return target == ErrRoundState }

// Hint says in English what would make the action possible, if anything.
func (e *RoundStateError) Hint() string {
	switch {
	case Published(e.Status) && e.Action != ActCorrect:
		return "correct its results instead"
	case e.Status == StatusClosed && (e.Action == ActScore || e.Action == ActEditSetup):
		return "reopen it first"
	case e.Action == ActPublish || e.Action == ActRequestPublish || e.Action == ActSchedule || e.Action == ActApprove:
		return "close it first"
	case e.Action == ActCorrect:
		return "only published results can be corrected"
	case e.Action == ActReopen:
		return "only a closed round can be reopened"
	}
	return ""
}
