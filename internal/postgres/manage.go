package postgres

// Editing the record from the staff console: organizations, teams and their
// members, rounds (rule, criteria, entries, announcement time), budgets and
// allocations. Every write is one transaction with optimistic locking (the
// form carries the version it was read at; a newer version is ErrStale, not
// a silent overwrite) and one audit event with the record before and after.
// Input is checked in Go first, with the rules of the program file
// (programfile), and problems come back as *FieldErrors: one message in
// Korean and English per form field.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
)

// FieldErrors is what is wrong with a form's input: one message in Korean
// and English per field. Bilingual fields are named with a language suffix
// (name_ko, name_en); the empty name is the record as a whole (e.g. "it has
// scores"). It matches contest.ErrInvalid.
type FieldErrors struct {
	Fields map[string]contest.Text
}

func (e *FieldErrors) Error() string {
	keys := slices.Sorted(maps.Keys(e.Fields))
	parts := make([]string, len(keys))
	for i, k := range keys {
		if k == "" {
			parts[i] = e.Fields[k].EN
		} else {
			parts[i] = k + ": " + e.Fields[k].EN
		}
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Is makes the error match contest.ErrInvalid.
func (e *FieldErrors) Is(target error) bool { return target == contest.ErrInvalid }

// In returns the messages in lang ("ko" or "en"), keyed by field, in the
// shape a form's Validate method returns.
func (e *FieldErrors) In(lang string) map[string]string {
	out := make(map[string]string, len(e.Fields))
	for k, t := range e.Fields {
		out[k] = t.In(lang)
	}
	return out
}

// add records a problem; the first message of a field wins.
func (e *FieldErrors) add(field, ko, en string) {
	if e.Fields == nil {
		e.Fields = map[string]contest.Text{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = contest.Text{KO: ko, EN: en}
	}
}

// orNil returns e as an error, or nil (untyped) when nothing was added.
func (e *FieldErrors) orNil() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// recordError is a problem with the record as a whole.
func recordError(ko, en string) error {
	fe := &FieldErrors{}
	fe.add("", ko, en)
	return fe
}

// Checks with the rules of the program file (shared through contest) and
// its English wording.

func (e *FieldErrors) required(field string) {
	e.add(field, "필수 항목입니다", "required")
}

// chars refuses what PostgreSQL text cannot hold.
func (e *FieldErrors) chars(field, s string) bool {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		e.add(field, "쓸 수 없는 문자가 들어 있습니다", "contains characters that cannot be stored")
		return false
	}
	return true
}

func (e *FieldErrors) slug(field, s string) {
	switch {
	case s == "":
		e.required(field)
	case !contest.ValidSlug(s):
		e.add(field,
			fmt.Sprintf("영문 소문자·숫자로 된 낱말을 하이픈(-) 하나로 이은 %d자 이내의 식별자여야 합니다 (예: lg-ai-research)", contest.MaxSlugLen),
			fmt.Sprintf("must be a slug (lowercase letters and digits in words joined by single hyphens, at most %d characters)", contest.MaxSlugLen))
	}
}

func (e *FieldErrors) code(field, s string) {
	switch {
	case s == "":
		e.required(field)
	case !contest.ValidCode(s):
		e.add(field,
			fmt.Sprintf("영문 소문자·숫자로 된 낱말을 하이픈(-)이나 밑줄(_) 하나로 이은 %d자 이내의 코드여야 합니다 (예: global_common)", contest.MaxSlugLen),
			fmt.Sprintf("must be a code (lowercase letters and digits in words joined by single hyphens or underscores, at most %d characters)", contest.MaxSlugLen))
	case s == contest.TotalCode:
		e.add(field, fmt.Sprintf("%q은 라운드 총점을 가리키는 예약어입니다", contest.TotalCode),
			fmt.Sprintf("%q is reserved for the round total", contest.TotalCode))
	}
}

// text checks a Korean/English pair: both languages when required, and
// never one without the other.
func (e *FieldErrors) text(field string, t contest.Text, required bool) {
	ko, en := field+"_ko", field+"_en"
	okKO, okEN := e.chars(ko, t.KO), e.chars(en, t.EN)
	switch {
	case !okKO || !okEN:
	case required || !t.IsZero():
		if t.KO == "" {
			if required {
				e.required(ko)
			} else {
				e.add(ko, "영어로 썼다면 한국어로도 써야 합니다", "required when the English text is given")
			}
		}
		if t.EN == "" {
			if required {
				e.required(en)
			} else {
				e.add(en, "한국어로 썼다면 영어로도 써야 합니다", "required when the Korean text is given")
			}
		}
	}
}

func (e *FieldErrors) oneOf(field, s string, allowed []string) {
	switch {
	case s == "":
		e.required(field)
	case !slices.Contains(allowed, s):
		list := strings.Join(allowed, ", ")
		e.add(field, "다음 중 하나여야 합니다: "+list, fmt.Sprintf("must be one of %s (got %q)", list, s))
	}
}

// date checks an optional date; "" is no date.
func (e *FieldErrors) date(field, s string) bool {
	if s == "" {
		return true
	}
	if !contest.ValidDate(s) {
		e.add(field, "YYYY-MM-DD 형식의 날짜여야 합니다", fmt.Sprintf("must be a date YYYY-MM-DD (got %q)", s))
		return false
	}
	return true
}

// points checks a decimal of the points domain and returns it with exactly
// two decimals; positive refuses zero.
func (e *FieldErrors) points(field, s string, required, positive bool) string {
	if s == "" {
		if required {
			e.required(field)
		}
		return ""
	}
	v, err := rules.ParseValue(s)
	if err != nil {
		e.add(field, "소수점 아래 두 자리까지의 0 이상인 수여야 합니다 (예: 1.5)", "must be a decimal number with at most two decimals (e.g. 1.5)")
		return ""
	}
	if positive && v.Sign() <= 0 {
		e.add(field, "0보다 커야 합니다", "must be > 0")
		return ""
	}
	if contest.ExceedsMaxPoints(v) {
		e.add(field, contest.MaxPoints+" 이하여야 합니다", "must be at most "+contest.MaxPoints)
		return ""
	}
	return rules.FormatCents(v)
}

func (e *FieldErrors) between(field string, v, lo, hi int64) {
	switch {
	case v < lo:
		e.add(field, fmt.Sprintf("%d 이상이어야 합니다", lo), fmt.Sprintf("must be >= %d", lo))
	case v > hi:
		e.add(field, fmt.Sprintf("%d 이하여야 합니다", hi), fmt.Sprintf("must be at most %d", hi))
	}
}

func trimText(t contest.Text) contest.Text {
	return contest.Text{KO: strings.TrimSpace(t.KO), EN: strings.TrimSpace(t.EN)}
}

// orNull passes "" (no date, no value) as SQL NULL.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func staleError(what string, have, yours int) error {
	return fmt.Errorf("%w: %s was changed by someone else meanwhile (now version %d, yours %d); reload it", contest.ErrStale, what, have, yours)
}

// editProgram returns a program's id; lock serialises the writes that
// append a row at the end of a list of the program.
func editProgram(ctx context.Context, db DBTX, program string, lock bool) (int64, error) {
	q := `SELECT id FROM programs WHERE slug = $1`
	if lock {
		q += ` FOR UPDATE`
	}
	var id int64
	if err := db.QueryRow(ctx, q, program).Scan(&id); err != nil {
		return 0, fmt.Errorf("program %s: %w", program, mapErr(err))
	}
	return id, nil
}

// conflict turns a unique violation into ErrConflict with a message naming
// the record; other errors go through mapErr.
func conflict(err error, format string, args ...any) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return fmt.Errorf("%w: "+format, append([]any{contest.ErrConflict}, args...)...)
	}
	return mapErr(err)
}

// ---------------------------------------------------------------------------
// Organizations.

// OrgRecord is an organization as the console edits it.
type OrgRecord struct {
	ID      int64        `json:"id"`
	Slug    string       `json:"slug"`
	Name    contest.Text `json:"name"`
	Kind    string       `json:"kind"` // one of contest.OrgKinds
	Version int          `json:"version"`
	// Teams counts the teams (of any program) it leads or is a member of.
	Teams int `json:"-"`
}

func (o *OrgRecord) clean() *FieldErrors {
	o.Slug, o.Kind, o.Name = strings.TrimSpace(o.Slug), strings.TrimSpace(o.Kind), trimText(o.Name)
	fe := &FieldErrors{}
	fe.slug("slug", o.Slug)
	fe.text("name", o.Name, true)
	fe.oneOf("kind", o.Kind, contest.OrgKinds)
	return fe
}

const orgSelect = `
SELECT o.id, o.slug, o.name_ko, o.name_en, o.kind::text, o.version,
       (SELECT count(*) FROM teams t
        WHERE t.lead_org_id = o.id OR EXISTS (SELECT 1 FROM memberships m WHERE m.team_id = t.id AND m.org_id = o.id))
FROM organizations o`

func scanOrg(row pgx.Row) (OrgRecord, error) {
	var o OrgRecord
	err := row.Scan(&o.ID, &o.Slug, &o.Name.KO, &o.Name.EN, &o.Kind, &o.Version, &o.Teams)
	return o, err
}

func orgBySlug(ctx context.Context, db DBTX, slug string, lock bool) (OrgRecord, error) {
	q := orgSelect + ` WHERE o.slug = $1`
	if lock {
		q += ` FOR UPDATE OF o`
	}
	o, err := scanOrg(db.QueryRow(ctx, q, slug))
	if err != nil {
		return o, fmt.Errorf("organization %s: %w", slug, mapErr(err))
	}
	return o, nil
}

// Organizations lists every organization, by slug.
func (s *Store) Organizations(ctx context.Context) ([]OrgRecord, error) {
	rows, err := s.pool.Query(ctx, orgSelect+` ORDER BY o.slug`)
	if err != nil {
		return nil, fmt.Errorf("postgres: organizations: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (OrgRecord, error) { return scanOrg(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: organizations: %w", err)
	}
	return out, nil
}

// Organization returns one organization.
func (s *Store) Organization(ctx context.Context, slug string) (OrgRecord, error) {
	o, err := orgBySlug(ctx, s.pool, slug, false)
	if err != nil {
		return o, fmt.Errorf("postgres: %w", err)
	}
	return o, nil
}

// CreateOrganization adds an organization; a taken slug is ErrConflict.
func (s *Store) CreateOrganization(ctx context.Context, o OrgRecord, actor contest.Actor) (OrgRecord, error) {
	if err := o.clean().orNil(); err != nil {
		return o, fmt.Errorf("postgres: create organization: %w", err)
	}
	var out OrgRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO organizations (slug, name_ko, name_en, kind) VALUES ($1, $2, $3, $4)`,
			o.Slug, o.Name.KO, o.Name.EN, o.Kind)
		if err != nil {
			return conflict(err, "an organization with slug %s already exists", o.Slug)
		}
		if out, err = orgBySlug(ctx, tx, o.Slug, false); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "organization.create", "organization:"+out.Slug, nil, nil, out)
		return err
	})
	if err != nil {
		return o, fmt.Errorf("postgres: create organization: %w", err)
	}
	return out, nil
}

// UpdateOrganization changes the organization now named slug (its slug
// too, to o.Slug) if it is still at o.Version.
func (s *Store) UpdateOrganization(ctx context.Context, slug string, o OrgRecord, actor contest.Actor) (OrgRecord, error) {
	if err := o.clean().orNil(); err != nil {
		return o, fmt.Errorf("postgres: update organization: %w", err)
	}
	var out OrgRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := orgBySlug(ctx, tx, slug, true)
		if err != nil {
			return err
		}
		if cur.Version != o.Version {
			return staleError("organization "+slug, cur.Version, o.Version)
		}
		if cur.Slug == o.Slug && cur.Name == o.Name && cur.Kind == o.Kind {
			out = cur
			return nil
		}
		tag, err := tx.Exec(ctx, `
UPDATE organizations SET slug = $3, name_ko = $4, name_en = $5, kind = $6, version = version + 1, updated_at = now()
WHERE id = $1 AND version = $2`, cur.ID, o.Version, o.Slug, o.Name.KO, o.Name.EN, o.Kind)
		if err != nil {
			return conflict(err, "an organization with slug %s already exists", o.Slug)
		}
		if tag.RowsAffected() == 0 {
			return staleError("organization "+slug, cur.Version+1, o.Version)
		}
		if out, err = orgBySlug(ctx, tx, o.Slug, false); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "organization.update", "organization:"+cur.Slug, nil, cur, out)
		return err
	})
	if err != nil {
		return o, fmt.Errorf("postgres: update organization: %w", err)
	}
	return out, nil
}

// ---------------------------------------------------------------------------
// Teams and memberships.

// TeamRecord is a team (consortium) as the console edits it.
type TeamRecord struct {
	ID        int64        `json:"id"`
	Slug      string       `json:"slug"`
	Name      contest.Text `json:"name"`
	Lead      string       `json:"lead"` // organization slug
	Model     string       `json:"model"`
	ModelNote contest.Text `json:"model_note"`
	Goal      contest.Text `json:"goal"`
	Note      contest.Text `json:"note"`
	Version   int          `json:"version"`

	// Read only.
	LeadName contest.Text   `json:"-"`
	Position int            `json:"-"`
	Members  []MemberRecord `json:"-"` // filled by Team only
}

func (t *TeamRecord) clean() *FieldErrors {
	t.Slug, t.Lead, t.Model = strings.TrimSpace(t.Slug), strings.TrimSpace(t.Lead), strings.TrimSpace(t.Model)
	t.Name, t.ModelNote, t.Goal, t.Note = trimText(t.Name), trimText(t.ModelNote), trimText(t.Goal), trimText(t.Note)
	fe := &FieldErrors{}
	fe.slug("slug", t.Slug)
	fe.text("name", t.Name, true)
	if t.Lead == "" {
		fe.required("lead")
	}
	fe.chars("model", t.Model)
	fe.text("model_note", t.ModelNote, false)
	fe.text("goal", t.Goal, false)
	fe.text("note", t.Note, false)
	return fe
}

func (t TeamRecord) sameAs(o TeamRecord) bool {
	return t.Slug == o.Slug && t.Name == o.Name && t.Lead == o.Lead && t.Model == o.Model &&
		t.ModelNote == o.ModelNote && t.Goal == o.Goal && t.Note == o.Note
}

// MemberRecord is a consortium member other than the lead.
type MemberRecord struct {
	ID         int64        `json:"id"`
	Org        string       `json:"org"`   // organization slug; names the membership
	Role       string       `json:"role"`  // lowercase and underscores; "participant" when empty
	Since      string       `json:"since"` // YYYY-MM-DD or ""
	Until      string       `json:"until"` // YYYY-MM-DD or ""
	Confidence string       `json:"confidence"`
	Note       contest.Text `json:"note"`
	Version    int          `json:"version"`

	// Read only.
	OrgName  contest.Text `json:"-"`
	Position int          `json:"-"`
}

func (m *MemberRecord) clean() *FieldErrors {
	m.Org, m.Role, m.Confidence = strings.TrimSpace(m.Org), strings.TrimSpace(m.Role), strings.TrimSpace(m.Confidence)
	m.Since, m.Until, m.Note = strings.TrimSpace(m.Since), strings.TrimSpace(m.Until), trimText(m.Note)
	if m.Role == "" {
		m.Role = "participant"
	}
	if m.Confidence == "" {
		m.Confidence = contest.Confirmed
	}
	fe := &FieldErrors{}
	if m.Org == "" {
		fe.required("org")
	}
	if !contest.ValidRole(m.Role) {
		fe.add("role", "영문 소문자와 밑줄(_)만 쓸 수 있습니다 (예: participant)", "must be lowercase letters and underscores (e.g. participant)")
	}
	okSince, okUntil := fe.date("since", m.Since), fe.date("until", m.Until)
	if okSince && okUntil && m.Since != "" && m.Until != "" && m.Until < m.Since {
		fe.add("until", fmt.Sprintf("시작일(%s)보다 앞설 수 없습니다", m.Since), fmt.Sprintf("must not be before since (%s)", m.Since))
	}
	fe.oneOf("confidence", m.Confidence, contest.Confidences)
	fe.text("note", m.Note, false)
	return fe
}

func (m MemberRecord) sameAs(o MemberRecord) bool {
	return m.Role == o.Role && m.Since == o.Since && m.Until == o.Until && m.Confidence == o.Confidence && m.Note == o.Note
}

const teamSelect = `
SELECT t.id, t.slug, t.name_ko, t.name_en, o.slug, o.name_ko, o.name_en, t.model, t.model_note_ko, t.model_note_en,
       t.goal_ko, t.goal_en, t.note_ko, t.note_en, t.position, t.version
FROM teams t JOIN organizations o ON o.id = t.lead_org_id`

func scanTeam(row pgx.Row) (TeamRecord, error) {
	var t TeamRecord
	err := row.Scan(&t.ID, &t.Slug, &t.Name.KO, &t.Name.EN, &t.Lead, &t.LeadName.KO, &t.LeadName.EN, &t.Model,
		&t.ModelNote.KO, &t.ModelNote.EN, &t.Goal.KO, &t.Goal.EN, &t.Note.KO, &t.Note.EN, &t.Position, &t.Version)
	return t, err
}

func teamBySlug(ctx context.Context, db DBTX, programID int64, slug string, lock bool) (TeamRecord, error) {
	q := teamSelect + ` WHERE t.program_id = $1 AND t.slug = $2`
	if lock {
		q += ` FOR UPDATE OF t`
	}
	t, err := scanTeam(db.QueryRow(ctx, q, programID, slug))
	if err != nil {
		return t, fmt.Errorf("team %s: %w", slug, mapErr(err))
	}
	return t, nil
}

const memberSelect = `
SELECT m.id, o.slug, o.name_ko, o.name_en, m.role, coalesce(to_char(m.since, 'YYYY-MM-DD'), ''),
       coalesce(to_char(m.until, 'YYYY-MM-DD'), ''), m.confidence::text, m.note_ko, m.note_en, m.position, m.version
FROM memberships m JOIN organizations o ON o.id = m.org_id`

func scanMember(row pgx.Row) (MemberRecord, error) {
	var m MemberRecord
	err := row.Scan(&m.ID, &m.Org, &m.OrgName.KO, &m.OrgName.EN, &m.Role, &m.Since, &m.Until, &m.Confidence,
		&m.Note.KO, &m.Note.EN, &m.Position, &m.Version)
	return m, err
}

func memberByOrg(ctx context.Context, db DBTX, teamID int64, org string, lock bool) (MemberRecord, error) {
	q := memberSelect + ` WHERE m.team_id = $1 AND o.slug = $2`
	if lock {
		q += ` FOR UPDATE OF m`
	}
	m, err := scanMember(db.QueryRow(ctx, q, teamID, org))
	if err != nil {
		return m, fmt.Errorf("member %s: %w", org, mapErr(err))
	}
	return m, nil
}

// Teams lists a program's teams in their order (applicants included).
func (s *Store) Teams(ctx context.Context, program string) ([]TeamRecord, error) {
	var out []TeamRecord
	err := s.readTx(ctx, "teams", func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, teamSelect+` WHERE t.program_id = $1 ORDER BY t.position, t.id`, pid)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (TeamRecord, error) { return scanTeam(r) })
		return err
	})
	return out, err
}

// Team returns a team with its members.
func (s *Store) Team(ctx context.Context, program, slug string) (TeamRecord, error) {
	var t TeamRecord
	err := s.readTx(ctx, "team", func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		if t, err = teamBySlug(ctx, tx, pid, slug, false); err != nil {
			return err
		}
		t.Members, err = teamMembers(ctx, tx, t.ID)
		return err
	})
	return t, err
}

func teamMembers(ctx context.Context, db DBTX, teamID int64) ([]MemberRecord, error) {
	rows, err := db.Query(ctx, memberSelect+` WHERE m.team_id = $1 ORDER BY m.position, m.id`, teamID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (MemberRecord, error) { return scanMember(r) })
}

// orgID resolves an organization slug named by a form field.
func orgID(ctx context.Context, db DBTX, fe *FieldErrors, field, slug string) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `SELECT id FROM organizations WHERE slug = $1`, slug).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		fe.add(field, fmt.Sprintf("등록되지 않은 기관입니다: %q", slug), fmt.Sprintf("unknown organization %q", slug))
		return 0, nil
	}
	return id, err
}

// CreateTeam adds a team at the end of the program's teams; a taken slug
// is ErrConflict.
func (s *Store) CreateTeam(ctx context.Context, program string, t TeamRecord, actor contest.Actor) (TeamRecord, error) {
	fe := t.clean()
	var out TeamRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, true)
		if err != nil {
			return err
		}
		var lead int64
		if t.Lead != "" {
			if lead, err = orgID(ctx, tx, fe, "lead", t.Lead); err != nil {
				return err
			}
		}
		if err := fe.orNil(); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
INSERT INTO teams (program_id, slug, name_ko, name_en, lead_org_id, model, model_note_ko, model_note_en, goal_ko, goal_en, note_ko, note_en, position)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, (SELECT coalesce(max(position) + 1, 0) FROM teams WHERE program_id = $1))`,
			pid, t.Slug, t.Name.KO, t.Name.EN, lead, t.Model, t.ModelNote.KO, t.ModelNote.EN, t.Goal.KO, t.Goal.EN, t.Note.KO, t.Note.EN)
		if err != nil {
			return conflict(err, "a team with slug %s already exists in %s", t.Slug, program)
		}
		if out, err = teamBySlug(ctx, tx, pid, t.Slug, false); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "team.create", "team:"+out.Slug, nil, nil, out)
		return err
	})
	if err != nil {
		return t, fmt.Errorf("postgres: create team: %w", err)
	}
	return out, nil
}

// UpdateTeam changes the team now named slug if it is still at t.Version.
// A team that took part in a published round keeps its slug: published
// results name it.
func (s *Store) UpdateTeam(ctx context.Context, program, slug string, t TeamRecord, actor contest.Actor) (TeamRecord, error) {
	fe := t.clean()
	var out TeamRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		cur, err := teamBySlug(ctx, tx, pid, slug, true)
		if err != nil {
			return err
		}
		if cur.Version != t.Version {
			return staleError("team "+slug, cur.Version, t.Version)
		}
		var lead int64
		if t.Lead != "" {
			if lead, err = orgID(ctx, tx, fe, "lead", t.Lead); err != nil {
				return err
			}
		}
		if t.Slug != cur.Slug && t.Slug != "" {
			var published bool
			if err := tx.QueryRow(ctx, `
SELECT EXISTS (SELECT 1 FROM entries e JOIN rounds r ON r.id = e.round_id
               WHERE e.team_id = $1 AND r.status IN ('published', 'corrected'))`, cur.ID).Scan(&published); err != nil {
				return err
			}
			if published {
				fe.add("slug", "공개된 결과에 나오는 팀이라 식별자를 바꿀 수 없습니다",
					"cannot change: the team appears in published results, which name it by its slug")
			}
		}
		if lead != 0 && t.Lead != cur.Lead {
			var member bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM memberships WHERE team_id = $1 AND org_id = $2)`, cur.ID, lead).Scan(&member); err != nil {
				return err
			}
			if member {
				fe.add("lead", fmt.Sprintf("%q은(는) 이미 이 팀의 구성원입니다. 먼저 구성원에서 빼 주세요", t.Lead),
					fmt.Sprintf("%q is already a member of the team; remove the membership first", t.Lead))
			}
		}
		if err := fe.orNil(); err != nil {
			return err
		}
		if cur.sameAs(t) {
			out = cur
			return nil
		}
		tag, err := tx.Exec(ctx, `
UPDATE teams SET slug = $3, name_ko = $4, name_en = $5, lead_org_id = $6, model = $7, model_note_ko = $8, model_note_en = $9,
  goal_ko = $10, goal_en = $11, note_ko = $12, note_en = $13, version = version + 1, updated_at = now()
WHERE id = $1 AND version = $2`, cur.ID, t.Version, t.Slug, t.Name.KO, t.Name.EN, lead, t.Model, t.ModelNote.KO, t.ModelNote.EN,
			t.Goal.KO, t.Goal.EN, t.Note.KO, t.Note.EN)
		if err != nil {
			return conflict(err, "a team with slug %s already exists in %s", t.Slug, program)
		}
		if tag.RowsAffected() == 0 {
			return staleError("team "+slug, cur.Version+1, t.Version)
		}
		if out, err = teamBySlug(ctx, tx, pid, t.Slug, false); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "team.update", "team:"+cur.Slug, nil, cur, out)
		return err
	})
	if err != nil {
		return t, fmt.Errorf("postgres: update team: %w", err)
	}
	return out, nil
}

// AddMember adds an organization to a team's consortium, after its other
// members. The lead is a member implicitly and is not added; an
// organization already in the team is ErrConflict.
func (s *Store) AddMember(ctx context.Context, program, team string, m MemberRecord, actor contest.Actor) (MemberRecord, error) {
	fe := m.clean()
	var out MemberRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		t, err := teamBySlug(ctx, tx, pid, team, true)
		if err != nil {
			return err
		}
		var org int64
		if m.Org != "" {
			if org, err = orgID(ctx, tx, fe, "org", m.Org); err != nil {
				return err
			}
			if m.Org == t.Lead {
				fe.add("org", fmt.Sprintf("%q은(는) 팀의 주관 기관이라 따로 구성원으로 넣지 않습니다", m.Org),
					fmt.Sprintf("%q is the team's lead, which is a member implicitly", m.Org))
			}
		}
		if err := fe.orNil(); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
INSERT INTO memberships (team_id, org_id, role, since, until, confidence, note_ko, note_en, position)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT coalesce(max(position) + 1, 0) FROM memberships WHERE team_id = $1))`,
			t.ID, org, m.Role, orNull(m.Since), orNull(m.Until), m.Confidence, m.Note.KO, m.Note.EN)
		if err != nil {
			return conflict(err, "%s is already a member of team %s", m.Org, team)
		}
		if out, err = memberByOrg(ctx, tx, t.ID, m.Org, false); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "membership.add", "team:"+t.Slug+"/org:"+m.Org, nil, nil, out)
		return err
	})
	if err != nil {
		return m, fmt.Errorf("postgres: add member: %w", err)
	}
	return out, nil
}

// UpdateMember changes the membership of m.Org in a team if it is still at
// m.Version. The organization itself is not changed: remove the membership
// and add another.
func (s *Store) UpdateMember(ctx context.Context, program, team string, m MemberRecord, actor contest.Actor) (MemberRecord, error) {
	if err := m.clean().orNil(); err != nil {
		return m, fmt.Errorf("postgres: update member: %w", err)
	}
	var out MemberRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		t, err := teamBySlug(ctx, tx, pid, team, false)
		if err != nil {
			return err
		}
		cur, err := memberByOrg(ctx, tx, t.ID, m.Org, true)
		if err != nil {
			return err
		}
		if cur.Version != m.Version {
			return staleError("member "+m.Org+" of team "+team, cur.Version, m.Version)
		}
		if cur.sameAs(m) {
			out = cur
			return nil
		}
		tag, err := tx.Exec(ctx, `
UPDATE memberships SET role = $3, since = $4, until = $5, confidence = $6, note_ko = $7, note_en = $8, version = version + 1
WHERE id = $1 AND version = $2`, cur.ID, m.Version, m.Role, orNull(m.Since), orNull(m.Until), m.Confidence, m.Note.KO, m.Note.EN)
		if err != nil {
			return mapErr(err)
		}
		if tag.RowsAffected() == 0 {
			return staleError("member "+m.Org+" of team "+team, cur.Version+1, m.Version)
		}
		if out, err = memberByOrg(ctx, tx, t.ID, m.Org, false); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "membership.update", "team:"+t.Slug+"/org:"+m.Org, nil, cur, out)
		return err
	})
	if err != nil {
		return m, fmt.Errorf("postgres: update member: %w", err)
	}
	return out, nil
}

// RemoveMember takes an organization out of a team's consortium if the
// membership is still at version.
func (s *Store) RemoveMember(ctx context.Context, program, team, org string, version int, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		t, err := teamBySlug(ctx, tx, pid, team, false)
		if err != nil {
			return err
		}
		cur, err := memberByOrg(ctx, tx, t.ID, org, true)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM memberships WHERE id = $1 AND version = $2`, cur.ID, version)
		if err != nil {
			return mapErr(err)
		}
		if tag.RowsAffected() == 0 {
			return staleError("member "+org+" of team "+team, cur.Version, version)
		}
		_, err = appendAudit(ctx, tx, actor, "membership.remove", "team:"+t.Slug+"/org:"+org, nil, cur, nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: remove member: %w", err)
	}
	return nil
}

// ---------------------------------------------------------------------------
// Rounds and entries.

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
	fe.slug("slug", r.Slug)
	fe.oneOf("kind", r.Kind, contest.RoundKinds)
	fe.text("name", r.Name, true)
	fe.chars("period", r.Period)
	fe.date("evaluated_on", r.EvaluatedOn)
	if r.AnnounceAt == nil {
		r.AnnounceDateOnly = false
	}
	fe.between("advance", int64(r.Advance), 0, maxAdvance)
	r.MinTotal = fe.points("min_total", strings.TrimSpace(r.MinTotal), false, false)
	fe.text("note", r.Note, false)
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
	q := roundSelect + ` WHERE r.program_id = $1 AND r.slug = $2`
	if lock {
		q += ` FOR UPDATE OF r`
	}
	r, err := scanRound(db.QueryRow(ctx, q, programID, slug))
	if err != nil {
		return r, fmt.Errorf("round %s: %w", slug, mapErr(err))
	}
	return r, nil
}

// RoundRecords lists a program's rounds in order, without entries.
func (s *Store) RoundRecords(ctx context.Context, program string) ([]RoundRecord, error) {
	var out []RoundRecord
	err := s.readTx(ctx, "rounds", func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, roundSelect+` WHERE r.program_id = $1 ORDER BY r.position, r.id`, pid)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (RoundRecord, error) { return scanRound(r) })
		return err
	})
	return out, err
}

// RoundRecord returns a round's settings and its entries.
func (s *Store) RoundRecord(ctx context.Context, program, round string) (RoundRecord, error) {
	var r RoundRecord
	err := s.readTx(ctx, "round", func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
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
	if err := r.clean().orNil(); err != nil {
		return r, fmt.Errorf("postgres: create round: %w", err)
	}
	var out RoundRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, true)
		if err != nil {
			return err
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
		_, err = appendAudit(ctx, tx, actor, "round.create", "round:"+out.Slug, &out.ID, nil, out)
		return err
	})
	if err != nil {
		return r, fmt.Errorf("postgres: create round: %w", err)
	}
	return out, nil
}

// UpdateRound changes the settings of the round now named slug if it is
// still at r.Version. A closed round keeps its kind and rule (contest.ErrRoundState;
// reopen it first); a published round changes only its note — its results
// are changed through corrections.
func (s *Store) UpdateRound(ctx context.Context, program, slug string, r RoundRecord, actor contest.Actor) (RoundRecord, error) {
	fe := r.clean()
	var out RoundRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		cur, err := roundBySlug(ctx, tx, pid, slug, true)
		if err != nil {
			return err
		}
		if cur.Version != r.Version {
			return staleError("round "+slug, cur.Version, r.Version)
		}
		if err := fe.orNil(); err != nil {
			return err
		}
		changed := r.changes(cur)
		if len(changed) == 0 {
			out = cur
			return nil
		}
		var refused []string
		switch {
		case contest.Published(cur.Status):
			refused = slices.DeleteFunc(slices.Clone(changed), func(f string) bool { return f == "note" })
			if len(refused) > 0 {
				return fmt.Errorf("%w: %s is published: only its note may change (correct its results instead); refused: %s",
					contest.ErrRoundState, slug, strings.Join(refused, ", "))
			}
		case cur.Status == contest.StatusClosed:
			for _, f := range changed {
				if f == "kind" || f == "advance" || f == "backfill" || f == "min_total" {
					refused = append(refused, f)
				}
			}
			if len(refused) > 0 {
				return fmt.Errorf("%w: %s is closed: its kind and rule cannot change (reopen it first); refused: %s",
					contest.ErrRoundState, slug, strings.Join(refused, ", "))
			}
		}
		if slices.Contains(changed, "kind") {
			var announced bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM announced_outcomes WHERE round_id = $1)`, cur.ID).Scan(&announced); err != nil {
				return err
			}
			if announced {
				fe.add("kind", "발표된 결과가 기록된 라운드라 종류를 바꿀 수 없습니다",
					"cannot change: the round has announced outcomes of its kind")
				return fe
			}
		}
		tag, err := tx.Exec(ctx, `
UPDATE rounds SET slug = $3, kind = $4, name_ko = $5, name_en = $6, period = $7, evaluated_on = $8, announce_at = $9,
  announce_date_only = $10, advance = $11, backfill = $12, min_total = $13, note_ko = $14, note_en = $15,
  version = version + 1, updated_at = now()
WHERE id = $1 AND version = $2`, cur.ID, r.Version, r.Slug, r.Kind, r.Name.KO, r.Name.EN, r.Period, orNull(r.EvaluatedOn),
			r.AnnounceAt, r.AnnounceDateOnly, r.Advance, r.Backfill, orNull(r.MinTotal), r.Note.KO, r.Note.EN)
		if err != nil {
			return conflict(err, "a round with slug %s already exists in %s", r.Slug, program)
		}
		if tag.RowsAffected() == 0 {
			return staleError("round "+slug, cur.Version+1, r.Version)
		}
		if out, err = roundBySlug(ctx, tx, pid, r.Slug, false); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "round.update", "round:"+cur.Slug, &cur.ID, cur, out)
		return err
	})
	if err != nil {
		return r, fmt.Errorf("postgres: update round: %w", err)
	}
	return out, nil
}

// editableRound locks a round whose criteria and entries may still change:
// not closed, not published.
func editableRound(ctx context.Context, tx DBTX, program, round string) (RoundInfo, error) {
	ri, err := roundInfo(ctx, tx, program, round, true)
	if err != nil {
		return ri, err
	}
	switch {
	case contest.Published(ri.Status):
		return ri, fmt.Errorf("%w: %s is published; correct its results instead", contest.ErrRoundState, round)
	case ri.Status == contest.StatusClosed:
		return ri, fmt.Errorf("%w: %s is closed; reopen it first", contest.ErrRoundState, round)
	}
	return ri, nil
}

// AddEntry enters a team in a round that is not closed or published, as
// eligible.
func (s *Store) AddEntry(ctx context.Context, program, round, team string, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := editableRound(ctx, tx, program, round)
		if err != nil {
			return err
		}
		var teamID int64
		err = tx.QueryRow(ctx, `SELECT t.id FROM teams t JOIN rounds r ON r.program_id = t.program_id WHERE r.id = $1 AND t.slug = $2`,
			ri.ID, team).Scan(&teamID)
		if errors.Is(err, pgx.ErrNoRows) {
			fe := &FieldErrors{}
			fe.add("team", fmt.Sprintf("이 프로그램에 없는 팀입니다: %q", team), fmt.Sprintf("unknown team %q", team))
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
	if err != nil {
		return fmt.Errorf("postgres: add entry: %w", err)
	}
	return nil
}

// RemoveEntry takes a team out of a round that is not closed or published.
// An entry with scores, announced outcomes, published figures or a tie
// decision naming it is kept: removing it would lose them.
func (s *Store) RemoveEntry(ctx context.Context, program, round, team string, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := editableRound(ctx, tx, program, round)
		if err != nil {
			return err
		}
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
			return recordError(fmt.Sprintf("이 팀은 점수 %d개가 입력되어 있어 뺄 수 없습니다. 점수를 먼저 지우세요", scores),
				fmt.Sprintf("the team has %d entered score(s) in this round; remove them first", scores))
		case figures > 0:
			return recordError("이 팀은 발표된 결과나 공개된 점수가 기록되어 있어 뺄 수 없습니다",
				"the team has announced outcomes or published figures in this round")
		case decided:
			return recordError("동점 결정에 이름이 올라 있는 팀이라 뺄 수 없습니다",
				"the team is named in the round's tie decision")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM entries WHERE round_id = $1 AND team_id = $2`, ri.ID, teamID); err != nil {
			return mapErr(err)
		}
		_, err = appendAudit(ctx, tx, actor, "entry.remove", "round:"+ri.Slug+"/team:"+team, &ri.ID, before, nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: remove entry: %w", err)
	}
	return nil
}

// ---------------------------------------------------------------------------
// Criteria.

// CriterionRecord is a node of a round's criteria tree. A leaf is scored
// directly (PanelSize 0) or by a panel of PanelSize evaluators whose scores
// are aggregated by Aggregate.
type CriterionRecord struct {
	ID          int64        `json:"id"`
	Code        string       `json:"code"`
	Parent      string       `json:"parent"` // parent code; "" for a top-level category
	Name        contest.Text `json:"name"`
	Description contest.Text `json:"description"`
	Note        contest.Text `json:"note"`
	Max         string       `json:"max"` // decimal such as "40.00"
	PanelSize   int          `json:"panel_size"`
	Aggregate   string       `json:"aggregate"` // mean | median | trimmed_mean; "" when scored directly
	Version     int          `json:"version"`

	// Read only.
	Depth    int  `json:"-"` // 0 for a category
	Leaf     bool `json:"-"`
	Scores   int  `json:"-"` // entered scores
	Position int  `json:"-"`
}

func (c *CriterionRecord) clean() *FieldErrors {
	c.Code, c.Parent, c.Aggregate = strings.TrimSpace(c.Code), strings.TrimSpace(c.Parent), strings.TrimSpace(c.Aggregate)
	c.Name, c.Description, c.Note = trimText(c.Name), trimText(c.Description), trimText(c.Note)
	fe := &FieldErrors{}
	fe.code("code", c.Code)
	fe.text("name", c.Name, true)
	fe.text("description", c.Description, false)
	fe.text("note", c.Note, false)
	c.Max = fe.points("max", strings.TrimSpace(c.Max), true, true)
	switch {
	case c.PanelSize == 0 && c.Aggregate != "":
		fe.add("panel_size", "집계 방식을 골랐다면 평가위원 수를 넣어야 합니다", "required when an aggregate is chosen")
	case c.PanelSize != 0:
		fe.between("panel_size", int64(c.PanelSize), 1, maxPanel)
		fe.oneOf("aggregate", c.Aggregate, contest.Aggregates)
		if c.Aggregate == "trimmed_mean" && c.PanelSize >= 1 && c.PanelSize < contest.MinTrimmedPanel {
			fe.add("aggregate", fmt.Sprintf("trimmed_mean은 평가위원이 %d명 이상이어야 합니다 (지금 %d명)", contest.MinTrimmedPanel, c.PanelSize),
				fmt.Sprintf("trimmed_mean needs a panel size of at least %d (size is %d)", contest.MinTrimmedPanel, c.PanelSize))
		}
	}
	return fe
}

func (c CriterionRecord) sameAs(o CriterionRecord) bool {
	return c.Code == o.Code && c.Parent == o.Parent && c.Name == o.Name && c.Description == o.Description &&
		c.Note == o.Note && c.Max == o.Max && c.PanelSize == o.PanelSize && c.Aggregate == o.Aggregate
}

const criteriaTreeSQL = `
WITH RECURSIVE tree AS (
  SELECT c.id, ARRAY[c.position::bigint, c.id] AS path, 0 AS depth FROM criteria c WHERE c.round_id = $1 AND c.parent_id IS NULL
  UNION ALL
  SELECT c.id, t.path || ARRAY[c.position::bigint, c.id], t.depth + 1 FROM criteria c JOIN tree t ON c.parent_id = t.id
)
SELECT c.id, c.code, coalesce(p.code, ''), c.name_ko, c.name_en, c.description_ko, c.description_en, c.note_ko, c.note_en,
       c.max::text, coalesce(c.panel_size, 0), coalesce(c.aggregate::text, ''), c.version, t.depth,
       NOT EXISTS (SELECT 1 FROM criteria k WHERE k.parent_id = c.id),
       (SELECT count(*) FROM scores s WHERE s.criterion_id = c.id), c.position
FROM tree t JOIN criteria c ON c.id = t.id LEFT JOIN criteria p ON p.id = c.parent_id`

func scanCriterion(row pgx.Row) (CriterionRecord, error) {
	var c CriterionRecord
	err := row.Scan(&c.ID, &c.Code, &c.Parent, &c.Name.KO, &c.Name.EN, &c.Description.KO, &c.Description.EN, &c.Note.KO, &c.Note.EN,
		&c.Max, &c.PanelSize, &c.Aggregate, &c.Version, &c.Depth, &c.Leaf, &c.Scores, &c.Position)
	return c, err
}

func criteriaOf(ctx context.Context, db DBTX, roundID int64) ([]CriterionRecord, error) {
	rows, err := db.Query(ctx, criteriaTreeSQL+` ORDER BY t.path`, roundID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (CriterionRecord, error) { return scanCriterion(r) })
}

func criterionByCode(ctx context.Context, db DBTX, roundID int64, code string) (CriterionRecord, error) {
	c, err := scanCriterion(db.QueryRow(ctx, criteriaTreeSQL+` WHERE c.code = $2`, roundID, code))
	if err != nil {
		return c, fmt.Errorf("criterion %s: %w", code, mapErr(err))
	}
	return c, nil
}

// Criteria lists a round's criteria in tree order (each node before its
// children, siblings in their order), with their depth.
func (s *Store) Criteria(ctx context.Context, program, round string) ([]CriterionRecord, error) {
	var out []CriterionRecord
	err := s.readTx(ctx, "criteria", func(tx pgx.Tx) error {
		ri, err := roundInfo(ctx, tx, program, round, false)
		if err != nil {
			return err
		}
		out, err = criteriaOf(ctx, tx, ri.ID)
		return err
	})
	return out, err
}

// Criterion returns one criterion of a round.
func (s *Store) Criterion(ctx context.Context, program, round, code string) (CriterionRecord, error) {
	var c CriterionRecord
	err := s.readTx(ctx, "criterion", func(tx pgx.Tx) error {
		ri, err := roundInfo(ctx, tx, program, round, false)
		if err != nil {
			return err
		}
		c, err = criterionByCode(ctx, tx, ri.ID, code)
		return err
	})
	return c, err
}

// checkParent checks that parent (a code of the round's criteria) may take
// children: it exists, is not self or below self, and is not scored.
func checkParent(crits []CriterionRecord, self, parent string, fe *FieldErrors) {
	if parent == "" {
		return
	}
	byCode := map[string]CriterionRecord{}
	for _, c := range crits {
		byCode[c.Code] = c
	}
	p, ok := byCode[parent]
	if !ok {
		fe.add("parent", fmt.Sprintf("이 라운드에 없는 평가 항목입니다: %q", parent), fmt.Sprintf("unknown criterion %q", parent))
		return
	}
	for a := p; self != ""; {
		if a.Code == self {
			fe.add("parent", "자기 자신이나 그 하위 항목 아래로 옮길 수 없습니다", "cannot be the criterion itself or one of its sub-criteria")
			return
		}
		if a.Parent == "" {
			break
		}
		a = byCode[a.Parent]
	}
	switch {
	case p.Scores > 0:
		fe.add("parent", fmt.Sprintf("%q에는 점수가 입력되어 있어 하위 항목을 둘 수 없습니다 (하위 항목이 있는 항목은 채점하지 않습니다)", parent),
			fmt.Sprintf("%q has entered scores; a criterion with sub-criteria is not scored", parent))
	case p.PanelSize > 0:
		fe.add("parent", fmt.Sprintf("%q은(는) 평가위원단이 채점하는 항목입니다. 먼저 평가위원단을 없애 주세요", parent),
			fmt.Sprintf("%q is scored by a panel, and only leaf criteria have a panel; remove its panel first", parent))
	}
}

// CreateCriterion adds a criterion to a round that is not closed or
// published, after its siblings; c.Parent "" makes it a top-level category.
// A taken code is ErrConflict.
func (s *Store) CreateCriterion(ctx context.Context, program, round string, c CriterionRecord, actor contest.Actor) (CriterionRecord, error) {
	fe := c.clean()
	var out CriterionRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := editableRound(ctx, tx, program, round)
		if err != nil {
			return err
		}
		crits, err := criteriaOf(ctx, tx, ri.ID)
		if err != nil {
			return err
		}
		checkParent(crits, "", c.Parent, fe)
		if err := fe.orNil(); err != nil {
			return err
		}
		var size, agg any
		if c.PanelSize > 0 {
			size, agg = c.PanelSize, c.Aggregate
		}
		_, err = tx.Exec(ctx, `
INSERT INTO criteria (round_id, parent_id, code, name_ko, name_en, description_ko, description_en, note_ko, note_en, max, panel_size, aggregate, position)
SELECT $1, p.id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
       (SELECT coalesce(max(position) + 1, 0) FROM criteria WHERE round_id = $1 AND parent_id IS NOT DISTINCT FROM p.id)
FROM (SELECT (SELECT id FROM criteria WHERE round_id = $1 AND code = $2) AS id) p`,
			ri.ID, c.Parent, c.Code, c.Name.KO, c.Name.EN, c.Description.KO, c.Description.EN, c.Note.KO, c.Note.EN, c.Max, size, agg)
		if err != nil {
			return conflict(err, "a criterion with code %s already exists in %s", c.Code, round)
		}
		if out, err = criterionByCode(ctx, tx, ri.ID, c.Code); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "criterion.create", "round:"+ri.Slug+"/criterion:"+out.Code, &ri.ID, nil, out)
		return err
	})
	if err != nil {
		return c, fmt.Errorf("postgres: create criterion: %w", err)
	}
	return out, nil
}

// UpdateCriterion changes the criterion now coded code, in a round that is
// not closed or published, if it is still at c.Version. Entered scores stay
// valid: the maximum cannot go below one (a field error on max), nor the
// panel change in a way that orphans one.
func (s *Store) UpdateCriterion(ctx context.Context, program, round, code string, c CriterionRecord, actor contest.Actor) (CriterionRecord, error) {
	fe := c.clean()
	var out CriterionRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := editableRound(ctx, tx, program, round)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM criteria WHERE round_id = $1 AND code = $2 FOR UPDATE`, ri.ID, code); err != nil {
			return err
		}
		cur, err := criterionByCode(ctx, tx, ri.ID, code)
		if err != nil {
			return err
		}
		if cur.Version != c.Version {
			return staleError("criterion "+code+" of "+round, cur.Version, c.Version)
		}
		if c.Parent != cur.Parent {
			crits, err := criteriaOf(ctx, tx, ri.ID)
			if err != nil {
				return err
			}
			checkParent(crits, cur.Code, c.Parent, fe)
		}
		if !cur.Leaf && c.PanelSize > 0 {
			fe.add("panel_size", "하위 항목이 있는 항목에는 평가위원단을 둘 수 없습니다", "only leaf criteria have a panel; this criterion has sub-criteria")
		}
		if cur.Scores > 0 {
			if err := checkScoresFit(ctx, tx, cur, c, fe); err != nil {
				return err
			}
		}
		if err := fe.orNil(); err != nil {
			return err
		}
		if cur.sameAs(c) {
			out = cur
			return nil
		}
		var size, agg any
		if c.PanelSize > 0 {
			size, agg = c.PanelSize, c.Aggregate
		}
		position := cur.Position
		if c.Parent != cur.Parent {
			position = -1 // last among the new siblings
		}
		tag, err := tx.Exec(ctx, `
UPDATE criteria c SET code = $3, parent_id = p.id, name_ko = $5, name_en = $6, description_ko = $7, description_en = $8,
  note_ko = $9, note_en = $10, max = $11, panel_size = $12, aggregate = $13,
  position = CASE WHEN $14::int >= 0 THEN $14::int
             ELSE (SELECT coalesce(max(position) + 1, 0) FROM criteria s WHERE s.round_id = c.round_id AND s.parent_id IS NOT DISTINCT FROM p.id) END,
  version = c.version + 1
FROM (SELECT (SELECT id FROM criteria WHERE round_id = $15 AND code = $4) AS id) p
WHERE c.id = $1 AND c.version = $2`,
			cur.ID, c.Version, c.Code, c.Parent, c.Name.KO, c.Name.EN, c.Description.KO, c.Description.EN, c.Note.KO, c.Note.EN,
			c.Max, size, agg, position, ri.ID)
		if err != nil {
			if isMaxBelowScore(err) {
				fe.add("max", "입력된 점수보다 낮게 줄일 수 없습니다", "cannot be lower than a score already entered")
				return fe
			}
			return conflict(err, "a criterion with code %s already exists in %s", c.Code, round)
		}
		if tag.RowsAffected() == 0 {
			return staleError("criterion "+code+" of "+round, cur.Version+1, c.Version)
		}
		if out, err = criterionByCode(ctx, tx, ri.ID, c.Code); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "criterion.update", "round:"+ri.Slug+"/criterion:"+cur.Code, &ri.ID, cur, out)
		return err
	})
	if err != nil {
		return c, fmt.Errorf("postgres: update criterion: %w", err)
	}
	return out, nil
}

// isMaxBelowScore recognises the refusal of the criteria_max_check trigger.
func isMaxBelowScore(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23514" && strings.Contains(pgErr.Message, "has scores above the new maximum")
}

// checkScoresFit reports the changes of a scored criterion that its scores
// would no longer fit: a maximum below a score, a panel added to or removed
// from directly scored values, a panel too small for its evaluators.
func checkScoresFit(ctx context.Context, tx DBTX, cur, c CriterionRecord, fe *FieldErrors) error {
	var top string
	var maxEval int
	if err := tx.QueryRow(ctx, `SELECT max(value)::text, max(evaluator) FROM scores WHERE criterion_id = $1`, cur.ID).Scan(&top, &maxEval); err != nil {
		return err
	}
	if c.Max != "" && mustRat(c.Max).Cmp(mustRat(top)) < 0 {
		fe.add("max", fmt.Sprintf("이미 입력된 점수 %s보다 낮게 줄일 수 없습니다", top),
			fmt.Sprintf("cannot be lower than %s, a score already entered", top))
	}
	switch {
	case cur.PanelSize == 0 && c.PanelSize > 0:
		fe.add("panel_size", fmt.Sprintf("직접 입력한 점수 %d개가 있어 평가위원단을 둘 수 없습니다", cur.Scores),
			fmt.Sprintf("cannot add a panel: %d score(s) were entered directly", cur.Scores))
	case cur.PanelSize > 0 && c.PanelSize == 0:
		fe.add("panel_size", fmt.Sprintf("평가위원 점수 %d개가 있어 평가위원단을 없앨 수 없습니다", cur.Scores),
			fmt.Sprintf("cannot remove the panel: %d evaluator score(s) were entered", cur.Scores))
	case c.PanelSize > 0 && c.PanelSize < maxEval:
		fe.add("panel_size", fmt.Sprintf("평가위원 %d의 점수가 있어 %d명 이상이어야 합니다", maxEval, maxEval),
			fmt.Sprintf("must be at least %d: evaluator %d has scores", maxEval, maxEval))
	}
	return nil
}

// DeleteCriterion removes a criterion of a round that is not closed or
// published, if it is still at version. A criterion with sub-criteria,
// scores or published figures is kept: deleting it would lose them.
func (s *Store) DeleteCriterion(ctx context.Context, program, round, code string, version int, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, err := editableRound(ctx, tx, program, round)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM criteria WHERE round_id = $1 AND code = $2 FOR UPDATE`, ri.ID, code); err != nil {
			return err
		}
		cur, err := criterionByCode(ctx, tx, ri.ID, code)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return staleError("criterion "+code+" of "+round, cur.Version, version)
		}
		var figures int
		if err := tx.QueryRow(ctx, `
SELECT (SELECT count(*) FROM published_scores WHERE criterion_id = $1) + (SELECT count(*) FROM published_stats WHERE criterion_id = $1)`,
			cur.ID).Scan(&figures); err != nil {
			return err
		}
		switch {
		case !cur.Leaf:
			return recordError("하위 항목이 있는 항목은 지울 수 없습니다. 하위 항목을 먼저 지우세요",
				"the criterion has sub-criteria; delete them first")
		case cur.Scores > 0:
			return recordError(fmt.Sprintf("점수 %d개가 입력된 항목은 지울 수 없습니다", cur.Scores),
				fmt.Sprintf("the criterion has %d entered score(s); it cannot be deleted", cur.Scores))
		case figures > 0:
			return recordError("공개된 점수나 통계가 기록된 항목은 지울 수 없습니다",
				"the criterion has published figures; it cannot be deleted")
		}
		tag, err := tx.Exec(ctx, `DELETE FROM criteria WHERE id = $1 AND version = $2`, cur.ID, version)
		if err != nil {
			return mapErr(err)
		}
		if tag.RowsAffected() == 0 {
			return staleError("criterion "+code+" of "+round, cur.Version+1, version)
		}
		_, err = appendAudit(ctx, tx, actor, "criterion.delete", "round:"+ri.Slug+"/criterion:"+code, &ri.ID, cur, nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: delete criterion: %w", err)
	}
	return nil
}

// ---------------------------------------------------------------------------
// Budgets and allocations.

// BudgetRecord is a program's funding for one fiscal year.
type BudgetRecord struct {
	ID         int64        `json:"id"`
	Year       int          `json:"year"`
	AmountKRW  *int64       `json:"amount_krw"` // nil when not disclosed
	Confidence string       `json:"confidence"` // confirmed when empty
	Note       contest.Text `json:"note"`
	Version    int          `json:"version"`

	// Read only.
	Allocations []AllocationRecord `json:"-"` // filled by Budgets and Budget
}

// AllocationRecord is support given to one team, or program-wide when Team
// is "".
type AllocationRecord struct {
	ID         int64        `json:"id"`
	Team       string       `json:"team"` // team slug, or "" for program-wide
	Kind       string       `json:"kind"` // one of contest.AllocationKinds
	GPUModel   string       `json:"gpu_model"`
	Quantity   *int         `json:"quantity"`
	AmountKRW  *int64       `json:"amount_krw"`
	Confidence string       `json:"confidence"` // confirmed when empty
	Note       contest.Text `json:"note"`
	Version    int          `json:"version"`

	// Read only.
	Year     int `json:"year"` // of its budget
	Position int `json:"-"`
}

func (b *BudgetRecord) clean() *FieldErrors {
	b.Confidence, b.Note = strings.TrimSpace(b.Confidence), trimText(b.Note)
	if b.Confidence == "" {
		b.Confidence = contest.Confirmed
	}
	fe := &FieldErrors{}
	if !contest.ValidYear(b.Year) {
		fe.add("year", fmt.Sprintf("%d에서 %d 사이여야 합니다", contest.MinYear, contest.MaxYear),
			fmt.Sprintf("must be between %d and %d", contest.MinYear, contest.MaxYear))
	}
	if b.AmountKRW != nil {
		fe.between("amount_krw", *b.AmountKRW, 0, math.MaxInt64)
	}
	fe.oneOf("confidence", b.Confidence, contest.Confidences)
	fe.text("note", b.Note, false)
	return fe
}

func sameInt64(a, b *int64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
func sameInt(a, b *int) bool     { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func (b BudgetRecord) sameAs(o BudgetRecord) bool {
	return b.Year == o.Year && sameInt64(b.AmountKRW, o.AmountKRW) && b.Confidence == o.Confidence && b.Note == o.Note
}

func (a *AllocationRecord) clean() *FieldErrors {
	a.Team, a.Kind, a.GPUModel = strings.TrimSpace(a.Team), strings.TrimSpace(a.Kind), strings.TrimSpace(a.GPUModel)
	a.Confidence, a.Note = strings.TrimSpace(a.Confidence), trimText(a.Note)
	if a.Confidence == "" {
		a.Confidence = contest.Confirmed
	}
	fe := &FieldErrors{}
	fe.oneOf("kind", a.Kind, contest.AllocationKinds)
	fe.chars("gpu_model", a.GPUModel)
	if a.Quantity != nil {
		fe.between("quantity", int64(*a.Quantity), 0, math.MaxInt32)
	}
	if a.AmountKRW != nil {
		fe.between("amount_krw", *a.AmountKRW, 0, math.MaxInt64)
	}
	fe.oneOf("confidence", a.Confidence, contest.Confidences)
	fe.text("note", a.Note, false)
	return fe
}

func (a AllocationRecord) sameAs(o AllocationRecord) bool {
	return a.Team == o.Team && a.Kind == o.Kind && a.GPUModel == o.GPUModel && sameInt(a.Quantity, o.Quantity) &&
		sameInt64(a.AmountKRW, o.AmountKRW) && a.Confidence == o.Confidence && a.Note == o.Note
}

const budgetSelect = `
SELECT b.id, b.year, b.amount_krw, b.confidence::text, b.note_ko, b.note_en, b.version FROM budgets b`

func scanBudget(row pgx.Row) (BudgetRecord, error) {
	var b BudgetRecord
	err := row.Scan(&b.ID, &b.Year, &b.AmountKRW, &b.Confidence, &b.Note.KO, &b.Note.EN, &b.Version)
	return b, err
}

func budgetByYear(ctx context.Context, db DBTX, programID int64, year int, lock bool) (BudgetRecord, error) {
	q := budgetSelect + ` WHERE b.program_id = $1 AND b.year = $2`
	if lock {
		q += ` FOR UPDATE OF b`
	}
	b, err := scanBudget(db.QueryRow(ctx, q, programID, year))
	if err != nil {
		return b, fmt.Errorf("budget %d: %w", year, mapErr(err))
	}
	return b, nil
}

const allocationSelect = `
SELECT a.id, coalesce(t.slug, ''), a.kind::text, a.gpu_model, a.quantity, a.amount_krw, a.confidence::text, a.note_ko, a.note_en,
       a.version, b.year, a.position
FROM allocations a JOIN budgets b ON b.id = a.budget_id LEFT JOIN teams t ON t.id = a.team_id`

func scanAllocation(row pgx.Row) (AllocationRecord, error) {
	var a AllocationRecord
	err := row.Scan(&a.ID, &a.Team, &a.Kind, &a.GPUModel, &a.Quantity, &a.AmountKRW, &a.Confidence, &a.Note.KO, &a.Note.EN,
		&a.Version, &a.Year, &a.Position)
	return a, err
}

func allocationByID(ctx context.Context, db DBTX, programID, id int64, lock bool) (AllocationRecord, error) {
	q := allocationSelect + ` WHERE b.program_id = $1 AND a.id = $2`
	if lock {
		q += ` FOR UPDATE OF a`
	}
	a, err := scanAllocation(db.QueryRow(ctx, q, programID, id))
	if err != nil {
		return a, fmt.Errorf("allocation %d: %w", id, mapErr(err))
	}
	return a, nil
}

func allocationsOf(ctx context.Context, db DBTX, programID int64, year *int) ([]AllocationRecord, error) {
	rows, err := db.Query(ctx, allocationSelect+` WHERE b.program_id = $1 AND ($2::int IS NULL OR b.year = $2) ORDER BY b.year, a.position, a.id`,
		programID, year)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (AllocationRecord, error) { return scanAllocation(r) })
}

// Budgets lists a program's budgets by year, each with its allocations.
func (s *Store) Budgets(ctx context.Context, program string) ([]BudgetRecord, error) {
	var out []BudgetRecord
	err := s.readTx(ctx, "budgets", func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, budgetSelect+` WHERE b.program_id = $1 ORDER BY b.year`, pid)
		if err != nil {
			return err
		}
		if out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (BudgetRecord, error) { return scanBudget(r) }); err != nil {
			return err
		}
		allocs, err := allocationsOf(ctx, tx, pid, nil)
		if err != nil {
			return err
		}
		for i := range out {
			for _, a := range allocs {
				if a.Year == out[i].Year {
					out[i].Allocations = append(out[i].Allocations, a)
				}
			}
		}
		return nil
	})
	return out, err
}

// Budget returns one year's budget with its allocations.
func (s *Store) Budget(ctx context.Context, program string, year int) (BudgetRecord, error) {
	var b BudgetRecord
	err := s.readTx(ctx, "budget", func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		if b, err = budgetByYear(ctx, tx, pid, year, false); err != nil {
			return err
		}
		b.Allocations, err = allocationsOf(ctx, tx, pid, &year)
		return err
	})
	return b, err
}

// Allocation returns one allocation of a program's budgets.
func (s *Store) Allocation(ctx context.Context, program string, id int64) (AllocationRecord, error) {
	var a AllocationRecord
	err := s.readTx(ctx, "allocation", func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		a, err = allocationByID(ctx, tx, pid, id, false)
		return err
	})
	return a, err
}

func budgetEntity(year int) string { return "budget:" + strconv.Itoa(year) }

// CreateBudget adds a fiscal year's budget; a year that has one is
// ErrConflict.
func (s *Store) CreateBudget(ctx context.Context, program string, b BudgetRecord, actor contest.Actor) (BudgetRecord, error) {
	if err := b.clean().orNil(); err != nil {
		return b, fmt.Errorf("postgres: create budget: %w", err)
	}
	var out BudgetRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO budgets (program_id, year, amount_krw, confidence, note_ko, note_en) VALUES ($1, $2, $3, $4, $5, $6)`,
			pid, b.Year, b.AmountKRW, b.Confidence, b.Note.KO, b.Note.EN)
		if err != nil {
			return conflict(err, "%s already has a budget for %d", program, b.Year)
		}
		if out, err = budgetByYear(ctx, tx, pid, b.Year, false); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "budget.create", budgetEntity(out.Year), nil, nil, out)
		return err
	})
	if err != nil {
		return b, fmt.Errorf("postgres: create budget: %w", err)
	}
	return out, nil
}

// UpdateBudget changes the budget now of year (its year too, to b.Year) if
// it is still at b.Version.
func (s *Store) UpdateBudget(ctx context.Context, program string, year int, b BudgetRecord, actor contest.Actor) (BudgetRecord, error) {
	if err := b.clean().orNil(); err != nil {
		return b, fmt.Errorf("postgres: update budget: %w", err)
	}
	var out BudgetRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		cur, err := budgetByYear(ctx, tx, pid, year, true)
		if err != nil {
			return err
		}
		if cur.Version != b.Version {
			return staleError(fmt.Sprintf("budget %d", year), cur.Version, b.Version)
		}
		if cur.sameAs(b) {
			out = cur
			return nil
		}
		tag, err := tx.Exec(ctx, `
UPDATE budgets SET year = $3, amount_krw = $4, confidence = $5, note_ko = $6, note_en = $7, version = version + 1
WHERE id = $1 AND version = $2`, cur.ID, b.Version, b.Year, b.AmountKRW, b.Confidence, b.Note.KO, b.Note.EN)
		if err != nil {
			return conflict(err, "%s already has a budget for %d", program, b.Year)
		}
		if tag.RowsAffected() == 0 {
			return staleError(fmt.Sprintf("budget %d", year), cur.Version+1, b.Version)
		}
		if out, err = budgetByYear(ctx, tx, pid, b.Year, false); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "budget.update", budgetEntity(cur.Year), nil, cur, out)
		return err
	})
	if err != nil {
		return b, fmt.Errorf("postgres: update budget: %w", err)
	}
	return out, nil
}

// allocationTeam resolves an allocation's team slug ("" is program-wide).
func allocationTeam(ctx context.Context, db DBTX, fe *FieldErrors, programID int64, team string) (any, error) {
	if team == "" {
		return nil, nil
	}
	var id int64
	err := db.QueryRow(ctx, `SELECT id FROM teams WHERE program_id = $1 AND slug = $2`, programID, team).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		fe.add("team", fmt.Sprintf("이 프로그램에 없는 팀입니다: %q", team), fmt.Sprintf("unknown team %q", team))
		return nil, nil
	}
	return id, err
}

// CreateAllocation adds an allocation to a year's budget, after its others.
func (s *Store) CreateAllocation(ctx context.Context, program string, year int, a AllocationRecord, actor contest.Actor) (AllocationRecord, error) {
	fe := a.clean()
	var out AllocationRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		b, err := budgetByYear(ctx, tx, pid, year, true)
		if err != nil {
			return err
		}
		team, err := allocationTeam(ctx, tx, fe, pid, a.Team)
		if err != nil {
			return err
		}
		if err := fe.orNil(); err != nil {
			return err
		}
		var id int64
		err = tx.QueryRow(ctx, `
INSERT INTO allocations (budget_id, position, team_id, kind, gpu_model, quantity, amount_krw, confidence, note_ko, note_en)
VALUES ($1, (SELECT coalesce(max(position) + 1, 0) FROM allocations WHERE budget_id = $1), $2, $3, $4, $5, $6, $7, $8, $9)
RETURNING id`, b.ID, team, a.Kind, a.GPUModel, a.Quantity, a.AmountKRW, a.Confidence, a.Note.KO, a.Note.EN).Scan(&id)
		if err != nil {
			return mapErr(err)
		}
		if out, err = allocationByID(ctx, tx, pid, id, false); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "allocation.create", budgetEntity(year)+"/allocation:"+strconv.FormatInt(id, 10), nil, nil, out)
		return err
	})
	if err != nil {
		return a, fmt.Errorf("postgres: create allocation: %w", err)
	}
	return out, nil
}

// UpdateAllocation changes the allocation a.ID if it is still at
// a.Version. It stays in its budget.
func (s *Store) UpdateAllocation(ctx context.Context, program string, a AllocationRecord, actor contest.Actor) (AllocationRecord, error) {
	fe := a.clean()
	var out AllocationRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		cur, err := allocationByID(ctx, tx, pid, a.ID, true)
		if err != nil {
			return err
		}
		if cur.Version != a.Version {
			return staleError(fmt.Sprintf("allocation %d", a.ID), cur.Version, a.Version)
		}
		team, err := allocationTeam(ctx, tx, fe, pid, a.Team)
		if err != nil {
			return err
		}
		if err := fe.orNil(); err != nil {
			return err
		}
		if cur.sameAs(a) {
			out = cur
			return nil
		}
		tag, err := tx.Exec(ctx, `
UPDATE allocations SET team_id = $3, kind = $4, gpu_model = $5, quantity = $6, amount_krw = $7, confidence = $8,
  note_ko = $9, note_en = $10, version = version + 1
WHERE id = $1 AND version = $2`, cur.ID, a.Version, team, a.Kind, a.GPUModel, a.Quantity, a.AmountKRW, a.Confidence, a.Note.KO, a.Note.EN)
		if err != nil {
			return mapErr(err)
		}
		if tag.RowsAffected() == 0 {
			return staleError(fmt.Sprintf("allocation %d", a.ID), cur.Version+1, a.Version)
		}
		if out, err = allocationByID(ctx, tx, pid, cur.ID, false); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "allocation.update", budgetEntity(cur.Year)+"/allocation:"+strconv.FormatInt(cur.ID, 10), nil, cur, out)
		return err
	})
	if err != nil {
		return a, fmt.Errorf("postgres: update allocation: %w", err)
	}
	return out, nil
}

// DeleteAllocation removes an allocation if it is still at version.
func (s *Store) DeleteAllocation(ctx context.Context, program string, id int64, version int, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		pid, err := editProgram(ctx, tx, program, false)
		if err != nil {
			return err
		}
		cur, err := allocationByID(ctx, tx, pid, id, true)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM allocations WHERE id = $1 AND version = $2`, id, version)
		if err != nil {
			return mapErr(err)
		}
		if tag.RowsAffected() == 0 {
			return staleError(fmt.Sprintf("allocation %d", id), cur.Version, version)
		}
		_, err = appendAudit(ctx, tx, actor, "allocation.delete", budgetEntity(cur.Year)+"/allocation:"+strconv.FormatInt(id, 10), nil, cur, nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: delete allocation: %w", err)
	}
	return nil
}
