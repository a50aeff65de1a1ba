package chart

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// F writes a number with at most one decimal, niceMax rounds a scale up
// to a round number, wrap breaks a label into lines of at most 15
// characters.
func TestHelpers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ call, got, want any }{
		{"F(0)", F(0), "0"}, {"F(12.34)", F(12.34), "12.3"}, {"F(12.35)", F(12.35), "12.4"},
		{"F(-3.04)", F(-3.04), "-3"}, {"F(100)", F(100), "100"},
		{"niceMax(100)", niceMax(100), 100.0}, {"niceMax(107)", niceMax(107), 125.0}, {"niceMax(35)", niceMax(35), 40.0},
		{"niceMax(8)", niceMax(8), 8.0}, {"niceMax(0)", niceMax(0), 1.0},
		{`wrap("서면 평가")`, wrap("서면 평가", 15), []string{"서면 평가"}},
		{`wrap("Presentation review")`, wrap("Presentation review", 15), []string{"Presentation", "review"}},
		{`wrap("Stage 1 evaluation of teams")`, wrap("Stage 1 evaluation of teams", 15), []string{"Stage 1 evaluation", "of teams"}},
		{`wrap("Supercalifragilistic")`, wrap("Supercalifragilistic", 15), []string{"Supercalifragilistic"}},
	} {
		if diff := cmp.Diff(tc.want, tc.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.call, diff)
		}
	}
}

// The stacked bars are proportional to the points, stack in series order,
// and the cut line lies between the last bar inside the places and the
// first one outside.
func TestLayoutStacked(t *testing.T) {
	t.Parallel()
	c := LayoutStacked(StackedInput{
		ID: "x", Series: []string{"a", "b"}, Scale: 100, CutAt: 2, CutLabel: "cut",
		Bars: []BarInput{
			{Label: "t1", Values: []float64{40, 50}, Total: 90},
			{Label: "t2", Values: []float64{30, 0}, Total: 30},
			{Label: "t3", Values: []float64{10, 10}, Total: 20},
		},
	})
	if len(c.Rows) != 3 || len(c.Rows[0].Segs) != 2 || len(c.Rows[1].Segs) != 1 {
		t.Fatalf("rows %+v", c.Rows)
	}
	a, b := c.Rows[0].Segs[0], c.Rows[0].Segs[1]
	if b.X != a.X+a.W || b.W/a.W != 50.0/40.0 || b.Series != 1 {
		t.Errorf("segments not stacked proportionally: %+v %+v", a, b)
	}
	if c.Cut == nil {
		t.Fatal("no cut line")
	}
	above, below := c.Rows[1].Segs[0], c.Rows[2].Segs[0]
	if !(c.Cut.Y1 > above.Y+above.H && c.Cut.Y1 < below.Y) {
		t.Errorf("cut at %v, not between %v and %v", c.Cut.Y1, above.Y+above.H, below.Y)
	}
	if c.Height <= below.Y+below.H {
		t.Errorf("height %v cuts the chart off", c.Height)
	}
	if none := LayoutStacked(StackedInput{ID: "y", CutAt: -1, Bars: []BarInput{{Label: "t", Values: []float64{1}, Total: 1}}}); none.Cut != nil {
		t.Errorf("cut line drawn with CutAt -1")
	}
}

// Lanes run between the steps a team went through, lead into upcoming
// rounds dashed, and enter from outside the field with a stub.
func TestLayoutLifelines(t *testing.T) {
	t.Parallel()
	c := LayoutLifelines(LifelinesInput{
		Columns: []LifelineColumn{{Name: "call"}, {Name: "r1"}, {Name: "extra"}, {Name: "r2", Upcoming: true}},
		Lanes: []LifelineLane{
			{Name: "in", Cells: []LaneCell{{Mark: MarkPass}, {Mark: MarkPass}, {Mark: MarkField}, {Mark: MarkEntrant}}},
			{Name: "back", Cells: []LaneCell{{Mark: MarkPass}, {Mark: MarkExit, Code: "not_selected", Label: "out"}, {Mark: MarkJoin, Label: "+"}, {Mark: MarkEntrant}}},
		},
	})
	type seg struct {
		From, To     int
		Dashed, Stub bool
	}
	col := map[float64]int{}
	for i, cc := range c.Columns {
		col[cc.CX] = i
	}
	got := func(l LifelinesLane) []seg {
		var out []seg
		for _, s := range l.Segments {
			from, ok := col[s.X1]
			if !ok {
				from = -1 // a stub starts between columns
			}
			out = append(out, seg{from, col[s.X2], s.Dashed, s.Stub})
		}
		return out
	}
	if diff := cmp.Diff([]seg{{0, 1, false, false}, {1, 2, false, false}, {2, 3, true, false}}, got(c.Lanes[0])); diff != "" {
		t.Errorf("lane in (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]seg{{0, 1, false, false}, {-1, 2, false, true}, {2, 3, true, false}}, got(c.Lanes[1])); diff != "" {
		t.Errorf("lane back (-want +got):\n%s", diff)
	}
	if n := len(c.Lanes[0].Marks); n != 3 { // the pass-through column has no mark
		t.Errorf("lane in has %d marks, want 3", n)
	}
	if m := c.Lanes[1].Marks[1]; m.Mark != MarkExit || m.Label == nil || m.Label.S != "out" {
		t.Errorf("exit mark %+v", m)
	}
}
