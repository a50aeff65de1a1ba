package chart

// StackedInput describes a round's stacked category bars: one bar per team,
// in rank order, each split into its categories' points.
type StackedInput struct {
	// ID is unique on the page; it prefixes the ids of the chart's parts.
	ID    string
	Title string
	Desc  string
	// Series are the category names, in declared order.
	Series []string
	Bars   []BarInput
	// Scale is the axis maximum (the sum of the categories' maxima); the
	// largest total is used when it is larger.
	Scale float64
	// CutAt is the index of the first bar outside the places, where the
	// cut line is drawn; -1 draws none.
	CutAt    int
	CutLabel string
}

// BarInput is one team's bar.
type BarInput struct {
	Label string
	// Values are the category points, one per series, in series order.
	Values []float64
	// Titles are the segments' tooltips ("Benchmarks 33.60").
	Titles []string
	Total  float64
	// Note follows the total: "90.20 · advanced".
	Note string
	// Out marks a team that did not go through (drawn lighter).
	Out bool
}

// Stacked is the laid-out chart.
type Stacked struct {
	ID, Title, Desc string
	Width, Height   float64
	Series          int
	Rows            []StackedRow
	Ticks           []Tick
	Cut             *Line
	Legend          []Swatch
	// Narrow is the same chart laid out for a phone screen: each team's
	// name and total above a full-width bar. Nil on the narrow chart itself.
	Narrow *Stacked
}

// StackedRow is one bar with its labels.
type StackedRow struct {
	Label Text
	Segs  []Rect
	Note  Text
	Out   bool
}

// Layout constants of the stacked chart, in user units.
const (
	stackedWidth  = 760.0
	stackedLabelW = 210.0
	stackedNoteW  = 150.0
	stackedRowH   = 32.0
	stackedBarH   = 18.0
	stackedTop    = 12.0
)

// LayoutStacked places the bars, the axis and the cut line.
func LayoutStacked(in StackedInput) *Stacked {
	c := &Stacked{ID: in.ID, Title: in.Title, Desc: in.Desc, Width: stackedWidth, Series: len(in.Series)}
	scale := in.Scale
	for _, b := range in.Bars {
		if b.Total > scale {
			scale = b.Total
		}
	}
	scale = niceMax(scale)
	x0 := stackedLabelW
	barW := stackedWidth - stackedLabelW - stackedNoteW
	px := func(v float64) float64 { return v / scale * barW }
	y := stackedTop
	for i, b := range in.Bars {
		if i == in.CutAt {
			y += 10 // room for the cut line between the rows
		}
		row := StackedRow{
			Label: Text{X: x0 - 10, Y: y + stackedRowH/2 + 4, S: b.Label, Anchor: "end"},
			Out:   b.Out,
		}
		row.Segs = hstack(barValues(b), x0, y+(stackedRowH-stackedBarH)/2, stackedBarH, px)
		row.Note = Text{X: x0 + px(b.Total) + 6, Y: y + stackedRowH/2 + 4, S: b.Note, Anchor: "start"}
		c.Rows = append(c.Rows, row)
		y += stackedRowH
	}
	if in.CutAt >= 0 && in.CutAt <= len(in.Bars) && len(in.Bars) > 0 {
		// The line sits in the gap before bar CutAt (or after the last bar).
		cy := stackedTop + float64(in.CutAt)*stackedRowH + 5
		if in.CutAt == len(in.Bars) {
			cy = y + 5
			y += 10
		}
		c.Cut = &Line{X1: 4, Y1: cy, X2: stackedWidth - 4, Y2: cy,
			Label: &Text{X: stackedWidth - 6, Y: cy - 4, S: in.CutLabel, Anchor: "end"}}
	}
	bottom := y + 4
	c.Ticks = hTicks(scale, scaleStep(scale), x0, barW, stackedTop-4, bottom, stackedWidth)
	var h float64
	c.Legend, h = legend(seriesSwatches(in.Series), x0, bottom+28, stackedWidth-x0)
	c.Height = bottom + 28 + h + 6
	c.Narrow = layoutStackedNarrow(in, scale)
	return c
}
