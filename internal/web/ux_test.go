package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Searching the reason Naver Cloud left stage 1 finds it, in Korean and
// English, with an excerpt of the reason and a link to the team.
func TestSearchMentions(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	for _, tc := range []struct{ path, href, excerpt string }{
		{"/search?q=" + url.QueryEscape("독자성"), "/teams/naver-cloud", "독자성"},
		{"/search?q=Qwen", "/teams/naver-cloud", "Qwen 2.5"},
		{"/en/search?q=qwen", "/en/teams/naver-cloud", "Qwen 2.5"},
		{"/en/search?q=" + url.QueryEscape("독자성"), "/en/teams/naver-cloud", "독자성"},
	} {
		r := get(t, env.h, tc.path)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", tc.path, r.status)
		}
		sec := one(t, r.body, testid("search-mentions"))
		var found bool
		sec.Find("li").Each(func(_ int, li *goquery.Selection) {
			if li.Find(`a[href="`+tc.href+`"]`).Length() > 0 &&
				strings.Contains(textOf(li.Find(testid("search-excerpt"))), tc.excerpt) {
				found = true
			}
		})
		if !found {
			t.Errorf("%s: no mention of %s quoting %q in %q", tc.path, tc.href, tc.excerpt, textOf(sec))
		}
	}
	// Punctuation alone searches no passage.
	if r := get(t, env.h, "/search?q=%25"); parseHTML(t, r.body).Find(testid("search-mentions")).Length() != 0 {
		t.Error("a lone % listed passages")
	}
}

// The standings rank the teams still in: a rank column, LG first (the only
// published stage-1 total), the round each is ranked by with its date; the
// teams out have no rank column.
func TestStandingsRanking(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	for _, tc := range []struct{ path, rank, lgRound, date string }{
		{"/standings", "순위", "/rounds/stage-1", "2026"},
		{"/en/standings", "Rank", "/en/rounds/stage-1", "2026"},
	} {
		r := get(t, env.h, tc.path)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", tc.path, r.status)
		}
		in := one(t, r.body, testid("standings-in-table"))
		if h := textOf(in.Find("thead th").First()); h != tc.rank {
			t.Errorf("%s: first column %q, want %q", tc.path, h, tc.rank)
		}
		rows := in.Find("tbody tr")
		if rows.Length() != 4 {
			t.Fatalf("%s: %d teams still in, want 4", tc.path, rows.Length())
		}
		first := rows.First()
		if got := textOf(first.Find(testid("rank"))); got != "1" {
			t.Errorf("%s: first rank %q", tc.path, got)
		}
		if first.Find(`th a[href$="/teams/lg"]`).Length() == 0 {
			t.Errorf("%s: LG is not first: %v", tc.path, cellsOf(first))
		}
		by := first.Find(testid("ranked-by"))
		if by.Find(`a[href="`+tc.lgRound+`"]`).Length() == 0 || !strings.Contains(textOf(by), tc.date) {
			t.Errorf("%s: LG ranked by %q", tc.path, textOf(by))
		}
		rows.Slice(1, 4).Each(func(_ int, row *goquery.Selection) {
			if got := textOf(row.Find(testid("rank"))); got != "–" {
				t.Errorf("%s: a team with no published total ranked %q: %v", tc.path, got, cellsOf(row))
			}
		})
		out := one(t, r.body, testid("standings-out-table"))
		if out.Find(testid("rank")).Length() != 0 || out.Find("tbody tr").Length() == 0 {
			t.Errorf("%s: teams out ranked or missing", tc.path)
		}
	}
}
