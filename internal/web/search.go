package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/i18n"
	"github.com/kai-challenge/portal/internal/web/view"
	"github.com/kai-challenge/portal/web/pages"
)

// maxQuery caps the length of a search query, in characters.
const maxQuery = 100

// handleSearch finds teams, organizations and rounds whose Korean or
// English name or slug contains the query (?q=), grouped by kind. Without a
// query it shows a hint.
func (s *server) handleSearch(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.begin(r)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if utf8.RuneCountInString(q) > maxQuery {
		q = string([]rune(q)[:maxQuery])
	}
	v := view.SearchPage{Page: pr.page("search", pr.T("data.search.title")), Q: q}
	if q == "" {
		return s.render(w, r, http.StatusOK, pages.Search(v))
	}
	// The query is part of the page: its permalink, the alternate links
	// and the language switch keep it.
	v.Query = url.Values{"q": {q}}.Encode()
	v.RawQuery = v.Query
	v.Title = pr.T("data.search.title_query", "query", q)
	res, err := s.store.PublicSearch(r.Context(), pr.prog.Slug, q)
	if err != nil {
		return err
	}
	var hits []postgres.PublicTextHit
	if wordy(q) {
		if hits, err = s.store.PublicSearchText(r.Context(), pr.prog.Slug, q); err != nil {
			return err
		}
	}
	v.Groups = pr.searchGroups(res)
	if items := pr.searchMentions(hits, q); len(items) > 0 {
		v.Groups = append(v.Groups, view.SearchGroup{Kind: "mentions", Title: pr.T("ux.search.mentions"), Items: items})
	}
	for _, g := range v.Groups {
		v.Total += len(g.Items)
		v.Capped = v.Capped || len(g.Items) >= postgres.SearchLimit
	}
	return s.render(w, r, http.StatusOK, pages.Search(v))
}

// searchGroups groups the matches by kind: teams, organizations, rounds;
// kinds without a match are left out.
func (pr *pageReq) searchGroups(res postgres.PublicSearchResults) []view.SearchGroup {
	var groups []view.SearchGroup
	add := func(kind, title string, items []view.SearchItem) {
		if len(items) > 0 {
			groups = append(groups, view.SearchGroup{Kind: kind, Title: title, Items: items})
		}
	}
	var items []view.SearchItem
	for _, t := range res.Teams {
		detail := pr.L.Text(t.Lead.Name)
		if t.Model != "" {
			detail += " · " + t.Model
		}
		items = append(items, view.SearchItem{Link: pr.teamLink(t.Slug, t.Name), Detail: detail})
	}
	add("teams", pr.T("data.search.teams"), items)
	items = nil
	for _, o := range res.Organizations {
		items = append(items, view.SearchItem{Link: pr.orgLink(o.Slug, o.Name), Detail: pr.T("data.org_kind." + o.Kind)})
	}
	add("organizations", pr.T("data.search.organizations"), items)
	items = nil
	for _, rd := range res.Rounds {
		detail := pr.T("round.kind." + rd.Kind)
		if rd.Period != "" {
			detail += " · " + rd.Period
		}
		if when := pr.L.Announcement(rd.AnnounceAt, rd.AnnounceDateOnly); when != "" {
			detail += " · " + when
		}
		items = append(items, view.SearchItem{Link: pr.roundLink(rd.Slug, rd.Name), Detail: detail})
	}
	add("rounds", pr.T("data.search.rounds"), items)
	return groups
}

// searchMentions lists the passages that mention q: the team or round
// linked, what the passage is (reason, note, source) and in which round,
// and an excerpt around the match in the page's language when it matches
// there, else in the other.
func (pr *pageReq) searchMentions(hits []postgres.PublicTextHit, q string) []view.SearchItem {
	var items []view.SearchItem
	for _, h := range hits {
		it := view.SearchItem{Detail: pr.T("ux.search.field." + h.Field)}
		if h.Kind == "round" {
			it.Link = pr.roundLink(h.Slug, h.Name)
		} else {
			it.Link = pr.teamLink(h.Slug, h.Name)
		}
		if h.Round.Slug != "" {
			it.Detail += " · " + pr.L.Text(h.Round.Name)
		}
		text, other := h.Text.KO, h.Text.EN
		if pr.L.Lang() == i18n.EN {
			text, other = other, text
		}
		if !containsFold(text, q) && containsFold(other, q) {
			text = other
		}
		it.Excerpt = excerpt(text, q, 60)
		items = append(items, it)
	}
	return items
}

// wordy reports whether q has at least two letters or digits: passages are
// searched only for such a query, since one character or punctuation alone
// (a %, an _) matches half the record.
func wordy(q string) bool {
	n := 0
	for _, r := range q {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n >= 2
}

// containsFold reports whether s contains sub, ignoring case.
func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// excerpt cuts s to about width characters either side of the first match
// of q (the start when q does not occur), with an ellipsis where cut.
func excerpt(s, q string, width int) string {
	rs := []rune(s)
	at := 0
	if i := strings.Index(strings.ToLower(s), strings.ToLower(q)); i >= 0 {
		at = utf8.RuneCountInString(strings.ToLower(s)[:i])
	}
	from, to := max(0, at-width), min(len(rs), at+utf8.RuneCountInString(q)+width)
	out := strings.TrimSpace(string(rs[from:to]))
	if from > 0 {
		out = "…" + out
	}
	if to < len(rs) {
		out += "…"
	}
	return out
}
