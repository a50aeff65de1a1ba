package rules

// The statuses of a results document.
const (
	// ReportPreview marks a computed result not yet published (staff and
	// CLI only).
	ReportPreview = "preview"
	// ReportPublished marks a published result.
	ReportPublished = "published"
	// ReportCorrected marks a published result that was later corrected.
	ReportCorrected = "corrected"
)

// Report is the results JSON document of one round, the public contract
// shared by the CLI (`results --json`) and the API. Encoded with
// encoding/json it yields exactly the documented keys, in this order.
type Report struct {
	Program  string `json:"program"`
	Round    string `json:"round"`
	Status   string `json:"status"`
	Complete bool   `json:"complete"`
	// Missing always encodes as a list, [] when complete.
	Missing []ReportMissing `json:"missing"`
	Blocked bool            `json:"blocked"`
	// Disclosure names what a published round discloses (outcomes,
	// aggregates or full; FORMATS §4); empty in a preview. Figures the
	// level hides are null.
	Disclosure string       `json:"disclosure,omitempty"`
	Teams      []ReportTeam `json:"teams"`
}

// ReportMissing is one missing required score. Evaluator is omitted for a
// directly scored leaf (evaluator 0).
type ReportMissing struct {
	Team      string `json:"team"`
	Criterion string `json:"criterion"`
	Evaluator int    `json:"evaluator,omitempty"`
}

// ReportTeam is one team's line of the results document.
type ReportTeam struct {
	Team string `json:"team"`
	// Rank is null when the team is not ranked.
	Rank *int `json:"rank"`
	// Total is a decimal string with the round's decimals, such as
	// "90.20" or "70.6"; null when it does not exist (a score of the team
	// is missing) or is not disclosed (historic rounds built by callers).
	Total *string `json:"total"`
	// Categories maps category codes to decimal strings with the round's
	// decimals. A category whose points do not exist yet (a score is
	// missing) or were not disclosed is left out. The object is never
	// null.
	Categories map[string]string `json:"categories"`
	// Outcome is null only for a team in a tie at the cut while the round
	// is blocked.
	Outcome    *Outcome   `json:"outcome"`
	ReasonCode ReasonCode `json:"reason_code"`
	Reason     Text       `json:"reason"`
}

// NewReport shapes a computed Result into the results document of the
// given program and round slugs; status is ReportPreview, ReportPublished
// or ReportCorrected.
func NewReport(program, round, status string, r Result) Report {
	rep := Report{
		Program:  program,
		Round:    round,
		Status:   status,
		Complete: r.Complete,
		Missing:  make([]ReportMissing, 0, len(r.Missing)),
		Blocked:  r.Blocked,
		Teams:    make([]ReportTeam, 0, len(r.Teams)),
	}
	decimals := r.Rounding.Normalized().Decimals
	for _, m := range r.Missing {
		rep.Missing = append(rep.Missing, ReportMissing(m))
	}
	for _, t := range r.Teams {
		line := ReportTeam{
			Team:       t.Team,
			Categories: make(map[string]string, len(t.Categories)),
			ReasonCode: t.ReasonCode,
			Reason:     t.Reason,
		}
		if t.Rank != 0 {
			rank := t.Rank
			line.Rank = &rank
		}
		reportFigures(&line, t, decimals)
		if t.Outcome != "" {
			outcome := t.Outcome
			line.Outcome = &outcome
		}
		rep.Teams = append(rep.Teams, line)
	}
	return rep
}

// reportFigures fills the total and categories of line from t: only figures that
// exist. A team that withdrew was not evaluated, and a category with a
// missing score has no points yet: such figures are null (left out), never
// shown as zeros.
func reportFigures(line *ReportTeam, t TeamResult, decimals int) {
	if t.Total == nil || t.ReasonCode == ReasonWithdrew {
		return
	}
	incomplete := make(map[string]bool)
	for _, l := range t.Leaves {
		if len(l.Missing) > 0 || l.Exact == nil {
			incomplete[l.Category] = true
		}
	}
	for _, c := range t.Categories {
		if !incomplete[c.Code] {
			line.Categories[c.Code] = FormatDecimals(c.Rounded, decimals)
		}
	}
	if len(incomplete) == 0 {
		total := FormatDecimals(t.Total, decimals)
		line.Total = &total
	}
}
