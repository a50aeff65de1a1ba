package postgres

// Organizations as the staff console edits them. Like every console write in
// this package, each change is one transaction with optimistic locking (the
// form carries the version it was read at; a newer version is ErrStale, not
// a silent overwrite) and one audit event with the record before and after.

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
)

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
	fe.Slug("slug", o.Slug)
	fe.Text("name", o.Name, true)
	fe.OneOf("kind", o.Kind, contest.OrgKinds)
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
	return lookup(ctx, db, scanOrg, "organization "+slug, lock, "o", orgSelect+` WHERE o.slug = $1`, slug)
}

// Organizations lists every organization, by slug.
func (s *Store) Organizations(ctx context.Context) ([]OrgRecord, error) {
	out, err := collectRows(ctx, s.pool, scanOrg, orgSelect+` ORDER BY o.slug`)
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
	if err := o.clean().OrNil(); err != nil {
		return o, fmt.Errorf("postgres: create organization: %w", err)
	}
	var out OrgRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO organizations (slug, name_ko, name_en, kind) VALUES ($1, $2, $3, $4)`,
			o.Slug, o.Name.KO, o.Name.EN, o.Kind)
		if err != nil {
			return conflict(err, "an organization with slug %s already exists", o.Slug)
		}
		out, err = orgBySlug(ctx, tx, o.Slug, false)
		return audited(ctx, tx, err, actor, "organization.create", "organization:"+out.Slug, nil, nil, out)
	})
	return saved("create organization", o, out, err)
}

// UpdateOrganization changes the organization now named slug (its slug
// too, to o.Slug) if it is still at o.Version.
func (s *Store) UpdateOrganization(ctx context.Context, slug string, o OrgRecord, actor contest.Actor) (OrgRecord, error) {
	if err := o.clean().OrNil(); err != nil {
		return o, fmt.Errorf("postgres: update organization: %w", err)
	}
	var out OrgRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := orgBySlug(ctx, tx, slug, true)
		if err != nil {
			return err
		}
		if err := checkVersion("organization "+slug, cur.Version, o.Version); err != nil {
			return err
		}
		if cur.Slug == o.Slug && cur.Name == o.Name && cur.Kind == o.Kind {
			out = cur
			return nil
		}
		if err := writeVersioned(ctx, tx, "organization "+slug, cur.Version, o.Version, fmt.Sprintf("an organization with slug %s already exists", o.Slug), `
UPDATE organizations SET slug = $3, name_ko = $4, name_en = $5, kind = $6, version = version + 1, updated_at = now()
WHERE id = $1 AND version = $2`, cur.ID, o.Version, o.Slug, o.Name.KO, o.Name.EN, o.Kind); err != nil {
			return err
		}
		out, err = orgBySlug(ctx, tx, o.Slug, false)
		return audited(ctx, tx, err, actor, "organization.update", "organization:"+cur.Slug, nil, cur, out)
	})
	return saved("update organization", o, out, err)
}
