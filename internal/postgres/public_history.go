package postgres

// The public history page: rounds in order and dated events.

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
)

// PublicHistoryRound is one step of the elimination history.
type PublicHistoryRound struct {
	PublicRound
	Outcomes []PublicOutcome
}

// PublicEvent is a dated program event that is not a decision round.
type PublicEvent struct {
	On         time.Time
	Until      *time.Time
	Title      contest.Text
	Confidence string
	Sources    []PublicSource
}

// PublicHistory is every round in order with its public outcomes, and the
// program's timeline events.
type PublicHistory struct {
	Rounds []PublicHistoryRound
	Events []PublicEvent
}

// PublicHistory returns every round in order with its public outcomes, and
// the program's timeline events in date order.
func (s *Store) PublicHistory(ctx context.Context, program string) (PublicHistory, error) {
	var h PublicHistory
	err := s.readProgram(ctx, "public history", program, func(tx pgx.Tx, pid int64) (err error) {
		if h.Rounds, err = pubHistoryRounds(ctx, tx, pid); err != nil {
			return err
		}
		h.Events, err = pubEvents(ctx, tx, pid)
		return err
	})
	return h, err
}

func pubHistoryRounds(ctx context.Context, tx DBTX, programID int64) ([]PublicHistoryRound, error) {
	rounds, ids, err := pubRounds(ctx, tx, programID, nil)
	if err != nil {
		return nil, err
	}
	outcomes, err := pubOutcomes(ctx, tx, programID, ids, nil)
	if err != nil {
		return nil, err
	}
	out := make([]PublicHistoryRound, len(rounds))
	for i, r := range rounds {
		out[i] = PublicHistoryRound{PublicRound: r, Outcomes: outcomes[ids[i]]}
	}
	return out, nil
}

func pubEvents(ctx context.Context, tx DBTX, programID int64) ([]PublicEvent, error) {
	out, err := citedRows(ctx, tx, "event_id", func(e *PublicEvent) []any {
		return []any{&e.On, &e.Until, &e.Title.KO, &e.Title.EN, &e.Confidence}
	}, func(e *PublicEvent) *[]PublicSource { return &e.Sources }, `
SELECT id, happened_on, until_on, title_ko, title_en, confidence::text
FROM events WHERE program_id = $1
ORDER BY happened_on, position`, programID)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	return out, nil
}
