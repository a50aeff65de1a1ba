package rules

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// explain writes the Korean and English explanation of t's outcome, naming
// the rank, total and threshold behind it.
func (r *round) explain(t *team) Text {
	n := r.rule.Advance
	stage := r.kind == KindStage
	place := placeText(t, r.rounding.Decimals)
	within, outside := cutText(stage, n)
	switch t.code {
	case ReasonWithdrew:
		return withReason(Text{KO: "참가 철회", EN: "withdrew"}, t.entry.Reason)
	case ReasonDisqualified:
		if t.rank == 0 {
			return withReason(Text{KO: "실격", EN: "disqualified"}, t.entry.Reason)
		}
		return withReason(Text{KO: place.KO + "였으나 실격", EN: place.EN + " but disqualified"}, t.entry.Reason)
	case ReasonWithinCut:
		return Text{KO: place.KO + " — " + within.KO, EN: place.EN + ", " + within.EN}
	case ReasonBelowCut:
		return Text{KO: place.KO + " — " + outside.KO, EN: place.EN + ", " + outside.EN}
	case ReasonBelowMinTotal:
		threshold := FormatDecimals(r.rule.MinTotal, r.rounding.Decimals)
		return Text{
			KO: fmt.Sprintf("%s — %s이나 최소 총점 %s점 미달", place.KO, within.KO, threshold),
			EN: fmt.Sprintf("%s, %s but below the minimum total of %s", place.EN, within.EN, threshold),
		}
	case ReasonTieAtCut:
		return Text{
			KO: place.KO + " — " + tieKO(stage) + ", 결정 대기",
			EN: place.EN + " across the cut; awaiting a decision",
		}
	case ReasonDecision:
		var verb Text
		switch t.outcome {
		case OutcomeAdvanced:
			verb = Text{KO: "결정에 따라 진출", EN: "advanced by decision"}
		case OutcomeEliminated:
			verb = Text{KO: "결정에 따라 탈락", EN: "eliminated by decision"}
		case OutcomeSelected:
			verb = Text{KO: "결정에 따라 선정", EN: "selected by decision"}
		default:
			verb = Text{KO: "결정에 따라 미선정", EN: "not selected by decision"}
		}
		return withReason(Text{
			KO: place.KO + " — " + tieKO(stage) + ", " + verb.KO,
			EN: place.EN + " across the cut; " + verb.EN,
		}, r.decision.Reason)
	}
	return Text{}
}

// placeText is "4위 (80.00점)" / "ranked 4th (80.00)", or
// "공동 4위 (80.00점)" / "tied 4th (80.00)" for a shared rank, with the
// total written with the round's decimals.
func placeText(t *team, decimals int) Text {
	total := FormatDecimals(t.total, decimals)
	if t.tied {
		return Text{
			KO: fmt.Sprintf("공동 %d위 (%s점)", t.rank, total),
			EN: fmt.Sprintf("tied %s (%s)", Ordinal(t.rank), total),
		}
	}
	return Text{
		KO: fmt.Sprintf("%d위 (%s점)", t.rank, total),
		EN: fmt.Sprintf("ranked %s (%s)", Ordinal(t.rank), total),
	}
}

// cutText describes being within and outside the n places of a round.
func cutText(stage bool, n int) (within, outside Text) {
	word := Text{KO: "선정", EN: "selected"}
	if stage {
		word = Text{KO: "진출", EN: "advancing"}
	}
	if n == 0 {
		none := Text{
			KO: fmt.Sprintf("%s 인원 없음 (0팀)", word.KO),
			EN: fmt.Sprintf("with no %s places", word.EN),
		}
		return none, none
	}
	places := "places"
	if n == 1 {
		places = "place"
	}
	within = Text{
		KO: fmt.Sprintf("%d팀 %s 기준 안", n, word.KO),
		EN: fmt.Sprintf("within the %d %s %s", n, word.EN, places),
	}
	outside = Text{
		KO: fmt.Sprintf("%d팀 %s 기준 밖", n, word.KO),
		EN: fmt.Sprintf("outside the %d %s %s", n, word.EN, places),
	}
	return within, outside
}

func tieKO(stage bool) string {
	if stage {
		return "진출 기준에 걸친 동점"
	}
	return "선정 기준에 걸친 동점"
}

// withReason appends ": reason" in each language that has one.
func withReason(t, reason Text) Text {
	if reason.KO != "" {
		t.KO += ": " + reason.KO
	}
	if reason.EN != "" {
		t.EN += ": " + reason.EN
	}
	return t
}

// Ordinal writes n as an English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th,
// 13th, 21st, 101st, 111th.
func Ordinal(n int) string {
	suffix := "th"
	switch m := n % 100; {
	case m < 0, m >= 11 && m <= 13:
	case m%10 == 1:
		suffix = "st"
	case m%10 == 2:
		suffix = "nd"
	case m%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// Trail writes how a leaf's points were computed, for explanations: the
// raw aggregate, the exact points and the rounded points, each step shown
// only when it changes something. A scaled leaf rounded to one decimal
// reads "35.0 → 8.75 → 8.8"; an unscaled leaf rounded at category level
// reads "8.75". Decimal figures are written with at least decimals digits
// (1 or 2; other values read as 2). It is empty when the figure does not
// exist.
func (l LeafDetail) Trail(decimals int) string {
	if l.Raw == nil || l.Exact == nil {
		return ""
	}
	if decimals != 1 {
		decimals = 2
	}
	steps := []string{showPadded(l.Raw, decimals)}
	if l.Scale != nil {
		steps = append(steps, showPadded(l.Exact, decimals))
	}
	if l.Rounded != nil && l.Rounded.Cmp(l.Exact) != 0 {
		steps = append(steps, FormatDecimals(l.Rounded, decimals))
	}
	return strings.Join(steps, " → ")
}

// showPadded writes r as showRat does, with at least decimals digits after
// the point when it is a terminating decimal: 35 → "35.0", 8.75 → "8.75".
func showPadded(r *big.Rat, decimals int) string {
	for k := decimals; k <= 6; k++ {
		if hasDecimals(r, k) {
			return r.FloatString(k)
		}
	}
	return r.RatString()
}
