package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/kai-challenge/portal/internal/postgres"
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
	v.Groups = pr.searchGroups(res)
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
