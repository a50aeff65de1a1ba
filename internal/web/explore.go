package web

import (
	"context"
	"errors"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/rules"
	"github.com/kai-challenge/portal/internal/web/i18n"
	"github.com/kai-challenge/portal/internal/web/view"
	"github.com/kai-challenge/portal/web/pages"
	"golang.org/x/sync/singleflight"
)

// maxWeight bounds a category's maximum in a scenario; it only keeps the
// arithmetic within what a score column can hold.
var maxWeight = big.NewRat(1000, 1)

// whatIfForm is a scenario as the explorer's GET form sends it. A field
// absent from the query keeps the official value, so a shared URL needs to
// name only what it changes.
type whatIfForm struct {
	// Max is each top-level category's maximum points, by code.
	Max      map[string]string
	Advance  string
	Backfill string // "on" | "off"
	MinTotal string // "" for no minimum
	// Status is each team's eligibility, by slug.
	Status map[string]string

	cats  []postgres.FrozenCriterion
	teams []string
}

// decodeWhatIf reads a scenario from the query, starting from the official
// rule, weights and eligibility of in.
func decodeWhatIf(q url.Values, in *postgres.FrozenInput) whatIfForm {
	f := whatIfForm{Max: map[string]string{}, Status: map[string]string{}, cats: in.Criteria}
	pick := func(key, official string) string {
		if q.Has(key) {
			return strings.TrimSpace(q.Get(key))
		}
		return official
	}
	for _, c := range in.Criteria {
		f.Max[c.Code] = pick("max."+c.Code, rules.FormatCents(parseRat(c.Max)))
	}
	f.Advance = pick("advance", strconv.Itoa(in.Advance))
	f.Backfill = pick("backfill", onOff(in.Backfill))
	official := ""
	if in.MinTotal != nil {
		official = rules.FormatCents(parseRat(*in.MinTotal))
	}
	f.MinTotal = pick("min_total", official)
	for _, e := range in.Entries {
		f.teams = append(f.teams, e.Team)
		f.Status[e.Team] = pick("status."+e.Team, statusOf(e.Status))
	}
	return f
}

// entryOrder lists the frozen entries in the order the round page lists
// its entrants, so the form reads like the page.
func entryOrder(frozen []postgres.FrozenEntry, public []postgres.PublicEntry) []postgres.FrozenEntry {
	pos := map[string]int{}
	for i, e := range public {
		pos[e.Team.Slug] = i
	}
	out := slices.Clone(frozen)
	slices.SortStableFunc(out, func(a, b postgres.FrozenEntry) int {
		pa, oka := pos[a.Team]
		pb, okb := pos[b.Team]
		switch {
		case oka && okb:
			return pa - pb
		case oka:
			return -1
		case okb:
			return 1
		}
		return strings.Compare(a.Team, b.Team)
	})
	return out
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func statusOf(s string) string {
	if s == "" {
		return contest.EntryEligible
	}
	return s
}

// parseRat reads a decimal from the frozen input, which the store wrote and
// the engine accepted; an unreadable one counts as zero.
func parseRat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return new(big.Rat)
	}
	return r
}

// Validate returns the form's errors by field name (message ids).
func (f whatIfForm) Validate() map[string]string {
	errs := map[string]string{}
	for _, c := range f.cats {
		v, err := rules.ParseValue(f.Max[c.Code])
		if err != nil || v.Sign() <= 0 || v.Cmp(maxWeight) > 0 {
			errs["max."+c.Code] = "whatif.error.max"
		}
	}
	if n, err := strconv.Atoi(f.Advance); err != nil || n < 0 || n > len(f.teams) {
		errs["advance"] = "whatif.error.advance"
	}
	if f.Backfill != "on" && f.Backfill != "off" {
		errs["backfill"] = "whatif.error.backfill"
	}
	if f.MinTotal != "" {
		if v, err := rules.ParseValue(f.MinTotal); err != nil || v.Cmp(maxWeight) > 0 {
			errs["min_total"] = "whatif.error.min_total"
		}
	}
	for _, t := range f.teams {
		switch f.Status[t] {
		case contest.EntryEligible, contest.EntryDisqualified, contest.EntryWithdrew:
		default:
			errs["status."+t] = "whatif.error.status"
		}
	}
	return errs
}

// normalize writes valid decimal inputs with two decimals, so "60" and
// "60.00" are one scenario with one URL. Call it after Validate.
func (f *whatIfForm) normalize() {
	for code, v := range f.Max {
		if r, err := rules.ParseValue(v); err == nil {
			f.Max[code] = rules.FormatCents(r)
		}
	}
	if r, err := rules.ParseValue(f.MinTotal); err == nil {
		f.MinTotal = rules.FormatCents(r)
	}
	if n, err := strconv.Atoi(f.Advance); err == nil {
		f.Advance = strconv.Itoa(n)
	}
}

// query is the scenario's canonical query string: only what differs from
// the official round, in a fixed order, so one scenario has one URL.
func (f whatIfForm) query(official whatIfForm) string {
	q := url.Values{}
	for _, c := range f.cats {
		if !sameValue(f.Max[c.Code], official.Max[c.Code]) {
			q.Set("max."+c.Code, f.Max[c.Code])
		}
	}
	if f.Advance != official.Advance {
		q.Set("advance", f.Advance)
	}
	if f.Backfill != official.Backfill {
		q.Set("backfill", f.Backfill)
	}
	if !sameValue(f.MinTotal, official.MinTotal) {
		q.Set("min_total", f.MinTotal)
	}
	for _, t := range f.teams {
		if f.Status[t] != official.Status[t] {
			q.Set("status."+t, f.Status[t])
		}
	}
	return q.Encode()
}

// sameValue compares two decimal inputs by value ("40" equals "40.00").
func sameValue(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	x, ok1 := new(big.Rat).SetString(a)
	y, ok2 := new(big.Rat).SetString(b)
	if !ok1 || !ok2 {
		return a == b
	}
	return x.Cmp(y) == 0
}

// handleWhatIf is the what-if explorer of a published round: the round's
// frozen scores recomputed by the rule engine under a changed rule, weights
// or eligibility, next to the official result. It is labelled as an
// unofficial simulation; a round whose full scores were never disclosed is
// not simulated at all.
func (s *server) handleWhatIf(w http.ResponseWriter, r *http.Request) error {
	pr, data, err := loadSlug(s, r, s.roundData(r))
	if err != nil {
		return err
	}
	d, rr := data.round, data.results
	if !d.Published {
		return contest.ErrNotFound
	}
	L := pr.L
	name := L.Text(d.Name)
	v := view.WhatIfPage{
		Page:     pr.page("rounds", pr.T("whatif.title", "round", name)),
		Round:    pr.roundLink(d.Slug, d.Name),
		Name:     name,
		Official: view.Link{Text: pr.T("whatif.official_link"), URL: L.URL("/rounds/" + d.Slug)},
	}
	v.Description = pr.T("desc.whatif", "round", name)
	v.RawQuery = r.URL.RawQuery
	if rr.Result == nil || rr.Announced || rr.Input == nil || len(rr.Input.Criteria) == 0 {
		v.Unavailable = pr.T("whatif.unavailable")
		return s.render(w, r, http.StatusOK, pages.WhatIf(v))
	}
	names := namesOf(d.Entries, rr.Input)
	in := *rr.Input
	in.Entries = entryOrder(in.Entries, d.Entries)
	official := decodeWhatIf(url.Values{}, &in)
	form := decodeWhatIf(r.URL.Query(), &in)
	if errs := form.Validate(); len(errs) > 0 {
		// The form comes back with the visitor's input and each error.
		v.Form = pr.whatIfFormView(form, official, names, d.Slug)
		v.Errors = map[string]string{}
		for k, id := range errs {
			v.Errors[k] = pr.T(id, "n", len(form.teams))
		}
		return s.render(w, r, http.StatusUnprocessableEntity, pages.WhatIf(v))
	}
	form.normalize()
	v.Form = pr.whatIfFormView(form, official, names, d.Slug)
	q := form.query(official)
	v.Query = q
	v.ShareURL = pr.s.baseURL + view.WithQuery(L.URL("/rounds/"+d.Slug+"/what-if"), q)
	sim, err := s.scenario(r.Context(), pr.prog.Slug+"/"+d.Slug, q, form, official, data)
	switch {
	case errors.Is(err, errSimulationsBusy):
		w.Header().Set("Retry-After", "1")
		v.Errors = map[string]string{"scenario": pr.T("whatif.busy")}
		return s.render(w, r, http.StatusServiceUnavailable, pages.WhatIf(v))
	case err != nil && r.Context().Err() != nil:
		return err
	case err != nil:
		v.Errors = map[string]string{"scenario": pr.T("whatif.error.scenario")}
		return s.render(w, r, http.StatusUnprocessableEntity, pages.WhatIf(v))
	}
	v.Result = pr.whatIfResult(d.Kind, form, official, rr.Result, sim.res, sim.notes, names)
	return s.render(w, r, http.StatusOK, pages.WhatIf(v))
}

// whatIfData is what the explorer reads of a round: its public page data
// and its published results with the frozen input.
type whatIfData struct {
	round   postgres.PublicRoundDetail
	results postgres.RoundResults
	// engine is the rule engine's input of the results, converted once
	// (read only: simulations share it).
	engine func() rules.Input
	// prepared is that input with its points computed once, for the
	// scenarios that change no weight.
	prepared func() (*rules.Prepared, error)
}

// whatIfInputs keeps the explorer's inputs per round until the record
// changes (the page cache's generation moves), so a scenario costs only
// its simulation, not a load of every score.
type whatIfInputs struct {
	loads singleflight.Group
	perChange[whatIfData]
}

func newWhatIfInputs() *whatIfInputs { return &whatIfInputs{} }

// roundLoadTimeout bounds a shared load of a round's data.
const roundLoadTimeout = 30 * time.Second

// whatIfData loads a round's explorer inputs, from memory while the record
// has not changed. Without a page cache there is no change signal, and the
// inputs are loaded for every request.
func (s *server) whatIfData(ctx context.Context, program, slug string) (whatIfData, error) {
	if s.cache == nil {
		return s.loadRoundData(ctx, program, slug)
	}
	key := program + "/" + slug
	gen := s.cache.Generation()
	if d, ok := s.whatIfs.lookup(gen, key); ok {
		return d, nil
	}
	// Concurrent requests of one round (its page, what-if scenarios) share
	// one load: a large round's results take a while to read.
	v, err, _ := s.whatIfs.loads.Do(key+"@"+strconv.FormatUint(gen, 10), func() (any, error) {
		// The load is shared: one visitor leaving does not end it.
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), roundLoadTimeout)
		defer cancel()
		return s.loadRoundData(lctx, program, slug)
	})
	if err != nil {
		return whatIfData{}, err
	}
	d := v.(whatIfData)
	s.whatIfs.keep(gen, key, d)
	return d, nil
}

// simulation notes, as message ids.
const (
	noteDecisionDropped = "whatif.note.decision_dropped"
	noteBlocked         = "whatif.note.blocked"
	noteIncomplete      = "whatif.note.incomplete"
	noteWeights         = "whatif.note.weights"
)

// simulate recomputes the round under the scenario with the rule engine.
// Without a change of weights the points are the frozen input's, computed
// leaf by leaf once per change of the record with the round's rounding;
// only ranks and outcomes are decided again under the scenario's rule and
// eligibility. A change of a
// category's maximum scales that category's exact points by new/old max;
// the scaled categories then enter the engine as directly scored
// categories rounded half-up to cents, which is exactly the rounding the
// engine applies to every category, so ranks, tie-breaks and outcomes
// follow the same rules.
func (s *server) simulate(f, official whatIfForm, data whatIfData) (*rules.Result, []string, error) {
	// The base input is shared by every scenario of this change of the
	// record: only fields replaced here, and a copy of the entries, change.
	base := data.engine()
	rr := data.results
	in := base
	in.Entries = slices.Clone(base.Entries)
	var notes []string
	weighted := false
	for _, c := range rr.Input.Criteria {
		if !sameValue(f.Max[c.Code], official.Max[c.Code]) {
			weighted = true
		}
	}
	if weighted {
		notes = append(notes, noteWeights)
		in.Criteria, in.Scores = scaledCategories(rr, f)
	}
	n, _ := strconv.Atoi(f.Advance)
	in.Rule = rules.Rule{Advance: n, Backfill: f.Backfill == "on", Rounding: base.Rule.Rounding}
	if f.MinTotal != "" {
		in.Rule.MinTotal, _ = rules.ParseValue(f.MinTotal)
	}
	ko, en := s.i18n.Localizer(i18n.KO), s.i18n.Localizer(i18n.EN)
	for i, e := range in.Entries {
		st := f.Status[e.Team]
		if st == official.Status[e.Team] {
			continue
		}
		in.Entries[i].Status = rules.Status(st)
		in.Entries[i].Reason = rules.Text{}
		if st != contest.EntryEligible {
			in.Entries[i].Reason = rules.Text{KO: ko.T("whatif.reason." + st), EN: en.T("whatif.reason." + st)}
		}
	}
	compute, err := data.computer(weighted)
	if err != nil {
		return nil, nil, err
	}
	res, err := compute(in)
	if in.Decision != nil && (errors.Is(err, rules.ErrDecisionNotNeeded) || errors.Is(err, rules.ErrInvalidDecision)) {
		in.Decision = nil
		notes = append(notes, noteDecisionDropped)
		res, err = compute(in)
	}
	if err != nil {
		return nil, nil, err
	}
	if !res.Complete {
		notes = append(notes, noteIncomplete)
	}
	if res.Blocked {
		notes = append(notes, noteBlocked)
	}
	return &res, notes, nil
}

// computer is the engine a scenario runs: without a change of weights the
// points are the official ones, so only ranks and outcomes are decided
// again on the prepared round.
func (d whatIfData) computer(weighted bool) (func(rules.Input) (rules.Result, error), error) {
	if weighted {
		return rules.Compute, nil
	}
	p, err := d.prepared()
	if err != nil {
		return nil, err
	}
	return func(in rules.Input) (rules.Result, error) { return p.Decide(in.Rule, in.Entries, in.Decision) }, nil
}

// scaledCategories turns each top-level category into a directly scored
// criterion with the scenario's maximum, scored with the team's exact
// official points × new/old max, rounded half-up to cents. A team with a
// missing score keeps no value, so the engine reports it missing rather
// than scoring a guess.
func scaledCategories(rr postgres.RoundResults, f whatIfForm) ([]rules.Criterion, []rules.Score) {
	var crits []rules.Criterion
	factor := map[string]*big.Rat{}
	for _, c := range rr.Input.Criteria {
		newMax, _ := rules.ParseValue(f.Max[c.Code])
		crits = append(crits, rules.Criterion{Code: c.Code, Max: newMax})
		factor[c.Code] = new(big.Rat).Quo(newMax, parseRat(c.Max))
	}
	var scores []rules.Score
	for _, t := range rr.Result.Teams {
		complete := map[string]bool{}
		for _, c := range t.Categories {
			complete[c.Code] = true
		}
		for _, l := range t.Leaves {
			if len(l.Missing) > 0 {
				complete[l.Category] = false
			}
		}
		for _, c := range t.Categories {
			if !complete[c.Code] {
				continue
			}
			v := rules.RoundCents(new(big.Rat).Mul(c.Exact, factor[c.Code]))
			scores = append(scores, rules.Score{Team: t.Team, Criterion: c.Code, Value: v})
		}
	}
	return crits, scores
}

// whatIfFormView fills the form with the visitor's input and the official
// values beside it.
func (pr *pageReq) whatIfFormView(f, official whatIfForm, n roundNames, round string) view.WhatIfForm {
	L := pr.L
	fv := view.WhatIfForm{
		Advance:          f.Advance,
		AdvanceOfficial:  official.Advance,
		Backfill:         f.Backfill,
		BackfillOfficial: pr.T("whatif.backfill." + official.Backfill),
		MinTotal:         f.MinTotal,
		MinTotalOfficial: official.MinTotal,
		Reset:            L.URL("/rounds/" + round + "/what-if"),
	}
	if fv.MinTotalOfficial == "" {
		fv.MinTotalOfficial = pr.T("whatif.none")
	}
	for _, c := range f.cats {
		fv.Weights = append(fv.Weights, view.WeightField{
			Name:     "max." + c.Code,
			Label:    L.Text(c.Name),
			Official: official.Max[c.Code],
			Value:    f.Max[c.Code],
		})
	}
	for _, st := range []string{contest.EntryEligible, contest.EntryDisqualified, contest.EntryWithdrew} {
		fv.Statuses = append(fv.Statuses, view.Option{Value: st, Label: pr.T("entry." + st)})
	}
	for _, t := range f.teams {
		fv.Teams = append(fv.Teams, view.StatusField{
			Name:     "status." + t,
			Team:     pr.teamName(n, t),
			Official: pr.T("entry." + official.Status[t]),
			Value:    f.Status[t],
		})
	}
	return fv
}

// whatIfResult compares the simulated result with the official one.
func (pr *pageReq) whatIfResult(kind string, f, official whatIfForm, off, sim *rules.Result, notes []string, n roundNames) *view.WhatIfResult {
	v := &view.WhatIfResult{}
	offBy := map[string]rules.TeamResult{}
	offThrough, simThrough := 0, 0
	for _, t := range off.Teams {
		offBy[t.Team] = t
		if passed(string(t.Outcome)) {
			offThrough++
		}
	}
	for _, t := range sim.Teams {
		if passed(string(t.Outcome)) {
			simThrough++
		}
		v.Rows = append(v.Rows, pr.whatIfRow(offBy[t.Team], t, n, sim.Rounding.Decimals))
	}
	key := "whatif.summary.selection"
	if kind == contest.KindStage {
		key = "whatif.summary.stage"
	}
	v.Summary = pr.T(key, "n", simThrough, "official", offThrough)
	v.Changes = pr.scenarioChanges(f, official, n)
	for _, id := range notes {
		v.Notes = append(v.Notes, pr.T(id))
	}
	return v
}

// whatIfRow is a team's official result (o) beside its simulated one (t),
// totals with the round's decimals.
func (pr *pageReq) whatIfRow(o, t rules.TeamResult, n roundNames, decimals int) view.WhatIfRow {
	row := view.WhatIfRow{
		Team:                pr.teamOf(n, t.Team),
		Slug:                t.Team,
		OfficialRank:        pr.rankText(o.Rank, o.Tied),
		OfficialOutcomeCode: string(o.Outcome),
		OfficialOutcome:     pr.outcomeLabel(o.Outcome),
		OfficialTotal:       rules.FormatDecimals(o.Total, decimals),
		Rank:                pr.rankText(t.Rank, t.Tied),
		OutcomeCode:         string(t.Outcome),
		Outcome:             pr.outcomeLabel(t.Outcome),
		Total:               rules.FormatDecimals(t.Total, decimals),
		Reason:              pr.L.Text(contest.Text(t.Reason)),
	}
	if t.Outcome == "" {
		row.OutcomeCode = "pending"
	}
	var changes []string
	if o.Rank != t.Rank || o.Tied != t.Tied {
		changes = append(changes, pr.T("whatif.change.rank", "from", row.OfficialRank, "to", row.Rank))
	}
	if o.Outcome != t.Outcome {
		changes = append(changes, pr.T("whatif.change.outcome", "from", row.OfficialOutcome, "to", row.Outcome))
	}
	if len(changes) > 0 {
		row.Changed = true
		row.ChangeNote = strings.Join(changes, "; ")
	}
	return row
}

// scenarioChanges states in words how the scenario f differs from the
// official rule.
func (pr *pageReq) scenarioChanges(f, official whatIfForm, n roundNames) []string {
	var changes []string
	for _, c := range f.cats {
		if !sameValue(f.Max[c.Code], official.Max[c.Code]) {
			factor := new(big.Rat).Quo(parseRat(f.Max[c.Code]), parseRat(official.Max[c.Code]))
			changes = append(changes, pr.T("whatif.change.max", "name", pr.L.Text(c.Name),
				"from", official.Max[c.Code], "to", f.Max[c.Code], "factor", exactText(factor)))
		}
	}
	if f.Advance != official.Advance {
		changes = append(changes, pr.T("whatif.change.advance", "from", official.Advance, "to", f.Advance))
	}
	if f.Backfill != official.Backfill {
		changes = append(changes, pr.T("whatif.change.backfill",
			"from", pr.T("whatif.backfill."+official.Backfill), "to", pr.T("whatif.backfill."+f.Backfill)))
	}
	if !sameValue(f.MinTotal, official.MinTotal) {
		changes = append(changes, pr.T("whatif.change.min_total",
			"from", orText(official.MinTotal, pr.T("whatif.none")), "to", orText(f.MinTotal, pr.T("whatif.none"))))
	}
	for _, t := range f.teams {
		if f.Status[t] != official.Status[t] {
			changes = append(changes, pr.T("whatif.change.status", "team", pr.teamName(n, t),
				"from", pr.T("entry."+official.Status[t]), "to", pr.T("entry."+f.Status[t])))
		}
	}
	return changes
}

// whatIfExamples are ready-made scenarios for a round's page: restoring
// each disqualified or withdrawn team, and refilling the places of
// disqualified teams when the rule did not.
func (pr *pageReq) whatIfExamples(d postgres.PublicRoundDetail) []view.Link {
	base := pr.L.URL("/rounds/" + d.Slug + "/what-if")
	var out []view.Link
	disqualified := false
	for _, e := range d.Entries {
		switch e.Status {
		case contest.EntryDisqualified, contest.EntryWithdrew:
			q := url.Values{"status." + e.Team.Slug: {contest.EntryEligible}}
			out = append(out, view.Link{
				Text: pr.T("whatif.example.restore."+e.Status, "team", pr.L.Text(e.Team.Name)),
				URL:  base + "?" + q.Encode(),
			})
			disqualified = disqualified || e.Status == contest.EntryDisqualified
		}
	}
	if disqualified && !d.Backfill {
		out = append(out, view.Link{Text: pr.T("whatif.example.backfill"), URL: base + "?" + url.Values{"backfill": {"on"}}.Encode()})
	}
	return out
}
