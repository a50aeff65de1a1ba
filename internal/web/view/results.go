package view

import (
	"github.com/kai-challenge/portal/internal/web/chart"
)

// RoundResultsView is a round's results as the rule engine computed them
// (published revision), with how they were computed. The round page and
// each revision page render it; it is nil for rounds whose outcomes were
// only announced.
type RoundResultsView struct {
	// Decimals is how many decimals the figures are written with.
	Decimals int
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
	// Caption describes the results table; RoundedLabel a category's
	// rounding and TotalLabel the total's sum, as the round rounds.
	Caption, RoundedLabel, TotalLabel string
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
	Exact string
	// Trail is raw → exact → rounded for a scaled or leaf-rounded leaf
	// ("35.0 → 8.75 → 8.8"); empty when Exact says it all.
	Trail   string
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
