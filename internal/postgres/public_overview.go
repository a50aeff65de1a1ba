package postgres

// The public overview (home) page.

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// PublicOverview is what the overview page shows besides the program header.
type PublicOverview struct {
	StillIn []PublicTeam
	// Next is the first round that is not published yet; nil when none.
	Next *PublicRound
	// Latest is the most recent published round with its outcomes; nil when none.
	Latest        *PublicHistoryRound
	Teams         int
	Rounds        int
	Organizations int
	Sources       []PublicSource
}

// PublicOverview returns who is still in, what is next and the latest
// decision.
func (s *Store) PublicOverview(ctx context.Context, program string) (PublicOverview, error) {
	var ov PublicOverview
	err := s.readProgram(ctx, "public overview", program, func(tx pgx.Tx, pid int64) (err error) {
		teams, _, err := pubTeams(ctx, tx, pid, nil)
		if err != nil {
			return err
		}
		ov.Teams = len(teams)
		for _, t := range teams {
			if t.Status == TeamCompeting {
				ov.StillIn = append(ov.StillIn, t)
			}
		}
		rounds, err := pubHistoryRounds(ctx, tx, pid)
		if err != nil {
			return err
		}
		ov.Rounds = len(rounds)
		for i := range rounds {
			r := rounds[i]
			if r.Published {
				ov.Latest = &r
			} else if ov.Next == nil {
				ov.Next = &r.PublicRound
			}
		}
		if err := tx.QueryRow(ctx, `SELECT count(DISTINCT m.org_id) FROM (`+programMembershipsSQL+`) m`, pid).Scan(&ov.Organizations); err != nil {
			return fmt.Errorf("organizations: %w", err)
		}
		ov.Sources, err = ownSources(ctx, tx, "program_id", pid)
		return err
	})
	return ov, err
}
