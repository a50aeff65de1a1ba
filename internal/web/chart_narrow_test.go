package web_test

import (
	"testing"
)

// Round and team charts come in two layouts: the wide one, and a narrow
// one 340 units wide that phones show instead (the stylesheet switches
// them by the screen width; no script). Both carry the same title,
// description and figures, with ids of their own.
func TestChartsNarrowLayout(t *testing.T) {
	t.Parallel()
	h, _ := newStage1Server(t)
	for _, tc := range []struct {
		path, figure string
		names        []string
	}{
		{"/rounds/stage-1", "round-chart", []string{"LG", "NC AI", "90.20"}},
		{"/en/teams/lg", "team-chart", []string{"Stage 1 evaluation", "90.20", "cut 82.40"}},
	} {
		r := getPage(t, h, tc.path)
		fig := one(t, r.body, testid(tc.figure))
		if !fig.HasClass("chart-has-narrow") {
			t.Errorf("%s: figure does not announce a narrow layout", tc.path)
		}
		full, narrow := fig.Find("svg.chart-svg-full"), fig.Find("svg.chart-svg-narrow")
		if full.Length() != 1 || narrow.Length() != 1 {
			t.Fatalf("%s: %d wide and %d narrow charts, want one each", tc.path, full.Length(), narrow.Length())
		}
		if vb, _ := narrow.Attr("viewBox"); len(vb) < 8 || vb[:8] != "0 0 340 " {
			t.Errorf("%s: narrow viewBox %q, want 340 wide", tc.path, vb)
		}
		w := checkSVG(t, r.body, tc.figure, tc.names)
		n := checkSVG(t, r.body, tc.figure+"-n", tc.names)
		if w.title != n.title || w.desc != n.desc {
			t.Errorf("%s: the layouts are titled differently: %q / %q", tc.path, w.title, n.title)
		}
		if len(w.links) != len(n.links) {
			t.Errorf("%s: %d links in the wide chart, %d in the narrow one", tc.path, len(w.links), len(n.links))
		}
		for id := range n.ids {
			if w.ids[id] {
				t.Errorf("%s: id %q in both layouts", tc.path, id)
			}
		}
	}
}
