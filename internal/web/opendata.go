package web

import (
	"context"

	"github.com/kai-challenge/portal/internal/postgres"
)

// OpenDataStore is what the JSON API, downloads, feed and search read
// besides the public pages' and results' methods. Every method returns only
// public data: results of unpublished rounds never leave the store.
type OpenDataStore interface {
	// PublicPrograms lists every program, the default one first.
	PublicPrograms(ctx context.Context) ([]postgres.PublicProgram, error)
	// PublicProgram is the header of one program.
	PublicProgram(ctx context.Context, program string) (postgres.PublicProgram, error)
	// PublicMemberships lists every consortium's lead and members.
	PublicMemberships(ctx context.Context, program string) ([]postgres.PublicMembership, error)
	// PublicOrganizationDetails returns every organization page at once.
	PublicOrganizationDetails(ctx context.Context, program string) ([]postgres.PublicOrgDetail, error)
	// PublicFeed returns the published rounds with outcomes and revisions.
	PublicFeed(ctx context.Context, program string) (postgres.PublicFeed, error)
	// PublicSearch finds teams, organizations and rounds by name or slug.
	PublicSearch(ctx context.Context, program, q string) (postgres.PublicSearchResults, error)
	// PublicSearchText finds the teams and rounds whose published text
	// (reasons, notes, sources) contains the query.
	PublicSearchText(ctx context.Context, program, q string) ([]postgres.PublicTextHit, error)
	// PublicStandingRanks places each team in its latest published round.
	PublicStandingRanks(ctx context.Context, program string) ([]postgres.PublicStandingRank, error)
}
