package contest

// Publication controls: what a publication or correction request must
// match to take effect, and the four-eyes rule.

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

var (
	// ErrSelfApproval refuses the approval of a request by the admin who
	// made it: with two approvals required, a second admin must approve.
	ErrSelfApproval = fmt.Errorf("%w: a request must be approved by a different admin", ErrInvalid)
	// ErrApprovalRequired refuses a direct publication or correction of a
	// program that requires two approvals: request it instead.
	ErrApprovalRequired = fmt.Errorf("%w: this program requires a second admin's approval; request the publication instead", ErrInvalid)
	// ErrNotApproved refuses scheduling a round of a program that requires
	// two approvals before a publication request was approved.
	ErrNotApproved = fmt.Errorf("%w: the publication has not been approved by a second admin", ErrInvalid)
	// ErrRequestClosed refuses acting on a request that is no longer
	// pending (approved, voided or withdrawn).
	ErrRequestClosed = fmt.Errorf("%w: the request is no longer pending", ErrStale)
)

// Fingerprint is the SHA-256 (hex) of a results document (FORMATS.md §3) as
// a publication would freeze it: what a request binds to.
func Fingerprint(document []byte) string {
	sum := sha256.Sum256(document)
	return hex.EncodeToString(sum[:])
}

// StaleResultsError refuses a publication, approval or correction whose
// reviewed results are not what the inputs produce now, or a correction of
// a revision that was corrected meanwhile. It carries both versions so they
// can be shown side by side. It matches ErrStale.
type StaleResultsError struct {
	Round string
	// Revision is the revision a correction corrected, and CurrentRevision
	// the round's latest revision (both 0 for a first publication).
	Revision, CurrentRevision int
	// Reviewed and Current are the fingerprints of the document that was
	// reviewed and of the one the inputs produce now (or, for a stale
	// revision, of the revision corrected and of the latest revision).
	Reviewed, Current                 string
	ReviewedDocument, CurrentDocument []byte
}

// Error says what changed.
func (e *StaleResultsError) Error() string {
	if e.Revision != e.CurrentRevision {
		return fmt.Sprintf("%s: %s: revision %d was corrected meanwhile; the current revision is %d: review it and correct that",
			ErrStale, e.Round, e.Revision, e.CurrentRevision)
	}
	return fmt.Sprintf("%s: %s: the results changed since they were reviewed (reviewed %.12s…, now %.12s…): review them again",
		ErrStale, e.Round, e.Reviewed, e.Current)
}

// Is makes the error match ErrStale.
func (e *StaleResultsError) Is(target error) bool { return target == ErrStale }

// IsStaleResults reports whether err is a *StaleResultsError and returns it.
func IsStaleResults(err error) (*StaleResultsError, bool) {
	var se *StaleResultsError
	ok := errors.As(err, &se)
	return se, ok
}

// Request statuses.
const (
	RequestPending   = "pending"
	RequestApproved  = "approved"
	RequestVoided    = "voided"
	RequestWithdrawn = "withdrawn"
)

// Request kinds.
const (
	RequestPublish = "publish"
	RequestCorrect = "correct"
)

// CheckApprover returns ErrSelfApproval when approver is the requester.
func CheckApprover(requestedBy, approver string) error {
	if requestedBy == approver {
		return ErrSelfApproval
	}
	return nil
}
