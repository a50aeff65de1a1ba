package chart

// The narrow layouts redraw the round and team charts for a phone: 340
// user units wide, so a 360–390 px screen shows them at about their own
// size (12 px text stays 12 px) instead of shrinking a 760-unit chart to
// less than half. Bars run horizontally across the whole width, names and
// figures sit on their own line above or beside them, the axis has at most
// five gridlines and the legend one entry per line. The page shows one
// layout or the other with a CSS media query; both carry the same title
// and description.

// Layout constants of the narrow charts, in user units.
const (
	narrowWidth = 340.0
	narrowPad   = 8.0
	// NarrowSuffix ends the id of a narrow chart, so both layouts of one
	// chart can be on the page with unique ids.
	NarrowSuffix = "-n"
)

// narrowTicks are the vertical gridlines of a horizontal axis from x0,
// barW wide for 0..scale, running from top to bottom, with at most five
// labelled values.
func narrowTicks(scale, x0, barW, top, bottom float64) []Tick {
	step := scaleStep(scale)
	for scale/step > 4 {
		step *= 2
	}
	return hTicks(scale, step, x0, barW, top, bottom, narrowWidth)
}

// hTicks are the vertical gridlines of a horizontal axis from x0, barW
// wide for 0..scale, one every step, running from top to bottom with their
// values under them; a value that would cross the chart's width ends at it.
func hTicks(scale, step, x0, barW, top, bottom, width float64) []Tick {
	var out []Tick
	for v := 0.0; v <= scale+1e-9; v += step {
		x := x0 + v/scale*barW
		label := Text{X: x, Y: bottom + 14, S: F(v), Anchor: "middle"}
		if x+textWidth(label.S, 11)/2 > width {
			label.Anchor = "end" // the last value ends at the edge
		}
		out = append(out, Tick{Line: Line{X1: x, Y1: top, X2: x, Y2: bottom}, Label: label})
	}
	return out
}

// textWidth estimates the width of s in bold text of the given size: a
// Hangul or other wide character is about one em, anything else about
// 0.6 em. It errs on the wide side, to keep labels apart.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		if r >= 0x1100 {
			w += size
		} else {
			w += 0.6 * size
		}
	}
	return w
}

// hstack lays values out left to right from x0 at y, h high, px wide per
// point; zero values take no room.
func hstack(vals []SeriesValue, x0, y, h float64, px func(float64) float64) []Rect {
	var out []Rect
	x := x0
	for _, sv := range vals {
		if sv.Value <= 0 {
			continue
		}
		w := px(sv.Value)
		out = append(out, Rect{X: x, Y: y, W: w, H: h, Series: sv.Series, Title: sv.Title})
		x += w
	}
	return out
}

// barValues are a stacked bar's category points as series values.
func barValues(b BarInput) []SeriesValue {
	out := make([]SeriesValue, len(b.Values))
	for i, v := range b.Values {
		out[i] = SeriesValue{Series: i, Value: v}
		if i < len(b.Titles) {
			out[i].Title = b.Titles[i]
		}
	}
	return out
}

// layoutStackedNarrow lays out the round chart for a phone: per team its
// name (left) and total with outcome (right) on one line, the full-width
// bar under it, the cut line across the gap before the first team outside
// the places with its label under the line.
func layoutStackedNarrow(in StackedInput, scale float64) *Stacked {
	const rowH, barH, top, cutGap = 40.0, 14.0, 8.0, 22.0
	c := &Stacked{ID: in.ID + NarrowSuffix, Title: in.Title, Desc: in.Desc, Width: narrowWidth, Series: len(in.Series)}
	x0, barW := narrowPad, narrowWidth-2*narrowPad
	px := func(v float64) float64 { return v / scale * barW }
	y := top
	cut := func() {
		c.Cut = &Line{X1: 2, Y1: y + 4, X2: narrowWidth - 2, Y2: y + 4,
			Label: &Text{X: narrowWidth - narrowPad, Y: y + 17, S: in.CutLabel, Anchor: "end"}}
		y += cutGap
	}
	for i, b := range in.Bars {
		if i == in.CutAt {
			cut()
		}
		// The note shares the name's line when both fit, else it takes a
		// line of its own under the bar.
		noteY, below := y+12, 0.0
		if textWidth(b.Label, 12)+textWidth(b.Note, 11.5)+12 > barW {
			noteY, below = y+rowH+6, 16
		}
		c.Rows = append(c.Rows, StackedRow{
			Label: Text{X: x0, Y: y + 12, S: b.Label, Anchor: "start"},
			Segs:  hstack(barValues(b), x0, y+18, barH, px),
			Note:  Text{X: narrowWidth - narrowPad, Y: noteY, S: b.Note, Anchor: "end"},
			Out:   b.Out,
		})
		y += rowH + below
	}
	if in.CutAt == len(in.Bars) && len(in.Bars) > 0 {
		cut()
	}
	c.Ticks = narrowTicks(scale, x0, barW, top, y)
	var h float64
	c.Legend, h = legendRows(seriesSwatches(in.Series), x0, y+28, barW, barW)
	c.Height = y + 28 + h + 6
	return c
}

// layoutTeamNarrow lays out the team chart for a phone: per round its name
// (a link) with the cut on one line, then the team's bar and the round
// average's bar, each named on the left and figured at its end, and the
// cut as a dashed line across both bars.
func layoutTeamNarrow(in TeamInput, scale float64) *Team {
	const labelW, noteW, top, groupH, barH = 88.0, 52.0, 8.0, 72.0, 16.0
	c := &Team{ID: in.ID + NarrowSuffix, Title: in.Title, Desc: in.Desc, Width: narrowWidth, Series: len(in.Series)}
	x0 := labelW
	barW := narrowWidth - labelW - noteW - narrowPad
	px := func(v float64) float64 { return v / scale * barW }
	y := top
	for _, r := range in.Rounds {
		teamY, meanY := y+20, y+42
		col := TeamColumn{
			Label:     Text{X: narrowPad, Y: y + 12, S: r.Label, Anchor: "start"},
			URL:       r.URL,
			TeamLabel: Text{X: x0 - 6, Y: teamY + 12, S: in.TeamLabel, Anchor: "end"},
			MeanLabel: Text{X: x0 - 6, Y: meanY + 12, S: in.MeanLabel, Anchor: "end"},
		}
		if r.Disclosed {
			col.Team = hstack(r.Team, x0, teamY, barH, px)
			col.TeamNote = Text{X: x0 + px(r.TeamTotal) + 4, Y: teamY + 12, S: r.TeamNote, Anchor: "start"}
		} else {
			col.Undisclosed = &Text{X: x0 + 4, Y: teamY + 12, S: r.Undisclosed, Anchor: "start"}
		}
		meanEnd := x0
		switch {
		case len(r.Mean) > 0:
			col.Mean = hstack(r.Mean, x0, meanY, barH, px)
		case r.MeanTotal != nil:
			col.MeanPlain = &Rect{X: x0, Y: meanY, W: px(*r.MeanTotal), H: barH}
		}
		if r.MeanTotal != nil {
			meanEnd += px(*r.MeanTotal)
		}
		col.MeanNote = Text{X: meanEnd + 4, Y: meanY + 12, S: r.MeanNote, Anchor: "start"}
		if r.Cut != nil {
			cx := x0 + px(*r.Cut)
			col.Cut = &Line{X1: cx, Y1: teamY - 3, X2: cx, Y2: meanY + barH + 3,
				Label: &Text{X: narrowWidth - narrowPad, Y: y + 12, S: r.CutNote, Anchor: "end"}}
		}
		c.Columns = append(c.Columns, col)
		y += groupH
	}
	c.Ticks = narrowTicks(scale, x0, barW, top+16, y)
	var h float64
	c.Legend, h = legendRows(teamLegend(in), narrowPad, y+28, narrowWidth-2*narrowPad, narrowWidth)
	c.Height = y + 28 + h + 6
	return c
}
