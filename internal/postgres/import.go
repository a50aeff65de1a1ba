package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/programfile"
)

// ImportSummary says what an import touched.
type ImportSummary struct {
	Program       string
	Organizations int
	Teams         int
	Rounds        int
	Scores        int
	// Notes are remarks for the operator, such as a round left unpublished
	// because its scores are incomplete.
	Notes []string
}

// ImportProgram writes a validated program file in one transaction:
// everything lands or nothing does. Records are matched by slug (and by their
// natural keys below that), rows that did not change are not rewritten, and
// rows of the program that the file no longer lists are removed, so importing
// the same file twice leaves the database identical. (The lists of kept ids
// start empty, not nil: NOT (id = ANY(NULL)) would match nothing, so an
// emptied list in the file would delete nothing.) Organizations are shared
// between programs and are never removed by an import.
func (s *Store) ImportProgram(ctx context.Context, f *programfile.File) (ImportSummary, error) {
	return s.ImportProgramBy(ctx, f, contest.Actor{Name: "import"})
}

// ImportProgramBy is ImportProgram on behalf of actor, who is named in the
// audit event an import that changes anything appends.
func (s *Store) ImportProgramBy(ctx context.Context, f *programfile.File, actor contest.Actor) (ImportSummary, error) {
	var sum ImportSummary
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ct := &changeTx{Tx: tx}
		im := &importer{tx: ct, actor: actor, f: f, orgs: map[string]int64{}, teams: map[string]int64{}, sources: map[string]int64{}}
		if err := im.run(ctx); err != nil {
			return err
		}
		sum.Notes = im.notes
		if ct.changes == 0 {
			return nil
		}
		_, err := appendAudit(ctx, tx, actor, "program.import", "program:"+f.Program.Slug, nil, nil, map[string]any{
			"organizations": len(f.Organizations), "teams": len(f.Teams), "rounds": len(f.Rounds), "rows_changed": ct.changes})
		return err
	})
	if err != nil {
		return sum, fmt.Errorf("postgres: import %s: %w", f.Program.Slug, mapErr(err))
	}
	sum = ImportSummary{Program: f.Program.Slug, Organizations: len(f.Organizations), Teams: len(f.Teams), Rounds: len(f.Rounds), Notes: sum.Notes}
	for _, r := range f.Rounds {
		sum.Scores += len(r.Scores)
	}
	return sum, nil
}

type importer struct {
	tx        *changeTx
	actor     contest.Actor
	notes     []string
	f         *programfile.File
	programID int64
	orgs      map[string]int64
	teams     map[string]int64
	sources   map[string]int64
	cites     []citation
}

// citation is one (source, subject) link; column names the subject column.
type citation struct {
	source   programfile.Source
	column   string
	subject  int64
	position int
}

func (im *importer) cite(column string, id int64, srcs []programfile.Source) {
	for i, s := range srcs {
		im.cites = append(im.cites, citation{source: s, column: column, subject: id, position: i})
	}
}

func (im *importer) run(ctx context.Context) error {
	if err := im.program(ctx); err != nil {
		return fmt.Errorf("program: %w", err)
	}
	if err := im.organizations(ctx); err != nil {
		return fmt.Errorf("organizations: %w", err)
	}
	if err := im.teamsAndMembers(ctx); err != nil {
		return fmt.Errorf("teams: %w", err)
	}
	if err := im.budgets(ctx); err != nil {
		return fmt.Errorf("budgets: %w", err)
	}
	if err := im.events(ctx); err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	if err := im.rounds(ctx); err != nil {
		return fmt.Errorf("rounds: %w", err)
	}
	if err := im.citations(ctx); err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	return nil
}

func (im *importer) program(ctx context.Context) error {
	p := im.f.Program
	agencies := p.Agencies
	if agencies == nil {
		agencies = []programfile.Text{}
	}
	var err error
	im.programID, err = upsertID(ctx, im.tx, `
INSERT INTO programs (slug, name_ko, name_en, ministry_ko, ministry_en, goal_ko, goal_en, note_ko, note_en, agencies, final_teams, started_on)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (slug) DO UPDATE SET version = programs.version + 1,
  name_ko = excluded.name_ko, name_en = excluded.name_en, ministry_ko = excluded.ministry_ko, ministry_en = excluded.ministry_en,
  goal_ko = excluded.goal_ko, goal_en = excluded.goal_en, note_ko = excluded.note_ko, note_en = excluded.note_en,
  agencies = excluded.agencies, final_teams = excluded.final_teams, started_on = excluded.started_on, updated_at = now()
WHERE (programs.name_ko, programs.name_en, programs.ministry_ko, programs.ministry_en, programs.goal_ko, programs.goal_en,
       programs.note_ko, programs.note_en, programs.agencies, programs.final_teams, programs.started_on)
  IS DISTINCT FROM
      (excluded.name_ko, excluded.name_en, excluded.ministry_ko, excluded.ministry_en, excluded.goal_ko, excluded.goal_en,
       excluded.note_ko, excluded.note_en, excluded.agencies, excluded.final_teams, excluded.started_on)
RETURNING id`,
		[]any{p.Slug, p.Name.KO, p.Name.EN, p.Ministry.KO, p.Ministry.EN, p.Goal.KO, p.Goal.EN, p.Note.KO, p.Note.EN,
			agencies, p.FinalTeams, orNull(p.StartedOn)},
		`SELECT id FROM programs WHERE slug = $1`, p.Slug)
	if err != nil {
		return err
	}
	im.cite("program_id", im.programID, p.Sources)
	return nil
}

// upsertID runs an INSERT … ON CONFLICT DO UPDATE … WHERE changed RETURNING id
// and, when nothing changed (no row returned), looks the id up with lookup.
func upsertID(ctx context.Context, tx *changeTx, upsert string, args []any, lookup string, lookupArgs ...any) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, upsert, args...).Scan(&id)
	switch {
	case err == pgx.ErrNoRows:
		err = tx.QueryRow(ctx, lookup, lookupArgs...).Scan(&id)
	case err == nil:
		tx.changes++
	}
	return id, err
}

// changeTx counts the rows an import really changed, so an import that
// changes nothing leaves no trace, not even in the audit log.
type changeTx struct {
	pgx.Tx
	changes int
}

// Exec runs a statement and counts the rows it affected.
func (c *changeTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	tag, err := c.Tx.Exec(ctx, sql, args...)
	if err == nil {
		c.changes += int(tag.RowsAffected())
	}
	return tag, err
}

func (im *importer) organizations(ctx context.Context) error {
	for _, o := range im.f.Organizations {
		id, err := upsertID(ctx, im.tx, `
INSERT INTO organizations (slug, name_ko, name_en, kind) VALUES ($1, $2, $3, $4)
ON CONFLICT (slug) DO UPDATE SET version = organizations.version + 1, name_ko = excluded.name_ko, name_en = excluded.name_en, kind = excluded.kind, updated_at = now()
WHERE (organizations.name_ko, organizations.name_en, organizations.kind) IS DISTINCT FROM (excluded.name_ko, excluded.name_en, excluded.kind)
RETURNING id`, []any{o.Slug, o.Name.KO, o.Name.EN, o.Kind}, `SELECT id FROM organizations WHERE slug = $1`, o.Slug)
		if err != nil {
			return fmt.Errorf("%s: %w", o.Slug, err)
		}
		im.orgs[o.Slug] = id
		im.cite("organization_id", id, o.Sources)
	}
	return nil
}

func (im *importer) teamsAndMembers(ctx context.Context) error {
	keep := []int64{}
	for i, t := range im.f.Teams {
		id, err := upsertID(ctx, im.tx, `
INSERT INTO teams (program_id, slug, name_ko, name_en, lead_org_id, model, model_note_ko, model_note_en, goal_ko, goal_en, note_ko, note_en, position)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (program_id, slug) DO UPDATE SET version = teams.version + 1,
  name_ko = excluded.name_ko, name_en = excluded.name_en, lead_org_id = excluded.lead_org_id, model = excluded.model,
  model_note_ko = excluded.model_note_ko, model_note_en = excluded.model_note_en, goal_ko = excluded.goal_ko, goal_en = excluded.goal_en,
  note_ko = excluded.note_ko, note_en = excluded.note_en, position = excluded.position, updated_at = now()
WHERE (teams.name_ko, teams.name_en, teams.lead_org_id, teams.model, teams.model_note_ko, teams.model_note_en, teams.goal_ko, teams.goal_en,
       teams.note_ko, teams.note_en, teams.position)
  IS DISTINCT FROM
      (excluded.name_ko, excluded.name_en, excluded.lead_org_id, excluded.model, excluded.model_note_ko, excluded.model_note_en,
       excluded.goal_ko, excluded.goal_en, excluded.note_ko, excluded.note_en, excluded.position)
RETURNING id`,
			[]any{im.programID, t.Slug, t.Name.KO, t.Name.EN, im.orgs[t.Lead], t.Model, t.ModelNote.KO, t.ModelNote.EN,
				t.Goal.KO, t.Goal.EN, t.Note.KO, t.Note.EN, i},
			`SELECT id FROM teams WHERE program_id = $1 AND slug = $2`, im.programID, t.Slug)
		if err != nil {
			return fmt.Errorf("%s: %w", t.Slug, err)
		}
		im.teams[t.Slug] = id
		keep = append(keep, id)
		im.cite("team_id", id, t.Sources)
		if err := im.members(ctx, id, t.Members); err != nil {
			return fmt.Errorf("%s: members: %w", t.Slug, err)
		}
	}
	if err := im.refuseRemoving(ctx, `
SELECT string_agg(DISTINCT t.slug, ', ') FROM teams t JOIN entries e ON e.team_id = t.id JOIN rounds r ON r.id = e.round_id
WHERE t.program_id = $1 AND NOT (t.id = ANY($2)) AND r.published`, keep,
		"teams that took part in published rounds (%s) cannot be removed by an import"); err != nil {
		return err
	}
	_, err := im.tx.Exec(ctx, `DELETE FROM teams WHERE program_id = $1 AND NOT (id = ANY($2))`, im.programID, keep)
	return err
}

// refuseRemoving runs a query naming the records of the program (other than
// keep) that must not be removed, and fails with msg when there are any.
func (im *importer) refuseRemoving(ctx context.Context, query string, keep []int64, msg string) error {
	var names *string
	if err := im.tx.QueryRow(ctx, query, im.programID, keep).Scan(&names); err != nil {
		return err
	}
	if names != nil {
		return fmt.Errorf("%w: "+msg, contest.ErrRoundState, *names)
	}
	return nil
}

func (im *importer) members(ctx context.Context, teamID int64, ms []programfile.Member) error {
	keep := []int64{}
	for i, m := range ms {
		id, err := upsertID(ctx, im.tx, `
INSERT INTO memberships (team_id, org_id, role, since, until, confidence, note_ko, note_en, position)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (team_id, org_id) DO UPDATE SET version = memberships.version + 1, role = excluded.role, since = excluded.since, until = excluded.until,
  confidence = excluded.confidence, note_ko = excluded.note_ko, note_en = excluded.note_en, position = excluded.position
WHERE (memberships.role, memberships.since, memberships.until, memberships.confidence, memberships.note_ko, memberships.note_en, memberships.position)
  IS DISTINCT FROM (excluded.role, excluded.since, excluded.until, excluded.confidence, excluded.note_ko, excluded.note_en, excluded.position)
RETURNING id`,
			[]any{teamID, im.orgs[m.Org], m.Role, orNull(m.Since), orNull(m.Until), m.Confidence, m.Note.KO, m.Note.EN, i},
			`SELECT id FROM memberships WHERE team_id = $1 AND org_id = $2`, teamID, im.orgs[m.Org])
		if err != nil {
			return fmt.Errorf("%s: %w", m.Org, err)
		}
		keep = append(keep, id)
		im.cite("membership_id", id, m.Sources)
	}
	_, err := im.tx.Exec(ctx, `DELETE FROM memberships WHERE team_id = $1 AND NOT (id = ANY($2))`, teamID, keep)
	return err
}

func (im *importer) budgets(ctx context.Context) error {
	keep := []int64{}
	for _, b := range im.f.Budgets {
		id, err := upsertID(ctx, im.tx, `
INSERT INTO budgets (program_id, year, amount_krw, confidence, note_ko, note_en) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (program_id, year) DO UPDATE SET version = budgets.version + 1, amount_krw = excluded.amount_krw, confidence = excluded.confidence,
  note_ko = excluded.note_ko, note_en = excluded.note_en
WHERE (budgets.amount_krw, budgets.confidence, budgets.note_ko, budgets.note_en)
  IS DISTINCT FROM (excluded.amount_krw, excluded.confidence, excluded.note_ko, excluded.note_en)
RETURNING id`, []any{im.programID, b.Year, b.AmountKRW, b.Confidence, b.Note.KO, b.Note.EN},
			`SELECT id FROM budgets WHERE program_id = $1 AND year = $2`, im.programID, b.Year)
		if err != nil {
			return fmt.Errorf("%d: %w", b.Year, err)
		}
		keep = append(keep, id)
		im.cite("budget_id", id, b.Sources)
		for i, a := range b.Allocations {
			var team any
			if a.Team != "" {
				team = im.teams[a.Team]
			}
			aid, err := upsertID(ctx, im.tx, `
INSERT INTO allocations (budget_id, position, team_id, kind, gpu_model, quantity, amount_krw, confidence, note_ko, note_en)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (budget_id, position) DO UPDATE SET version = allocations.version + 1, team_id = excluded.team_id, kind = excluded.kind, gpu_model = excluded.gpu_model,
  quantity = excluded.quantity, amount_krw = excluded.amount_krw, confidence = excluded.confidence, note_ko = excluded.note_ko, note_en = excluded.note_en
WHERE (allocations.team_id, allocations.kind, allocations.gpu_model, allocations.quantity, allocations.amount_krw, allocations.confidence,
       allocations.note_ko, allocations.note_en)
  IS DISTINCT FROM (excluded.team_id, excluded.kind, excluded.gpu_model, excluded.quantity, excluded.amount_krw, excluded.confidence,
       excluded.note_ko, excluded.note_en)
RETURNING id`, []any{id, i, team, a.Kind, a.GPUModel, a.Quantity, a.AmountKRW, a.Confidence, a.Note.KO, a.Note.EN},
				`SELECT id FROM allocations WHERE budget_id = $1 AND position = $2`, id, i)
			if err != nil {
				return fmt.Errorf("%d: allocation %d: %w", b.Year, i, err)
			}
			im.cite("allocation_id", aid, a.Sources)
		}
		if _, err := im.tx.Exec(ctx, `DELETE FROM allocations WHERE budget_id = $1 AND position >= $2`, id, len(b.Allocations)); err != nil {
			return err
		}
	}
	_, err := im.tx.Exec(ctx, `DELETE FROM budgets WHERE program_id = $1 AND NOT (id = ANY($2))`, im.programID, keep)
	return err
}

func (im *importer) events(ctx context.Context) error {
	for i, e := range im.f.Timeline {
		id, err := upsertID(ctx, im.tx, `
INSERT INTO events (program_id, position, happened_on, until_on, title_ko, title_en, confidence) VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (program_id, position) DO UPDATE SET happened_on = excluded.happened_on, until_on = excluded.until_on,
  title_ko = excluded.title_ko, title_en = excluded.title_en, confidence = excluded.confidence
WHERE (events.happened_on, events.until_on, events.title_ko, events.title_en, events.confidence)
  IS DISTINCT FROM (excluded.happened_on, excluded.until_on, excluded.title_ko, excluded.title_en, excluded.confidence)
RETURNING id`, []any{im.programID, i, e.Date, orNull(e.Until), e.Title.KO, e.Title.EN, e.Confidence},
			`SELECT id FROM events WHERE program_id = $1 AND position = $2`, im.programID, i)
		if err != nil {
			return fmt.Errorf("%d: %w", i, err)
		}
		im.cite("event_id", id, e.Sources)
	}
	_, err := im.tx.Exec(ctx, `DELETE FROM events WHERE program_id = $1 AND position >= $2`, im.programID, len(im.f.Timeline))
	return err
}

func (im *importer) rounds(ctx context.Context) error {
	keep := []int64{}
	for i, r := range im.f.Rounds {
		var announce any
		if r.AnnounceAt != nil {
			announce = *r.AnnounceAt
		}
		// Publishing on import: the round becomes published (its publication
		// time is the announcement time, or now); a round never goes back to
		// unpublished because a file says publish: false.
		// A historic round (announced outcomes, no scores) is published as
		// it is; a scored round is published below, only if it is complete.
		var publishedAt any
		publishAt := time.Now().UTC().Truncate(time.Second)
		if r.AnnounceAt != nil {
			publishAt = *r.AnnounceAt
		}
		if r.Publish && len(r.Scores) == 0 {
			publishedAt = publishAt
		}
		id, err := upsertID(ctx, im.tx, `
INSERT INTO rounds (program_id, slug, position, kind, name_ko, name_en, period, evaluated_on, announce_at, announce_date_only,
                    advance, backfill, min_total, note_ko, note_en, status, published_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
        CASE WHEN $16::timestamptz IS NULL THEN 'draft' ELSE 'published' END::round_status, $16)
ON CONFLICT (program_id, slug) DO UPDATE SET version = rounds.version + 1, position = excluded.position, kind = excluded.kind, name_ko = excluded.name_ko,
  name_en = excluded.name_en, period = excluded.period, evaluated_on = excluded.evaluated_on, announce_at = excluded.announce_at,
  announce_date_only = excluded.announce_date_only, advance = excluded.advance, backfill = excluded.backfill,
  min_total = excluded.min_total, note_ko = excluded.note_ko, note_en = excluded.note_en,
  status = CASE WHEN rounds.published_at IS NULL AND excluded.published_at IS NOT NULL THEN 'published' ELSE rounds.status END,
  published_at = COALESCE(rounds.published_at, excluded.published_at),
  updated_at = now()
WHERE (rounds.position, rounds.kind, rounds.name_ko, rounds.name_en, rounds.period, rounds.evaluated_on, rounds.announce_at,
       rounds.announce_date_only, rounds.advance, rounds.backfill, rounds.min_total, rounds.note_ko, rounds.note_en)
  IS DISTINCT FROM
      (excluded.position, excluded.kind, excluded.name_ko, excluded.name_en, excluded.period, excluded.evaluated_on, excluded.announce_at,
       excluded.announce_date_only, excluded.advance, excluded.backfill, excluded.min_total, excluded.note_ko, excluded.note_en)
   OR (rounds.published_at IS NULL AND excluded.published_at IS NOT NULL)
RETURNING id`,
			[]any{im.programID, r.Slug, i, r.Kind, r.Name.KO, r.Name.EN, r.Period, orNull(r.EvaluatedOn), announce, r.AnnounceDateOnly,
				r.Rule.Advance, r.Rule.Backfill, orNull(r.Rule.MinTotal), r.Note.KO, r.Note.EN, publishedAt},
			`SELECT id FROM rounds WHERE program_id = $1 AND slug = $2`, im.programID, r.Slug)
		if err != nil {
			return fmt.Errorf("%s: %w", r.Slug, err)
		}
		keep = append(keep, id)
		im.cite("round_id", id, r.Sources)
		if err := im.roundContent(ctx, id, r); err != nil {
			return fmt.Errorf("%s: %w", r.Slug, err)
		}
		if r.Publish && len(r.Scores) > 0 {
			if err := im.publishScored(ctx, r.Slug, publishAt); err != nil {
				return fmt.Errorf("%s: %w", r.Slug, err)
			}
		}
	}
	if err := im.refuseRemoving(ctx, `
SELECT string_agg(slug, ', ' ORDER BY position) FROM rounds WHERE program_id = $1 AND NOT (id = ANY($2)) AND published`, keep,
		"published rounds (%s) cannot be removed by an import; their results stay on the record"); err != nil {
		return err
	}
	_, err := im.tx.Exec(ctx, `DELETE FROM rounds WHERE program_id = $1 AND NOT (id = ANY($2))`, im.programID, keep)
	return err
}

func (im *importer) roundContent(ctx context.Context, roundID int64, r programfile.Round) error {
	// Results computed and published by the portal are frozen: the
	// criteria, entries and scores they came from change only through
	// corrections, never by re-importing a file.
	var frozen bool
	if err := im.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM result_revisions WHERE round_id = $1)`, roundID).Scan(&frozen); err != nil {
		return err
	}
	changesBefore := im.tx.changes
	crit := map[string]int64{}
	keepCrit := []int64{}
	var walk func(parent any, cs []programfile.Criterion) error
	walk = func(parent any, cs []programfile.Criterion) error {
		for i, c := range cs {
			var size, agg any
			if c.Panel != nil {
				size, agg = c.Panel.Size, c.Panel.Aggregate
			}
			id, err := upsertID(ctx, im.tx, `
INSERT INTO criteria (round_id, parent_id, code, name_ko, name_en, description_ko, description_en, note_ko, note_en, max, position, panel_size, aggregate)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (round_id, code) DO UPDATE SET version = criteria.version + 1, parent_id = excluded.parent_id, name_ko = excluded.name_ko, name_en = excluded.name_en,
  description_ko = excluded.description_ko, description_en = excluded.description_en, note_ko = excluded.note_ko, note_en = excluded.note_en,
  max = excluded.max, position = excluded.position, panel_size = excluded.panel_size, aggregate = excluded.aggregate
WHERE (criteria.parent_id, criteria.name_ko, criteria.name_en, criteria.description_ko, criteria.description_en, criteria.note_ko,
       criteria.note_en, criteria.max, criteria.position, criteria.panel_size, criteria.aggregate)
  IS DISTINCT FROM (excluded.parent_id, excluded.name_ko, excluded.name_en, excluded.description_ko, excluded.description_en,
       excluded.note_ko, excluded.note_en, excluded.max, excluded.position, excluded.panel_size, excluded.aggregate)
RETURNING id`,
				[]any{roundID, parent, c.Code, c.Name.KO, c.Name.EN, c.Description.KO, c.Description.EN, c.Note.KO, c.Note.EN,
					c.Max, i, size, agg},
				`SELECT id FROM criteria WHERE round_id = $1 AND code = $2`, roundID, c.Code)
			if err != nil {
				return fmt.Errorf("criterion %s: %w", c.Code, err)
			}
			crit[c.Code] = id
			keepCrit = append(keepCrit, id)
			if err := walk(id, c.Children); err != nil {
				return err
			}
		}
		return nil
	}
	// A lowered maximum is checked against the scores at commit (a deferred
	// trigger), after the file's scores below have been written too.
	if err := walk(nil, r.Criteria); err != nil {
		return err
	}
	if _, err := im.tx.Exec(ctx, `DELETE FROM criteria WHERE round_id = $1 AND NOT (id = ANY($2))`, roundID, keepCrit); err != nil {
		return err
	}

	// Entries.
	keepEntries := []int64{}
	for i, e := range r.Entries {
		teamID := im.teams[e.Team]
		_, err := im.tx.Exec(ctx, `
INSERT INTO entries (round_id, team_id, status, reason_ko, reason_en, position) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (round_id, team_id) DO UPDATE SET version = entries.version + 1, status = excluded.status, reason_ko = excluded.reason_ko, reason_en = excluded.reason_en,
  position = excluded.position
WHERE (entries.status, entries.reason_ko, entries.reason_en, entries.position)
  IS DISTINCT FROM (excluded.status, excluded.reason_ko, excluded.reason_en, excluded.position)`,
			roundID, teamID, e.Status, e.Reason.KO, e.Reason.EN, i)
		if err != nil {
			return fmt.Errorf("entry %s: %w", e.Team, err)
		}
		keepEntries = append(keepEntries, teamID)
	}
	if _, err := im.tx.Exec(ctx, `DELETE FROM entries WHERE round_id = $1 AND NOT (team_id = ANY($2))`, roundID, keepEntries); err != nil {
		return err
	}

	if err := im.scores(ctx, roundID, crit, r.Scores); err != nil {
		return err
	}
	if frozen && im.tx.changes != changesBefore {
		return fmt.Errorf("%w: its results are published; its criteria, entries and scores change only through a correction", contest.ErrRoundState)
	}

	// Announced outcomes.
	keepOutcomes := []int64{}
	for _, o := range r.Outcomes {
		id, err := upsertID(ctx, im.tx, `
INSERT INTO announced_outcomes (round_id, team_id, outcome, rank, reason_ko, reason_en, note_ko, note_en) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (round_id, team_id) DO UPDATE SET outcome = excluded.outcome, rank = excluded.rank, reason_ko = excluded.reason_ko,
  reason_en = excluded.reason_en, note_ko = excluded.note_ko, note_en = excluded.note_en
WHERE (announced_outcomes.outcome, announced_outcomes.rank, announced_outcomes.reason_ko, announced_outcomes.reason_en,
       announced_outcomes.note_ko, announced_outcomes.note_en)
  IS DISTINCT FROM (excluded.outcome, excluded.rank, excluded.reason_ko, excluded.reason_en, excluded.note_ko, excluded.note_en)
RETURNING id`, []any{roundID, im.teams[o.Team], o.Outcome, o.Rank, o.Reason.KO, o.Reason.EN, o.Note.KO, o.Note.EN},
			`SELECT id FROM announced_outcomes WHERE round_id = $1 AND team_id = $2`, roundID, im.teams[o.Team])
		if err != nil {
			return fmt.Errorf("outcome %s: %w", o.Team, err)
		}
		keepOutcomes = append(keepOutcomes, id)
		im.cite("outcome_id", id, o.Sources)
	}
	if _, err := im.tx.Exec(ctx, `DELETE FROM announced_outcomes WHERE round_id = $1 AND NOT (id = ANY($2))`, roundID, keepOutcomes); err != nil {
		return err
	}

	// Published figures.
	keepPS := []int64{}
	for _, p := range r.PublishedScores {
		var critID any
		if p.Criterion != contest.TotalCode {
			critID = crit[p.Criterion]
		}
		id, err := upsertID(ctx, im.tx, `
INSERT INTO published_scores (round_id, team_id, criterion_id, value) VALUES ($1, $2, $3, $4)
ON CONFLICT (round_id, team_id, criterion_id) DO UPDATE SET value = excluded.value
WHERE published_scores.value IS DISTINCT FROM excluded.value
RETURNING id`, []any{roundID, im.teams[p.Team], critID, p.Value},
			`SELECT id FROM published_scores WHERE round_id = $1 AND team_id = $2 AND criterion_id IS NOT DISTINCT FROM $3`,
			roundID, im.teams[p.Team], critID)
		if err != nil {
			return fmt.Errorf("published score %s/%s: %w", p.Team, p.Criterion, err)
		}
		keepPS = append(keepPS, id)
		im.cite("published_score_id", id, p.Sources)
	}
	if _, err := im.tx.Exec(ctx, `DELETE FROM published_scores WHERE round_id = $1 AND NOT (id = ANY($2))`, roundID, keepPS); err != nil {
		return err
	}
	keepStats := []int64{}
	for _, p := range r.PublishedStats {
		var critID any
		if p.Criterion != contest.TotalCode {
			critID = crit[p.Criterion]
		}
		id, err := upsertID(ctx, im.tx, `
INSERT INTO published_stats (round_id, criterion_id, stat, value) VALUES ($1, $2, $3, $4)
ON CONFLICT (round_id, criterion_id, stat) DO UPDATE SET value = excluded.value
WHERE published_stats.value IS DISTINCT FROM excluded.value
RETURNING id`, []any{roundID, critID, p.Stat, p.Value},
			`SELECT id FROM published_stats WHERE round_id = $1 AND criterion_id IS NOT DISTINCT FROM $2 AND stat = $3`, roundID, critID, p.Stat)
		if err != nil {
			return fmt.Errorf("published stat %s/%s: %w", p.Criterion, p.Stat, err)
		}
		keepStats = append(keepStats, id)
	}
	if _, err := im.tx.Exec(ctx, `DELETE FROM published_stats WHERE round_id = $1 AND NOT (id = ANY($2))`, roundID, keepStats); err != nil {
		return err
	}

	// Tie decision.
	if r.Decision == nil {
		_, err := im.tx.Exec(ctx, `DELETE FROM decisions WHERE round_id = $1`, roundID)
		return err
	}
	var ids []int64
	for _, t := range r.Decision.Advance {
		ids = append(ids, im.teams[t])
	}
	_, err := im.tx.Exec(ctx, `
INSERT INTO decisions (round_id, team_ids, reason_ko, reason_en, decided_by) VALUES ($1, $2, $3, $4, 'import')
ON CONFLICT (round_id) DO UPDATE SET team_ids = excluded.team_ids, reason_ko = excluded.reason_ko, reason_en = excluded.reason_en,
  decided_by = excluded.decided_by, decided_at = now()
WHERE (decisions.team_ids, decisions.reason_ko, decisions.reason_en) IS DISTINCT FROM (excluded.team_ids, excluded.reason_ko, excluded.reason_en)`,
		roundID, ids, r.Decision.Reason.KO, r.Decision.Reason.EN)
	return err
}

// scores writes a round's scores as one set: new keys are inserted, changed
// values update (bumping the version), unchanged rows are left alone, and
// keys absent from the set are deleted.
func (im *importer) scores(ctx context.Context, roundID int64, crit map[string]int64, scores []programfile.Score) error {
	n := len(scores)
	teams, crits, evals, values := make([]int64, n), make([]int64, n), make([]int32, n), make([]string, n)
	for i, s := range scores {
		teams[i], crits[i], evals[i], values[i] = im.teams[s.Team], crit[s.Criterion], int32(s.Evaluator), s.Value
	}
	return writeScores(ctx, im.tx, roundID, teams, crits, evals, values, "import", true)
}

// writeScores upserts score rows given as parallel arrays; with replace, the
// round's scores that are not in the arrays are deleted.
func writeScores(ctx context.Context, tx DBTX, roundID int64, teams, crits []int64, evals []int32, values []string, actor string, replace bool) error {
	if replace {
		_, err := tx.Exec(ctx, `
DELETE FROM scores s WHERE s.round_id = $1 AND NOT EXISTS (
  SELECT 1 FROM unnest($2::bigint[], $3::bigint[], $4::int[]) AS k(team_id, criterion_id, evaluator)
  WHERE k.team_id = s.team_id AND k.criterion_id = s.criterion_id AND k.evaluator = s.evaluator)`, roundID, teams, crits, evals)
		if err != nil {
			return fmt.Errorf("delete scores: %w", err)
		}
	}
	_, err := tx.Exec(ctx, `
INSERT INTO scores (round_id, team_id, criterion_id, evaluator, value, entered_by)
SELECT $1, k.team_id, k.criterion_id, k.evaluator, k.value, $6
FROM unnest($2::bigint[], $3::bigint[], $4::int[], $5::numeric[]) AS k(team_id, criterion_id, evaluator, value)
ON CONFLICT (round_id, team_id, criterion_id, evaluator) DO UPDATE SET value = excluded.value, version = scores.version + 1,
  entered_by = excluded.entered_by, entered_at = now()
WHERE scores.value IS DISTINCT FROM excluded.value`, roundID, teams, crits, evals, values, actor)
	if err != nil {
		return fmt.Errorf("write scores: %w", err)
	}
	return nil
}

// citationScope selects the citations that belong to one program ($1) and
// its organizations ($2).
var citationScope = `
     c.program_id = $1
  OR c.team_id IN (SELECT id FROM teams WHERE program_id = $1)
  OR c.membership_id IN (SELECT m.id FROM memberships m JOIN teams t ON t.id = m.team_id WHERE t.program_id = $1)
  OR c.round_id IN (SELECT id FROM rounds WHERE program_id = $1)
  OR c.outcome_id IN (SELECT o.id FROM announced_outcomes o JOIN rounds r ON r.id = o.round_id WHERE r.program_id = $1)
  OR c.published_score_id IN (SELECT p.id FROM published_scores p JOIN rounds r ON r.id = p.round_id WHERE r.program_id = $1)
  OR c.budget_id IN (SELECT id FROM budgets WHERE program_id = $1)
  OR c.allocation_id IN (SELECT a.id FROM allocations a JOIN budgets b ON b.id = a.budget_id WHERE b.program_id = $1)
  OR c.event_id IN (SELECT id FROM events WHERE program_id = $1)
  OR c.organization_id = ANY($2)`

// citations replaces the program's source links. Citation rows have no
// identity of their own, so rewriting them leaves identical content.
func (im *importer) citations(ctx context.Context) error {
	orgIDs := make([]int64, 0, len(im.orgs))
	for _, id := range im.orgs {
		orgIDs = append(orgIDs, id)
	}
	digest := `SELECT coalesce(md5(string_agg(to_jsonb(c)::text, ',' ORDER BY to_jsonb(c)::text)), '') FROM citations c WHERE ` + citationScope
	var before, after string
	if err := im.tx.Tx.QueryRow(ctx, digest, im.programID, orgIDs).Scan(&before); err != nil {
		return err
	}
	if _, err := im.tx.Tx.Exec(ctx, `DELETE FROM citations c WHERE `+citationScope, im.programID, orgIDs); err != nil {
		return err
	}
	defer func() {
		if im.tx.Tx.QueryRow(ctx, digest, im.programID, orgIDs).Scan(&after) == nil && after != before {
			im.tx.changes++
		}
	}()
	for _, c := range im.cites {
		id, ok := im.sources[c.source.URL]
		if !ok {
			var err error
			s := c.source
			id, err = upsertID(ctx, im.tx, `
INSERT INTO sources (url, label, published_on, date_note) VALUES ($1, $2, $3, $4)
ON CONFLICT (url) DO UPDATE SET label = excluded.label, published_on = excluded.published_on, date_note = excluded.date_note
WHERE (sources.label, sources.published_on, sources.date_note) IS DISTINCT FROM (excluded.label, excluded.published_on, excluded.date_note)
RETURNING id`, []any{s.URL, s.Label, orNull(s.Date), s.DateNote}, `SELECT id FROM sources WHERE url = $1`, s.URL)
			if err != nil {
				return fmt.Errorf("%s: %w", s.URL, err)
			}
			im.sources[c.source.URL] = id
		}
		_, err := im.tx.Tx.Exec(ctx, `INSERT INTO citations (source_id, `+c.column+`, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			id, c.subject, c.position)
		if err != nil {
			return fmt.Errorf("cite %s: %w", c.source.URL, err)
		}
	}
	return nil
}

// publishScored publishes a scored round marked publish: true when it is
// complete and not blocked; otherwise the round stays unpublished and the
// import says why. An already published round is left as it is.
func (im *importer) publishScored(ctx context.Context, round string, at time.Time) error {
	ri, err := roundInfo(ctx, im.tx, im.f.Program.Slug, round, true)
	if err != nil {
		return err
	}
	if !contest.Allows(ri.Status, contest.ActPublish) {
		return nil
	}
	err = publish(ctx, im.tx.Tx, ri, im.actor, at)
	if err == nil {
		im.tx.changes++
	}
	var ie *contest.IncompleteError
	if errors.As(err, &ie) {
		im.notes = append(im.notes, fmt.Sprintf("round %s was not published: %v", round, ie))
		return nil
	}
	return err
}
