package chart

import "testing"

// within checks a rectangle lies inside the chart's width.
func within(t *testing.T, what string, r Rect, width float64) {
	t.Helper()
	if r.X < 0 || r.X+r.W > width+1e-9 {
		t.Errorf("%s %+v outside 0..%v", what, r, width)
	}
}

// The narrow round chart is phone-sized: bars run across the whole width
// in proportion, each team's name and note on the line above its bar, the
// cut line between the last team inside the places and the first outside
// with its label clear of both, at most five gridlines, one legend entry
// per line.
func TestLayoutStackedNarrow(t *testing.T) {
	t.Parallel()
	c := LayoutStacked(StackedInput{
		ID: "x", Series: []string{"Global common benchmarks", "b", "c"}, Scale: 100, CutAt: 2, CutLabel: "cut 84.20",
		Bars: []BarInput{
			{Label: "t1", Values: []float64{40, 50, 10}, Total: 100, Note: "100 · advanced"},
			{Label: "t2", Values: []float64{30, 0, 0}, Total: 30},
			{Label: "t3", Values: []float64{10, 10, 0}, Total: 20},
		},
	}).Narrow
	if c == nil || c.ID != "x-n" || c.Width != 340 || c.Narrow != nil {
		t.Fatalf("narrow chart %+v", c)
	}
	full := c.Rows[0].Segs
	if len(full) != 3 || full[0].X != narrowPad || full[2].X+full[2].W != narrowWidth-narrowPad {
		t.Errorf("a full-score bar does not span the width: %+v", full)
	}
	for i, r := range c.Rows {
		for _, s := range r.Segs {
			within(t, "segment", s, c.Width)
			if r.Label.Y >= s.Y || r.Note.Y >= s.Y {
				t.Errorf("row %d: label or note not above its bar", i)
			}
		}
	}
	if last := c.Ticks[len(c.Ticks)-1].Label; last.S != "100" || last.Anchor != "end" {
		t.Errorf("last gridline label %+v does not end at the edge", last)
	}

	if c.Rows[0].Note.Anchor != "end" || c.Rows[0].Note.X != narrowWidth-narrowPad {
		t.Errorf("note %+v not right-aligned", c.Rows[0].Note)
	}
	above, below := c.Rows[1].Segs[0], c.Rows[2]
	if c.Cut == nil || !(c.Cut.Y1 > above.Y+above.H && c.Cut.Label.Y < below.Label.Y-11 && c.Cut.Label.Y > c.Cut.Y1) {
		t.Errorf("cut %+v not between %v and the next row's label at %v", c.Cut, above.Y+above.H, below.Label.Y)
	}
	if n := len(c.Ticks); n < 2 || n > 5 {
		t.Errorf("%d gridlines", n)
	}
	if len(c.Legend) != 3 || c.Legend[1].Box.X != c.Legend[0].Box.X || c.Legend[1].Box.Y <= c.Legend[0].Box.Y {
		t.Errorf("legend not one entry per line: %+v", c.Legend)
	}
	if last := c.Legend[2].Box; c.Height < last.Y+last.H {
		t.Errorf("height %v cuts off the legend", c.Height)
	}
}

// The narrow team chart is a group per round: the round's name, then the
// team's bar above the average's, both horizontal and proportional, the
// cut a vertical line across both; an undisclosed round says so instead
// of a bar.
func TestLayoutTeamNarrow(t *testing.T) {
	t.Parallel()
	mean, cut := 79.7, 84.2
	c := LayoutTeam(TeamInput{
		ID: "t", Series: []string{"a", "b"}, TeamLabel: "this team", MeanLabel: "round average",
		Rounds: []TeamRoundInput{
			{Label: "Stage 1", URL: "/rounds/stage-1", Scale: 100, Disclosed: true, TeamTotal: 90.2, TeamNote: "90.20",
				Team: []SeriesValue{{0, 60, "a"}, {1, 30.2, "b"}}, MeanTotal: &mean, MeanNote: "79.70", Cut: &cut, CutNote: "cut 84.20"},
			{Label: "Stage 2", Scale: 100, Undisclosed: "not disclosed", MeanNote: "average not disclosed"},
		},
	}).Narrow
	if c == nil || c.ID != "t-n" || c.Width != narrowWidth || len(c.Columns) != 2 {
		t.Fatalf("narrow team chart %+v", c)
	}
	s1 := c.Columns[0]
	if len(s1.Team) != 2 || s1.Team[0].Y != s1.Team[1].Y || s1.Team[1].X != s1.Team[0].X+s1.Team[0].W || s1.Team[1].W/s1.Team[0].W != 30.2/60 {
		t.Errorf("team bar not stacked horizontally in proportion: %+v", s1.Team)
	}
	if s1.MeanPlain == nil || s1.MeanPlain.Y <= s1.Team[0].Y || s1.MeanPlain.W/(s1.Team[0].W+s1.Team[1].W) < 79.7/90.2-1e-9 ||
		s1.MeanPlain.W/(s1.Team[0].W+s1.Team[1].W) > 79.7/90.2+1e-9 {
		t.Errorf("average bar %+v against team bar %+v", s1.MeanPlain, s1.Team)
	}
	if s1.Cut == nil || s1.Cut.X1 != s1.Cut.X2 || s1.Cut.Y1 >= s1.Team[0].Y || s1.Cut.Y2 <= s1.MeanPlain.Y+s1.MeanPlain.H {
		t.Errorf("cut %+v not a vertical line across both bars", s1.Cut)
	}
	for _, r := range append(s1.Team, *s1.MeanPlain) {
		within(t, "bar", r, c.Width)
	}
	if end := s1.Team[1].X + s1.Team[1].W; s1.TeamNote.X <= end || s1.TeamNote.X+40 > c.Width {
		t.Errorf("team note at %v, bar ends at %v, width %v", s1.TeamNote.X, end, c.Width)
	}
	if s1.Label.S != "Stage 1" || s1.URL != "/rounds/stage-1" || s1.Label.Y >= s1.Team[0].Y {
		t.Errorf("round label %+v", s1.Label)
	}
	s2 := c.Columns[1]
	if s2.Undisclosed == nil || len(s2.Team) != 0 || s2.Label.Y <= s1.MeanPlain.Y {
		t.Errorf("undisclosed round %+v", s2)
	}
	if n := len(c.Ticks); n < 2 || n > 5 || c.Ticks[0].Line.X1 != c.Ticks[0].Line.X2 {
		t.Errorf("gridlines %+v", c.Ticks)
	}
}

// A team name and note too long to share a line put the note under the
// bar, and the next row moves down to make room.
func TestLayoutStackedNarrowLongNote(t *testing.T) {
	t.Parallel()
	c := LayoutStacked(StackedInput{ID: "x", Series: []string{"a"}, Scale: 100, CutAt: -1, Bars: []BarInput{
		{Label: "Motif Technologies consortium", Values: []float64{65.8}, Total: 65.8, Note: "65.8 · eliminated on score"},
		{Label: "LG", Values: []float64{69}, Total: 69, Note: "69.0 · advanced"},
	}}).Narrow
	long, short := c.Rows[0], c.Rows[1]
	if bar := long.Segs[0]; long.Note.Y <= bar.Y+bar.H {
		t.Errorf("long note at %v, not under its bar (%v..%v)", long.Note.Y, bar.Y, bar.Y+bar.H)
	}
	if short.Note.Y != short.Label.Y {
		t.Errorf("short note at %v, not beside its name at %v", short.Note.Y, short.Label.Y)
	}
	if short.Label.Y-12 <= long.Note.Y {
		t.Errorf("next row at %v overlaps the long note at %v", short.Label.Y, long.Note.Y)
	}
}
