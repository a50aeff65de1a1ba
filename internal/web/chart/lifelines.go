package chart

import "unicode/utf8"

// Mark is what a team's lane shows in one column of the lifelines.
type Mark string

// The marks of a lane cell.
const (
	// MarkNone: the team is not in the running at this step.
	MarkNone Mark = ""
	// MarkField: still in the running but not entered in this step (an
	// additional call held for others); the lane passes through.
	MarkField Mark = "field"
	// MarkPass: entered and went through (or applied, in the call column).
	MarkPass Mark = "pass"
	// MarkJoin: joined the running through an additional call.
	MarkJoin Mark = "join"
	// MarkExit: entered and left; the cell's Code says why.
	MarkExit Mark = "exit"
	// MarkEntrant: entered in a round still to come.
	MarkEntrant Mark = "entrant"
)

// LifelinesInput describes the elimination history as lanes: one lane per
// team, one column per step (the call, then each round in order).
type LifelinesInput struct {
	ID, Title, Desc string
	Columns         []LifelineColumn
	Lanes           []LifelineLane
	Legend          []LegendMark
}

// LifelineColumn is one step.
type LifelineColumn struct {
	Name string
	URL  string
	// Lines are short facts under the name: the date, "15 → 10".
	Lines    []string
	Upcoming bool
}

// LifelineLane is one team.
type LifelineLane struct {
	Name  string
	URL   string
	Cells []LaneCell // one per column
}

// LaneCell is a team's mark in one column.
type LaneCell struct {
	Mark Mark
	// Code is the outcome behind the mark (eliminated, disqualified,
	// not_selected, withdrew, selected, advanced).
	Code string
	// Label is written beside an exit or a join ("disqualified").
	Label string
	// Title is the mark's tooltip: team, round, outcome and reason.
	Title string
}

// LegendMark explains one kind of mark.
type LegendMark struct {
	Mark  Mark
	Code  string
	Label string
}

// Lifelines is the laid-out diagram.
type Lifelines struct {
	ID, Title, Desc string
	Width, Height   float64
	Columns         []LifelinesColumn
	Lanes           []LifelinesLane
	Legend          []LifelinesLegend
	// Top and Bottom bound the lanes (for column guides).
	Top, Bottom float64
}

// LifelinesColumn is a placed column header and its guide.
type LifelinesColumn struct {
	X, W     float64 // left edge and width
	CX       float64 // centre
	Name     []Text  // one or two lines
	URL      string
	Lines    []Text
	Upcoming bool
}

// LifelinesLane is a placed lane.
type LifelinesLane struct {
	Name     Text
	URL      string
	Y        float64
	Stripe   bool // every other lane is shaded
	Segments []Segment
	Marks    []PlacedMark
}

// Segment is a piece of a lane's line. Dashed pieces lead into a round
// still to come; Stub pieces show a team entering from outside the field.
type Segment struct {
	X1, X2, Y    float64
	Dashed, Stub bool
}

// PlacedMark is a mark at its place.
type PlacedMark struct {
	X, Y  float64
	Mark  Mark
	Code  string
	Title string
	Label *Text
}

// LifelinesLegend is a placed legend entry.
type LifelinesLegend struct {
	X, Y  float64
	Mark  Mark
	Code  string
	Label Text
}

// Layout constants of the lifelines, in user units.
const (
	lifeNameW = 220.0
	lifeColW  = 116.0
	lifeRowH  = 24.0
	lifeHeadH = 96.0
	lifeRight = 12.0
)

// LayoutLifelines places the columns, lanes, marks and legend.
func LayoutLifelines(in LifelinesInput) *Lifelines {
	c := &Lifelines{ID: in.ID, Title: in.Title, Desc: in.Desc}
	c.Width = lifeNameW + lifeColW*float64(len(in.Columns)) + lifeRight
	for i, col := range in.Columns {
		c.Columns = append(c.Columns, layoutLifelineColumn(i, col))
	}
	c.Top = lifeHeadH - 6
	for r, lane := range in.Lanes {
		c.Lanes = append(c.Lanes, c.layoutLane(r, lane))
	}
	c.Bottom = lifeHeadH + lifeRowH*float64(len(in.Lanes)) + 4
	const itemW, rowH = 170.0, 20.0
	perRow := max(1, int((c.Width-24)/itemW))
	for i, l := range in.Legend {
		x := 24 + float64(i%perRow)*itemW
		y := c.Bottom + 24 + float64(i/perRow)*rowH
		c.Legend = append(c.Legend, LifelinesLegend{X: x, Y: y, Mark: l.Mark, Code: l.Code,
			Label: Text{X: x + 14, Y: y + 4, S: l.Label, Anchor: "start"}})
	}
	rows := (len(in.Legend) + perRow - 1) / perRow
	c.Height = c.Bottom + 24 + float64(rows)*rowH + 4
	return c
}

// layoutLifelineColumn places the i-th column header.
func layoutLifelineColumn(i int, col LifelineColumn) LifelinesColumn {
	x := lifeNameW + lifeColW*float64(i)
	pc := LifelinesColumn{X: x, W: lifeColW, CX: x + lifeColW/2, URL: col.URL, Upcoming: col.Upcoming}
	for j, line := range wrap(col.Name, 15) {
		pc.Name = append(pc.Name, Text{X: pc.CX, Y: 16 + float64(j)*14, S: line, Anchor: "middle"})
	}
	for j, line := range col.Lines {
		pc.Lines = append(pc.Lines, Text{X: pc.CX, Y: 50 + float64(j)*14, S: line, Anchor: "middle"})
	}
	return pc
}

// carries reports whether a lane's line goes on to the next column after m.
func carries(m Mark) bool { return m == MarkPass || m == MarkJoin || m == MarkField }

// layoutLane places the r-th lane under the placed columns.
func (c *Lifelines) layoutLane(r int, lane LifelineLane) LifelinesLane {
	y := lifeHeadH + lifeRowH*float64(r) + lifeRowH/2
	pl := LifelinesLane{
		Name:   Text{X: lifeNameW - 10, Y: y + 4, S: lane.Name, Anchor: "end"},
		URL:    lane.URL,
		Y:      y,
		Stripe: r%2 == 1,
	}
	for i, cell := range lane.Cells {
		if i >= len(c.Columns) {
			break
		}
		cx := c.Columns[i].CX
		prev := MarkNone
		if i > 0 {
			prev = lane.Cells[i-1].Mark
		}
		switch {
		case cell.Mark == MarkNone:
		case i > 0 && carries(prev):
			pl.Segments = append(pl.Segments, Segment{
				X1: c.Columns[i-1].CX, X2: cx, Y: y,
				Dashed: cell.Mark == MarkEntrant || c.Columns[i].Upcoming,
			})
		case i > 0 && cell.Mark != MarkField:
			// Entering from outside the field: a short lead-in.
			pl.Segments = append(pl.Segments, Segment{X1: cx - lifeColW*0.45, X2: cx, Y: y, Stub: true})
		}
		if cell.Mark != MarkNone && cell.Mark != MarkField {
			pl.Marks = append(pl.Marks, placeMark(cx, y, cell))
		}
	}
	return pl
}

// placeMark places a cell's mark and its label: beside an exit, above a
// join.
func placeMark(cx, y float64, cell LaneCell) PlacedMark {
	pm := PlacedMark{X: cx, Y: y, Mark: cell.Mark, Code: cell.Code, Title: cell.Title}
	if cell.Label == "" {
		return pm
	}
	switch cell.Mark {
	case MarkExit:
		pm.Label = &Text{X: cx + 10, Y: y + 4, S: cell.Label, Anchor: "start"}
	case MarkJoin:
		pm.Label = &Text{X: cx - 10, Y: y - 6, S: cell.Label, Anchor: "end"}
	}
	return pm
}

// wrap splits s into at most two lines of about width characters, at a space.
func wrap(s string, width int) []string {
	if utf8.RuneCountInString(s) <= width {
		return []string{s}
	}
	runes := []rune(s)
	best := -1
	for i, r := range runes {
		if r == ' ' && (best < 0 || abs(i-len(runes)/2) < abs(best-len(runes)/2)) {
			best = i
		}
	}
	if best < 0 {
		return []string{s}
	}
	return []string{string(runes[:best]), string(runes[best+1:])}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
