// Package programfile reads and validates program files (FORMATS.md §1): one
// program with its organizations, teams, budgets, rounds, criteria, entries,
// scores and historic outcomes, in YAML or JSON. It owns the format and its
// error messages, which name the path of the bad value in the file
// (`rounds[2].criteria[0].max: must be > 0`). It does no I/O beyond reading
// the bytes it is given.
package programfile

import (
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/rules"
)

// Text is a Korean/English pair.
type Text = contest.Text

// File is a parsed and validated program file. Optional numbers are pointers;
// dates are "YYYY-MM-DD" strings; decimal values are canonical strings with
// exactly two decimals ("9.20").
type File struct {
	Program       Program
	Organizations []Organization
	Teams         []Team
	Budgets       []Budget
	Rounds        []Round
	Timeline      []Event
}

// Source is a public source supporting a fact.
type Source struct {
	URL      string
	Label    string // e.g. "S19"
	Date     string // publication date, or ""
	DateNote string // e.g. "~2026-02" when only approximate
}

// Program is the competition itself.
type Program struct {
	Slug       string
	Name       Text
	Ministry   Text
	Goal       Text
	Note       Text
	FinalTeams *int
	StartedOn  string
	Agencies   []Text
	Sources    []Source
	// Approvals is how many admins a publication or correction needs
	// (`publication: {approvals}`): 1 (the default), or 2 for four-eyes.
	Approvals int
}

// Organization is a company, university, institute or public body.
type Organization struct {
	Slug    string
	Name    Text
	Kind    string // one of contest.OrgKinds; "other" when omitted
	Sources []Source
}

// Team is a consortium (applicant or competitor).
type Team struct {
	Slug      string
	Name      Text
	Lead      string // organization slug
	Members   []Member
	Model     string
	ModelNote Text
	Goal      Text
	Note      Text
	Sources   []Source
}

// Member is a consortium member other than the lead.
type Member struct {
	Org        string
	Role       string // "participant" when omitted
	Since      string
	Until      string
	Confidence string // contest.Confirmed when omitted
	Note       Text
	Sources    []Source
}

// Budget is the program's funding for one fiscal year.
type Budget struct {
	Year        int
	AmountKRW   *int64
	Confidence  string
	Note        Text
	Sources     []Source
	Allocations []Allocation
}

// Allocation is support given to one team, or program-wide when Team is "".
type Allocation struct {
	Team       string
	Kind       string // one of contest.AllocationKinds
	GPUModel   string
	Quantity   *int
	AmountKRW  *int64
	Confidence string
	Note       Text
	Sources    []Source
}

// Round is one decision step of the program.
type Round struct {
	Slug             string
	Kind             string // contest.KindSelection, KindStage or KindAdditional
	Name             Text
	Period           string
	EvaluatedOn      string
	AnnounceAt       *time.Time // nil when not known
	AnnounceDateOnly bool       // the file gave a date without a time (taken as 00:00 KST)
	Rule             Rule
	Criteria         []Criterion
	Entries          []Entry
	Scores           []Score
	Outcomes         []Outcome
	PublishedScores  []PublishedScore
	PublishedStats   []PublishedStat
	Decision         *Decision
	Note             Text
	Sources          []Source
	Publish          bool
	// Disclosure is what the published round discloses: one of
	// DisclosureLevels, DisclosureFull when omitted.
	Disclosure string
	// Disclosures is the dated history of the disclosure level, widening
	// only; when given, its last level is Disclosure.
	Disclosures []Disclosure
	Objections  []Objection
}

// The disclosure levels of a published round, narrowest first (FORMATS §4).
const (
	DisclosureOutcomes   = "outcomes"
	DisclosureAggregates = "aggregates"
	DisclosureFull       = "full"
)

// DisclosureLevels lists the disclosure levels, narrowest first.
var DisclosureLevels = []string{DisclosureOutcomes, DisclosureAggregates, DisclosureFull}

// Disclosure is one dated step of a round's disclosure: from On, the round
// disclosed Level.
type Disclosure struct {
	On      string // YYYY-MM-DD
	Level   string // one of DisclosureLevels
	Note    Text
	Sources []Source
}

// The statuses of an objection.
const (
	ObjectionPending   = "pending"
	ObjectionUpheld    = "upheld"
	ObjectionRejected  = "rejected"
	ObjectionWithdrawn = "withdrawn"
)

// ObjectionStatuses lists the statuses of an objection.
var ObjectionStatuses = []string{ObjectionPending, ObjectionUpheld, ObjectionRejected, ObjectionWithdrawn}

// Objection is a formal objection (이의신청) a team filed against a round.
// DecidedOn and Decision are set exactly when Status is not pending.
type Objection struct {
	Team        string
	FiledOn     string // YYYY-MM-DD
	Summary     Text   // what was asked for
	DecisionDue string // YYYY-MM-DD or ""
	Status      string // one of ObjectionStatuses
	DecidedOn   string
	Decision    Text
	Sources     []Source
}

// Rule is how a round's outcome follows from its ranking.
type Rule struct {
	Advance  int
	Backfill bool
	MinTotal string // "" when none
	// Rounding is filled in with its defaults when the file omits it:
	// two decimals, category level.
	Rounding Rounding
}

// Rounding is how a round rounds its figures (FORMATS "Rounding and
// scales"): half-up to Decimals (1 or 2) at Level ("category" or "leaf").
type Rounding struct {
	Decimals int
	Level    string
}

// RoundingLevels lists the rounding levels.
var RoundingLevels = []string{string(rules.RoundCategory), string(rules.RoundLeaf)}

// Criterion is a node of a round's criteria tree.
type Criterion struct {
	Code        string
	Name        Text
	Description Text
	Note        Text
	Max         string
	Panel       *Panel // only on leaves
	Scale       *Scale // only on leaves: scores are raw values on this range
	Children    []Criterion
}

// Scale is the range of a leaf's raw values, canonical decimals with
// From < To; the leaf's points are (aggregate − From) / (To − From) × Max.
type Scale struct {
	From string
	To   string
}

// Panel says how a leaf's evaluator scores are aggregated.
type Panel struct {
	Size      int
	Aggregate string // one of contest.Aggregates
}

// Entry is a team's participation in a round.
type Entry struct {
	Team   string
	Status string // contest.EntryEligible when omitted
	Reason Text
}

// Score is one entered score of a leaf criterion; Evaluator is 0 for direct leaves.
type Score struct {
	Team      string
	Criterion string
	Evaluator int
	Value     string
}

// Outcome is an announced outcome of a historic round.
type Outcome struct {
	Team    string
	Outcome string
	Rank    *int
	Reason  Text
	Note    Text
	Sources []Source
}

// PublishedScore is a published figure; Criterion "total" names the round total.
type PublishedScore struct {
	Team      string
	Criterion string
	Value     string
	Sources   []Source
}

// PublishedStat is a published round statistic; Criterion "total" names the total.
type PublishedStat struct {
	Criterion string
	Stat      string // mean | median | max | min | spread (max − min over the ranked teams)
	Value     string
}

// Decision resolves a tie at the cut.
type Decision struct {
	Advance []string
	Reason  Text
}

// Event is a dated program event that is not a decision round.
type Event struct {
	Date       string
	Until      string
	Title      Text
	Confidence string
	Sources    []Source
}

// Leaves returns the leaf criteria of the tree in tree order.
func Leaves(cs []Criterion) []Criterion {
	var out []Criterion
	for _, c := range cs {
		if len(c.Children) == 0 {
			out = append(out, c)
			continue
		}
		out = append(out, Leaves(c.Children)...)
	}
	return out
}
