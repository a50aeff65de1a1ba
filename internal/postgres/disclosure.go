package postgres

// What a published round discloses (FORMATS §4): at "outcomes" each team's
// outcome and a reason without figures; at "aggregates" also the mean,
// maximum, minimum and spread of each category and of the total over the
// ranked teams, with no team named; at "full" everything. The level is a
// property of the public queries (publicResultsCTE) and of the public
// results document (discloseReport), not of the pages that show them.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
)

// The disclosure levels of a published round, narrowest first.
const (
	DisclosureOutcomes   = "outcomes"
	DisclosureAggregates = "aggregates"
	DisclosureFull       = "full"
)

// DisclosureLevels lists the disclosure levels, narrowest first.
var DisclosureLevels = []string{DisclosureOutcomes, DisclosureAggregates, DisclosureFull}

// disclosureWidth orders the levels: -1 for an unknown level.
func disclosureWidth(level string) int { return slices.Index(DisclosureLevels, level) }

// plainReasons explain an outcome without any figure (no rank, no points):
// the reasons shown by a round that does not disclose its full table.
var plainReasons = []struct {
	outcome rules.Outcome
	text    contest.Text
}{
	{rules.OutcomeSelected, contest.Text{KO: "선정", EN: "selected"}},
	{rules.OutcomeNotSelected, contest.Text{KO: "미선정", EN: "not selected"}},
	{rules.OutcomeAdvanced, contest.Text{KO: "다음 단계 진출", EN: "advanced to the next stage"}},
	{rules.OutcomeEliminated, contest.Text{KO: "탈락", EN: "eliminated"}},
	{rules.OutcomeDisqualified, contest.Text{KO: "실격", EN: "disqualified"}},
	{rules.OutcomeWithdrew, contest.Text{KO: "참가 철회", EN: "withdrew"}},
}

// PlainReason explains outcome without figures; a disqualification or a
// withdrawal quotes the entry's (public) reason.
func PlainReason(outcome rules.Outcome, entryReason contest.Text) contest.Text {
	var t contest.Text
	for _, p := range plainReasons {
		if p.outcome == outcome {
			t = p.text
		}
	}
	if outcome == rules.OutcomeDisqualified || outcome == rules.OutcomeWithdrew {
		if entryReason.KO != "" {
			t.KO += ": " + entryReason.KO
		}
		if entryReason.EN != "" {
			t.EN += ": " + entryReason.EN
		}
	}
	return t
}

// plainReasonSQL is PlainReason in SQL, for the outcome column outcome and
// the entry reason column reason (of the language lang, "ko" or "en").
func plainReasonSQL(outcome, reason, lang string) string {
	var b strings.Builder
	b.WriteString("(CASE " + outcome + "::text")
	for _, p := range plainReasons {
		text := p.text.EN
		if lang == "ko" {
			text = p.text.KO
		}
		fmt.Fprintf(&b, " WHEN '%s' THEN '%s'", p.outcome, strings.ReplaceAll(text, "'", "''"))
	}
	fmt.Fprintf(&b, " ELSE '' END || CASE WHEN %s::text IN ('disqualified', 'withdrew') AND %s <> '' THEN ': ' || %s ELSE '' END)",
		outcome, reason, reason)
	return b.String()
}

// discloseResults narrows public results to what the round's level
// discloses: below full, no rank, no figure and a reason without figures
// in the document, and neither the computation nor its scores (the what-if
// explorer's input).
func discloseResults(rr *RoundResults) {
	entries := map[string]contest.Text{}
	if rr.Input != nil {
		for _, e := range rr.Input.Entries {
			entries[e.Team] = e.Reason
		}
	}
	rr.Report.Disclosure = rr.Info.Disclosure
	if rr.Info.Disclosure == DisclosureFull || rr.Info.Disclosure == "" {
		return
	}
	for i := range rr.Report.Teams {
		t := &rr.Report.Teams[i]
		t.Rank, t.Total, t.Categories = nil, nil, map[string]string{}
		if t.Outcome != nil {
			t.Reason = rules.Text(PlainReason(*t.Outcome, entries[t.Team]))
		} else {
			t.Reason = rules.Text{}
		}
	}
	// The order of the teams would tell their ranks: passing teams first,
	// then by slug.
	slices.SortStableFunc(rr.Report.Teams, func(a, b rules.ReportTeam) int {
		pa, pb := a.Outcome != nil && passes(*a.Outcome), b.Outcome != nil && passes(*b.Outcome)
		if pa != pb {
			if pa {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Team, b.Team)
	})
	rr.Result = nil
	if rr.Input != nil {
		in := *rr.Input
		in.Scores, in.Decision = []FrozenScore{}, nil
		rr.Input = &in
	}
}

// DisclosureStep is one dated step of a round's disclosure history: from
// On, the round disclosed Level.
type DisclosureStep struct {
	ID    int64
	Level string
	On    time.Time
	Note  contest.Text
	// By is who recorded the step; empty in public reads (staff accounts
	// are not public; the audit log names them).
	By      string
	Sources []PublicSource
}

// Disclosures returns the dated disclosure history of a published round,
// oldest first; an unpublished round has none in public
// (contest.ErrNotFound).
func (s *Store) Disclosures(ctx context.Context, program, round string) ([]DisclosureStep, error) {
	var out []DisclosureStep
	err := s.readTx(ctx, "disclosures of "+round, func(tx pgx.Tx) error {
		ri, err := roundInfo(ctx, tx, program, round, false)
		if err != nil {
			return err
		}
		_, out, err = pubDisclosures(ctx, tx, ri.ID)
		if err == nil && !contest.Published(ri.Status) {
			err = contest.ErrNotFound
		}
		return err
	})
	return out, err
}

// pubDisclosures returns what a round discloses and its dated history;
// nothing while the round is not published.
func pubDisclosures(ctx context.Context, tx DBTX, roundID int64) (string, []DisclosureStep, error) {
	var level string
	if err := tx.QueryRow(ctx, `SELECT CASE WHEN published THEN disclosure::text ELSE '' END FROM rounds WHERE id = $1`, roundID).Scan(&level); err != nil {
		return "", nil, err
	}
	if level == "" {
		return "", nil, nil
	}
	out, err := citedRows(ctx, tx, "disclosure_id", func(d *DisclosureStep) []any {
		return []any{&d.ID, &d.Level, &d.On, &d.Note.KO, &d.Note.EN, &d.By}
	}, func(d *DisclosureStep) *[]PublicSource { return &d.Sources }, `
SELECT id, id, level::text, disclosed_on, note_ko, note_en, ''
FROM disclosures WHERE round_id = $1 ORDER BY disclosed_on, level, id`, roundID)
	if err != nil {
		return "", nil, fmt.Errorf("disclosures: %w", err)
	}
	return level, out, nil
}

// WidenDisclosure widens what a published round discloses to level, from
// the date on, with a note saying what was disclosed. A level narrower
// than the round's is refused (a disclosure only ever widens); the same
// level records a further step of it (more of the same level disclosed).
// Each step is a dated disclosures row and an audit event.
func (s *Store) WidenDisclosure(ctx context.Context, program, round, level string, on time.Time, note contest.Text, actor contest.Actor) error {
	if disclosureWidth(level) < 0 {
		return fmt.Errorf("postgres: disclosure of %s: %w: unknown level %q (one of %s)", round, contest.ErrInvalid, level, strings.Join(DisclosureLevels, ", "))
	}
	return s.writeTx(ctx, "disclosure of "+round, func(tx pgx.Tx) error {
		ri, err := roundInfo(ctx, tx, program, round, true)
		if err != nil {
			return err
		}
		if !contest.Published(ri.Status) {
			return fmt.Errorf("%w: round %s is not published; set what it will disclose in its setup", contest.ErrRoundState, round)
		}
		if disclosureWidth(level) < disclosureWidth(ri.Disclosure) {
			return fmt.Errorf("%w: round %s discloses %s; it cannot narrow to %s: a disclosure only ever widens", contest.ErrInvalid, round, ri.Disclosure, level)
		}
		var last *time.Time
		if err := tx.QueryRow(ctx, `SELECT max(disclosed_on) FROM disclosures WHERE round_id = $1`, ri.ID).Scan(&last); err != nil {
			return err
		}
		day := dateOnly(on)
		if last != nil && day.Before(*last) {
			return fmt.Errorf("%w: the disclosure date %s is before the last step (%s)", contest.ErrInvalid, day.Format(time.DateOnly), last.Format(time.DateOnly))
		}
		var id int64
		err = tx.QueryRow(ctx, `
INSERT INTO disclosures (round_id, level, disclosed_on, note_ko, note_en, disclosed_by) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (round_id, disclosed_on, level) DO NOTHING RETURNING id`, ri.ID, level, day, note.KO, note.EN, actor.Name).Scan(&id)
		if err == pgx.ErrNoRows {
			return fmt.Errorf("%w: round %s already has a %s step on %s", contest.ErrConflict, round, level, day.Format(time.DateOnly))
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE rounds SET disclosure = $2, version = version + 1, updated_at = now() WHERE id = $1`, ri.ID, level); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, actor, "round.disclose", "round:"+ri.Slug, &ri.ID,
			map[string]any{"disclosure": ri.Disclosure},
			map[string]any{"disclosure": level, "on": day.Format(time.DateOnly), "note_ko": note.KO, "note_en": note.EN})
		return err
	})
}

// discloseRevision narrows a public revision (Store.Revision) to what its
// round discloses: the document as discloseResults does, and the figures a
// correction changed.
func discloseRevision(rr *RoundResults, rec *CorrectionRecord) {
	discloseResults(rr)
	if rr.Info.Disclosure != DisclosureFull {
		rec.Change = json.RawMessage(`{}`)
	}
}
