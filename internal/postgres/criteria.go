package postgres

// A round's tree of criteria as the staff console edits it.

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
)

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
	fe.Code("code", c.Code)
	fe.Text("name", c.Name, true)
	fe.Text("description", c.Description, false)
	fe.Text("note", c.Note, false)
	c.Max = points(fe, "max", strings.TrimSpace(c.Max), true, true)
	switch {
	case c.PanelSize == 0 && c.Aggregate != "":
		fe.Add("panel_size", "aggregate_needs_size")
	case c.PanelSize != 0:
		fe.Between("panel_size", int64(c.PanelSize), 1, maxPanel)
		fe.OneOf("aggregate", c.Aggregate, contest.Aggregates)
		if c.Aggregate == "trimmed_mean" && c.PanelSize >= 1 && c.PanelSize < contest.MinTrimmedPanel {
			fe.Add("aggregate", "trimmed_panel", "min", contest.MinTrimmedPanel, "n", c.PanelSize)
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
	return collectRows(ctx, db, scanCriterion, criteriaTreeSQL+` ORDER BY t.path`, roundID)
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
		fe.Add("parent", "unknown_criterion", "criterion", parent)
		return
	}
	for a := p; self != ""; {
		if a.Code == self {
			fe.Add("parent", "parent_cycle")
			return
		}
		if a.Parent == "" {
			break
		}
		a = byCode[a.Parent]
	}
	switch {
	case p.Scores > 0:
		fe.Add("parent", "parent_scored", "parent", parent)
	case p.PanelSize > 0:
		fe.Add("parent", "parent_panel", "parent", parent)
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
		if err := fe.OrNil(); err != nil {
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
		out, err = criterionByCode(ctx, tx, ri.ID, c.Code)
		return audited(ctx, tx, err, actor, "criterion.create", "round:"+ri.Slug+"/criterion:"+out.Code, &ri.ID, nil, out)
	})
	return saved("create criterion", c, out, err)
}

// UpdateCriterion changes the criterion now coded code, in a round that is
// not closed or published, if it is still at c.Version. Entered scores stay
// valid: the maximum cannot go below one (a field error on max), nor the
// panel change in a way that orphans one.
func (s *Store) UpdateCriterion(ctx context.Context, program, round, code string, c CriterionRecord, actor contest.Actor) (CriterionRecord, error) {
	fe := c.clean()
	var out CriterionRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, cur, err := lockCriterion(ctx, tx, program, round, code, c.Version)
		if err != nil {
			return err
		}
		if err := checkCriterionChange(ctx, tx, ri.ID, cur, c, fe); err != nil {
			return err
		}
		if err := fe.OrNil(); err != nil {
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
		err = writeVersioned(ctx, tx, "criterion "+code+" of "+round, cur.Version, c.Version,
			fmt.Sprintf("a criterion with code %s already exists in %s", c.Code, round), `
UPDATE criteria c SET code = $3, parent_id = p.id, name_ko = $5, name_en = $6, description_ko = $7, description_en = $8,
  note_ko = $9, note_en = $10, max = $11, panel_size = $12, aggregate = $13,
  position = CASE WHEN $14::int >= 0 THEN $14::int
             ELSE (SELECT coalesce(max(position) + 1, 0) FROM criteria s WHERE s.round_id = c.round_id AND s.parent_id IS NOT DISTINCT FROM p.id) END,
  version = c.version + 1
FROM (SELECT (SELECT id FROM criteria WHERE round_id = $15 AND code = $4) AS id) p
WHERE c.id = $1 AND c.version = $2`,
			cur.ID, c.Version, c.Code, c.Parent, c.Name.KO, c.Name.EN, c.Description.KO, c.Description.EN, c.Note.KO, c.Note.EN,
			c.Max, size, agg, position, ri.ID)
		if isMaxBelowScore(err) {
			fe.Add("max", "max_below_scores")
			return fe
		}
		if err != nil {
			return err
		}
		out, err = criterionByCode(ctx, tx, ri.ID, c.Code)
		return audited(ctx, tx, err, actor, "criterion.update", "round:"+ri.Slug+"/criterion:"+cur.Code, &ri.ID, cur, out)
	})
	return saved("update criterion", c, out, err)
}

// isMaxBelowScore recognises the refusal of the criteria_max_check trigger.
func isMaxBelowScore(err error) bool {
	pe := pgError(err, "23514")
	return pe != nil && strings.Contains(pe.Message, "has scores above the new maximum")
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
		fe.Add("max", "max_below", "top", top)
	}
	switch {
	case cur.PanelSize == 0 && c.PanelSize > 0:
		fe.Add("panel_size", "panel_direct_scores", "n", cur.Scores)
	case cur.PanelSize > 0 && c.PanelSize == 0:
		fe.Add("panel_size", "panel_has_scores", "n", cur.Scores)
	case c.PanelSize > 0 && c.PanelSize < maxEval:
		fe.Add("panel_size", "panel_below", "n", maxEval)
	}
	return nil
}

// checkCriterionChange adds to fe what keeps cur from becoming c: a parent
// that is not in the tree or would make a cycle, a panel on a criterion
// with sub-criteria, or entered scores the change does not fit.
func checkCriterionChange(ctx context.Context, tx DBTX, roundID int64, cur, c CriterionRecord, fe *FieldErrors) error {
	if c.Parent != cur.Parent {
		crits, err := criteriaOf(ctx, tx, roundID)
		if err != nil {
			return err
		}
		checkParent(crits, cur.Code, c.Parent, fe)
	}
	if !cur.Leaf && c.PanelSize > 0 {
		fe.Add("panel_size", "panel_not_leaf")
	}
	if cur.Scores > 0 {
		if err := checkScoresFit(ctx, tx, cur, c, fe); err != nil {
			return err
		}
	}
	return nil
}

// lockCriterion locks a criterion of a round whose setup may change
// (editableRound) and checks that it is still at version.
func lockCriterion(ctx context.Context, tx DBTX, program, round, code string, version int) (RoundInfo, CriterionRecord, error) {
	ri, err := editableRound(ctx, tx, program, round)
	if err != nil {
		return ri, CriterionRecord{}, err
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM criteria WHERE round_id = $1 AND code = $2 FOR UPDATE`, ri.ID, code); err != nil {
		return ri, CriterionRecord{}, err
	}
	cur, err := criterionByCode(ctx, tx, ri.ID, code)
	if err != nil {
		return ri, cur, err
	}
	return ri, cur, checkVersion("criterion "+code+" of "+round, cur.Version, version)
}

// DeleteCriterion removes a criterion of a round that is not closed or
// published, if it is still at version. A criterion with sub-criteria,
// scores or published figures is kept: deleting it would lose them.
func (s *Store) DeleteCriterion(ctx context.Context, program, round, code string, version int, actor contest.Actor) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ri, cur, err := lockCriterion(ctx, tx, program, round, code, version)
		if err != nil {
			return err
		}
		var figures int
		if err := tx.QueryRow(ctx, `
SELECT (SELECT count(*) FROM published_scores WHERE criterion_id = $1) + (SELECT count(*) FROM published_stats WHERE criterion_id = $1)`,
			cur.ID).Scan(&figures); err != nil {
			return err
		}
		switch {
		case !cur.Leaf:
			return recordError("criterion_has_children")
		case cur.Scores > 0:
			return recordError("criterion_has_scores", "n", cur.Scores)
		case figures > 0:
			return recordError("criterion_published")
		}
		if err := writeVersioned(ctx, tx, "criterion "+code+" of "+round, cur.Version, version, "", `DELETE FROM criteria WHERE id = $1 AND version = $2`, cur.ID, version); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "criterion.delete", "round:"+ri.Slug+"/criterion:"+code, &ri.ID, cur, nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: delete criterion: %w", err)
	}
	return nil
}

// copyCriteria gives the new round to the criteria tree of the round from:
// every column of every node (codes, names, descriptions, notes, maxima,
// panels, scales, order), parents matched by code, and the round's score
// rounding. Scores and entries are not copied.
func copyCriteria(ctx context.Context, tx DBTX, from, to RoundRecord, actor contest.Actor) error {
	tag, err := tx.Exec(ctx, `
INSERT INTO criteria (round_id, code, name_ko, name_en, description_ko, description_en, note_ko, note_en, max, position,
                      panel_size, aggregate, scale_from, scale_to)
SELECT $2, code, name_ko, name_en, description_ko, description_en, note_ko, note_en, max, position,
       panel_size, aggregate, scale_from, scale_to
FROM criteria WHERE round_id = $1 ORDER BY id`, from.ID, to.ID)
	if err != nil {
		return err
	}
	if _, err = tx.Exec(ctx, `
UPDATE criteria n SET parent_id = np.id
FROM criteria o JOIN criteria op ON op.id = o.parent_id JOIN criteria np ON np.round_id = $2 AND np.code = op.code
WHERE o.round_id = $1 AND n.round_id = $2 AND n.code = o.code`, from.ID, to.ID); err != nil {
		return err
	}
	if _, err = tx.Exec(ctx, `
UPDATE rounds n SET rounding_decimals = o.rounding_decimals, rounding_level = o.rounding_level
FROM rounds o WHERE o.id = $1 AND n.id = $2`, from.ID, to.ID); err != nil {
		return err
	}
	_, err = appendAudit(ctx, tx, actor, "criteria.copy", "round:"+to.Slug, &to.ID, nil,
		map[string]any{"from": from.Slug, "criteria": tag.RowsAffected()})
	return err
}
