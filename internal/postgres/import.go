package postgres

import (
	"context"
	"fmt"

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
	// subjects are the ids of the disclosure steps and objections the file
	// describes, by citation column.
	subjects map[string][]int64
}

// citation is one (source, subject) link; column names the subject column.
type citation struct {
	source   programfile.Source
	column   string
	subject  int64
	position int
}

// citedID is the end of writing a row of the file: it cites srcs for the
// row id in column, or returns err as the failure of the row named label.
func (im *importer) citedID(column string, srcs []programfile.Source, label string, id int64, err error) (int64, error) {
	if err != nil {
		return 0, fmt.Errorf("%s: %w", label, err)
	}
	im.cite(column, id, srcs)
	return id, nil
}

func (im *importer) cite(column string, id int64, srcs []programfile.Source) {
	if column == "disclosure_id" || column == "objection_id" {
		if im.subjects == nil {
			im.subjects = map[string][]int64{"disclosure_id": {}, "objection_id": {}}
		}
		im.subjects[column] = append(im.subjects[column], id)
	}
	for i, s := range srcs {
		im.cites = append(im.cites, citation{source: s, column: column, subject: id, position: i})
	}
}

func (im *importer) run(ctx context.Context) error {
	for _, step := range []struct {
		name string
		run  func(context.Context) error
	}{
		{"program", im.program}, {"organizations", im.organizations}, {"teams", im.teamsAndMembers},
		{"budgets", im.budgets}, {"timeline", im.events}, {"rounds", im.rounds}, {"sources", im.citations},
	} {
		if err := step.run(ctx); err != nil {
			return fmt.Errorf("%s: %w", step.name, err)
		}
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
INSERT INTO programs (slug, name_ko, name_en, ministry_ko, ministry_en, goal_ko, goal_en, note_ko, note_en, agencies, final_teams, started_on, approvals)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (slug) DO UPDATE SET version = programs.version + 1,
  name_ko = excluded.name_ko, name_en = excluded.name_en, ministry_ko = excluded.ministry_ko, ministry_en = excluded.ministry_en,
  goal_ko = excluded.goal_ko, goal_en = excluded.goal_en, note_ko = excluded.note_ko, note_en = excluded.note_en,
  agencies = excluded.agencies, final_teams = excluded.final_teams, started_on = excluded.started_on, approvals = excluded.approvals, updated_at = now()
WHERE (programs.name_ko, programs.name_en, programs.ministry_ko, programs.ministry_en, programs.goal_ko, programs.goal_en,
       programs.note_ko, programs.note_en, programs.agencies, programs.final_teams, programs.started_on, programs.approvals)
  IS DISTINCT FROM
      (excluded.name_ko, excluded.name_en, excluded.ministry_ko, excluded.ministry_en, excluded.goal_ko, excluded.goal_en,
       excluded.note_ko, excluded.note_en, excluded.agencies, excluded.final_teams, excluded.started_on, excluded.approvals)
RETURNING id`,
		[]any{p.Slug, p.Name.KO, p.Name.EN, p.Ministry.KO, p.Ministry.EN, p.Goal.KO, p.Goal.EN, p.Note.KO, p.Note.EN,
			agencies, p.FinalTeams, orNull(p.StartedOn), max(p.Approvals, 1)},
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
	return syncRows(ctx, im.tx, ms, func(i int, m programfile.Member) (int64, error) {
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
		return im.citedID("membership_id", m.Sources, m.Org, id, err)
	}, `DELETE FROM memberships WHERE team_id = $1 AND NOT (id = ANY($2))`, teamID)
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

// citationScope selects the citations that belong to one program ($1), its
// organizations ($2) and the disclosure steps ($3) and objections ($4) the
// file describes: the sources of steps and objections recorded in the
// console are not the file's to replace.
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
  OR c.disclosure_id = ANY($3)
  OR c.objection_id = ANY($4)
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
	scope := []any{im.programID, orgIDs, im.subjects["disclosure_id"], im.subjects["objection_id"]}
	if err := im.tx.Tx.QueryRow(ctx, digest, scope...).Scan(&before); err != nil {
		return err
	}
	if _, err := im.tx.Tx.Exec(ctx, `DELETE FROM citations c WHERE `+citationScope, scope...); err != nil {
		return err
	}
	defer func() {
		if im.tx.Tx.QueryRow(ctx, digest, scope...).Scan(&after) == nil && after != before {
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

// syncRows writes every item of a list with write, which returns the id of
// the row it inserted or updated, then deletes the rows of owner that are
// no longer in the list: prune is a DELETE with $1 the owner and $2 the ids
// kept.
func syncRows[T any](ctx context.Context, tx DBTX, items []T, write func(i int, item T) (int64, error), prune string, owner int64) error {
	keep := []int64{}
	for i, item := range items {
		id, err := write(i, item)
		if err != nil {
			return err
		}
		keep = append(keep, id)
	}
	_, err := tx.Exec(ctx, prune, owner, keep)
	return err
}
