// Package chart lays out the portal's server-rendered SVG charts: the
// stacked category bars of a round, a team's points over the rounds against
// the round average and the cut, and the elimination-history lifelines. It
// turns figures and labels that are already formatted in the page's language
// into coordinates; the templ components in web/components draw them. It
// does no I/O and knows nothing of HTTP or the store, so the geometry is
// tested on its own.
//
// Coordinates are float64 because they only place shapes: every figure a
// reader sees is a label formatted by the caller from exact values.
//
// The charts print in black and white: categories are told apart by fill
// patterns (solid, stripes, dots, crosshatch) as well as by colour, exits by
// marker shape as well as by colour, and every chart has a text alternative
// (its <title>, <desc> and a table or list on the page).
package chart

import (
	"math"
	"strconv"
)

// F formats a coordinate for an SVG attribute, with at most one decimal.
func F(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// Patterns is the number of distinct category fills; categories beyond it
// reuse them in order.
const Patterns = 4

// PatternID is the id of the fill pattern of series i in the chart with the
// given id; the pattern definitions live in the chart's <defs>.
func PatternID(chart string, i int) string {
	return chart + "-p" + strconv.Itoa(i%Patterns)
}

// Fill is the fill attribute value of series i in the chart with the given id.
func Fill(chart string, i int) string { return "url(#" + PatternID(chart, i) + ")" }

// Text is a label placed at X, Y. Anchor is the SVG text-anchor ("start",
// "middle", "end").
type Text struct {
	X, Y   float64
	S      string
	Anchor string
}

// Rect is a rectangle; Series picks its fill pattern, Title is its tooltip.
type Rect struct {
	X, Y, W, H float64
	Series     int
	Title      string
}

// Line is a straight line with an optional label.
type Line struct {
	X1, Y1, X2, Y2 float64
	Label          *Text
}

// Swatch is a legend entry: a sample of a series fill and its label.
type Swatch struct {
	Box   Rect
	Label Text
	// Kind is "series", "mean" (the round average) or "cut" (the cut line).
	Kind string
}

// Tick is an axis gridline with its value label.
type Tick struct {
	Line  Line
	Label Text
}

// scaleStep picks a round gridline step for an axis from 0 to max.
func scaleStep(max float64) float64 {
	switch {
	case max <= 10:
		return 2
	case max <= 50:
		return 10
	case max <= 120:
		return 25
	case max <= 250:
		return 50
	}
	return math.Pow(10, math.Floor(math.Log10(max)))
}

// niceMax rounds an axis maximum up to a whole step, so the top gridline
// is labelled.
func niceMax(max float64) float64 {
	if max <= 0 {
		return 1
	}
	step := scaleStep(max)
	return math.Ceil(max/step) * step
}

// legend lays out swatches left to right from x, y, wrapping at width.
func legend(items []Swatch, x, y, width float64) ([]Swatch, float64) {
	return legendRows(items, x, y, width, 150)
}

// seriesSwatches are the legend entries of the category series.
func seriesSwatches(series []string) []Swatch {
	items := make([]Swatch, len(series))
	for i, s := range series {
		items[i] = Swatch{Box: Rect{Series: i}, Label: Text{S: s}, Kind: "series"}
	}
	return items
}

// legendRows lays out swatches itemW apart, as many to a row as width
// holds.
func legendRows(items []Swatch, x, y, width, itemW float64) ([]Swatch, float64) {
	const rowH = 20.0
	perRow := int(math.Max(1, math.Floor(width/itemW)))
	out := make([]Swatch, len(items))
	for i, it := range items {
		cx := x + float64(i%perRow)*itemW
		cy := y + float64(i/perRow)*rowH
		it.Box = Rect{X: cx, Y: cy, W: 14, H: 12, Series: it.Box.Series}
		it.Label = Text{X: cx + 20, Y: cy + 10, S: it.Label.S, Anchor: "start"}
		out[i] = it
	}
	rows := (len(items) + perRow - 1) / perRow
	return out, float64(rows) * rowH
}
