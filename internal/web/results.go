package web

import (
	"context"

	"github.com/kai-challenge/portal/internal/postgres"
)

// ResultsStore reads the computed results of published rounds: only
// published revisions, never a preview.
type ResultsStore interface {
	PublishedResults(ctx context.Context, program, round string) (postgres.RoundResults, error)
	Corrections(ctx context.Context, program, round string) ([]postgres.CorrectionRecord, error)
	Revision(ctx context.Context, program, round string, revision int) (postgres.RoundResults, postgres.CorrectionRecord, error)
	AuditHead(ctx context.Context, program, round string) (string, error)
}
