package programfile

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	yamlparser "github.com/goccy/go-yaml/parser"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
)

// PathError is one problem in a program file, at the path of the bad value
// (`rounds[2].criteria[0].max`). Path is "" for problems with the file as a
// whole, such as a YAML syntax error.
type PathError struct {
	Path string
	Msg  string
}

func (e *PathError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Errors is every problem found in a program file, in document order.
type Errors []*PathError

func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, pe := range e {
		lines[i] = pe.Error()
	}
	return strings.Join(lines, "\n")
}

// Parse reads and validates a program file in YAML or JSON. On any problem it
// returns a nil File and an *Errors listing all problems found, in document
// order.
func Parse(data []byte) (*File, error) {
	root, err := decode(data)
	if err != nil {
		return nil, &Errors{{Msg: err.Error()}}
	}
	p := &parser{}
	f := p.file(node{v: root, set: root != nil})
	if len(p.errs) > 0 {
		slices.SortStableFunc(p.errs, func(a, b posError) int { return slices.Compare(a.pos, b.pos) })
		out := make(Errors, len(p.errs))
		for i, e := range p.errs {
			out[i] = e.err
		}
		return nil, &out
	}
	return f, nil
}

// decode turns the single YAML document in data into a generic tree of
// yaml.MapSlice (mappings, key order kept), []any, string, bool, integer,
// float64 and nil values.
func decode(data []byte) (any, error) {
	doc, err := yamlparser.ParseBytes(data, 0)
	if err != nil {
		return nil, fmt.Errorf("invalid YAML: %s", yaml.FormatError(err, false, false))
	}
	if len(doc.Docs) > 1 {
		return nil, fmt.Errorf("invalid YAML: a program file holds a single document, found %d", len(doc.Docs))
	}
	var v any
	if err := yaml.UnmarshalWithOptions(data, &v, yaml.UseOrderedMap()); err != nil {
		return nil, fmt.Errorf("invalid YAML: %s", yaml.FormatError(err, false, false))
	}
	return v, nil
}

// node is a value of the generic tree with its path. pos locates it in the
// document (index of the key or item at each level) and orders the errors.
type node struct {
	path string
	pos  []int
	v    any
	set  bool // present and not null
}

func (n node) child(name string, i int, v any, present bool) node {
	path := name
	if n.path != "" {
		path = n.path + "." + name
	}
	return node{path: path, pos: appendPos(n.pos, i), v: v, set: present && v != nil}
}

func (n node) item(i int, v any) node {
	return node{path: fmt.Sprintf("%s[%d]", n.path, i), pos: appendPos(n.pos, i), v: v, set: v != nil}
}

func appendPos(pos []int, i int) []int {
	out := make([]int, len(pos), len(pos)+1)
	copy(out, pos)
	return append(out, i)
}

type posError struct {
	pos []int
	err *PathError
}

type parser struct {
	errs []posError
}

func (p *parser) fail(n node, format string, args ...any) {
	p.errs = append(p.errs, posError{pos: n.pos, err: &PathError{Path: n.path, Msg: fmt.Sprintf(format, args...)}})
}

// obj is a mapping whose keys were checked against the known field names.
type obj struct {
	n      node
	known  []string
	fields map[string]node
	end    int // position given to absent fields: after the present ones
}

// object reads n as a mapping with the given fields; unknown keys are
// reported. It reports and returns nil when n is not a mapping.
func (p *parser) object(n node, known ...string) *obj {
	m, ok := n.v.(yaml.MapSlice)
	if !ok {
		p.fail(n, "must be a mapping")
		return nil
	}
	o := &obj{n: n, known: known, fields: make(map[string]node, len(m)), end: len(m)}
	for i, it := range m {
		k := fmt.Sprint(it.Key)
		c := n.child(k, i, it.Value, true)
		if !slices.Contains(known, k) {
			p.fail(c, "unknown field")
			continue
		}
		o.fields[k] = c
	}
	return o
}

// get returns the field name, or an absent node placed after the present keys.
func (o *obj) get(name string) node {
	if !slices.Contains(o.known, name) {
		panic("programfile: field " + name + " not declared")
	}
	if c, ok := o.fields[name]; ok {
		return c
	}
	return o.n.child(name, o.end, nil, false)
}

// Scalar readers. Each reports its own problems and returns the zero value
// (or the raw text, for names used in cross-references) on error.

func (p *parser) str(n node, required bool) string {
	if !n.set {
		if required {
			p.fail(n, "required")
		}
		return ""
	}
	s, ok := n.v.(string)
	if !ok {
		p.fail(n, "must be a string")
		return ""
	}
	if required && strings.TrimSpace(s) == "" {
		p.fail(n, "required")
	}
	return s
}

func asInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int64:
		return x, true
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x), true
		}
	}
	return 0, false
}

// int64Value reads a set node as an integer >= lo.
func (p *parser) int64Value(n node, lo int64) (int64, bool) {
	x, ok := asInt64(n.v)
	if !ok {
		p.fail(n, "must be an integer")
		return 0, false
	}
	if x < lo {
		p.fail(n, "must be >= %d", lo)
		return 0, false
	}
	return x, true
}

func (p *parser) intValue(n node, lo int64) (int, bool) {
	x, ok := p.int64Value(n, lo)
	if ok && int64(int(x)) != x {
		p.fail(n, "is too large")
		return 0, false
	}
	return int(x), ok
}

func (p *parser) reqInt(n node, lo int64) (int, bool) {
	if !n.set {
		p.fail(n, "required")
		return 0, false
	}
	return p.intValue(n, lo)
}

func (p *parser) optInt(n node, lo int64) *int {
	if !n.set {
		return nil
	}
	x, ok := p.intValue(n, lo)
	if !ok {
		return nil
	}
	return &x
}

func (p *parser) optKRW(n node) *int64 {
	if !n.set {
		return nil
	}
	x, ok := p.int64Value(n, 0)
	if !ok {
		return nil
	}
	return &x
}

func (p *parser) boolean(n node) bool {
	if !n.set {
		return false
	}
	b, ok := n.v.(bool)
	if !ok {
		p.fail(n, "must be true or false")
	}
	return b
}

// enum reads one of allowed; def is returned when absent, and "" makes the
// field required.
func (p *parser) enum(n node, def string, allowed ...string) string {
	if !n.set {
		if def == "" {
			p.fail(n, "required")
		}
		return def
	}
	s, ok := n.v.(string)
	if !ok || !slices.Contains(allowed, s) {
		p.fail(n, "must be one of %s (got %s)", strings.Join(allowed, ", "), literal(n.v))
		return ""
	}
	return s
}

// literal shows a scalar as the file gave it, for messages.
func literal(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}

// slug reads a required slug. It returns the text even when it is not a
// valid slug, so that references to it do not report a second error.
func (p *parser) slug(n node) string {
	s := p.str(n, true)
	if s != "" && !contest.ValidSlug(s) {
		p.fail(n, "must be a slug (lowercase letters and digits in words joined by single hyphens, at most %d characters)", contest.MaxSlugLen)
	}
	return s
}

// code reads a criterion code: like a slug, but words may also be joined by
// underscores.
func (p *parser) code(n node) string {
	s := p.str(n, true)
	if s != "" && !contest.ValidCode(s) {
		p.fail(n, "must be a code (lowercase letters and digits in words joined by single hyphens or underscores, at most %d characters)", contest.MaxSlugLen)
	}
	if s == contest.TotalCode {
		p.fail(n, "%q is reserved for the round total", contest.TotalCode)
	}
	return s
}

func (p *parser) text(n node, required bool) Text {
	if !n.set {
		if required {
			p.fail(n, "required")
		}
		return Text{}
	}
	o := p.object(n, "ko", "en")
	if o == nil {
		return Text{}
	}
	return Text{KO: p.str(o.get("ko"), true), EN: p.str(o.get("en"), true)}
}

func (p *parser) date(n node, required bool) string {
	if !n.set {
		if required {
			p.fail(n, "required")
		}
		return ""
	}
	switch x := n.v.(type) {
	case time.Time:
		return x.Format(contest.DateLayout)
	case string:
		if contest.ValidDate(x) {
			return x
		}
	}
	p.fail(n, "must be a date YYYY-MM-DD (got %s)", literal(n.v))
	return ""
}

// kst is Korea Standard Time, without depending on a tz database.
var kst = time.FixedZone("KST", 9*3600)

// announceAt reads an RFC 3339 time with offset, or a date taken as 00:00 KST.
func (p *parser) announceAt(n node) (at *time.Time, dateOnly bool) {
	if !n.set {
		return nil, false
	}
	switch x := n.v.(type) {
	case time.Time:
		return &x, false
	case string:
		if t, err := time.Parse(time.RFC3339, x); err == nil {
			return &t, false
		}
		if t, err := time.ParseInLocation(contest.DateLayout, x, kst); err == nil {
			return &t, true
		}
	}
	p.fail(n, "must be a time with offset (e.g. 2026-01-15T14:00:00+09:00) or a date YYYY-MM-DD (got %s)", literal(n.v))
	return nil, false
}

const msgDecimal = "must be a decimal number with at most two decimals (e.g. 1.5)"

// decimal reads a number of the points domain: >= 0, at most
// contest.MaxPoints, with at most two decimals (zeros beyond the second
// are dropped). It returns it in canonical form with exactly two decimals
// ("9.20").
func (p *parser) decimal(n node, required bool) string {
	if !n.set {
		if required {
			p.fail(n, "required")
		}
		return ""
	}
	var s string
	switch x := n.v.(type) {
	case string:
		s = strings.TrimSpace(x)
	case int, int64, uint64:
		s = fmt.Sprint(x)
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	default:
		p.fail(n, msgDecimal)
		return ""
	}
	s, negative := strings.CutPrefix(s, "-")
	if whole, frac, ok := strings.Cut(s, "."); ok {
		for len(frac) > 2 && frac[len(frac)-1] == '0' {
			frac = frac[:len(frac)-1]
		}
		s = whole + "." + frac
	}
	v, err := rules.ParseValue(s)
	switch {
	case err != nil:
		p.fail(n, msgDecimal)
		return ""
	case negative && v.Sign() != 0:
		p.fail(n, "must be >= 0")
		return ""
	case contest.ExceedsMaxPoints(v):
		p.fail(n, "must be at most %s", contest.MaxPoints)
		return ""
	}
	return rules.FormatCents(v)
}

// rat reads a decimal in the canonical form decimal returns.
func rat(d string) *big.Rat {
	v, err := rules.ParseValue(d)
	if err != nil {
		panic("programfile: not a canonical decimal: " + d)
	}
	return v
}

func (p *parser) url(n node, s string) {
	if !(strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")) || len(s) <= len("https://") ||
		strings.ContainsAny(s, " \t\r\n") {
		p.fail(n, "must be an http:// or https:// URL")
	}
}

func (p *parser) list(n node) []node {
	if !n.set {
		return nil
	}
	l, ok := n.v.([]any)
	if !ok {
		p.fail(n, "must be a list")
		return nil
	}
	out := make([]node, len(l))
	for i, v := range l {
		out[i] = n.item(i, v)
	}
	return out
}

func (p *parser) sources(n node) []Source {
	var out []Source
	for _, it := range p.list(n) {
		if s, ok := it.v.(string); ok {
			p.url(it, s)
			out = append(out, Source{URL: s})
			continue
		}
		if _, ok := it.v.(yaml.MapSlice); !ok {
			p.fail(it, "must be a URL or a mapping with url, label, date, date_note")
			continue
		}
		o := p.object(it, "url", "label", "date", "date_note")
		var s Source
		urlN := o.get("url")
		if s.URL = p.str(urlN, true); s.URL != "" {
			p.url(urlN, s.URL)
		}
		s.Label = p.str(o.get("label"), false)
		s.Date = p.date(o.get("date"), false)
		s.DateNote = p.str(o.get("date_note"), false)
		out = append(out, s)
	}
	return out
}

func (p *parser) confidence(n node) string {
	return p.enum(n, contest.Confirmed, contest.Confidences...)
}

// unique reports key as a duplicate of an earlier occurrence.
func (p *parser) unique(seen map[string]bool, n node, key, shown string) {
	if key == "" {
		return
	}
	if seen[key] {
		p.fail(n, "duplicate %s", shown)
		return
	}
	seen[key] = true
}

// File sections.

// refs holds what later sections may refer to.
type refs struct {
	orgs  map[string]bool
	teams map[string]bool
}

func (p *parser) file(root node) *File {
	if root.set {
		if _, ok := root.v.(yaml.MapSlice); !ok {
			p.fail(root, "a program file must be a mapping with program, organizations, teams, budgets, rounds and timeline")
			return nil
		}
	} else {
		root.v = yaml.MapSlice{}
	}
	o := p.object(root, "program", "organizations", "teams", "budgets", "rounds", "timeline")
	r := refs{orgs: map[string]bool{}, teams: map[string]bool{}}
	f := &File{}
	// Sections are read in dependency order; errors are sorted afterwards.
	programN := o.get("program")
	if !programN.set {
		p.fail(programN, "required")
	} else {
		f.Program = p.program(programN)
	}
	f.Organizations = p.organizations(o.get("organizations"), r)
	f.Teams = p.teams(o.get("teams"), r)
	f.Budgets = p.budgets(o.get("budgets"), r)
	f.Rounds = p.rounds(o.get("rounds"), r)
	f.Timeline = p.timeline(o.get("timeline"))
	return f
}

func (p *parser) program(n node) Program {
	o := p.object(n, "slug", "name", "ministry", "goal", "note", "final_teams", "started_on", "agencies", "sources")
	if o == nil {
		return Program{}
	}
	pr := Program{
		Slug:       p.slug(o.get("slug")),
		Name:       p.text(o.get("name"), true),
		Ministry:   p.text(o.get("ministry"), true),
		Goal:       p.text(o.get("goal"), false),
		Note:       p.text(o.get("note"), false),
		FinalTeams: p.optInt(o.get("final_teams"), 0),
		StartedOn:  p.date(o.get("started_on"), false),
	}
	for _, it := range p.list(o.get("agencies")) {
		pr.Agencies = append(pr.Agencies, p.text(it, true))
	}
	pr.Sources = p.sources(o.get("sources"))
	return pr
}

func (p *parser) organizations(n node, r refs) []Organization {
	var out []Organization
	for _, it := range p.list(n) {
		o := p.object(it, "slug", "name", "kind", "sources")
		if o == nil {
			continue
		}
		slugN := o.get("slug")
		org := Organization{
			Slug:    p.slug(slugN),
			Name:    p.text(o.get("name"), true),
			Kind:    p.enum(o.get("kind"), "other", contest.OrgKinds...),
			Sources: p.sources(o.get("sources")),
		}
		p.unique(r.orgs, slugN, org.Slug, strconv.Quote(org.Slug))
		out = append(out, org)
	}
	return out
}

func (p *parser) teams(n node, r refs) []Team {
	var out []Team
	for _, it := range p.list(n) {
		o := p.object(it, "slug", "name", "lead", "members", "model", "model_note", "goal", "note", "sources")
		if o == nil {
			continue
		}
		slugN := o.get("slug")
		t := Team{Slug: p.slug(slugN), Name: p.text(o.get("name"), true)}
		p.unique(r.teams, slugN, t.Slug, strconv.Quote(t.Slug))
		leadN := o.get("lead")
		if t.Lead = p.str(leadN, true); t.Lead != "" && !r.orgs[t.Lead] {
			p.fail(leadN, "unknown organization %q", t.Lead)
		}
		seen := map[string]bool{}
		for _, mn := range p.list(o.get("members")) {
			if m, ok := p.member(mn, t.Lead, seen, r); ok {
				t.Members = append(t.Members, m)
			}
		}
		t.Model = p.str(o.get("model"), false)
		t.ModelNote = p.text(o.get("model_note"), false)
		t.Goal = p.text(o.get("goal"), false)
		t.Note = p.text(o.get("note"), false)
		t.Sources = p.sources(o.get("sources"))
		out = append(out, t)
	}
	return out
}

func (p *parser) member(n node, lead string, seen map[string]bool, r refs) (Member, bool) {
	o := p.object(n, "org", "role", "since", "until", "confidence", "note", "sources")
	if o == nil {
		return Member{}, false
	}
	var m Member
	orgN := o.get("org")
	if m.Org = p.str(orgN, true); m.Org != "" {
		switch {
		case !r.orgs[m.Org]:
			p.fail(orgN, "unknown organization %q", m.Org)
		case m.Org == lead:
			p.fail(orgN, "%q is the team's lead, which is a member implicitly", m.Org)
		default:
			p.unique(seen, orgN, m.Org, strconv.Quote(m.Org))
		}
	}
	roleN := o.get("role")
	m.Role = "participant"
	if roleN.set {
		if m.Role = p.str(roleN, true); m.Role != "" && !contest.ValidRole(m.Role) {
			p.fail(roleN, "must be lowercase letters and underscores (e.g. participant)")
		}
	}
	m.Since = p.date(o.get("since"), false)
	untilN := o.get("until")
	if m.Until = p.date(untilN, false); m.Since != "" && m.Until != "" && m.Until < m.Since {
		p.fail(untilN, "must not be before since (%s)", m.Since)
	}
	m.Confidence = p.confidence(o.get("confidence"))
	m.Note = p.text(o.get("note"), false)
	m.Sources = p.sources(o.get("sources"))
	return m, true
}

func (p *parser) budgets(n node, r refs) []Budget {
	var out []Budget
	years := map[string]bool{}
	for _, it := range p.list(n) {
		o := p.object(it, "year", "amount_krw", "confidence", "note", "sources", "allocations")
		if o == nil {
			continue
		}
		var b Budget
		yearN := o.get("year")
		if y, ok := p.reqInt(yearN, math.MinInt64); ok {
			if !contest.ValidYear(y) {
				p.fail(yearN, "must be between %d and %d", contest.MinYear, contest.MaxYear)
			} else {
				b.Year = y
				p.unique(years, yearN, strconv.Itoa(y), strconv.Itoa(y))
			}
		}
		b.AmountKRW = p.optKRW(o.get("amount_krw"))
		b.Confidence = p.confidence(o.get("confidence"))
		b.Note = p.text(o.get("note"), false)
		b.Sources = p.sources(o.get("sources"))
		for _, an := range p.list(o.get("allocations")) {
			if a, ok := p.allocation(an, r); ok {
				b.Allocations = append(b.Allocations, a)
			}
		}
		out = append(out, b)
	}
	return out
}

func (p *parser) allocation(n node, r refs) (Allocation, bool) {
	o := p.object(n, "team", "kind", "gpu_model", "quantity", "amount_krw", "confidence", "note", "sources")
	if o == nil {
		return Allocation{}, false
	}
	var a Allocation
	teamN := o.get("team")
	if teamN.set {
		if a.Team = p.str(teamN, true); a.Team != "" && !r.teams[a.Team] {
			p.fail(teamN, "unknown team %q", a.Team)
		}
	}
	a.Kind = p.enum(o.get("kind"), "", contest.AllocationKinds...)
	a.GPUModel = p.str(o.get("gpu_model"), false)
	a.Quantity = p.optInt(o.get("quantity"), 0)
	a.AmountKRW = p.optKRW(o.get("amount_krw"))
	a.Confidence = p.confidence(o.get("confidence"))
	a.Note = p.text(o.get("note"), false)
	a.Sources = p.sources(o.get("sources"))
	return a, true
}

func (p *parser) timeline(n node) []Event {
	var out []Event
	for _, it := range p.list(n) {
		o := p.object(it, "date", "until", "title", "confidence", "sources")
		if o == nil {
			continue
		}
		var e Event
		e.Date = p.date(o.get("date"), true)
		untilN := o.get("until")
		if e.Until = p.date(untilN, false); e.Date != "" && e.Until != "" && e.Until < e.Date {
			p.fail(untilN, "must not be before date (%s)", e.Date)
		}
		e.Title = p.text(o.get("title"), true)
		e.Confidence = p.confidence(o.get("confidence"))
		e.Sources = p.sources(o.get("sources"))
		out = append(out, e)
	}
	return out
}

// Rounds.

var (
	entryStatuses    = []string{contest.EntryEligible, contest.EntryDisqualified, contest.EntryWithdrew}
	selectionResults = []string{contest.OutcomeSelected, contest.OutcomeNotSelected, contest.OutcomeDisqualified, contest.OutcomeWithdrew}
	stageResults     = []string{contest.OutcomeAdvanced, contest.OutcomeEliminated, contest.OutcomeDisqualified, contest.OutcomeWithdrew}
	stats            = []string{"mean", "median", "max", "min"}
)

// crit is what scores and published figures need to know of a criterion.
type crit struct {
	max   string
	leaf  bool
	panel *Panel
}

// round holds the names a round's scores and outcomes may refer to.
type round struct {
	refs
	crits    map[string]crit
	totalMax string // sum of the top-level maxima, "" when unknown
	entries  map[string]bool
}

// entry checks that team is an entry of the round.
func (p *parser) entry(n node, team string, rd *round) {
	switch {
	case team == "":
	case !rd.teams[team]:
		p.fail(n, "unknown team %q", team)
	case !rd.entries[team]:
		p.fail(n, "team %q is not an entry of this round", team)
	}
}

// publishedCriterion checks the criterion code of a published figure: any code of the
// round or "total". It returns the maximum, "" when unknown.
func (p *parser) publishedCriterion(n node, rd *round) (code, max string) {
	code = p.str(n, true)
	switch {
	case code == "":
		return "", ""
	case code == contest.TotalCode:
		return code, rd.totalMax
	}
	c, ok := rd.crits[code]
	if !ok {
		p.fail(n, "unknown criterion %q", code)
		return code, ""
	}
	return code, c.max
}

// atMost reports value above max.
func (p *parser) atMost(n node, value, max, code string) {
	if value != "" && max != "" && rat(value).Cmp(rat(max)) > 0 {
		p.fail(n, "%s exceeds the maximum %s of %s", value, max, code)
	}
}

func (p *parser) rounds(n node, r refs) []Round {
	var out []Round
	slugs := map[string]bool{}
	for _, it := range p.list(n) {
		o := p.object(it, "slug", "kind", "name", "period", "evaluated_on", "announce_at", "rule", "criteria",
			"entries", "scores", "outcomes", "published_scores", "published_stats", "decision", "note", "sources", "publish")
		if o == nil {
			continue
		}
		var rn Round
		slugN := o.get("slug")
		rn.Slug = p.slug(slugN)
		p.unique(slugs, slugN, rn.Slug, strconv.Quote(rn.Slug))
		rn.Kind = p.enum(o.get("kind"), "", contest.RoundKinds...)
		rn.Name = p.text(o.get("name"), true)
		rn.Period = p.str(o.get("period"), false)
		rn.EvaluatedOn = p.date(o.get("evaluated_on"), false)
		rn.AnnounceAt, rn.AnnounceDateOnly = p.announceAt(o.get("announce_at"))
		rn.Rule = p.rule(o.get("rule"))

		rd := &round{refs: r, crits: map[string]crit{}, entries: map[string]bool{}}
		rn.Criteria = p.criteria(o.get("criteria"), rd)
		if len(rn.Criteria) > 0 {
			sum := new(big.Rat)
			for _, c := range rn.Criteria {
				if c.Max == "" || c.Max == "0.00" {
					sum = nil
					break
				}
				sum.Add(sum, rat(c.Max))
			}
			if sum != nil {
				rd.totalMax = rules.FormatCents(sum)
			}
		}
		for _, en := range p.list(o.get("entries")) {
			if e, ok := p.roundEntry(en, rd); ok {
				rn.Entries = append(rn.Entries, e)
			}
		}
		scoresN, outcomesN := o.get("scores"), o.get("outcomes")
		rn.Scores = p.scores(scoresN, rd)
		rn.Outcomes = p.outcomes(outcomesN, rn.Kind, rd)
		if len(p.list(scoresN)) > 0 && len(p.list(outcomesN)) > 0 {
			p.fail(outcomesN, "a round has either scores or announced outcomes, not both")
		}
		rn.PublishedScores = p.publishedScores(o.get("published_scores"), rd)
		rn.PublishedStats = p.publishedStats(o.get("published_stats"), rd)
		if d := o.get("decision"); d.set {
			rn.Decision = p.decision(d, rd)
		}
		rn.Note = p.text(o.get("note"), false)
		rn.Sources = p.sources(o.get("sources"))
		rn.Publish = p.boolean(o.get("publish"))
		out = append(out, rn)
	}
	return out
}

func (p *parser) rule(n node) Rule {
	if !n.set {
		p.fail(n, "required")
		return Rule{}
	}
	o := p.object(n, "advance", "backfill", "min_total")
	if o == nil {
		return Rule{}
	}
	advance, _ := p.reqInt(o.get("advance"), 0)
	return Rule{
		Advance:  advance,
		Backfill: p.boolean(o.get("backfill")),
		MinTotal: p.decimal(o.get("min_total"), false),
	}
}

func (p *parser) criteria(n node, rd *round) []Criterion {
	var out []Criterion
	for _, it := range p.list(n) {
		o := p.object(it, "code", "name", "description", "note", "max", "panel", "children")
		if o == nil {
			continue
		}
		var c Criterion
		codeN := o.get("code")
		c.Code = p.code(codeN)
		fresh := false
		if c.Code != "" {
			if _, dup := rd.crits[c.Code]; dup {
				p.fail(codeN, "duplicate %q", c.Code)
			} else {
				rd.crits[c.Code] = crit{} // completed below, after the children
				fresh = true
			}
		}
		c.Name = p.text(o.get("name"), true)
		c.Description = p.text(o.get("description"), false)
		c.Note = p.text(o.get("note"), false)
		maxN := o.get("max")
		c.Max = p.decimal(maxN, true)
		validMax := c.Max
		if c.Max == "0.00" {
			p.fail(maxN, "must be > 0")
			validMax = ""
		}
		childrenN := o.get("children")
		c.Children = p.criteria(childrenN, rd)
		leaf := len(p.list(childrenN)) == 0
		if panelN := o.get("panel"); panelN.set {
			if leaf {
				c.Panel = p.panel(panelN)
			} else {
				p.fail(panelN, "only leaf criteria have a panel; this criterion has children")
			}
		}
		if fresh {
			rd.crits[c.Code] = crit{max: validMax, leaf: leaf, panel: c.Panel}
		}
		out = append(out, c)
	}
	return out
}

func (p *parser) panel(n node) *Panel {
	o := p.object(n, "size", "aggregate")
	if o == nil {
		return nil
	}
	sizeN := o.get("size")
	size, sizeOK := p.reqInt(sizeN, 1)
	if sizeOK && size > rules.MaxPanelSize {
		p.fail(sizeN, "must be at most %d", rules.MaxPanelSize)
		sizeOK = false
	}
	aggN := o.get("aggregate")
	agg := p.enum(aggN, "", contest.Aggregates...)
	if agg == "trimmed_mean" && sizeOK && size < contest.MinTrimmedPanel {
		p.fail(aggN, "trimmed_mean needs a panel size of at least %d (size is %d)", contest.MinTrimmedPanel, size)
	}
	return &Panel{Size: size, Aggregate: agg}
}

func (p *parser) roundEntry(n node, rd *round) (Entry, bool) {
	o := p.object(n, "team", "status", "reason")
	if o == nil {
		return Entry{}, false
	}
	var e Entry
	teamN := o.get("team")
	if e.Team = p.str(teamN, true); e.Team != "" {
		if !rd.teams[e.Team] {
			p.fail(teamN, "unknown team %q", e.Team)
		}
		p.unique(rd.entries, teamN, e.Team, strconv.Quote(e.Team))
	}
	e.Status = p.enum(o.get("status"), contest.EntryEligible, entryStatuses...)
	reasonN := o.get("reason")
	if !reasonN.set && e.Status == contest.EntryDisqualified {
		p.fail(reasonN, "required when status is disqualified")
	}
	e.Reason = p.text(reasonN, false)
	return e, true
}

func (p *parser) scores(n node, rd *round) []Score {
	var out []Score
	seen := map[string]bool{}
	for _, it := range p.list(n) {
		o := p.object(it, "team", "criterion", "evaluator", "value")
		if o == nil {
			continue
		}
		var s Score
		teamN := o.get("team")
		s.Team = p.str(teamN, true)
		p.entry(teamN, s.Team, rd)

		critN := o.get("criterion")
		s.Criterion = p.str(critN, true)
		c, known := rd.crits[s.Criterion]
		switch {
		case s.Criterion == "":
		case !known:
			p.fail(critN, "unknown criterion %q", s.Criterion)
		case !c.leaf:
			p.fail(critN, "%q is not a leaf criterion; scores are entered on leaves", s.Criterion)
			known = false
		}

		evalN := o.get("evaluator")
		switch {
		case known && c.panel != nil && !evalN.set:
			p.fail(evalN, "required: %s is scored by a panel of %d evaluators", s.Criterion, c.panel.Size)
		case known && c.panel == nil && evalN.set:
			p.fail(evalN, "must be empty: %s is scored directly, not by a panel", s.Criterion)
		case evalN.set:
			if ev, ok := p.intValue(evalN, 1); ok {
				s.Evaluator = ev
				if known && c.panel.Size > 0 && ev > c.panel.Size {
					p.fail(evalN, "must be between 1 and %d (the panel size of %s)", c.panel.Size, s.Criterion)
				}
			}
		}

		valueN := o.get("value")
		s.Value = p.decimal(valueN, true)
		if known {
			p.atMost(valueN, s.Value, c.max, s.Criterion)
		}
		if s.Team != "" && s.Criterion != "" {
			key := s.Team + "\x00" + s.Criterion + "\x00" + strconv.Itoa(s.Evaluator)
			if seen[key] {
				if s.Evaluator > 0 {
					p.fail(it, "duplicate score for team %q, criterion %q, evaluator %d", s.Team, s.Criterion, s.Evaluator)
				} else {
					p.fail(it, "duplicate score for team %q, criterion %q", s.Team, s.Criterion)
				}
			}
			seen[key] = true
		}
		out = append(out, s)
	}
	return out
}

func (p *parser) outcomes(n node, kind string, rd *round) []Outcome {
	allowed := stageResults
	switch kind {
	case contest.KindSelection, contest.KindAdditional:
		allowed = selectionResults
	case contest.KindStage:
	default: // the kind is already reported; accept any outcome
		allowed = append(slices.Clone(selectionResults), contest.OutcomeAdvanced, contest.OutcomeEliminated)
	}
	var out []Outcome
	seen := map[string]bool{}
	for _, it := range p.list(n) {
		o := p.object(it, "team", "outcome", "rank", "reason", "note", "sources")
		if o == nil {
			continue
		}
		var oc Outcome
		teamN := o.get("team")
		oc.Team = p.str(teamN, true)
		p.entry(teamN, oc.Team, rd)
		p.unique(seen, teamN, oc.Team, strconv.Quote(oc.Team))
		outcomeN := o.get("outcome")
		if s, ok := outcomeN.v.(string); ok && slices.Contains(contest.RoundKinds, kind) && !slices.Contains(allowed, s) {
			p.fail(outcomeN, "must be one of %s for a %s round (got %q)", strings.Join(allowed, ", "), kind, s)
		} else {
			oc.Outcome = p.enum(outcomeN, "", allowed...)
		}
		oc.Rank = p.optInt(o.get("rank"), 1)
		oc.Reason = p.text(o.get("reason"), true)
		oc.Note = p.text(o.get("note"), false)
		oc.Sources = p.sources(o.get("sources"))
		out = append(out, oc)
	}
	return out
}

func (p *parser) publishedScores(n node, rd *round) []PublishedScore {
	var out []PublishedScore
	seen := map[string]bool{}
	for _, it := range p.list(n) {
		o := p.object(it, "team", "criterion", "value", "sources")
		if o == nil {
			continue
		}
		var ps PublishedScore
		teamN := o.get("team")
		ps.Team = p.str(teamN, true)
		p.entry(teamN, ps.Team, rd)
		code, max := p.publishedCriterion(o.get("criterion"), rd)
		ps.Criterion = code
		valueN := o.get("value")
		ps.Value = p.decimal(valueN, true)
		p.atMost(valueN, ps.Value, max, code)
		ps.Sources = p.sources(o.get("sources"))
		if ps.Team != "" && code != "" {
			key := ps.Team + "\x00" + code
			if seen[key] {
				p.fail(it, "duplicate published score for team %q, criterion %q", ps.Team, code)
			}
			seen[key] = true
		}
		out = append(out, ps)
	}
	return out
}

func (p *parser) publishedStats(n node, rd *round) []PublishedStat {
	var out []PublishedStat
	seen := map[string]bool{}
	for _, it := range p.list(n) {
		o := p.object(it, "criterion", "stat", "value")
		if o == nil {
			continue
		}
		var st PublishedStat
		code, max := p.publishedCriterion(o.get("criterion"), rd)
		st.Criterion = code
		st.Stat = p.enum(o.get("stat"), "", stats...)
		valueN := o.get("value")
		st.Value = p.decimal(valueN, true)
		p.atMost(valueN, st.Value, max, code)
		if code != "" && st.Stat != "" {
			key := code + "\x00" + st.Stat
			if seen[key] {
				p.fail(it, "duplicate published stat %s of %q", st.Stat, code)
			}
			seen[key] = true
		}
		out = append(out, st)
	}
	return out
}

func (p *parser) decision(n node, rd *round) *Decision {
	o := p.object(n, "advance", "reason")
	if o == nil {
		return nil
	}
	d := &Decision{}
	advanceN := o.get("advance")
	if !advanceN.set {
		p.fail(advanceN, "required")
	}
	seen := map[string]bool{}
	for _, it := range p.list(advanceN) {
		team := p.str(it, true)
		p.entry(it, team, rd)
		p.unique(seen, it, team, strconv.Quote(team))
		if team != "" {
			d.Advance = append(d.Advance, team)
		}
	}
	d.Reason = p.text(o.get("reason"), true)
	return d
}
