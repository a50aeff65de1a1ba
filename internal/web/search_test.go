package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestSearchPage: teams, organizations and rounds are found by Korean or
// English name, case-insensitively, grouped by kind with links to their
// pages; an empty query shows a hint; the query is escaped everywhere.
func TestSearchPage(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	for _, tc := range []struct {
		path       string
		want, not  []string
		groups     []string
		hint, none bool
	}{
		{path: "/search", hint: true},
		{path: "/en/search?q=", hint: true},
		{path: "/search?q=%20%20", hint: true},
		{path: "/search?q=lg", groups: []string{"teams", "organizations"},
			want: []string{`href="/teams/lg"`, "LG AI연구원 컨소시엄", `href="/organizations/lg-ai-research"`, "K-EXAONE", "연구기관"}},
		{path: "/en/search?q=LG", groups: []string{"teams", "organizations"},
			want: []string{`href="/en/teams/lg"`, "LG AI Research consortium", `href="/en/organizations/lg-uplus"`, "research institute"}},
		{path: "/search?q=" + url.QueryEscape("업스테이지"), groups: []string{"teams", "organizations"},
			want: []string{`href="/teams/upstage"`, `href="/organizations/upstage"`}},
		{path: "/en/search?q=UPSTAGE", groups: []string{"teams", "organizations"}, want: []string{"Upstage consortium"}},
		{path: "/search?q=" + url.QueryEscape("단계평가"), groups: []string{"rounds"},
			want: []string{`href="/rounds/stage-1"`, `href="/rounds/stage-2"`, "1차 단계평가", "2차 단계평가"}},
		{path: "/en/search?q=additional", groups: []string{"rounds"}, want: []string{`href="/en/rounds/additional-call"`, "Additional call"}},
		{path: "/search?q=kaist", groups: []string{"teams", "organizations"}, want: []string{`href="/teams/kaist"`, `href="/organizations/kaist"`}},
		{path: "/search?q=%25", none: true},
		{path: "/search?q=_", none: true},
		{path: "/en/search?q=" + url.QueryEscape(`<script>alert(1)</script>`), none: true, not: []string{"<script>alert"}},
	} {
		r := get(t, env.h, tc.path)
		if r.status != http.StatusOK {
			t.Errorf("%s: %d", tc.path, r.status)
			continue
		}
		lang := "ko"
		if strings.HasPrefix(tc.path, "/en/") {
			lang = "en"
		}
		doc := parseHTML(t, r.body)
		if doc.Find("html").AttrOr("lang", "") != lang || strings.Contains(r.body, "⟦") {
			t.Errorf("%s: wrong language or untranslated message", tc.path)
		}
		if got := doc.Find(testid("search-hint")).Length() > 0; got != tc.hint {
			t.Errorf("%s: hint shown %v, want %v", tc.path, got, tc.hint)
		}
		if got := doc.Find(testid("search-none")).Length() > 0; got != tc.none {
			t.Errorf("%s: 'nothing found' shown %v, want %v", tc.path, got, tc.none)
		}
		var groups []string
		doc.Find("section").Each(func(_ int, s *goquery.Selection) {
			switch id := s.AttrOr("data-testid", ""); id {
			case "search-teams", "search-organizations", "search-rounds":
				groups = append(groups, strings.TrimPrefix(id, "search-"))
			}
		})
		if strings.Join(groups, ",") != strings.Join(tc.groups, ",") {
			t.Errorf("%s: groups %v, want %v", tc.path, groups, tc.groups)
		}
		text := textOf(doc.Selection)
		for _, w := range tc.want {
			if href, ok := strings.CutPrefix(w, `href="`); ok {
				if doc.Find(`a[href="`+strings.TrimSuffix(href, `"`)+`"]`).Length() == 0 {
					t.Errorf("%s: no link %s", tc.path, w)
				}
			} else if !strings.Contains(text, w) {
				t.Errorf("%s: missing %q", tc.path, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(r.body, n) {
				t.Errorf("%s: shows %q unescaped", tc.path, n)
			}
		}
	}

	// The language switch keeps the query.
	r := get(t, env.h, "/search?q="+url.QueryEscape("모티프"))
	doc := parseHTML(t, r.body)
	if sw := doc.Find("a"+testid("lang-switch")).AttrOr("href", ""); sw != "/en/search?q="+url.QueryEscape("모티프") {
		t.Errorf("language switch %s does not keep the query", sw)
	}
	if doc.Find(`a[href="/teams/motif"]`).Length() == 0 || doc.Find(`input[name="q"][value="모티프"]`).Length() == 0 {
		t.Errorf("search for 모티프 lacks Motif or the query in the form")
	}
	// A search in the draft round's planted data finds the round, never its results.
	plantSentinels(t, env.pool)
	for _, q := range []string{"stage", "sentinel", "센티널", "lg"} {
		odCheckNoSentinel(t, "/search?q="+q, get(t, env.h, "/search?q="+url.QueryEscape(q)).body)
	}
}
