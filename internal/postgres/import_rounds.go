package postgres

// Importing a program file's rounds: their criteria, entries, scores,
// announced outcomes, published figures and tie decisions.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/programfile"
	"github.com/kai-challenge/portal/internal/rules"
)

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
		rounding := roundingOf(r)
		if err := im.refuseRoundChange(ctx, r); err != nil {
			return fmt.Errorf("%s: %w", r.Slug, err)
		}
		id, err := upsertID(ctx, im.tx, `
INSERT INTO rounds (program_id, slug, position, kind, name_ko, name_en, period, evaluated_on, announce_at, announce_date_only,
                    advance, backfill, min_total, note_ko, note_en, status, published_at, rounding_decimals, rounding_level, disclosure)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
        CASE WHEN $16::timestamptz IS NULL THEN 'draft' ELSE 'published' END::round_status, $16, $17, $18, $19)
ON CONFLICT (program_id, slug) DO UPDATE SET version = rounds.version + 1, position = excluded.position, kind = excluded.kind, name_ko = excluded.name_ko,
  name_en = excluded.name_en, period = excluded.period, evaluated_on = excluded.evaluated_on, announce_at = excluded.announce_at,
  announce_date_only = excluded.announce_date_only, advance = excluded.advance, backfill = excluded.backfill,
  min_total = excluded.min_total, note_ko = excluded.note_ko, note_en = excluded.note_en,
  rounding_decimals = excluded.rounding_decimals, rounding_level = excluded.rounding_level, disclosure = excluded.disclosure,
  status = CASE WHEN rounds.published_at IS NULL AND excluded.published_at IS NOT NULL THEN 'published' ELSE rounds.status END,
  published_at = COALESCE(rounds.published_at, excluded.published_at),
  updated_at = now()
WHERE (rounds.position, rounds.kind, rounds.name_ko, rounds.name_en, rounds.period, rounds.evaluated_on, rounds.announce_at,
       rounds.announce_date_only, rounds.advance, rounds.backfill, rounds.min_total, rounds.note_ko, rounds.note_en,
       rounds.rounding_decimals, rounds.rounding_level, rounds.disclosure)
  IS DISTINCT FROM
      (excluded.position, excluded.kind, excluded.name_ko, excluded.name_en, excluded.period, excluded.evaluated_on, excluded.announce_at,
       excluded.announce_date_only, excluded.advance, excluded.backfill, excluded.min_total, excluded.note_ko, excluded.note_en,
       excluded.rounding_decimals, excluded.rounding_level, excluded.disclosure)
   OR (rounds.published_at IS NULL AND excluded.published_at IS NOT NULL)
RETURNING id`,
			[]any{im.programID, r.Slug, i, r.Kind, r.Name.KO, r.Name.EN, r.Period, orNull(r.EvaluatedOn), announce, r.AnnounceDateOnly,
				r.Rule.Advance, r.Rule.Backfill, orNull(r.Rule.MinTotal), r.Note.KO, r.Note.EN, publishedAt,
				rounding.Decimals, rounding.Level, disclosureOf(r)},
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
	crit, err := im.criteria(ctx, roundID, r.Criteria)
	if err != nil {
		return err
	}
	if err := im.entries(ctx, roundID, r.Entries); err != nil {
		return err
	}
	if err := im.scores(ctx, roundID, crit, r.Scores); err != nil {
		return err
	}
	if frozen && im.tx.changes != changesBefore {
		return fmt.Errorf("%w: its results are published; its criteria, entries and scores change only through a correction", contest.ErrRoundState)
	}
	if err := im.outcomes(ctx, roundID, r.Outcomes); err != nil {
		return err
	}
	if err := im.publishedScores(ctx, roundID, crit, r.PublishedScores); err != nil {
		return err
	}
	if err := im.publishedStats(ctx, roundID, crit, r.PublishedStats); err != nil {
		return err
	}
	if err := im.disclosures(ctx, roundID, r.Disclosures); err != nil {
		return err
	}
	if err := im.objections(ctx, roundID, r.Objections); err != nil {
		return err
	}
	return im.decision(ctx, roundID, r.Decision)
}

// refuseRoundChange refuses a file that would narrow what a published round
// discloses (a disclosure only ever widens) or change how a round with
// published results rounds them (that changes only through a correction).
func (im *importer) refuseRoundChange(ctx context.Context, r programfile.Round) error {
	var narrows, rounding bool
	err := im.tx.QueryRow(ctx, `
SELECT r.published AND $3::disclosure_level < r.disclosure,
       EXISTS (SELECT 1 FROM result_revisions v WHERE v.round_id = r.id)
         AND (r.rounding_decimals, r.rounding_level) IS DISTINCT FROM ($4::int, $5::rounding_level)
FROM rounds r WHERE r.program_id = $1 AND r.slug = $2`, im.programID, r.Slug, disclosureOf(r),
		roundingOf(r).Decimals, roundingOf(r).Level).Scan(&narrows, &rounding)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil
	case err != nil:
		return err
	case narrows:
		return fmt.Errorf("%w: disclosure %s would narrow what the published round discloses; a disclosure only ever widens",
			contest.ErrInvalid, disclosureOf(r))
	case rounding:
		return fmt.Errorf("%w: its results are published; its rounding changes only through a correction", contest.ErrRoundState)
	}
	return nil
}

// roundingOf is a round's rounding with its defaults (two decimals,
// category level) for a file built without them.
func roundingOf(r programfile.Round) programfile.Rounding {
	n := rules.Rounding{Decimals: r.Rule.Rounding.Decimals, Level: rules.RoundingLevel(r.Rule.Rounding.Level)}.Normalized()
	return programfile.Rounding{Decimals: n.Decimals, Level: string(n.Level)}
}

// disclosureOf is what a round discloses once published; full by default.
func disclosureOf(r programfile.Round) string {
	return cmp.Or(r.Disclosure, programfile.DisclosureFull)
}

// disclosures writes a round's dated disclosure history. Steps recorded in
// the console (a widening by staff) are public events and stay; the steps
// an earlier import wrote and the file no longer has are removed.
func (im *importer) disclosures(ctx context.Context, roundID int64, ds []programfile.Disclosure) error {
	return syncRows(ctx, im.tx, ds, func(_ int, d programfile.Disclosure) (int64, error) {
		id, err := upsertID(ctx, im.tx, `
INSERT INTO disclosures (round_id, level, disclosed_on, note_ko, note_en, disclosed_by) VALUES ($1, $2, $3, $4, $5, 'import')
ON CONFLICT (round_id, disclosed_on, level) DO UPDATE SET note_ko = excluded.note_ko, note_en = excluded.note_en
WHERE (disclosures.note_ko, disclosures.note_en) IS DISTINCT FROM (excluded.note_ko, excluded.note_en)
RETURNING id`, []any{roundID, d.Level, d.On, d.Note.KO, d.Note.EN},
			`SELECT id FROM disclosures WHERE round_id = $1 AND disclosed_on = $2 AND level = $3`, roundID, d.On, d.Level)
		return im.citedID("disclosure_id", d.Sources, fmt.Sprintf("disclosure %s %s", d.On, d.Level), id, err)
	}, `DELETE FROM disclosures WHERE round_id = $1 AND NOT (id = ANY($2)) AND disclosed_by = 'import'`, roundID)
}

// objections writes a round's formal objections, matched by team and filing
// date. An objection is a public event: one the file does not list (staff
// may have recorded it in the console) is never removed by an import.
func (im *importer) objections(ctx context.Context, roundID int64, os []programfile.Objection) error {
	for _, o := range os {
		decidedBy := ""
		if o.Status != programfile.ObjectionPending {
			decidedBy = im.actor.Name
		}
		id, err := upsertID(ctx, im.tx, `
INSERT INTO objections (round_id, team_id, filed_on, summary_ko, summary_en, decision_due, status, decided_on, decision_ko, decision_en, decided_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (round_id, team_id, filed_on) DO UPDATE SET version = objections.version + 1, summary_ko = excluded.summary_ko,
  summary_en = excluded.summary_en, decision_due = excluded.decision_due, status = excluded.status, decided_on = excluded.decided_on,
  decision_ko = excluded.decision_ko, decision_en = excluded.decision_en,
  decided_by = CASE WHEN excluded.status = 'pending' THEN '' WHEN objections.decided_by <> '' THEN objections.decided_by ELSE excluded.decided_by END,
  updated_at = now()
WHERE (objections.summary_ko, objections.summary_en, objections.decision_due, objections.status, objections.decided_on,
       objections.decision_ko, objections.decision_en)
  IS DISTINCT FROM (excluded.summary_ko, excluded.summary_en, excluded.decision_due, excluded.status, excluded.decided_on,
       excluded.decision_ko, excluded.decision_en)
RETURNING id`, []any{roundID, im.teams[o.Team], o.FiledOn, o.Summary.KO, o.Summary.EN, orNull(o.DecisionDue), o.Status,
			orNull(o.DecidedOn), o.Decision.KO, o.Decision.EN, decidedBy},
			`SELECT id FROM objections WHERE round_id = $1 AND team_id = $2 AND filed_on = $3`, roundID, im.teams[o.Team], o.FiledOn)
		if err != nil {
			return fmt.Errorf("objection %s %s: %w", o.Team, o.FiledOn, err)
		}
		im.cite("objection_id", id, o.Sources)
	}
	return nil
}

// criteria writes a round's criteria tree and deletes the criteria the file
// no longer has; it returns the criterion ids by code. A lowered maximum is
// checked against the scores at commit (a deferred trigger), after the
// file's scores have been written too.
func (im *importer) criteria(ctx context.Context, roundID int64, cs []programfile.Criterion) (map[string]int64, error) {
	crit := map[string]int64{}
	keepCrit := []int64{}
	var walk func(parent any, cs []programfile.Criterion) error
	walk = func(parent any, cs []programfile.Criterion) error {
		for i, c := range cs {
			var size, agg, from, to any
			if c.Panel != nil {
				size, agg = c.Panel.Size, c.Panel.Aggregate
			}
			if c.Scale != nil {
				from, to = c.Scale.From, c.Scale.To
			}
			id, err := upsertID(ctx, im.tx, `
INSERT INTO criteria (round_id, parent_id, code, name_ko, name_en, description_ko, description_en, note_ko, note_en, max, position, panel_size, aggregate,
                      scale_from, scale_to)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
ON CONFLICT (round_id, code) DO UPDATE SET version = criteria.version + 1, parent_id = excluded.parent_id, name_ko = excluded.name_ko, name_en = excluded.name_en,
  description_ko = excluded.description_ko, description_en = excluded.description_en, note_ko = excluded.note_ko, note_en = excluded.note_en,
  max = excluded.max, position = excluded.position, panel_size = excluded.panel_size, aggregate = excluded.aggregate,
  scale_from = excluded.scale_from, scale_to = excluded.scale_to
WHERE (criteria.parent_id, criteria.name_ko, criteria.name_en, criteria.description_ko, criteria.description_en, criteria.note_ko,
       criteria.note_en, criteria.max, criteria.position, criteria.panel_size, criteria.aggregate, criteria.scale_from, criteria.scale_to)
  IS DISTINCT FROM (excluded.parent_id, excluded.name_ko, excluded.name_en, excluded.description_ko, excluded.description_en,
       excluded.note_ko, excluded.note_en, excluded.max, excluded.position, excluded.panel_size, excluded.aggregate,
       excluded.scale_from, excluded.scale_to)
RETURNING id`,
				[]any{roundID, parent, c.Code, c.Name.KO, c.Name.EN, c.Description.KO, c.Description.EN, c.Note.KO, c.Note.EN,
					c.Max, i, size, agg, from, to},
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
	if err := walk(nil, cs); err != nil {
		return nil, err
	}
	_, err := im.tx.Exec(ctx, `DELETE FROM criteria WHERE round_id = $1 AND NOT (id = ANY($2))`, roundID, keepCrit)
	return crit, err
}

// entries writes a round's entries and deletes those the file no longer has.
func (im *importer) entries(ctx context.Context, roundID int64, es []programfile.Entry) error {
	keepEntries := []int64{}
	for i, e := range es {
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
	_, err := im.tx.Exec(ctx, `DELETE FROM entries WHERE round_id = $1 AND NOT (team_id = ANY($2))`, roundID, keepEntries)
	return err
}

// outcomes writes a round's announced outcomes and deletes those the file
// no longer has.
func (im *importer) outcomes(ctx context.Context, roundID int64, os []programfile.Outcome) error {
	return syncRows(ctx, im.tx, os, func(_ int, o programfile.Outcome) (int64, error) {
		id, err := upsertID(ctx, im.tx, `
INSERT INTO announced_outcomes (round_id, team_id, outcome, rank, reason_ko, reason_en, note_ko, note_en) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (round_id, team_id) DO UPDATE SET outcome = excluded.outcome, rank = excluded.rank, reason_ko = excluded.reason_ko,
  reason_en = excluded.reason_en, note_ko = excluded.note_ko, note_en = excluded.note_en
WHERE (announced_outcomes.outcome, announced_outcomes.rank, announced_outcomes.reason_ko, announced_outcomes.reason_en,
       announced_outcomes.note_ko, announced_outcomes.note_en)
  IS DISTINCT FROM (excluded.outcome, excluded.rank, excluded.reason_ko, excluded.reason_en, excluded.note_ko, excluded.note_en)
RETURNING id`, []any{roundID, im.teams[o.Team], o.Outcome, o.Rank, o.Reason.KO, o.Reason.EN, o.Note.KO, o.Note.EN},
			`SELECT id FROM announced_outcomes WHERE round_id = $1 AND team_id = $2`, roundID, im.teams[o.Team])
		return im.citedID("outcome_id", o.Sources, "outcome "+o.Team, id, err)
	}, `DELETE FROM announced_outcomes WHERE round_id = $1 AND NOT (id = ANY($2))`, roundID)
}

// figureCriterion is the criterion id of a published figure's code, NULL
// for the total.
func figureCriterion(crit map[string]int64, code string) any {
	if code == contest.TotalCode {
		return nil
	}
	return crit[code]
}

// publishedScores writes a round's published figures per team and deletes
// those the file no longer has.
func (im *importer) publishedScores(ctx context.Context, roundID int64, crit map[string]int64, ps []programfile.PublishedScore) error {
	return syncRows(ctx, im.tx, ps, func(_ int, p programfile.PublishedScore) (int64, error) {
		critID := figureCriterion(crit, p.Criterion)
		id, err := upsertID(ctx, im.tx, `
INSERT INTO published_scores (round_id, team_id, criterion_id, value) VALUES ($1, $2, $3, $4)
ON CONFLICT (round_id, team_id, criterion_id) DO UPDATE SET value = excluded.value
WHERE published_scores.value IS DISTINCT FROM excluded.value
RETURNING id`, []any{roundID, im.teams[p.Team], critID, p.Value},
			`SELECT id FROM published_scores WHERE round_id = $1 AND team_id = $2 AND criterion_id IS NOT DISTINCT FROM $3`,
			roundID, im.teams[p.Team], critID)
		return im.citedID("published_score_id", p.Sources, fmt.Sprintf("published score %s/%s", p.Team, p.Criterion), id, err)
	}, `DELETE FROM published_scores WHERE round_id = $1 AND NOT (id = ANY($2))`, roundID)
}

// publishedStats writes a round's published statistics and deletes those
// the file no longer has.
func (im *importer) publishedStats(ctx context.Context, roundID int64, crit map[string]int64, ps []programfile.PublishedStat) error {
	return syncRows(ctx, im.tx, ps, func(_ int, p programfile.PublishedStat) (int64, error) {
		critID := figureCriterion(crit, p.Criterion)
		id, err := upsertID(ctx, im.tx, `
INSERT INTO published_stats (round_id, criterion_id, stat, value) VALUES ($1, $2, $3, $4)
ON CONFLICT (round_id, criterion_id, stat) DO UPDATE SET value = excluded.value
WHERE published_stats.value IS DISTINCT FROM excluded.value
RETURNING id`, []any{roundID, critID, p.Stat, p.Value},
			`SELECT id FROM published_stats WHERE round_id = $1 AND criterion_id IS NOT DISTINCT FROM $2 AND stat = $3`, roundID, critID, p.Stat)
		if err != nil {
			return 0, fmt.Errorf("published stat %s/%s: %w", p.Criterion, p.Stat, err)
		}
		return id, nil
	}, `DELETE FROM published_stats WHERE round_id = $1 AND NOT (id = ANY($2))`, roundID)
}

// decision writes a round's tie decision, or deletes it when the file has
// none.
func (im *importer) decision(ctx context.Context, roundID int64, d *programfile.Decision) error {
	if d == nil {
		_, err := im.tx.Exec(ctx, `DELETE FROM decisions WHERE round_id = $1`, roundID)
		return err
	}
	var ids []int64
	for _, t := range d.Advance {
		ids = append(ids, im.teams[t])
	}
	_, err := im.tx.Exec(ctx, `
INSERT INTO decisions (round_id, team_ids, reason_ko, reason_en, decided_by) VALUES ($1, $2, $3, $4, 'import')
ON CONFLICT (round_id) DO UPDATE SET team_ids = excluded.team_ids, reason_ko = excluded.reason_ko, reason_en = excluded.reason_en,
  decided_by = excluded.decided_by, decided_at = now()
WHERE (decisions.team_ids, decisions.reason_ko, decisions.reason_en) IS DISTINCT FROM (excluded.team_ids, excluded.reason_ko, excluded.reason_en)`,
		roundID, ids, d.Reason.KO, d.Reason.EN)
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
	var any bool
	if err := im.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM scores WHERE round_id = $1)`, roundID).Scan(&any); err != nil {
		return err
	}
	if !any && n > 0 {
		// A round's first scores: nothing to replace or compare, so the
		// rows are copied in (a 100,000-score program spent over a second
		// in the comparison alone).
		return im.copyScores(ctx, roundID, teams, crits, evals, values)
	}
	return writeScores(ctx, im.tx, roundID, teams, crits, evals, values, "import", true)
}

// copyScores writes a round's first scores with COPY.
func (im *importer) copyScores(ctx context.Context, roundID int64, teams, crits []int64, evals []int32, values []string) error {
	rows := make([][]any, len(teams))
	for i := range teams {
		v, err := numericOf(values[i])
		if err != nil {
			return err
		}
		rows[i] = []any{roundID, teams[i], crits[i], evals[i], v, "import"}
	}
	n, err := im.tx.CopyFrom(ctx, pgx.Identifier{"scores"},
		[]string{"round_id", "team_id", "criterion_id", "evaluator", "value", "entered_by"}, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("copy scores: %w", err)
	}
	im.tx.changes += int(n)
	return nil
}

// numericOf is a canonical decimal of the program file ("9.20") as a
// numeric value for COPY's binary format.
func numericOf(s string) (pgtype.Numeric, error) {
	var n pgtype.Numeric
	if err := n.Scan(s); err != nil {
		return n, fmt.Errorf("score value %q: %w", s, err)
	}
	return n, nil
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

// publishScored publishes a scored round marked publish: true when it is
// complete and not blocked; otherwise the round stays unpublished and the
// import says why. An already published round is left as it is.
func (im *importer) publishScored(ctx context.Context, round string, at time.Time) error {
	ri, err := roundInfo(ctx, im.tx, im.f.Program.Slug, round, true)
	if err != nil {
		return err
	}
	if !contest.Allows(ri.Status, contest.ActImportPublish) {
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
