package postgres

// Teams (consortia) and their members as the staff console edits them.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
)

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
	fe.Slug("slug", t.Slug)
	fe.Text("name", t.Name, true)
	if t.Lead == "" {
		fe.Required("lead")
	}
	fe.Chars("model", t.Model)
	fe.Text("model_note", t.ModelNote, false)
	fe.Text("goal", t.Goal, false)
	fe.Text("note", t.Note, false)
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
		fe.Required("org")
	}
	if !contest.ValidRole(m.Role) {
		fe.Add("role", "role")
	}
	okSince, okUntil := fe.Date("since", m.Since), fe.Date("until", m.Until)
	if okSince && okUntil && m.Since != "" && m.Until != "" && m.Until < m.Since {
		fe.Add("until", "until_before_since", "since", m.Since)
	}
	fe.OneOf("confidence", m.Confidence, contest.Confidences)
	fe.Text("note", m.Note, false)
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
	return lookup(ctx, db, scanTeam, "team "+slug, lock, "t", teamSelect+` WHERE t.program_id = $1 AND t.slug = $2`, programID, slug)
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
	return lookup(ctx, db, scanMember, "member "+org, lock, "m", memberSelect+` WHERE m.team_id = $1 AND o.slug = $2`, teamID, org)
}

// Teams lists a program's teams in their order (applicants included).
func (s *Store) Teams(ctx context.Context, program string) ([]TeamRecord, error) {
	return programRows(ctx, s, "teams", program, scanTeam, teamSelect+` WHERE t.program_id = $1 ORDER BY t.position, t.id`)
}

// Team returns a team with its members.
func (s *Store) Team(ctx context.Context, program, slug string) (TeamRecord, error) {
	var t TeamRecord
	err := s.readProgram(ctx, "team", program, func(tx pgx.Tx, pid int64) (err error) {
		if t, err = teamBySlug(ctx, tx, pid, slug, false); err != nil {
			return err
		}
		t.Members, err = teamMembers(ctx, tx, t.ID)
		return err
	})
	return t, err
}

func teamMembers(ctx context.Context, db DBTX, teamID int64) ([]MemberRecord, error) {
	return collectRows(ctx, db, scanMember, memberSelect+` WHERE m.team_id = $1 ORDER BY m.position, m.id`, teamID)
}

// orgID resolves an organization slug named by a form field.
func orgID(ctx context.Context, db DBTX, fe *FieldErrors, field, slug string) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `SELECT id FROM organizations WHERE slug = $1`, slug).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		fe.Add(field, "unknown_org", "org", slug)
		return 0, nil
	}
	return id, err
}

// CreateTeam adds a team at the end of the program's teams; a taken slug
// is ErrConflict.
func (s *Store) CreateTeam(ctx context.Context, program string, t TeamRecord, actor contest.Actor) (TeamRecord, error) {
	fe := t.clean()
	var out TeamRecord
	err := s.writeProgram(ctx, program, true, func(tx pgx.Tx, pid int64) (err error) {
		var lead int64
		if t.Lead != "" {
			if lead, err = orgID(ctx, tx, fe, "lead", t.Lead); err != nil {
				return err
			}
		}
		if err := fe.OrNil(); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
INSERT INTO teams (program_id, slug, name_ko, name_en, lead_org_id, model, model_note_ko, model_note_en, goal_ko, goal_en, note_ko, note_en, position)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, (SELECT coalesce(max(position) + 1, 0) FROM teams WHERE program_id = $1))`,
			pid, t.Slug, t.Name.KO, t.Name.EN, lead, t.Model, t.ModelNote.KO, t.ModelNote.EN, t.Goal.KO, t.Goal.EN, t.Note.KO, t.Note.EN)
		if err != nil {
			return conflict(err, "a team with slug %s already exists in %s", t.Slug, program)
		}
		out, err = teamBySlug(ctx, tx, pid, t.Slug, false)
		return audited(ctx, tx, err, actor, "team.create", "team:"+out.Slug, nil, nil, out)
	})
	return saved("create team", t, out, err)
}

// UpdateTeam changes the team now named slug if it is still at t.Version.
// A team that took part in a published round keeps its slug: published
// results name it.
func (s *Store) UpdateTeam(ctx context.Context, program, slug string, t TeamRecord, actor contest.Actor) (TeamRecord, error) {
	fe := t.clean()
	return writeRecord(ctx, s, "update team", program, t, nil, func(tx pgx.Tx, pid int64, out *TeamRecord) (err error) {
		cur, err := teamBySlug(ctx, tx, pid, slug, true)
		if err != nil {
			return err
		}
		if err := checkVersion("team "+slug, cur.Version, t.Version); err != nil {
			return err
		}
		var lead int64
		if t.Lead != "" {
			if lead, err = orgID(ctx, tx, fe, "lead", t.Lead); err != nil {
				return err
			}
		}
		if err := checkTeamChange(ctx, tx, cur, t, lead, fe); err != nil {
			return err
		}
		if err := fe.OrNil(); err != nil {
			return err
		}
		if cur.sameAs(t) {
			*out = cur
			return nil
		}
		if err := writeVersioned(ctx, tx, "team "+slug, cur.Version, t.Version, fmt.Sprintf("a team with slug %s already exists in %s", t.Slug, program), `
UPDATE teams SET slug = $3, name_ko = $4, name_en = $5, lead_org_id = $6, model = $7, model_note_ko = $8, model_note_en = $9,
  goal_ko = $10, goal_en = $11, note_ko = $12, note_en = $13, version = version + 1, updated_at = now()
WHERE id = $1 AND version = $2`, cur.ID, t.Version, t.Slug, t.Name.KO, t.Name.EN, lead, t.Model, t.ModelNote.KO, t.ModelNote.EN,
			t.Goal.KO, t.Goal.EN, t.Note.KO, t.Note.EN); err != nil {
			return err
		}
		*out, err = teamBySlug(ctx, tx, pid, t.Slug, false)
		return audited(ctx, tx, err, actor, "team.update", "team:"+cur.Slug, nil, cur, *out)
	})
}

// checkTeamChange adds to fe what keeps cur from becoming t: a new slug
// for a team in published results, or a lead organization that is already
// one of its members.
func checkTeamChange(ctx context.Context, tx DBTX, cur, t TeamRecord, lead int64, fe *FieldErrors) error {
	if t.Slug != cur.Slug && t.Slug != "" {
		var published bool
		if err := tx.QueryRow(ctx, `
SELECT EXISTS (SELECT 1 FROM entries e JOIN rounds r ON r.id = e.round_id
               WHERE e.team_id = $1 AND r.published)`, cur.ID).Scan(&published); err != nil {
			return err
		}
		if published {
			fe.Add("slug", "slug_published")
		}
	}
	if lead != 0 && t.Lead != cur.Lead {
		var member bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM memberships WHERE team_id = $1 AND org_id = $2)`, cur.ID, lead).Scan(&member); err != nil {
			return err
		}
		if member {
			fe.Add("lead", "lead_is_member", "org", t.Lead)
		}
	}
	return nil
}

// AddMember adds an organization to a team's consortium, after its other
// members. The lead is a member implicitly and is not added; an
// organization already in the team is ErrConflict.
func (s *Store) AddMember(ctx context.Context, program, team string, m MemberRecord, actor contest.Actor) (MemberRecord, error) {
	fe := m.clean()
	return writeRecord(ctx, s, "add member", program, m, nil, func(tx pgx.Tx, pid int64, out *MemberRecord) (err error) {
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
				fe.Add("org", "member_is_lead", "org", m.Org)
			}
		}
		if err := fe.OrNil(); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
INSERT INTO memberships (team_id, org_id, role, since, until, confidence, note_ko, note_en, position)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT coalesce(max(position) + 1, 0) FROM memberships WHERE team_id = $1))`,
			t.ID, org, m.Role, orNull(m.Since), orNull(m.Until), m.Confidence, m.Note.KO, m.Note.EN)
		if err != nil {
			return conflict(err, "%s is already a member of team %s", m.Org, team)
		}
		*out, err = memberByOrg(ctx, tx, t.ID, m.Org, false)
		return audited(ctx, tx, err, actor, "membership.add", "team:"+t.Slug+"/org:"+m.Org, nil, nil, *out)
	})
}

// UpdateMember changes the membership of m.Org in a team if it is still at
// m.Version. The organization itself is not changed: remove the membership
// and add another.
func (s *Store) UpdateMember(ctx context.Context, program, team string, m MemberRecord, actor contest.Actor) (MemberRecord, error) {
	check := m.clean().OrNil()
	return writeRecord(ctx, s, "update member", program, m, check, func(tx pgx.Tx, pid int64, out *MemberRecord) (err error) {
		t, err := teamBySlug(ctx, tx, pid, team, false)
		if err != nil {
			return err
		}
		cur, err := memberByOrg(ctx, tx, t.ID, m.Org, true)
		if err != nil {
			return err
		}
		if err := checkVersion("member "+m.Org+" of team "+team, cur.Version, m.Version); err != nil {
			return err
		}
		if cur.sameAs(m) {
			*out = cur
			return nil
		}
		if err := writeVersioned(ctx, tx, "member "+m.Org+" of team "+team, cur.Version, m.Version, "", `
UPDATE memberships SET role = $3, since = $4, until = $5, confidence = $6, note_ko = $7, note_en = $8, version = version + 1
WHERE id = $1 AND version = $2`, cur.ID, m.Version, m.Role, orNull(m.Since), orNull(m.Until), m.Confidence, m.Note.KO, m.Note.EN); err != nil {
			return err
		}
		*out, err = memberByOrg(ctx, tx, t.ID, m.Org, false)
		return audited(ctx, tx, err, actor, "membership.update", "team:"+t.Slug+"/org:"+m.Org, nil, cur, *out)
	})
}

// RemoveMember takes an organization out of a team's consortium if the
// membership is still at version.
func (s *Store) RemoveMember(ctx context.Context, program, team, org string, version int, actor contest.Actor) error {
	err := s.writeProgram(ctx, program, false, func(tx pgx.Tx, pid int64) (err error) {
		t, err := teamBySlug(ctx, tx, pid, team, false)
		if err != nil {
			return err
		}
		cur, err := memberByOrg(ctx, tx, t.ID, org, true)
		if err != nil {
			return err
		}
		if err := writeVersioned(ctx, tx, "member "+org+" of team "+team, cur.Version, version, "", `DELETE FROM memberships WHERE id = $1 AND version = $2`, cur.ID, version); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "membership.remove", "team:"+t.Slug+"/org:"+org, nil, cur, nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: remove member: %w", err)
	}
	return nil
}
