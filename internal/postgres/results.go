package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
)

// FrozenInput is the engine input of a round in plain, JSON-friendly form:
// what a publication freezes next to its results.
type FrozenInput struct {
	Kind     string  `json:"kind"`
	Advance  int     `json:"advance"`
	Backfill bool    `json:"backfill"`
	MinTotal *string `json:"min_total"`
	// Rounding is how the round rounds its figures; revisions frozen before
	// rounding existed have none, which reads as two decimals at category
	// level (the zero value).
	Rounding *FrozenRounding   `json:"rounding,omitempty"`
	Criteria []FrozenCriterion `json:"criteria"`
	Entries  []FrozenEntry     `json:"entries"`
	Scores   []FrozenScore     `json:"scores"`
	Decision *FrozenDecision   `json:"decision,omitempty"`
}

// FrozenRounding is a round's rounding: Decimals 1 or 2 at Level
// "category" or "leaf".
type FrozenRounding struct {
	Decimals int    `json:"decimals"`
	Level    string `json:"level"`
}

// Rules returns the rule engine's rounding; nil reads as the default.
func (r *FrozenRounding) Rules() rules.Rounding {
	if r == nil {
		return rules.Rounding{}.Normalized()
	}
	return rules.Rounding{Decimals: r.Decimals, Level: rules.RoundingLevel(r.Level)}.Normalized()
}

// FrozenCriterion is a criteria tree node.
type FrozenCriterion struct {
	Code      string            `json:"code"`
	Name      contest.Text      `json:"name"`
	Max       string            `json:"max"`
	PanelSize int               `json:"panel_size,omitempty"`
	Aggregate string            `json:"aggregate,omitempty"`
	Scale     *FrozenScale      `json:"scale,omitempty"`
	Children  []FrozenCriterion `json:"children,omitempty"`
}

// FrozenScale is the raw range of a leaf whose scores are raw values.
type FrozenScale struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// FrozenEntry is a team's eligibility.
type FrozenEntry struct {
	Team   string       `json:"team"`
	Status string       `json:"status"`
	Reason contest.Text `json:"reason"`
}

// FrozenScore is one score; Evaluator 0 for direct leaves.
type FrozenScore struct {
	Team      string `json:"team"`
	Criterion string `json:"criterion"`
	Evaluator int    `json:"evaluator,omitempty"`
	Value     string `json:"value"`
}

// FrozenDecision is a recorded tie decision.
type FrozenDecision struct {
	Advance []string     `json:"advance"`
	Reason  contest.Text `json:"reason"`
}

// loadInput reads what the rule engine computes a round's results from.
func loadInput(ctx context.Context, db DBTX, ri RoundInfo) (FrozenInput, error) {
	in := FrozenInput{Kind: ri.Kind, Advance: ri.Advance, Backfill: ri.Backfill, MinTotal: ri.MinTotal,
		Rounding: &FrozenRounding{Decimals: ri.Rounding.Decimals, Level: string(ri.Rounding.Level)},
		Criteria: []FrozenCriterion{}, Entries: []FrozenEntry{}, Scores: []FrozenScore{}}
	tree, err := loadCriteriaTree(ctx, db, ri.ID)
	if err != nil {
		return in, err
	}
	if tree != nil {
		in.Criteria = tree
	}
	if in.Entries, err = appendRows(ctx, db, in.Entries, scanWith(func(e *FrozenEntry) []any {
		return []any{&e.Team, &e.Status, &e.Reason.KO, &e.Reason.EN}
	}), `
SELECT t.slug, e.status, e.reason_ko, e.reason_en FROM entries e JOIN teams t ON t.id = e.team_id
WHERE e.round_id = $1 ORDER BY t.slug`, ri.ID); err != nil {
		return in, err
	}
	if in.Scores, err = appendRows(ctx, db, in.Scores, scanWith(func(sc *FrozenScore) []any {
		return []any{&sc.Team, &sc.Criterion, &sc.Evaluator, &sc.Value}
	}), `
SELECT t.slug, c.code, s.evaluator, s.value::text
FROM scores s JOIN teams t ON t.id = s.team_id JOIN criteria c ON c.id = s.criterion_id
WHERE s.round_id = $1 ORDER BY t.slug, c.code, s.evaluator`, ri.ID); err != nil {
		return in, err
	}
	in.Decision, err = loadDecision(ctx, db, ri.ID)
	return in, err
}

// loadCriteriaTree reads a round's criteria as a tree; nil when it has none.
func loadCriteriaTree(ctx context.Context, db DBTX, roundID int64) ([]FrozenCriterion, error) {
	type node struct {
		c        FrozenCriterion
		parent   *int64
		id       int64
		from, to *string
	}
	nodes, err := appendRows(ctx, db, nil, scanWith(func(n *node) []any {
		return []any{&n.id, &n.parent, &n.c.Code, &n.c.Name.KO, &n.c.Name.EN, &n.c.Max, &n.c.PanelSize, &n.c.Aggregate, &n.from, &n.to}
	}), `
SELECT id, parent_id, code, name_ko, name_en, max::text, coalesce(panel_size, 0), coalesce(aggregate::text, ''),
       scale_from::text, scale_to::text
FROM criteria WHERE round_id = $1 ORDER BY position, id`, roundID)
	if err != nil {
		return nil, err
	}
	for i := range nodes {
		if n := &nodes[i]; n.from != nil && n.to != nil {
			n.c.Scale = &FrozenScale{From: *n.from, To: *n.to}
		}
	}
	var build func(parent *int64) []FrozenCriterion
	build = func(parent *int64) []FrozenCriterion {
		var out []FrozenCriterion
		for _, n := range nodes {
			if (parent == nil && n.parent == nil) || (parent != nil && n.parent != nil && *parent == *n.parent) {
				c := n.c
				id := n.id
				c.Children = build(&id)
				out = append(out, c)
			}
		}
		return out
	}
	return build(nil), nil
}

// loadDecision reads a round's recorded tie decision; nil when there is none.
func loadDecision(ctx context.Context, db DBTX, roundID int64) (*FrozenDecision, error) {
	var d FrozenDecision
	err := db.QueryRow(ctx, `
SELECT array(SELECT t.slug FROM teams t WHERE t.id = ANY(d.team_ids) ORDER BY t.slug), d.reason_ko, d.reason_en
FROM decisions d WHERE d.round_id = $1`, roundID).Scan(&d.Advance, &d.Reason.KO, &d.Reason.EN)
	switch {
	case err == nil:
		return &d, nil
	case errors.Is(err, pgx.ErrNoRows):
		return nil, nil
	}
	return nil, err
}

func mustRat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("postgres: bad decimal from the database: " + s)
	}
	return r
}

// EngineInput converts the frozen form into the rule engine's input.
func (in FrozenInput) EngineInput() rules.Input {
	out := rules.Input{Kind: rules.Kind(in.Kind), Rule: rules.Rule{Advance: in.Advance, Backfill: in.Backfill, Rounding: in.Rounding.Rules()}}
	if in.MinTotal != nil {
		out.Rule.MinTotal = mustRat(*in.MinTotal)
	}
	var conv func(cs []FrozenCriterion) []rules.Criterion
	conv = func(cs []FrozenCriterion) []rules.Criterion {
		var res []rules.Criterion
		for _, c := range cs {
			rc := rules.Criterion{Code: c.Code, Max: mustRat(c.Max), Children: conv(c.Children)}
			if c.PanelSize > 0 {
				rc.Panel = &rules.Panel{Size: c.PanelSize, Aggregate: rules.Aggregate(c.Aggregate)}
			}
			if c.Scale != nil {
				rc.Scale = &rules.Scale{From: mustRat(c.Scale.From), To: mustRat(c.Scale.To)}
			}
			res = append(res, rc)
		}
		return res
	}
	out.Criteria = conv(in.Criteria)
	for _, e := range in.Entries {
		out.Entries = append(out.Entries, rules.Entry{Team: e.Team, Status: rules.Status(e.Status), Reason: rules.Text(e.Reason)})
	}
	for _, s := range in.Scores {
		out.Scores = append(out.Scores, rules.Score{Team: s.Team, Criterion: s.Criterion, Evaluator: s.Evaluator, Value: mustRat(s.Value)})
	}
	if in.Decision != nil {
		out.Decision = &rules.Decision{Advance: in.Decision.Advance, Reason: rules.Text(in.Decision.Reason)}
	}
	return out
}

// RoundResults is a round's results as the CLI, staff and public see them.
// Read from a published revision, its Input, Result and the report's teams'
// figures are shared with every other read of that revision: read only
// (the report's Teams slice itself is the reader's own).
type RoundResults struct {
	Info RoundInfo
	// Report is the results document (FORMATS.md §3).
	Report rules.Report
	// Result is the full computation (with the how-it-was-computed trail);
	// nil for historic rounds that only have announced outcomes.
	Result *rules.Result
	// Input is what Result was computed from.
	Input *FrozenInput
	// Revision is the published revision shown (0 for a preview).
	Revision int
	// Announced is true when the outcomes are the announced ones of a
	// historic round whose full scores were not disclosed.
	Announced bool
	// NoCriteria is true for a round whose criteria are not defined yet:
	// nothing can be computed, the report lists the entries only.
	NoCriteria bool
	// StaleDecision is true when a recorded decision no longer applies
	// (the scores changed so no tie straddles the cut any more).
	StaleDecision bool
	// Aggregates are the statistics over the ranked teams that a public
	// round at aggregates or full discloses (PublishedResults only).
	Aggregates []PublicStat
}

// compute runs the engine on a frozen input. A recorded decision that is
// no longer needed is ignored and reported rather than failing the preview.
func compute(in FrozenInput) (rules.Result, bool, error) {
	res, err := rules.Compute(in.EngineInput())
	if errors.Is(err, rules.ErrDecisionNotNeeded) {
		in.Decision = nil
		res, err = rules.Compute(in.EngineInput())
		return res, true, err
	}
	return res, false, err
}

// Results returns a round's results for the CLI and staff: the published
// revision when there is one, the announced outcomes of a historic round, or
// otherwise a preview computed from the scores entered so far.
func (s *Store) Results(ctx context.Context, program, round string) (RoundResults, error) {
	return s.readResults(ctx, "results", program, round, false)
}

// PublishedResults returns the public results of a round: contest.ErrNotFound
// unless the round is published (the embargo lives here, in the query).
func (s *Store) PublishedResults(ctx context.Context, program, round string) (RoundResults, error) {
	return s.readResults(ctx, "published results", program, round, true)
}

// readResults runs results in a read transaction.
func (s *Store) readResults(ctx context.Context, op, program, round string, public bool) (RoundResults, error) {
	var rr RoundResults
	err := s.readTx(ctx, op, func(tx pgx.Tx) error {
		var err error
		rr, err = results(ctx, tx, s.revisions, program, round, public)
		if err != nil || !public {
			return err
		}
		discloseResults(&rr)
		var pid int64
		if err := tx.QueryRow(ctx, `SELECT program_id FROM rounds WHERE id = $1`, rr.Info.ID).Scan(&pid); err != nil {
			return err
		}
		rr.Aggregates, err = pubAggregates(ctx, tx, pid, rr.Info.ID)
		return err
	})
	return rr, err
}

// latestRevision fills rr with the latest result revision of its round:
// the frozen report, its inputs and the result computed from them. found is
// false when the round has no revision (a historic round). A revision row
// is never changed, so its decoded form is kept in cache (nil keeps
// nothing) and a later read of the same row costs one small query.
func latestRevision(ctx context.Context, db DBTX, cache *revisionCache, rr *RoundResults) (found bool, err error) {
	var id int64
	var key string
	err = db.QueryRow(ctx, `
SELECT revision, id, id::text || '/' || xmin::text || '/' || published_at::text
FROM result_revisions WHERE round_id = $1 ORDER BY revision DESC LIMIT 1`, rr.Info.ID).Scan(&rr.Revision, &id, &key)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	d, ok := cache.get(key)
	if !ok {
		if d, err = decodeRevision(ctx, db, id, rr.Info.Slug); err != nil {
			return true, err
		}
		cache.put(key, d)
	}
	rr.Report = d.report
	// Disclosure rewrites and reorders the report's teams: they are the
	// caller's own. The input and result are shared, read only.
	rr.Report.Teams = slices.Clone(d.report.Teams)
	rr.Result, rr.Input = d.result, d.input
	return true, nil
}

// decodedRevision is a result revision as read: its report, inputs and the
// result computed from them.
type decodedRevision struct {
	report rules.Report
	input  *FrozenInput
	result *rules.Result
}

// decodeRevision reads and decodes the result revision id of round.
func decodeRevision(ctx context.Context, db DBTX, id int64, round string) (decodedRevision, error) {
	var snap, inputs []byte
	err := db.QueryRow(ctx, `SELECT snapshot, inputs FROM result_revisions WHERE id = $1`, id).Scan(&snap, &inputs)
	if err != nil {
		return decodedRevision{}, err
	}
	var d decodedRevision
	if err := json.Unmarshal(snap, &d.report); err != nil {
		return d, fmt.Errorf("snapshot of %s: %w", round, err)
	}
	var in FrozenInput
	if err := json.Unmarshal(inputs, &in); err != nil {
		return d, fmt.Errorf("inputs of %s: %w", round, err)
	}
	res, _, err := compute(in)
	if err != nil {
		return d, err
	}
	d.result, d.input = &res, &in
	return d, nil
}

// maxRevisions bounds the decoded revisions kept.
const maxRevisions = 32

// revisionCache keeps a store's decoded result revisions by row: its id,
// the transaction that wrote it and its time. A database cloned from
// another shares rows with it, and their decoded forms too.
type revisionCache struct {
	mu sync.Mutex
	m  map[string]decodedRevision
}

func (c *revisionCache) get(key string) (decodedRevision, bool) {
	if c == nil {
		return decodedRevision{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.m[key]
	return d, ok
}

// put keeps d, dropping a revision at random when full.
func (c *revisionCache) put(key string, d decodedRevision) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxRevisions {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[key] = d
}

func results(ctx context.Context, db DBTX, cache *revisionCache, program, round string, public bool) (RoundResults, error) {
	ri, err := roundInfo(ctx, db, program, round, false)
	if err != nil {
		return RoundResults{}, err
	}
	rr := RoundResults{Info: ri}
	published := contest.Published(ri.Status)
	if public && !published {
		return rr, contest.ErrNotFound
	}
	if published {
		found, err := latestRevision(ctx, db, cache, &rr)
		if found || err != nil {
			return rr, err
		}
	}
	announced, err := announcedReport(ctx, db, ri)
	if err != nil {
		return rr, err
	}
	if announced != nil {
		rr.Report, rr.Announced = *announced, true
		// The criteria still describe the round (and order its categories).
		in, err := loadInput(ctx, db, ri)
		if err != nil {
			return rr, err
		}
		rr.Input = &in
		return rr, nil
	}
	if public {
		return rr, contest.ErrNotFound
	}
	in, err := loadInput(ctx, db, ri)
	if err != nil {
		return rr, err
	}
	if len(in.Criteria) == 0 {
		// Nothing to compute yet: list the entries without ranks or outcomes.
		res := rules.Result{Complete: false}
		for _, e := range in.Entries {
			res.Teams = append(res.Teams, rules.TeamResult{Team: e.Team})
		}
		rr.Input, rr.NoCriteria = &in, true
		rr.Report = rules.NewReport(ri.Program, ri.Slug, rules.ReportPreview, res)
		return rr, nil
	}
	res, stale, err := compute(in)
	if err != nil {
		return rr, err
	}
	rr.Result, rr.Input, rr.StaleDecision = &res, &in, stale
	rr.Report = rules.NewReport(ri.Program, ri.Slug, rules.ReportPreview, res)
	return rr, nil
}

// announcedReport builds the results document of a historic round from its
// announced outcomes and the figures that were published; nil when the round
// has no announced outcomes.
func announcedReport(ctx context.Context, db DBTX, ri RoundInfo) (*rules.Report, error) {
	rows, err := db.Query(ctx, `
SELECT t.slug, o.outcome, o.rank, o.reason_ko, o.reason_en,
       (SELECT ps.value::text FROM published_scores ps WHERE ps.round_id = o.round_id AND ps.team_id = o.team_id AND ps.criterion_id IS NULL),
       coalesce((SELECT jsonb_object_agg(c.code, ps.value::text) FROM published_scores ps JOIN criteria c ON c.id = ps.criterion_id
                 WHERE ps.round_id = o.round_id AND ps.team_id = o.team_id AND c.parent_id IS NULL), '{}')
FROM announced_outcomes o JOIN teams t ON t.id = o.team_id
WHERE o.round_id = $1`, ri.ID)
	if err != nil {
		return nil, err
	}
	status := rules.ReportPreview
	if contest.Published(ri.Status) {
		status = rules.ReportPublished
		if ri.Status == contest.StatusCorrected {
			status = rules.ReportCorrected
		}
	}
	rep := rules.Report{Program: ri.Program, Round: ri.Slug, Status: status, Complete: true, Missing: []rules.ReportMissing{}, Teams: []rules.ReportTeam{}}
	for rows.Next() {
		var t rules.ReportTeam
		var outcome string
		var cats map[string]string
		if err := rows.Scan(&t.Team, &outcome, &t.Rank, &t.Reason.KO, &t.Reason.EN, &t.Total, &cats); err != nil {
			rows.Close()
			return nil, err
		}
		o := rules.Outcome(outcome)
		t.Outcome = &o
		t.ReasonCode = rules.ReasonAnnounced
		if t.Total != nil {
			v := rules.FormatDecimals(mustRat(*t.Total), ri.Rounding.Normalized().Decimals)
			t.Total = &v
		}
		t.Categories = map[string]string{}
		for k, v := range cats {
			t.Categories[k] = rules.FormatDecimals(mustRat(v), ri.Rounding.Normalized().Decimals)
		}
		rep.Teams = append(rep.Teams, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(rep.Teams) == 0 {
		return nil, nil
	}
	sort.SliceStable(rep.Teams, func(i, j int) bool {
		a, b := rep.Teams[i], rep.Teams[j]
		if (a.Rank == nil) != (b.Rank == nil) {
			return a.Rank != nil
		}
		if a.Rank != nil && *a.Rank != *b.Rank {
			return *a.Rank < *b.Rank
		}
		if pa, pb := passes(*a.Outcome), passes(*b.Outcome); pa != pb {
			return pa
		}
		return a.Team < b.Team
	})
	return &rep, nil
}

func passes(o rules.Outcome) bool { return o == rules.OutcomeAdvanced || o == rules.OutcomeSelected }

// incomplete says what keeps a computed result from being closed,
// published or corrected: the missing scores and an undecided tie at the cut.
func incomplete(res rules.Result) *contest.IncompleteError {
	ie := &contest.IncompleteError{Missing: res.Missing}
	if res.Complete && res.Blocked {
		for _, t := range res.Teams {
			if t.ReasonCode == rules.ReasonTieAtCut {
				ie.Blocked = append(ie.Blocked, t.Team)
			}
		}
	}
	return ie
}
