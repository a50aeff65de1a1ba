package web_test

import (
	"context"
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/kai-challenge/portal/internal/postgres"
)

// svgDoc is what a chart's SVG says, read with a strict XML parser.
type svgDoc struct {
	root  xml.StartElement
	title string
	desc  string
	texts []string        // every <text>, in document order
	links []string        // every <a href>
	class map[string]int  // how many elements carry each class
	ids   map[string]bool // element ids
}

func attrOf(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// parseSVG extracts the inline <svg> labelled by id's title and parses it
// as XML: it must be well-formed.
func parseSVG(t *testing.T, body, id string) svgDoc {
	t.Helper()
	i := strings.Index(body, `aria-labelledby="`+id+`-title `+id+`-desc"`)
	if i < 0 {
		t.Fatalf("no svg labelled by %s-title", id)
	}
	start := strings.LastIndex(body[:i], "<svg")
	end := strings.Index(body[i:], "</svg>")
	if start < 0 || end < 0 {
		t.Fatalf("svg %s not delimited", id)
	}
	frag := body[start : i+end+len("</svg>")]
	d := xml.NewDecoder(strings.NewReader(frag))
	d.Strict = true
	doc := svgDoc{class: map[string]int{}, ids: map[string]bool{}}
	var stack []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("svg %s is not well-formed XML: %v", id, err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				doc.root = e
			}
			stack = append(stack, e.Name.Local)
			for _, c := range strings.Fields(attrOf(e, "class")) {
				doc.class[c]++
			}
			if v := attrOf(e, "id"); v != "" {
				doc.ids[v] = true
			}
			if e.Name.Local == "a" {
				doc.links = append(doc.links, attrOf(e, "href"))
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			s := strings.TrimSpace(string(e))
			switch {
			case s == "":
			case stack[len(stack)-1] == "text":
				doc.texts = append(doc.texts, s)
			case stack[len(stack)-1] == "title" && len(stack) == 2:
				doc.title = s
			case stack[len(stack)-1] == "desc" && len(stack) == 2:
				doc.desc = s
			}
		}
	}
	if len(stack) != 0 {
		t.Fatalf("svg %s: unclosed elements %v", id, stack)
	}
	return doc
}

// checkSVG asserts a chart is accessible: role="img" when it holds no link,
// role="group" when it does (an image may not contain interactive content),
// labelled by its own non-empty <title> and <desc>, well-formed, and naming
// each of names.
func checkSVG(t *testing.T, body, id string, names []string) svgDoc {
	t.Helper()
	doc := parseSVG(t, body, id)
	want := "img"
	if len(doc.links) > 0 {
		want = "group"
	}
	if attrOf(doc.root, "role") != want {
		t.Errorf("svg %s: role %q, want %s (%d links)", id, attrOf(doc.root, "role"), want, len(doc.links))
	}
	if !doc.ids[id+"-title"] || !doc.ids[id+"-desc"] || doc.title == "" || doc.desc == "" {
		t.Errorf("svg %s: title %q / desc %q missing", id, doc.title, doc.desc)
	}
	all := strings.Join(doc.texts, "\n")
	for _, n := range names {
		if !strings.Contains(all, n) {
			t.Errorf("svg %s does not name %q", id, n)
		}
	}
	return doc
}

// The history diagram names every team, links every round, marks each exit
// with its reason and Motif's joining, and agrees with the step list.
func TestHistoryDiagram(t *testing.T) {
	t.Parallel()
	h, pool := newServer(t)
	st := postgres.New(pool)
	prog, err := st.DefaultProgram(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	teams, err := st.PublicTeams(context.Background(), prog.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if len(teams) != 16 {
		t.Fatalf("%d teams in the record, want 16 (15 applicants and Trillion Labs)", len(teams))
	}
	for _, tc := range []struct {
		path, lang, prefix, pathLine string
		exitLabels                   map[string]int
	}{
		{"/history", "ko", "", "지원 15개 팀 → 서면 평가 10개 팀 선정 → 발표 평가 5개 팀 선정 → 1차 단계평가 3개 팀 통과 + 1개 팀 추가 → 현재 4개 팀",
			map[string]int{"미선정": 11, "실격": 1, "탈락(점수)": 1}},
		{"/en/history", "en", "/en", "15 applicants → Document review: 10 selected → Presentation review: 5 selected → Stage 1 evaluation: 3 advancing + 1 added → 4 still in",
			map[string]int{"not selected": 11, "disqualified": 1, "eliminated on score": 1}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			r := get(t, h, tc.path)
			var names []string
			for _, tm := range teams {
				names = append(names, tm.Name.In(tc.lang))
			}
			doc := checkSVG(t, r.body, "history-diagram", names)
			if got := selText(t, r.body, testid("history-path")); got != tc.pathLine {
				t.Errorf("path %q, want %q", got, tc.pathLine)
			}
			if !strings.HasPrefix(doc.desc, tc.pathLine) {
				t.Errorf("desc does not state the path: %q", doc.desc)
			}
			for _, rd := range []string{"document-review", "presentation-review", "stage-1", "additional-call", "stage-2", "final"} {
				if !slices.Contains(doc.links, tc.prefix+"/rounds/"+rd) {
					t.Errorf("diagram does not link round %s", rd)
				}
			}
			for _, tm := range teams {
				if !slices.Contains(doc.links, tc.prefix+"/teams/"+tm.Slug) {
					t.Errorf("diagram does not link team %s", tm.Slug)
				}
			}
			// Exit marks by reason: 5 + 5 + 1 not selected (Trillion Labs in
			// the additional call), Naver Cloud disqualified and NC AI
			// eliminated on score in stage 1; Motif joins.
			for class, want := range map[string]int{"lf-not_selected": 11, "lf-disqualified": 1, "lf-eliminated": 1, "lf-join": 1, "lf-entrant": 4} {
				if got := doc.class[class]; got != want {
					t.Errorf("%d marks %s, want %d", got, class, want)
				}
			}
			for label, want := range tc.exitLabels {
				n := 0
				for _, s := range doc.texts {
					if s == label {
						n++
					}
				}
				if n != want+1 { // one more in the legend
					t.Errorf("%q written %d times, want %d exits and the legend", label, n, want)
				}
			}
			// The accessible list carries the same exits.
			exits := one(t, r.body, testid("history-steps")).Find(`[data-testid^="outcome-"]`).Length()
			if exits != 11+1+1+1 { // the exits and Motif's joining
				t.Errorf("the step list shows %d outcomes, want 14", exits)
			}
		})
	}
}

// A team's chart shows its published points against the round average; a
// team whose figures were not disclosed gets a chart that says so instead
// of a zero bar. The figures are also a table.
func TestTeamChart(t *testing.T) {
	t.Parallel()
	h, _ := newServer(t)
	lg := getPage(t, h, "/teams/lg")
	doc := checkSVG(t, lg.body, "team-chart", []string{"1차 단계평가", "90.20", "79.70"})
	if doc.class["chart-undisclosed"] != 0 {
		t.Errorf("LG's chart says its figures were not disclosed")
	}
	// The table has a row per scored round: the round, its category
	// points, the total, the average, the cut (not disclosed) and the
	// outcome.
	rows := bodyRows(one(t, lg.body, testid("team-chart-table")))
	if len(rows) == 0 {
		t.Fatalf("the chart table has no data rows")
	}
	stage1 := strings.Join(rows[0], " | ")
	if want := "1차 단계평가 | 33.60 | 31.60 | 25.00 | 90.20 | 79.70 | 비공개 | 통과"; stage1 != want {
		t.Errorf("LG chart table row %q, want %q", stage1, want)
	}
	if !strings.Contains(visibleText(lg.body), "통과한 팀의 총점이 모두 공개되지 않아 기준선을 계산할 수 없습니다") {
		t.Errorf("LG chart does not say why the cut is unknown")
	}

	for _, tc := range []struct{ path, undisclosed string }{{"/teams/skt", "점수 비공개"}, {"/en/teams/nc-ai", "not disclosed"}} {
		r := getPage(t, h, tc.path)
		doc := checkSVG(t, r.body, "team-chart", []string{tc.undisclosed})
		if doc.class["chart-undisclosed"] != 1 {
			t.Errorf("%s: chart does not say the figures were not disclosed", tc.path)
		}
		if strings.Contains(strings.Join(doc.texts, " "), "0.00") {
			t.Errorf("%s: chart draws an undisclosed figure as zero", tc.path)
		}
	}
	// A team with no scored round has no chart.
	r := getPage(t, h, "/teams/lunit")
	if parseHTML(t, r.body).Find(testid("team-chart")).Length() > 0 {
		t.Errorf("lunit: chart without any scored round")
	}
}

// bodyRows returns the text of each cell of each row in a table's <tbody>.
func bodyRows(table *goquery.Selection) [][]string {
	var rows [][]string
	table.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) { rows = append(rows, cellsOf(tr)) })
	return rows
}

// On a computed round the team chart's average and cut come from the
// results: the mean of the totals and the lowest total that went through.
func TestTeamChartComputedRound(t *testing.T) {
	t.Parallel()
	h, _ := newStage1Server(t)
	r := getPage(t, h, "/en/teams/lg")
	checkSVG(t, r.body, "team-chart", []string{"90.20", "cut 82.40"})
	table := selText(t, r.body, testid("team-chart-table"))
	for _, w := range []string{"33.60", "31.60", "25.00", "90.20", "82.40", "advanced"} {
		if !strings.Contains(table, w) {
			t.Errorf("chart table lacks %q: %s", w, table)
		}
	}
	if !strings.Contains(visibleText(r.body), "the average is computed from the published results") {
		t.Errorf("computed average not explained")
	}
}

// The team timeline marks the round a team joined through the additional
// call and the round it left.
func TestTeamTimelineMarkers(t *testing.T) {
	t.Parallel()
	h, _ := newServer(t)
	motif := get(t, h, "/teams/motif").body
	if one(t, motif, testid("team-round-additional-call")).Find(testid("team-joined")).Length() == 0 {
		t.Errorf("Motif's timeline does not mark its joining")
	}
	if one(t, motif, testid("team-round-presentation-review")).Find(testid("team-exited")).Length() == 0 {
		t.Errorf("Motif's timeline does not mark its exit at the presentation review")
	}
	naver := get(t, h, "/en/teams/naver-cloud").body
	stage := one(t, naver, testid("team-round-stage-1"))
	if stage.Find(testid("team-exited")).Length() == 0 || !strings.Contains(textOf(stage), "disqualified") {
		t.Errorf("Naver Cloud's stage-1 exit is not marked: %s", textOf(stage))
	}
}
