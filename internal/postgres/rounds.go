package postgres

// Rounds as the staff console edits them (rule, kind, dates, announcement
// time), their entries and the entries' eligibility.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
)

// RoundRecord is a round's settings as the console edits them. The rule is
// Advance, Backfill and MinTotal.
type RoundRecord struct {
	ID          int64        `json:"id"`
	Slug        string       `json:"slug"`
	Kind        string       `json:"kind"` // selection | stage | additional
	Name        contest.Text `json:"name"`
	Period      string       `json:"period"`       // label such as 2026H1
	EvaluatedOn string       `json:"evaluated_on"` // YYYY-MM-DD or ""
	// AnnounceAt is the announcement time (nil: not known yet);
	// AnnounceDateOnly says only its day is known.
	AnnounceAt       *time.Time   `json:"announce_at"`
	AnnounceDateOnly bool         `json:"announce_date_only"`
	Advance          int          `json:"advance"`
	Backfill         bool         `json:"backfill"`
	MinTotal         string       `json:"min_total"` // "" for none, else a decimal such as "60.00"
	Note             contest.Text `json:"note"`
	Version          int          `json:"version"`

	// Read only.
	Status      string        `json:"status"`
	Position    int           `json:"-"`
	PublishedAt *time.Time    `json:"-"`
	Entries     []EntryRecord `json:"-"` // filled by RoundRecord only
}

// EntryRecord is a team's participation in a round. Its eligibility is set
// with SetEligibility.
type EntryRecord struct {
	Team     string       `json:"team"`
	TeamName contest.Text `json:"-"`
	Status   string       `json:"status"`
	Reason   contest.Text `json:"reason"`
	Scores   int          `json:"-"` // entered scores
	Version  int          `json:"version"`
}

const (
	maxAdvance = 10_000
	maxPanel   = rules.MaxPanelSize
)

func (r *RoundRecord) clean() *FieldErrors {
	r.Slug, r.Kind, r.Period, r.EvaluatedOn = strings.TrimSpace(r.Slug), strings.TrimSpace(r.Kind), strings.TrimSpace(r.Period), strings.TrimSpace(r.EvaluatedOn)
	r.Name, r.Note = trimText(r.Name), trimText(r.Note)
	fe := &FieldErrors{}
	fe.Slug("slug", r.Slug)
	fe.OneOf("kind", r.Kind, contest.RoundKinds)
	fe.Text("name", r.Name, true)
	fe.Chars("period", r.Period)
	fe.Date("evaluated_on", r.EvaluatedOn)
	if r.AnnounceAt == nil {
		r.AnnounceDateOnly = false
	}
	fe.Between("advance", int64(r.Advance), 0, maxAdvance)
	r.MinTotal = points(fe, "min_total", strings.TrimSpace(r.MinTotal), false, false)
	fe.Text("note", r.Note, false)
	return fe
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// changes names the fields of r that differ from cur, in form order.
func (r RoundRecord) changes(cur RoundRecord) []string {
	var out []string
	diff := func(field string, changed bool) {
		if changed {
			out = append(out, field)
		}
	}
	diff("slug", r.Slug != cur.Slug)
	diff("kind", r.Kind != cur.Kind)
	diff("name", r.Name != cur.Name)
	diff("period", r.Period != cur.Period)
	diff("evaluated_on", r.EvaluatedOn != cur.EvaluatedOn)
	diff("announce_at", !sameTime(r.AnnounceAt, cur.AnnounceAt) || r.AnnounceDateOnly != cur.AnnounceDateOnly)
	diff("advance", r.Advance != cur.Advance)
	diff("backfill", r.Backfill != cur.Backfill)
	diff("min_total", r.MinTotal != cur.MinTotal)
	diff("note", r.Note != cur.Note)
	return out
}

const roundSelect = `
SELECT r.id, r.slug, r.kind::text, r.name_ko, r.name_en, r.period, coalesce(to_char(r.evaluated_on, 'YYYY-MM-DD'), ''),
       r.announce_at, r.announce_date_only, r.advance, r.backfill, coalesce(r.min_total::text, ''), r.note_ko, r.note_en,
       r.status::text, r.position, r.published_at, r.version
FROM rounds r`

func scanRound(row pgx.Row) (RoundRecord, error) {
	var r RoundRecord
	err := row.Scan(&r.ID, &r.Slug, &r.Kind, &r.Name.KO, &r.Name.EN, &r.Period, &r.EvaluatedOn, &r.AnnounceAt, &r.AnnounceDateOnly,
		&r.Advance, &r.Backfill, &r.MinTotal, &r.Note.KO, &r.Note.EN, &r.Status, &r.Position, &r.PublishedAt, &r.Version)
	return r, err
}

func roundBySlug(ctx context.Context, db DBTX, programID int64, slug string, lock bool) (RoundRecord, error) {
	return lookup(ctx, db, scanRound, "round "+slug, lock, "r", roundSelect+` WHERE r.program_id = $1 AND r.slug = $2`, programID, slug)
}

// RoundRecords lists a program's rounds in order, without entries.
func (s *Store) RoundRecords(ctx context.Context, program string) ([]RoundRecord, error) {
	return programRows(ctx, s, "rounds", program, scanRound, roundSelect+` WHERE r.program_id = $1 ORDER BY r.position, r.id`)
}

// RoundRecord returns a round's settings and its entries.
func (s *Store) RoundRecord(ctx context.Context, program, round string) (RoundRecord, error) {
	var r RoundRecord
	err := s.readProgram(ctx, "round", program, func(tx pgx.Tx, pid int64) (err error) {
		if r, err = roundBySlug(ctx, tx, pid, round, false); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `
SELECT t.slug, t.name_ko, t.name_en, e.status::text, e.reason_ko, e.reason_en,
       (SELECT count(*) FROM scores s WHERE s.round_id = e.round_id AND s.team_id = e.team_id), e.version
FROM entries e JOIN teams t ON t.id = e.team_id WHERE e.round_id = $1 ORDER BY e.position, t.slug`, r.ID)
		if err != nil {
			return err
		}
		r.Entries, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (EntryRecord, error) {
			var e EntryRecord
			err := row.Scan(&e.Team, &e.TeamName.KO, &e.TeamName.EN, &e.Status, &e.Reason.KO, &e.Reason.EN, &e.Scores, &e.Version)
			return e, err
		})
		return err
	})
	return r, err
}

// CreateRound adds a draft round after the program's last one; a taken
// slug is ErrConflict.
func (s *Store) CreateRound(ctx context.Context, program string, r RoundRecord, actor contest.Actor) (RoundRecord, error) {
	return s.CreateRoundFrom(ctx, program, r, "", actor)
}

// CreateRoundFrom adds a draft round as CreateRound does and, when from
// names an earlier round of the program, starts it with a copy of that
// round's criteria tree and score rounding, in the same transaction. A
// from that names no round of the program is a field error on copy_from.
func (s *Store) CreateRoundFrom(ctx context.Context, program string, r RoundRecord, from string, actor contest.Actor) (RoundRecord, error) {
	if err := r.clean().OrNil(); err != nil {
		return r, fmt.Errorf("postgres: create round: %w", err)
	}
	from = strings.TrimSpace(from)
	var out RoundRecord
	err := s.writeProgram(ctx, program, true, func(tx pgx.Tx, pid int64) (err error) {
		var src RoundRecord
		if from != "" {
			if src, err = copySource(ctx, tx, pid, from); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `
INSERT INTO rounds (program_id, slug, position, kind, name_ko, name_en, period, evaluated_on, announce_at, announce_date_only,
                    advance, backfill, min_total, note_ko, note_en)
VALUES ($1, $2, (SELECT coalesce(max(position) + 1, 0) FROM rounds WHERE program_id = $1), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			pid, r.Slug, r.Kind, r.Name.KO, r.Name.EN, r.Period, orNull(r.EvaluatedOn), r.AnnounceAt, r.AnnounceDateOnly,
			r.Advance, r.Backfill, orNull(r.MinTotal), r.Note.KO, r.Note.EN)
		if err != nil {
			return conflict(err, "a round with slug %s already exists in %s", r.Slug, program)
		}
		if out, err = roundBySlug(ctx, tx, pid, r.Slug, false); err != nil {
			return err
		}
		if _, err = appendAudit(ctx, tx, actor, "round.create", "round:"+out.Slug, &out.ID, nil, out); err != nil || from == "" {
			return err
		}
		return copyCriteria(ctx, tx, src, out, actor)
	})
	if err != nil {
		return r, fmt.Errorf("postgres: create round: %w", err)
	}
	return out, nil
}

// copySource is the round a new round copies its criteria from; one the
// program does not have is a field error.
func copySource(ctx context.Context, tx DBTX, programID int64, from string) (RoundRecord, error) {
	src, err := roundBySlug(ctx, tx, programID, from, false)
	if errors.Is(err, contest.ErrNotFound) {
		fe := &FieldErrors{}
		fe.Add("copy_from", "unknown_round", "round", from)
		return src, fe
	}
	return src, err
}

// UpdateRound changes the settings of the round now named slug if it is
// still at r.Version. A closed round keeps its kind and rule (contest.ErrRoundState;
// reopen it first); a published round changes only its note — its results
// are changed through corrections.
func (s *Store) UpdateRound(ctx context.Context, program, slug string, r RoundRecord, actor contest.Actor) (RoundRecord, error) {
	fe := r.clean()
	return writeRecord(ctx, s, "update round", program, r, nil, func(tx pgx.Tx, pid int64, out *RoundRecord) (err error) {
		cur, err := roundBySlug(ctx, tx, pid, slug, true)
		if err != nil {
			return err
		}
		if err := checkVersion("round "+slug, cur.Version, r.Version); err != nil {
			return err
		}
		if err := fe.OrNil(); err != nil {
			return err
		}
		changed := r.changes(cur)
		if len(changed) == 0 {
			*out = cur
			return nil
		}
		if err := checkRoundChanges(slug, cur.Status, changed); err != nil {
			return err
		}
		if slices.Contains(changed, "kind") {
			var announced bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM announced_outcomes WHERE round_id = $1)`, cur.ID).Scan(&announced); err != nil {
				return err
			}
			if announced {
				fe.Add("kind", "round_kind_announced")
				return fe
			}
		}
		if err := writeVersioned(ctx, tx, "round "+slug, cur.Version, r.Version, fmt.Sprintf("a round with slug %s already exists in %s", r.Slug, program), `
UPDATE rounds SET slug = $3, kind = $4, name_ko = $5, name_en = $6, period = $7, evaluated_on = $8, announce_at = $9,
  announce_date_only = $10, advance = $11, backfill = $12, min_total = $13, note_ko = $14, note_en = $15,
  version = version + 1, updated_at = now()
WHERE id = $1 AND version = $2`, cur.ID, r.Version, r.Slug, r.Kind, r.Name.KO, r.Name.EN, r.Period, orNull(r.EvaluatedOn),
			r.AnnounceAt, r.AnnounceDateOnly, r.Advance, r.Backfill, orNull(r.MinTotal), r.Note.KO, r.Note.EN); err != nil {
			return err
		}
		*out, err = roundBySlug(ctx, tx, pid, r.Slug, false)
		return audited(ctx, tx, err, actor, "round.update", "round:"+cur.Slug, &cur.ID, cur, *out)
	})
}

// roundFieldAction is the workflow action that changing a field of a round
// (as RoundRecord.changes names it) is.
func roundFieldAction(field string) contest.Action {
	switch field {
	case "kind", "advance", "backfill", "min_total":
		return contest.ActEditSetup
	case "note":
		return contest.ActEditNote
	}
	return contest.ActEditDetails
}

// checkRoundChanges refuses the changed fields of a round that its status
// forbids: a *contest.RoundStateError naming them.
func checkRoundChanges(slug, status string, changed []string) error {
	var refused []string
	var first error
	for _, f := range changed {
		if err := contest.CheckRound(slug, status, roundFieldAction(f)); err != nil {
			refused = append(refused, f)
			if first == nil {
				first = err
			}
		}
	}
	if first != nil {
		return fmt.Errorf("%w; refused: %s", first, strings.Join(refused, ", "))
	}
	return nil
}

// onRound runs fn in a transaction on the round, locked once its status
// permits a (lockRoundFor); a failure is named op.
func (s *Store) onRound(ctx context.Context, op, program, round string, a contest.Action, fn func(tx pgx.Tx, ri RoundInfo) error) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := lockRoundFor(ctx, tx, program, round, a)
		if err != nil {
			return err
		}
		return fn(tx, ri)
	})
	if err != nil {
		return fmt.Errorf("postgres: %s: %w", op, err)
	}
	return nil
}

// lockDirect is lockRoundFor an action taken at once, without a request:
// it is refused when the round's program requires two approvals.
func lockDirect(ctx context.Context, tx DBTX, program, round string, a contest.Action) (RoundInfo, error) {
	ri, err := lockRoundFor(ctx, tx, program, round, a)
	if err != nil {
		return ri, err
	}
	return ri, requireSingleApproval(ctx, tx, ri.ID)
}

// lockInput is lockRoundFor with the round's scoring input.
func lockInput(ctx context.Context, tx DBTX, program, round string, a contest.Action) (RoundInfo, FrozenInput, error) {
	ri, err := lockRoundFor(ctx, tx, program, round, a)
	if err != nil {
		return ri, FrozenInput{}, err
	}
	in, err := loadInput(ctx, tx, ri)
	return ri, in, err
}

// lockRoundFor locks a round and checks that its status permits a
// (contest.CheckRound: a *contest.RoundStateError otherwise).
func lockRoundFor(ctx context.Context, tx DBTX, program, round string, a contest.Action) (RoundInfo, error) {
	ri, err := roundInfo(ctx, tx, program, round, true)
	if err != nil {
		return ri, err
	}
	return ri, contest.CheckRound(round, ri.Status, a)
}

// editableRound locks a round whose criteria and entries may still change
// (contest.ActEditSetup).
func editableRound(ctx context.Context, tx DBTX, program, round string) (RoundInfo, error) {
	return lockRoundFor(ctx, tx, program, round, contest.ActEditSetup)
}

// AddEntry enters a team in a round that is not closed or published, as
// eligible.
func (s *Store) AddEntry(ctx context.Context, program, round, team string, actor contest.Actor) error {
	return s.onRound(ctx, "add entry", program, round, contest.ActEditSetup, func(tx pgx.Tx, ri RoundInfo) (err error) {
		var teamID int64
		err = tx.QueryRow(ctx, `SELECT t.id FROM teams t JOIN rounds r ON r.program_id = t.program_id WHERE r.id = $1 AND t.slug = $2`,
			ri.ID, team).Scan(&teamID)
		if errors.Is(err, pgx.ErrNoRows) {
			fe := &FieldErrors{}
			fe.Add("team", "unknown_team", "team", team)
			return fe
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
INSERT INTO entries (round_id, team_id, position) VALUES ($1, $2, (SELECT coalesce(max(position) + 1, 0) FROM entries WHERE round_id = $1))`,
			ri.ID, teamID)
		if err != nil {
			return conflict(err, "team %s is already an entry of %s", team, round)
		}
		after := FrozenEntry{Team: team, Status: contest.EntryEligible}
		_, err = appendAudit(ctx, tx, actor, "entry.add", "round:"+ri.Slug+"/team:"+team, &ri.ID, nil, after)
		return err
	})
}

// RemoveEntry takes a team out of a round that is not closed or published.
// An entry with scores, announced outcomes, published figures or a tie
// decision naming it is kept: removing it would lose them.
func (s *Store) RemoveEntry(ctx context.Context, program, round, team string, actor contest.Actor) error {
	return s.onRound(ctx, "remove entry", program, round, contest.ActEditSetup, func(tx pgx.Tx, ri RoundInfo) (err error) {
		var teamID int64
		var before FrozenEntry
		var scores, figures int
		var decided bool
		err = tx.QueryRow(ctx, `
SELECT t.id, t.slug, e.status::text, e.reason_ko, e.reason_en,
       (SELECT count(*) FROM scores s WHERE s.round_id = e.round_id AND s.team_id = e.team_id),
       (SELECT count(*) FROM announced_outcomes o WHERE o.round_id = e.round_id AND o.team_id = e.team_id)
     + (SELECT count(*) FROM published_scores p WHERE p.round_id = e.round_id AND p.team_id = e.team_id),
       EXISTS (SELECT 1 FROM decisions d WHERE d.round_id = e.round_id AND e.team_id = ANY(d.team_ids))
FROM entries e JOIN teams t ON t.id = e.team_id
WHERE e.round_id = $1 AND t.slug = $2 FOR UPDATE OF e`, ri.ID, team).Scan(
			&teamID, &before.Team, &before.Status, &before.Reason.KO, &before.Reason.EN, &scores, &figures, &decided)
		if err != nil {
			return fmt.Errorf("team %s in %s: %w", team, round, mapErr(err))
		}
		switch {
		case scores > 0:
			return recordError("entry_has_scores", "n", scores)
		case figures > 0:
			return recordError("entry_published")
		case decided:
			return recordError("entry_decided")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM entries WHERE round_id = $1 AND team_id = $2`, ri.ID, teamID); err != nil {
			return mapErr(err)
		}
		_, err = appendAudit(ctx, tx, actor, "entry.remove", "round:"+ri.Slug+"/team:"+team, &ri.ID, before, nil)
		return err
	})
}

// SetEligibility records a team's eligibility in a round that is not
// published yet (published rounds are changed through corrections).
func (s *Store) SetEligibility(ctx context.Context, program, round, team, status string, reason contest.Text, actor contest.Actor) error {
	return s.onRound(ctx, "set eligibility", program, round, contest.ActScore, func(tx pgx.Tx, ri RoundInfo) (err error) {
		return setEligibility(ctx, tx, ri, team, status, reason, actor, "entry.eligibility")
	})
}

func setEligibility(ctx context.Context, tx DBTX, ri RoundInfo, team, status string, reason contest.Text, actor contest.Actor, action string) error {
	if status == contest.EntryEligible {
		reason = contest.Text{}
	}
	var before FrozenEntry
	err := tx.QueryRow(ctx, `
SELECT t.slug, e.status, e.reason_ko, e.reason_en FROM entries e JOIN teams t ON t.id = e.team_id
WHERE e.round_id = $1 AND t.slug = $2 FOR UPDATE OF e`, ri.ID, team).Scan(&before.Team, &before.Status, &before.Reason.KO, &before.Reason.EN)
	if err != nil {
		return fmt.Errorf("team %s in %s: %w", team, ri.Slug, mapErr(err))
	}
	_, err = tx.Exec(ctx, `
UPDATE entries SET status = $3, reason_ko = $4, reason_en = $5, version = version + 1
WHERE round_id = $1 AND team_id = (SELECT id FROM teams WHERE slug = $2 AND program_id = (SELECT program_id FROM rounds WHERE id = $1))`,
		ri.ID, team, status, reason.KO, reason.EN)
	if err != nil {
		return mapErr(err)
	}
	after := FrozenEntry{Team: team, Status: status, Reason: reason}
	_, err = appendAudit(ctx, tx, actor, action, "round:"+ri.Slug+"/team:"+team, &ri.ID, before, after)
	return err
}

// RoundInfo is a round's identity, rule and workflow status.
type RoundInfo struct {
	ID          int64
	Program     string
	Slug        string
	Kind        string
	Status      string
	Name        contest.Text
	Advance     int
	Backfill    bool
	MinTotal    *string
	AnnounceAt  *time.Time
	PublishedAt *time.Time
	// Rounding is how the round rounds its figures.
	Rounding rules.Rounding
	// Disclosure is what the round discloses once published (FORMATS §4):
	// DisclosureOutcomes, DisclosureAggregates or DisclosureFull.
	Disclosure string
}

func roundInfo(ctx context.Context, db DBTX, program, round string, lock bool) (RoundInfo, error) {
	q := `
SELECT r.id, p.slug, r.slug, r.kind, r.status, r.name_ko, r.name_en, r.advance, r.backfill, r.min_total::text,
       r.announce_at, r.published_at, r.rounding_decimals, r.rounding_level::text, r.disclosure::text
FROM rounds r JOIN programs p ON p.id = r.program_id
WHERE p.slug = $1 AND r.slug = $2`
	if lock {
		q += ` FOR UPDATE OF r`
	}
	var ri RoundInfo
	err := db.QueryRow(ctx, q, program, round).Scan(&ri.ID, &ri.Program, &ri.Slug, &ri.Kind, &ri.Status, &ri.Name.KO, &ri.Name.EN,
		&ri.Advance, &ri.Backfill, &ri.MinTotal, &ri.AnnounceAt, &ri.PublishedAt, &ri.Rounding.Decimals, &ri.Rounding.Level, &ri.Disclosure)
	if err != nil {
		return ri, fmt.Errorf("round %s/%s: %w", program, round, mapErr(err))
	}
	return ri, nil
}

// Round returns a round's identity and status.
func (s *Store) Round(ctx context.Context, program, round string) (RoundInfo, error) {
	ri, err := roundInfo(ctx, s.pool, program, round, false)
	if err != nil {
		return ri, fmt.Errorf("postgres: %w", err)
	}
	return ri, nil
}
