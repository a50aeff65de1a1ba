// Package rules is the competition's rule engine: it turns a round's
// criteria, entries, scores and rule into points, ranks and outcomes, each
// with a machine reason code and a Korean and English explanation.
//
// The package owns the arithmetic and the decision logic of a round and
// nothing else: it performs no I/O, knows no database or HTTP, and keeps no
// state between calls, so the same input always yields the same result.
// Callers (the store, the importer, the web handlers, the CLI) load a round,
// call [Compute], and present or persist the [Result].
//
// # Input and output
//
// An [Input] holds the round [Kind], its [Rule] (advance N, backfill,
// optional minimum total, rounding), the [Criterion] tree, the [Entry] of every team
// taking part, the [Score] values and, when a tie straddles the cut, the
// admin's [Decision]. [Compute] returns a [Result]: completeness (every
// [Missing] required score of every team that did not withdraw), whether publishing is blocked by an undecided
// tie, and one [TeamResult] per entry with its [CategoryPoints], total,
// rank, [Outcome], [ReasonCode], explanation and the per-leaf trail
// ([LeafDetail]) showing how the points were computed. [NewReport] shapes a
// Result into the public results JSON document.
//
// Compute returns an error only for structurally invalid input; such
// errors are [*InputError] values matching [ErrInvalidInput], and the
// decision-related ones also match [ErrInvalidDecision] or
// [ErrDecisionNotNeeded]. [Validate] lists every problem at once.
//
// # Arithmetic
//
// All computation is exact, with [math/big.Rat]; floating point is never
// used. Score values carry at most two decimals ([ParseValue] reads them
// from text). A leaf scored directly contributes its value; a panel leaf
// contributes the mean, median or trimmed mean of its evaluators' values
// (a trimmed mean needs at least three). A leaf with a [Scale] takes raw
// values (a benchmark index, a rating) mapped linearly onto its points. A
// figure that does not exist (no value yet) is nil, never 0. The
// children's maxima of a node add up exactly to its own.
//
// The [Rule]'s [Rounding] says how figures are rounded, half-up to one or
// two decimals: by category (the default; leaves stay exact and each
// top-level category is rounded) or by leaf (each leaf's points are
// rounded and every parent sums its children's rounded points). Either
// way the total is the sum of the rounded categories, so a published
// table adds up ([FormatDecimals] prints such figures, [LeafDetail.Trail]
// how a leaf's points came about: "35.0 → 8.75 → 8.8").
//
// # Ranking and outcomes
//
// Teams are ranked by total, higher first; ties are broken by the rounded
// category points in declared order; teams still level share a rank
// (1, 2, 2, 4). With advance = N, ranked teams within the first N places
// advance (stage rounds) or are selected (selection and additional
// rounds); the others are eliminated or not selected. Without backfill,
// disqualified teams are ranked and keep their place, which is not
// refilled; with backfill they are not ranked and the next eligible teams
// move up. Withdrawn teams are never ranked. An eligible team within the
// cut whose total is below the rule's minimum total does not pass. When
// more than N teams hold a rank within the first N places, the eligible
// teams of the tied group at the boundary have no outcome until a
// [Decision] names those that pass; until then the result is blocked.
// Nothing is ever decided by input order.
package rules
