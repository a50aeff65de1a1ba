package chart

// TeamInput describes a team's points over the rounds: per round, the
// team's stacked category points, the round average beside it and the cut
// (the lowest total that went through) across both.
type TeamInput struct {
	ID    string
	Title string
	Desc  string
	// Series are the category names across all rounds, in order of first
	// appearance; each round maps its categories onto them.
	Series    []string
	Rounds    []TeamRoundInput
	TeamLabel string // under the team's bar: "this team"
	MeanLabel string // under the average's bar: "round average"
	// Legend labels of the average and the cut.
	MeanLegend, CutLegend string
}

// TeamRoundInput is one round of the team chart.
type TeamRoundInput struct {
	Label string
	// URL links the round's label to the round page.
	URL string
	// Scale is the round's maximum total (the sum of its categories'
	// maxima).
	Scale float64
	// Disclosed is false when the team's figures were not published: the
	// column then shows Undisclosed instead of a bar.
	Disclosed   bool
	Undisclosed string
	Team        []SeriesValue
	TeamTotal   float64
	TeamNote    string // "90.20"
	// Mean is the round average per category; when only the total's
	// average is known, MeanTotal alone is drawn as one plain bar.
	Mean      []SeriesValue
	MeanTotal *float64
	MeanNote  string // "79.70", or "average not disclosed"
	Cut       *float64
	CutNote   string // "cut 84.20"
}

// SeriesValue is one category's points, by series index.
type SeriesValue struct {
	Series int
	Value  float64
	Title  string
}

// Team is the laid-out team chart.
type Team struct {
	ID, Title, Desc string
	Width, Height   float64
	Series          int
	Columns         []TeamColumn
	Ticks           []Tick
	Legend          []Swatch
	// Narrow is the same chart laid out for a phone screen: a group of
	// horizontal bars per round. Nil on the narrow chart itself.
	Narrow *Team
}

// TeamColumn is one round's column.
type TeamColumn struct {
	Label Text
	URL   string
	// Team and Mean are the stacked segments; MeanPlain is a single
	// segment for an average known only as a total.
	Team, Mean []Rect
	MeanPlain  *Rect
	TeamNote   Text
	MeanNote   Text
	TeamLabel  Text
	MeanLabel  Text
	Cut        *Line
	// Undisclosed replaces the team's bar when its figures were not published.
	Undisclosed *Text
}

// Layout constants of the team chart, in user units.
const (
	teamAxisW = 44.0
	teamColW  = 190.0
	teamPlotH = 220.0
	teamTop   = 26.0
	teamBarW  = 46.0
)

// LayoutTeam places the columns, the axis and the legend.
func LayoutTeam(in TeamInput) *Team {
	c := &Team{ID: in.ID, Title: in.Title, Desc: in.Desc, Series: len(in.Series)}
	scale := 0.0
	for _, r := range in.Rounds {
		scale = max(scale, r.Scale, r.TeamTotal)
		if r.MeanTotal != nil {
			scale = max(scale, *r.MeanTotal)
		}
		if r.Cut != nil {
			scale = max(scale, *r.Cut)
		}
	}
	scale = niceMax(scale)
	base := teamTop + teamPlotH
	py := func(v float64) float64 { return v / scale * teamPlotH }
	width := teamAxisW + teamColW*float64(max(len(in.Rounds), 2)) + 10
	c.Width = width
	step := scaleStep(scale)
	for v := 0.0; v <= scale+1e-9; v += step {
		y := base - py(v)
		c.Ticks = append(c.Ticks, Tick{
			Line:  Line{X1: teamAxisW, Y1: y, X2: width - 6, Y2: y},
			Label: Text{X: teamAxisW - 6, Y: y + 4, S: F(v), Anchor: "end"},
		})
	}
	// A column is a horizontal stack turned upright: along the bar is
	// up from the base line.
	stack := func(x float64, vals []SeriesValue) []Rect {
		out := hstack(vals, 0, x, teamBarW, py)
		for i, r := range out {
			out[i] = Rect{X: r.Y, Y: base - r.X - r.W, W: r.H, H: r.W, Series: r.Series, Title: r.Title}
		}
		return out
	}
	for i, r := range in.Rounds {
		x := teamAxisW + teamColW*float64(i)
		tx, mx := x+38, x+38+teamBarW+16
		col := TeamColumn{
			Label:     Text{X: x + teamColW/2, Y: base + 36, S: r.Label, Anchor: "middle"},
			URL:       r.URL,
			TeamLabel: Text{X: tx + teamBarW/2, Y: base + 16, S: in.TeamLabel, Anchor: "middle"},
			MeanLabel: Text{X: mx + teamBarW/2, Y: base + 16, S: in.MeanLabel, Anchor: "middle"},
		}
		if r.Disclosed {
			col.Team = stack(tx, r.Team)
			col.TeamNote = Text{X: tx + teamBarW/2, Y: base - py(r.TeamTotal) - 6, S: r.TeamNote, Anchor: "middle"}
		} else {
			col.Undisclosed = &Text{X: tx + teamBarW/2, Y: base - teamPlotH/2, S: r.Undisclosed, Anchor: "middle"}
		}
		switch {
		case len(r.Mean) > 0:
			col.Mean = stack(mx, r.Mean)
		case r.MeanTotal != nil:
			h := py(*r.MeanTotal)
			col.MeanPlain = &Rect{X: mx, Y: base - h, W: teamBarW, H: h}
		}
		meanTop := base - teamPlotH/2
		if r.MeanTotal != nil {
			meanTop = base - py(*r.MeanTotal) - 6
		}
		col.MeanNote = Text{X: mx + teamBarW/2, Y: meanTop, S: r.MeanNote, Anchor: "middle"}
		if r.Cut != nil {
			cy := base - py(*r.Cut)
			col.Cut = &Line{X1: x + 20, Y1: cy, X2: x + teamColW - 12, Y2: cy,
				Label: &Text{X: x + teamColW - 12, Y: cy - 4, S: r.CutNote, Anchor: "end"}}
		}
		c.Columns = append(c.Columns, col)
	}
	var h float64
	c.Legend, h = legend(teamLegend(in), teamAxisW, base+56, width-teamAxisW)
	c.Height = base + 56 + h + 6
	c.Narrow = layoutTeamNarrow(in, scale)
	return c
}

// teamLegend is the team chart's legend: the categories, the average and
// the cut.
func teamLegend(in TeamInput) []Swatch {
	return append(seriesSwatches(in.Series), Swatch{Label: Text{S: in.MeanLegend}, Kind: "mean"}, Swatch{Label: Text{S: in.CutLegend}, Kind: "cut"})
}
