package web_test

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// parseHTML parses a page for assertions by CSS selector.
func parseHTML(t *testing.T, body string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	return doc
}

// testid is the selector of the elements marked data-testid=id.
func testid(id string) string { return `[data-testid="` + id + `"]` }

// one is the single element sel selects in body; the test stops when there
// is none and fails when there are several.
func one(t *testing.T, body, sel string) *goquery.Selection {
	t.Helper()
	s := parseHTML(t, body).Find(sel)
	switch n := s.Length(); {
	case n == 0:
		t.Fatalf("no %s", sel)
	case n > 1:
		t.Errorf("%d elements match %s, want 1", n, sel)
	}
	return s.First()
}

// textOf is what a reader sees of a selection: its text, a space between
// the text of neighbouring elements, white space collapsed.
func textOf(s *goquery.Selection) string {
	var parts []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			parts = append(parts, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range s.Nodes {
		walk(n)
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// selText is the visible text of the single element sel selects in body.
func selText(t *testing.T, body, sel string) string {
	t.Helper()
	return textOf(one(t, body, sel))
}

// textsOf is the visible text of each element of a selection.
func textsOf(s *goquery.Selection) []string {
	var out []string
	s.Each(func(_ int, e *goquery.Selection) { out = append(out, textOf(e)) })
	return out
}

// cellsOf is the visible text of each cell (td or th) of a table row.
func cellsOf(row *goquery.Selection) []string { return textsOf(row.Find("td, th")) }
