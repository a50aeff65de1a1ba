package rules

import (
	"math/big"
	"slices"

	"github.com/kai-challenge/portal/internal/contest"
)

// Text is a human explanation in Korean and English; both are shown to the
// public, Korean by default.
type Text struct {
	KO string `json:"ko"`
	EN string `json:"en"`
}

// Aggregate names how a panel leaf combines its evaluators' values.
type Aggregate string

// The panel aggregates.
const (
	// AggregateMean is the arithmetic mean of the values.
	AggregateMean Aggregate = "mean"
	// AggregateMedian is the middle value, or the mean of the two middle
	// values for an even count.
	AggregateMedian Aggregate = "median"
	// AggregateTrimmedMean drops exactly one lowest and one highest value
	// and takes the mean of the rest; it needs at least three values.
	AggregateTrimmedMean Aggregate = "trimmed_mean"
)

// Valid reports whether a is one of the known aggregates.
func (a Aggregate) Valid() bool {
	return slices.Contains([]Aggregate{AggregateMean, AggregateMedian, AggregateTrimmedMean}, a)
}

// Panel describes a leaf scored by a panel of evaluators numbered 1..Size,
// each giving a value between 0 and the leaf's maximum.
type Panel struct {
	Size      int
	Aggregate Aggregate
}

// Criterion is a node of a round's criteria tree. Top-level nodes are the
// categories whose rounded points make up the total. A node without
// children is a leaf: scored directly (one consolidated value, Panel nil)
// or by a panel. Only leaves may carry a Panel.
//
// Max bounds the computed points of every node and, without a Scale, every
// score of a leaf. The children's maxima add up exactly to their parent's.
//
// Scale, only on leaves, says that the leaf's scores are raw values within
// [Scale.From, Scale.To] (a benchmark index from 0 to 100, a rating from 1
// to 5), mapped linearly onto 0..Max: points = (aggregate − From) / (To −
// From) × Max, exactly. Without it, scores are points within 0..Max.
type Criterion struct {
	Code     string
	Max      *big.Rat
	Panel    *Panel
	Scale    *Scale
	Children []Criterion
}

// Scale is the range of a leaf's raw values; From < To, both with at most
// two decimals and not negative.
type Scale struct {
	From *big.Rat
	To   *big.Rat
}

// RoundingLevel says which figures of a round are rounded.
type RoundingLevel string

// The rounding levels.
const (
	// RoundCategory keeps leaf points exact and rounds each top-level
	// category; the default.
	RoundCategory RoundingLevel = "category"
	// RoundLeaf rounds each leaf's points (after panel aggregation and
	// scaling); every parent is the sum of its children's rounded points.
	RoundLeaf RoundingLevel = "leaf"
)

// Valid reports whether l is a known level or empty (category).
func (l RoundingLevel) Valid() bool {
	return slices.Contains([]RoundingLevel{"", RoundCategory, RoundLeaf}, l)
}

// Rounding is how a round rounds its figures: half-up to Decimals (1 or
// 2) at Level. The zero value is two decimals at category level.
type Rounding struct {
	Decimals int
	Level    RoundingLevel
}

// Normalized returns r with its defaults filled in: 2 decimals, category
// level.
func (r Rounding) Normalized() Rounding {
	if r.Decimals == 0 {
		r.Decimals = 2
	}
	if r.Level == "" {
		r.Level = RoundCategory
	}
	return r
}

// Kind is the kind of a round, which decides the outcome wording.
type Kind string

// The round kinds.
const (
	// KindSelection picks teams among applicants (selected / not_selected).
	KindSelection Kind = "selection"
	// KindStage is a periodic evaluation (advanced / eliminated).
	KindStage Kind = "stage"
	// KindAdditional is a wildcard call (selected / not_selected).
	KindAdditional Kind = "additional"
)

// Valid reports whether k is one of the known round kinds.
func (k Kind) Valid() bool {
	return slices.Contains([]Kind{KindSelection, KindStage, KindAdditional}, k)
}

// Pass is the outcome of a team that goes through in a round of this kind.
func (k Kind) Pass() Outcome {
	if k == KindStage {
		return OutcomeAdvanced
	}
	return OutcomeSelected
}

// Fail is the outcome of an eligible team that does not go through in a
// round of this kind.
func (k Kind) Fail() Outcome {
	if k == KindStage {
		return OutcomeEliminated
	}
	return OutcomeNotSelected
}

// Rule is a round's decision rule.
type Rule struct {
	// Advance is N, the number of places: teams that advance (stage) or
	// are selected (selection, additional). Zero is valid.
	Advance int
	// Backfill ranks only eligible teams, so a disqualified team's place
	// goes to the next one. Without it, disqualified teams keep their rank
	// and their places stay empty.
	Backfill bool
	// MinTotal, when not nil, is the lowest total with which an eligible
	// team within the cut still passes.
	MinTotal *big.Rat
	// Rounding says how figures are rounded; the zero value rounds each
	// category to two decimals.
	Rounding Rounding
}

// Status is a team's eligibility in a round.
type Status string

// The entry statuses. An empty Status is read as StatusEligible.
const (
	StatusEligible     Status = "eligible"
	StatusDisqualified Status = "disqualified"
	StatusWithdrew     Status = "withdrew"
)

// Valid reports whether s is a known status or empty (eligible).
func (s Status) Valid() bool {
	return slices.Contains([]Status{"", StatusEligible, StatusDisqualified, StatusWithdrew}, s)
}

// Entry is one team's participation in a round. Reason explains a
// disqualification or withdrawal and is quoted in the outcome explanation.
type Entry struct {
	Team   string
	Status Status
	Reason Text
}

// Score is one value for a leaf criterion: Evaluator is 0 for a leaf scored
// directly and 1..Size for a panel leaf. Values lie in 0..Max of the leaf
// and have at most two decimals.
type Score struct {
	Team      string
	Criterion string
	Evaluator int
	Value     *big.Rat
}

// Decision resolves a tie that straddles the cut: the teams of the tied
// group listed in Advance go through, the group's other eligible teams do
// not. Reason is required and is quoted in every affected explanation.
type Decision struct {
	Advance []string
	Reason  Text
}

// Input is everything the engine needs to compute a round.
type Input struct {
	Kind     Kind
	Rule     Rule
	Criteria []Criterion
	Entries  []Entry
	Scores   []Score
	// Decision is nil unless an admin resolved a tie at the cut. A
	// decision given when no such tie exists is an error
	// (ErrDecisionNotNeeded), so stale decisions get noticed.
	Decision *Decision
}

// Outcome is what a round meant for a team.
type Outcome string

// The outcomes. The empty Outcome means "not decided yet" and occurs only
// for a team in a tie at the cut while the result is blocked.
const (
	OutcomeSelected     Outcome = "selected"
	OutcomeNotSelected  Outcome = "not_selected"
	OutcomeAdvanced     Outcome = "advanced"
	OutcomeEliminated   Outcome = "eliminated"
	OutcomeDisqualified Outcome = "disqualified"
	OutcomeWithdrew     Outcome = "withdrew"
)

// ReasonCode is the machine-readable reason behind an Outcome.
type ReasonCode string

// The reason codes.
const (
	// ReasonWithinCut: ranked within the first N places.
	ReasonWithinCut ReasonCode = "within_cut"
	// ReasonBelowCut: ranked after the first N places.
	ReasonBelowCut ReasonCode = "below_cut"
	// ReasonBelowMinTotal: within the cut but below the minimum total.
	ReasonBelowMinTotal ReasonCode = "below_min_total"
	// ReasonDisqualified: ruled ineligible, whatever the rank.
	ReasonDisqualified ReasonCode = "disqualified"
	// ReasonWithdrew: the team left the round.
	ReasonWithdrew ReasonCode = "withdrew"
	// ReasonDecision: a recorded decision resolved a tie at the cut.
	ReasonDecision ReasonCode = "decision"
	// ReasonAnnounced: the outcome was taken as announced, for historic
	// rounds whose scores were not disclosed. The engine never produces
	// it; the store does.
	ReasonAnnounced ReasonCode = "announced"
	// ReasonTieAtCut: tied across the cut, awaiting a decision.
	ReasonTieAtCut ReasonCode = "tie_at_cut"
)

// Result is the computed outcome of a round.
type Result struct {
	// Complete is true when every required score is present: for every
	// team that must be ranked, every leaf and, for panel leaves, every
	// evaluator. An incomplete result is a preview computed from the
	// scores present.
	Complete bool
	// Missing lists the required scores that are absent, sorted by team,
	// criterion (tree order) and evaluator (0 for direct leaves). It is
	// nil when Complete.
	Missing []Missing
	// Blocked is true when a tie straddles the cut and no decision is
	// recorded: the result cannot be published.
	Blocked bool
	// Teams holds one result per entry, ordered by rank (unranked teams
	// last), then by team slug.
	Teams []TeamResult
	// Rounding is the round's rounding with its defaults filled in; its
	// Decimals is the number of decimals of every rounded figure. A zero
	// Rounding (a Result built by a caller) reads as two decimals.
	Rounding Rounding
}

// Missing names one required score that is absent.
type Missing = contest.MissingScore

// TeamResult is one team's computed result.
type TeamResult struct {
	Team string
	// Rank is the competition rank (1, 2, 2, 4); 0 when not ranked
	// (withdrawn, or disqualified with backfill).
	Rank int
	// Tied is true when another ranked team shares Rank.
	Tied bool
	// Total is the sum of the rounded categories, a whole number of the
	// round's smallest unit (a cent with two decimals). In a preview it
	// sums the points that exist so far.
	Total *big.Rat
	// Categories holds the top-level categories in declared order.
	Categories []CategoryPoints
	// Outcome is empty only for a team in a tie at the cut while the
	// result is blocked.
	Outcome    Outcome
	ReasonCode ReasonCode
	// Reason explains the outcome with the figures behind it.
	Reason Text
	// Leaves is the trail of how each leaf's points were computed, in
	// tree order.
	Leaves []LeafDetail
}

// CategoryPoints are a top-level category's points before rounding (the sum
// of its leaves' points as counted: exact, or rounded when the round rounds
// leaves) and the same rounded half-up to the round's decimals. In a preview
// they sum the leaves whose points exist so far.
type CategoryPoints struct {
	Code    string
	Exact   *big.Rat
	Rounded *big.Rat
}

// EvaluatorValue is one value given for a leaf; Evaluator is 0 for a leaf
// scored directly.
type EvaluatorValue struct {
	Evaluator int
	Value     *big.Rat
}

// LeafDetail shows how one team's points for one leaf were computed.
type LeafDetail struct {
	Criterion string
	// Category is the code of the top-level category holding the leaf
	// (the leaf itself when it is a category).
	Category string
	Max      *big.Rat
	// Direct is true for a leaf scored with one consolidated value.
	Direct bool
	// Values are the values present, by evaluator number.
	Values []EvaluatorValue
	// Aggregate is the panel's declared aggregate; empty for direct leaves.
	Aggregate Aggregate
	// Applied is the aggregate applied to Values: Aggregate when the
	// leaf's figure exists, empty for direct leaves and when it does not
	// (no value present, or a trimmed mean with fewer than three values:
	// a trimmed mean never runs on fewer than three, and never falls back
	// to another aggregate).
	Applied Aggregate
	// Dropped lists the evaluators whose values a trimmed mean dropped:
	// first the lowest value, then the highest. Among equal values the
	// lowest evaluator number is dropped.
	Dropped []int
	// Scale is the leaf's raw range; nil when its scores are points.
	Scale *Scale
	// Raw is the aggregate of the values as entered: a raw value on the
	// Scale, or points without one. Nil when the figure does not exist.
	Raw *big.Rat
	// Exact is the leaf's points, exactly: Raw mapped through the Scale,
	// or Raw itself. Nil when the figure does not exist (never 0).
	Exact *big.Rat
	// Rounded is the leaf's points as counted in its parent: Exact
	// rounded half-up to the round's decimals when the round rounds
	// leaves, Exact itself otherwise. Nil when the figure does not exist.
	// The trail of a scaled leaf rounded at leaf level reads
	// Raw → Exact → Rounded, e.g. 35.0 → 8.75 → 8.8 (see Trail).
	Rounded *big.Rat
	// Missing lists the absent evaluators (0 for a direct leaf whose value
	// is absent), for every team, required or not.
	Missing []int
}
