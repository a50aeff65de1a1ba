// Package view holds the view models of the public pages: typed values
// shaped like each page, already in the page's language and already
// formatted, that the templ components in web/ render. They hold no
// database rows, requests or I/O; internal/web builds them from the store.
package view

import (
	"github.com/kai-challenge/portal/internal/web/chart"
	"github.com/kai-challenge/portal/internal/web/i18n"
)

// Page is what the layout needs on every page.
type Page struct {
	// L translates UI messages into the page's language.
	L *i18n.Localizer
	// Title is the page's own title, without the portal name.
	Title string
	// Section is the navigation entry the page belongs to ("overview",
	// "standings", "teams", "rounds", "history", "organizations", "funding").
	Section string
	// Path is the language-neutral path of the page, e.g. "/teams/lg".
	Path string
	// BaseURL is the portal's public address, for absolute alternate links.
	BaseURL string
	// CSS and Icon are the content-addressed URLs of the static assets.
	CSS  string
	Icon string
	// ProgramName names the program the pages describe; "" on error pages.
	ProgramName string
	// UpdatedAt is when the record last changed; "" when unknown.
	UpdatedAt string
	// Description is the page's own summary for search results and link
	// previews; "" uses the portal's description.
	Description string
	// OGType is the Open Graph type: "website" (the default) or "article".
	OGType string
	// Query is the canonical query string of a page whose content it
	// determines (a what-if scenario, a search), without "?"; "" for every
	// other page, whose permalink is its path.
	Query string
	// RawQuery is the request's own query on such a page, kept by the
	// language switch so the visitor's input survives it.
	RawQuery string
	// PrintCSS is the versioned URL of the print stylesheet; "" omits it.
	PrintCSS string
}

// T translates a UI message.
func (p Page) T(id string, args ...any) string { return p.L.T(id, args...) }

// Lang is the page language as an attribute value.
func (p Page) Lang() string { return string(p.L.Lang()) }

// URL localizes a language-neutral path into the page's language.
func (p Page) URL(path string) string { return p.L.URL(path) }

// SwitchLang is the language the switch link leads to.
func (p Page) SwitchLang() string { return string(p.L.Lang().Other()) }

// SwitchURL is this page in the other language (with the same scenario,
// for pages that have one).
func (p Page) SwitchURL() string {
	return WithQuery(i18n.Localize(p.L.Lang().Other(), p.Path), p.RawQuery)
}

// SwitchLabel names the other language in that language.
func (p Page) SwitchLabel() string {
	if p.L.Lang() == i18n.EN {
		return "한국어"
	}
	return "English"
}

// AltURL is the absolute URL of this page in lang, for rel=alternate links.
func (p Page) AltURL(lang string) string {
	return p.BaseURL + WithQuery(i18n.Localize(i18n.Lang(lang), p.Path), p.Query)
}

// CanonicalURL is the page's permalink: its absolute URL in its language.
func (p Page) CanonicalURL() string { return p.AltURL(p.Lang()) }

// WithQuery appends a query string (without "?") to a path when there is one.
func WithQuery(path, query string) string {
	if query == "" {
		return path
	}
	return path + "?" + query
}

// MetaDescription is the page's description for search engines and link
// previews.
func (p Page) MetaDescription() string {
	if p.Description != "" {
		return p.Description
	}
	return p.T("site.description")
}

// OGTitle is the title link previews show.
func (p Page) OGTitle() string {
	if p.Title == "" {
		return p.T("site.name")
	}
	return p.Title
}

// OGKind is the Open Graph type of the page.
func (p Page) OGKind() string {
	if p.OGType == "" {
		return "website"
	}
	return p.OGType
}

// OGLocale is the Open Graph locale of the page language; OGLocaleAlt
// that of the other language.
func (p Page) OGLocale() string { return ogLocale(p.L.Lang()) }

// OGLocaleAlt is the Open Graph locale of the other language.
func (p Page) OGLocaleAlt() string { return ogLocale(p.L.Lang().Other()) }

func ogLocale(l i18n.Lang) string {
	if l == i18n.EN {
		return "en_US"
	}
	return "ko_KR"
}

// FeedURL is the Atom feed in the page language.
func (p Page) FeedURL() string { return p.URL("/feed.atom") }

// SearchURL is the search page in the page language.
func (p Page) SearchURL() string { return p.URL("/search") }

// DataURL is the open-data page in the page language.
func (p Page) DataURL() string { return p.URL("/data") }

// FullTitle is the document title.
func (p Page) FullTitle() string {
	if p.Title == "" {
		return p.T("site.name")
	}
	return p.Title + " · " + p.T("site.name")
}

// NavItem is one entry of the main navigation.
type NavItem struct {
	Section string
	Label   string
	URL     string
	Current bool
}

// Nav lists the main navigation in order, marking the current section.
func (p Page) Nav() []NavItem {
	sections := []struct{ key, path string }{
		{"overview", "/"}, {"standings", "/standings"}, {"teams", "/teams"}, {"rounds", "/rounds"},
		{"history", "/history"}, {"organizations", "/organizations"}, {"funding", "/funding"},
	}
	out := make([]NavItem, len(sections))
	for i, s := range sections {
		out[i] = NavItem{Section: s.key, Label: p.T("nav." + s.key), URL: p.URL(s.path), Current: p.Section == s.key}
	}
	return out
}

// Link is a labelled link; URL "" renders plain text.
type Link struct {
	Text string
	URL  string
}

// Source is a cited public source.
type Source struct {
	Label string // e.g. "S19"
	URL   string
	Host  string // e.g. "zdnet.co.kr"
	Date  string // publication date, or an approximate note
}

// Marker flags a fact that is not confirmed: Code is "reported" or
// "conflicting"; nil for confirmed facts.
type Marker struct {
	Code  string
	Label string
	Title string
}

// Cell is a figure, or a figure that was not disclosed.
type Cell struct {
	Text        string
	Undisclosed bool
}

// Outcome is a team's outcome in a round.
type Outcome struct {
	Team    Link
	Slug    string // team slug
	Code    string // selected | not_selected | advanced | eliminated | disqualified | withdrew
	Label   string
	Rank    string
	Reason  string
	Note    string
	Sources []Source
}

// Figure is a named published figure.
type Figure struct {
	Name  string
	Value string
	Total bool
}

// Amount is a money amount or "not disclosed".
type Amount = Cell

// Allocation is support given to a team or to the whole program.
type Allocation struct {
	Year      string
	Recipient Link
	Kind      string
	GPU       string // "B200 × 768"; "" when none
	Amount    Amount
	Marker    *Marker
	Note      string
	Sources   []Source
}

// OverviewPage is the home page.
type OverviewPage struct {
	Page
	Program    ProgramSummary
	StillIn    []TeamCard
	Next       *NextRound
	Latest     *Decision
	Counts     []Stat
	QuickLinks []Link
	Sources    []Source
}

// ProgramSummary is the program's header.
type ProgramSummary struct {
	Name       string
	Ministry   string
	Agencies   []string
	Goal       string
	Note       string
	FinalTeams string
	StartedOn  string
}

// Stat is a labelled number.
type Stat struct {
	Label string
	Value string
	URL   string
}

// TeamCard is a team still in the competition.
type TeamCard struct {
	Team      Link
	Lead      Link
	Model     string
	LastRound Link
	// Total is the team's latest published total; "" when none was published.
	Total      string
	TotalRound Link
	// TotalSources cite the total.
	TotalSources []Source
}

// NextRound is the next round that is not published yet.
type NextRound struct {
	Round    Link
	Kind     string
	Period   string
	When     string // planned evaluation or announcement date; "" when unknown
	Note     string
	Entrants string
	Places   string
}

// Decision is the most recent published round and its outcomes.
type Decision struct {
	Round    Link
	When     string
	Summary  string
	Outcomes []Outcome
}

// StandingsPage is the current field.
type StandingsPage struct {
	Page
	In  []Standing
	Out []Standing
}

// Standing is a team in the standings.
type Standing struct {
	Team         Link
	Lead         Link
	StatusCode   string
	Status       string
	Round        Link // the round of the latest outcome (for teams out: the round it left)
	When         string
	OutcomeCode  string
	Outcome      string
	Reason       string
	Figures      []Figure
	FiguresRound Link
	// Sources cite the outcome; FigureSources the published figures.
	Sources       []Source
	FigureSources []Source
}

// TeamsPage lists the teams in groups.
type TeamsPage struct {
	Page
	Groups []TeamGroup
}

// TeamGroup is competing, out, not selected or applicants.
type TeamGroup struct {
	Code  string
	Title string
	Intro string
	Teams []TeamRow
}

// TeamRow is a team in a list.
type TeamRow struct {
	Team        Link
	Lead        Link
	Model       string
	Members     string
	Round       Link
	OutcomeCode string
	Outcome     string
	Reason      string
	// Sources cite the outcome.
	Sources []Source
}

// TeamPage is one team.
type TeamPage struct {
	Page
	Name         string
	StatusCode   string
	Status       string
	StatusDetail string
	Lead         Link
	LeadKind     string
	Model        string
	ModelNote    string
	Goal         string
	Note         string
	MemberCount  string
	MemberGroups []MemberGroup
	Rounds       []TeamRound
	Support      []Allocation
	Sources      []Source
	// Chart is the team's points per scored round against the round
	// average and the cut; nil when the team took part in no scored round.
	Chart *chart.Team
	// ChartRows are the chart's figures as a table.
	ChartRows   []TeamChartRow
	ChartSeries []string
	ChartNotes  []string
}

// TeamChartRow is one round of the team chart as text.
type TeamChartRow struct {
	Round    Link
	Cells    []Cell // category points, in ChartSeries order
	Total    Cell
	Mean     Cell
	Cut      Cell
	Outcome  string
	Disclose bool
}

// MemberGroup is the consortium members of one organization kind.
type MemberGroup struct {
	Kind    string
	Members []Member
}

// Member is a consortium member.
type Member struct {
	Org     Link
	Role    string
	Since   string
	Until   string
	Marker  *Marker
	Note    string
	Sources []Source
}

// TeamRound is a round the team entered.
type TeamRound struct {
	Slug        string // round slug
	Round       Link
	Kind        string
	When        string
	Published   bool
	Status      string // round status label
	Eligibility string // "" when eligible or not published
	EntryReason string
	Outcome     *Outcome
	Figures     []Figure
	// Joined marks the round the team joined the running through (an
	// additional call); Exited the round it left.
	Joined bool
	Exited bool
	Marker string
	// Sources cite the published figures.
	FigureSources []Source
}

// RoundsPage lists the rounds.
type RoundsPage struct {
	Page
	Rounds []RoundRow
}

// RoundRow is a round in the list.
type RoundRow struct {
	Round      Link
	Kind       string
	Period     string
	Evaluated  string
	Announced  string
	StatusCode string
	Status     string
	Entrants   string
	Through    string // "" when not published
}

// RoundPage is one round.
type RoundPage struct {
	Page
	Name        string
	Kind        string
	Period      string
	Evaluated   string
	Announced   string
	StatusCode  string
	Status      string
	Published   bool
	PublishedAt string
	Rule        Rule
	Criteria    []Criterion
	Entries     []Entry
	Scores      *ScoreTable // nil when nothing was published
	Stats       *ScoreTable // nil when no statistic was published
	Outcomes    []Outcome
	Note        string
	Sources     []Source
	// Results holds the computed results and how they were computed, once
	// the round's results are computed by the rule engine; nil until then
	// and for rounds whose results were only announced.
	Results *RoundResultsView
	// WhatIf links the what-if explorer of a published round; Examples are
	// ready-made scenarios (restoring a disqualified team, …).
	WhatIf   Link
	Examples []Link
}

// Rule states how the round decides.
type Rule struct {
	Places   string // e.g. "4개 팀 통과"
	Backfill string
	MinTotal string // "" when none
}

// Criterion is a row of the criteria table.
type Criterion struct {
	Code        string
	Name        string
	Depth       int
	Max         string
	Panel       string // "평가위원 10명 · 평균"; "" for directly scored criteria
	Description string
	Note        string
}

// Entry is a team's entry in a round.
type Entry struct {
	Team        Link
	Code        string // eligible | disqualified | withdrew; "" when not published
	Eligibility string
	Reason      string
}

// ScoreTable is a table of figures: one row per team (or statistic), one
// column per criterion and the total.
type ScoreTable struct {
	Caption string
	Head    string // heading of the row-header column
	Columns []ScoreColumn
	Rows    []ScoreRow
}

// ScoreColumn is a criterion column.
type ScoreColumn struct {
	Code  string
	Name  string
	Max   string
	Depth int
	Total bool
}

// ScoreRow is a row of figures; Head is the team or the statistic.
type ScoreRow struct {
	Head  Link
	Code  string // team slug or statistic
	Cells []Cell
	// Sources cite the row's published figures.
	Sources []Source
}

// RoundResultsView is a round's results as the rule engine computed them
// (published revision), with how they were computed. The round page and
// each revision page render it; it is nil for rounds whose outcomes were
// only announced.
type RoundResultsView struct {
	// Revision names the revision shown: "발표본 1" / "revision 1".
	Revision string
	// RevisionNote says when it was published and, for a correction, why.
	RevisionNote string
	// Old is true on the page of an earlier revision; Current then links
	// to the round page, which shows the current one.
	Old     bool
	Current Link
	// Columns are the categories (with their maxima) and the total.
	Columns []ScoreColumn
	Rows    []ResultRow
	// CutAt is the index of the first row outside the places; the cut line
	// is drawn before it (after the last row when CutAt == len(Rows)). -1
	// draws none.
	CutAt    int
	CutLabel string
	Decision *DecisionView
	// AuditHead is the audit chain head (hex) the revision recorded.
	AuditHead string
	Chart     *chart.Stacked
	// Method explains the computation in general; Teams in detail.
	Method []string
	Teams  []TeamMethod
	// Corrections lists the later revisions; Revisions links every revision.
	Corrections []CorrectionView
	Revisions   []Link
	// WhatIf links the explorer of the round.
	WhatIf Link
}

// ResultRow is a team's computed result.
type ResultRow struct {
	Rank        string
	Team        Link
	Slug        string
	Cells       []Cell // rounded category points, in column order
	Total       Cell
	OutcomeCode string
	Outcome     string
	Reason      string
}

// DecisionView is a recorded decision on a tie at the cut.
type DecisionView struct {
	Tied    []Link // the teams of the tied group
	Advance []Link // those the decision lets through
	Reason  string
}

// TeamMethod shows how one team's total was computed.
type TeamMethod struct {
	Team       Link
	Slug       string
	Summary    string // "1위 · 총점 90.20 · 통과"
	Categories []CategoryMethod
	// TotalExpr is "33.60 + 31.60 + 25.00 = 90.20".
	TotalExpr string
}

// CategoryMethod is one top-level category of a team's computation.
type CategoryMethod struct {
	Name   string
	Max    string
	Leaves []LeafMethod
	// SumExpr is the exact sum of the category's leaves ("9.2 + 14.4 + 10 =
	// 33.6"); Exact the exact points; Rounded the points rounded half-up to
	// two decimals.
	SumExpr string
	Exact   string
	Rounded string
}

// LeafMethod is how one leaf's points were computed.
type LeafMethod struct {
	Name   string
	Max    string
	Method string // "직접 채점" or "평가위원 10명 · 최고·최저 제외 평균"
	Direct bool
	Values []EvaluatorScore
	// Dropped names the values a trimmed mean dropped.
	Dropped string
	// Formula shows the arithmetic: "(…) ÷ 8".
	Formula string
	// Exact is the leaf's exact points: a terminating decimal, or a
	// fraction with a decimal approximation.
	Exact   string
	Missing string
}

// EvaluatorScore is one evaluator's value ("평가위원 3", "30.49").
type EvaluatorScore struct {
	Label   string
	Value   string
	Dropped bool
	Note    string // "최저 제외" / "dropped (lowest)"
}

// CorrectionView is a correction of a published round.
type CorrectionView struct {
	Revision Link
	When     string
	Change   string
	Reason   string
	// AuditHead is the audit chain head recorded with the correction.
	AuditHead string
}

// RevisionPage shows one published revision of a round's results.
type RevisionPage struct {
	Page
	Round   Link
	Name    string
	Results *RoundResultsView
}

// WhatIfPage is the what-if explorer of a round: an unofficial recomputation
// with a changed rule, weights or eligibility.
type WhatIfPage struct {
	Page
	Round Link
	Name  string
	// Unavailable explains why the round cannot be simulated; "" when it can.
	Unavailable string
	Form        WhatIfForm
	// Errors are the form's errors by field name; the result is omitted
	// while there are any.
	Errors   map[string]string
	Result   *WhatIfResult
	ShareURL string
	Official Link
}

// WhatIfForm is the scenario form with the visitor's input.
type WhatIfForm struct {
	Weights          []WeightField
	Advance          string
	AdvanceOfficial  string
	Backfill         string // "on" | "off"
	BackfillOfficial string
	MinTotal         string // "" for none
	MinTotalOfficial string
	Teams            []StatusField
	// Statuses are the eligibility choices, in order.
	Statuses []Option
	Reset    string // the explorer without a scenario
}

// WeightField is a category's maximum points.
type WeightField struct {
	Name     string // form field name: "max.benchmark"
	Label    string
	Official string
	Value    string
}

// StatusField is a team's eligibility in the scenario.
type StatusField struct {
	Name     string // form field name: "status.naver-cloud"
	Team     string
	Official string // label of the official eligibility
	Value    string // eligible | disqualified | withdrew
}

// Option is a choice of a select.
type Option struct {
	Value string
	Label string
}

// WhatIfResult compares the scenario with the official result.
type WhatIfResult struct {
	Summary string
	// Changes lists what the scenario changes, in words.
	Changes []string
	Notes   []string
	Rows    []WhatIfRow
}

// WhatIfRow is a team's official and simulated result.
type WhatIfRow struct {
	Team                Link
	Slug                string
	OfficialRank        string
	OfficialOutcomeCode string
	OfficialOutcome     string
	OfficialTotal       string
	Rank                string
	OutcomeCode         string
	Outcome             string
	Total               string
	Reason              string
	Changed             bool
	ChangeNote          string
}

// HistoryPage is the elimination history.
type HistoryPage struct {
	Page
	Summary []Stat
	// Path is the whole path in one line: "15 → 10 → 5 → 3 + 1 → 4".
	Path    string
	Diagram *chart.Lifelines
	Steps   []HistoryStep
}

// HistoryStep is one item of the history, in date order: the call, a
// decision round, a timeline event or an upcoming round.
type HistoryStep struct {
	Kind    string // "call" | "round" | "event" | "upcoming"
	Date    string
	Title   string
	Round   Link
	Marker  *Marker
	Facts   []Stat
	Exits   []Outcome
	Joins   []Outcome
	Note    string
	Sources []Source
}

// OrganizationsPage lists organizations by kind.
type OrganizationsPage struct {
	Page
	Groups []OrgGroup
}

// OrgGroup is the organizations of one kind.
type OrgGroup struct {
	Kind  string
	Count string
	Orgs  []OrgRow
}

// OrgRow is an organization in the list.
type OrgRow struct {
	Org   Link
	Teams string
}

// OrganizationPage is one organization.
type OrganizationPage struct {
	Page
	Name    string
	Kind    string
	Teams   []OrgTeam
	Sources []Source
}

// OrgTeam is a consortium the organization belongs to.
type OrgTeam struct {
	Team       Link
	Role       string
	Since      string
	Marker     *Marker
	StatusCode string
	Status     string
	Detail     string
}

// FundingPage lists budgets and allocations.
type FundingPage struct {
	Page
	Budgets []Budget
}

// Budget is one year's funding.
type Budget struct {
	Year        string
	Amount      Amount
	Marker      *Marker
	Note        string
	Sources     []Source
	Allocations []Allocation
}

// ErrorPage is the 404 and 500 page.
type ErrorPage struct {
	Page
	Status  int
	Heading string
	Message string
}
