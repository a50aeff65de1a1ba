// Package view holds the view models of the public pages: typed values
// shaped like each page, already in the page's language and already
// formatted, that the templ components in web/ render. They hold no
// database rows, requests or I/O; internal/web builds them from the store.
package view

import (
	"github.com/kai-challenge/portal/internal/web/i18n"
)

// Page is what the layout needs on every page.
type Page struct {
	// L translates UI messages into the page's language.
	L *i18n.Localizer
	// Title is the page's own title, without the portal name.
	Title string
	// Section is the navigation entry the page belongs to ("overview",
	// "standings", "teams", "rounds", "history", "organizations", "funding").
	Section string
	// Path is the language-neutral path of the page, e.g. "/teams/lg".
	Path string
	// BaseURL is the portal's public address, for absolute alternate links.
	BaseURL string
	// CSS and Icon are the content-addressed URLs of the static assets.
	CSS  string
	Icon string
	// ProgramName names the program the pages describe; "" on error pages.
	ProgramName string
	// UpdatedAt is when the record last changed; "" when unknown.
	UpdatedAt string
	// Description is the page's own summary for search results and link
	// previews; "" uses the portal's description.
	Description string
	// OGType is the Open Graph type: "website" (the default) or "article".
	OGType string
	// OGImage is the path of the page's link-preview image and OGImageAlt
	// what it shows; "" for a page without one.
	OGImage    string
	OGImageAlt string
	// Query is the canonical query string of a page whose content it
	// determines (a what-if scenario, a search), without "?"; "" for every
	// other page, whose permalink is its path.
	Query string
	// RawQuery is the request's own query on such a page, kept by the
	// language switch so the visitor's input survives it.
	RawQuery string
	// PrintCSS is the versioned URL of the print stylesheet; "" omits it.
	PrintCSS string
	// Official shows the official e-government masthead: the deployment
	// is the government's own site.
	Official bool
	// Operator names the operating agency in the footer identifier; ""
	// says the portal is not an official government site.
	Operator string
}

// T translates a UI message.
func (p Page) T(id string, args ...any) string { return p.L.T(id, args...) }

// Lang is the page language as an attribute value.
func (p Page) Lang() string { return string(p.L.Lang()) }

// URL localizes a language-neutral path into the page's language.
func (p Page) URL(path string) string { return p.L.URL(path) }

// SwitchLang is the language the switch link leads to.
func (p Page) SwitchLang() string { return string(p.L.Lang().Other()) }

// SwitchURL is this page in the other language (with the same scenario,
// for pages that have one).
func (p Page) SwitchURL() string {
	return WithQuery(i18n.Localize(p.L.Lang().Other(), p.Path), p.RawQuery)
}

// SwitchLabel names the other language in that language.
func (p Page) SwitchLabel() string {
	if p.L.Lang() == i18n.EN {
		return "한국어"
	}
	return "English"
}

// AltURL is the absolute URL of this page in lang, for rel=alternate links.
func (p Page) AltURL(lang string) string {
	return p.BaseURL + WithQuery(i18n.Localize(i18n.Lang(lang), p.Path), p.Query)
}

// CanonicalURL is the page's permalink: its absolute URL in its language.
func (p Page) CanonicalURL() string { return p.AltURL(p.Lang()) }

// WithQuery appends a query string (without "?") to a path when there is one.
func WithQuery(path, query string) string {
	if query == "" {
		return path
	}
	return path + "?" + query
}

// MetaDescription is the page's description for search engines and link
// previews.
func (p Page) MetaDescription() string {
	if p.Description != "" {
		return p.Description
	}
	return p.T("site.description")
}

// OGTitle is the title link previews show.
func (p Page) OGTitle() string {
	if p.Title == "" {
		return p.T("site.name")
	}
	return p.Title
}

// OGKind is the Open Graph type of the page.
func (p Page) OGKind() string {
	if p.OGType == "" {
		return "website"
	}
	return p.OGType
}

// OGLocale is the Open Graph locale of the page language; OGLocaleAlt
// that of the other language.
func (p Page) OGLocale() string { return ogLocale(p.L.Lang()) }

// OGLocaleAlt is the Open Graph locale of the other language.
func (p Page) OGLocaleAlt() string { return ogLocale(p.L.Lang().Other()) }

func ogLocale(l i18n.Lang) string {
	if l == i18n.EN {
		return "en_US"
	}
	return "ko_KR"
}

// FeedURL is the Atom feed in the page language.
func (p Page) FeedURL() string { return p.URL("/feed.atom") }

// FeedPageURL is the page explaining the feed, which renders it readably.
func (p Page) FeedPageURL() string { return p.URL("/feed") }

// SearchURL is the search page in the page language.
func (p Page) SearchURL() string { return p.URL("/search") }

// DataURL is the open-data page in the page language.
func (p Page) DataURL() string { return p.URL("/data") }

// FullTitle is the document title.
func (p Page) FullTitle() string {
	if p.Title == "" {
		return p.T("site.name")
	}
	return p.Title + " · " + p.T("site.name")
}

// NavItem is one entry of the main navigation.
type NavItem struct {
	Section string
	Label   string
	URL     string
	Current bool
}

// Nav lists the main navigation in order, marking the current section.
func (p Page) Nav() []NavItem {
	sections := []struct{ key, path string }{
		{"overview", "/"}, {"standings", "/standings"}, {"teams", "/teams"}, {"rounds", "/rounds"},
		{"history", "/history"}, {"organizations", "/organizations"}, {"funding", "/funding"}, {"data", "/data"},
	}
	out := make([]NavItem, len(sections))
	for i, s := range sections {
		out[i] = NavItem{Section: s.key, Label: p.T("nav." + s.key), URL: p.URL(s.path), Current: p.Section == s.key}
	}
	return out
}

// Link is a labelled link; URL "" renders plain text.
type Link struct {
	Text string
	URL  string
}

// Source is a cited public source.
type Source struct {
	Label string // e.g. "S19"
	URL   string
	Host  string // e.g. "zdnet.co.kr"
	Date  string // publication date, or an approximate note
}

// Marker flags a fact that is not confirmed: Code is "reported" or
// "conflicting"; nil for confirmed facts.
type Marker struct {
	Code  string
	Label string
	Title string
}

// Cell is a figure, or a figure that was not disclosed.
type Cell struct {
	Text        string
	Undisclosed bool
}

// Outcome is a team's outcome in a round.
type Outcome struct {
	Team    Link
	Slug    string // team slug
	Code    string // selected | not_selected | advanced | eliminated | disqualified | withdrew
	Label   string
	Rank    string
	Reason  string
	Note    string
	Sources []Source
}

// Figure is a named published figure.
type Figure struct {
	Name  string
	Value string
	Total bool
}

// Amount is a money amount or "not disclosed".
type Amount = Cell

// Allocation is support given to a team or to the whole program.
type Allocation struct {
	Year      string
	Recipient Link
	Kind      string
	GPU       string // "B200 × 768"; "" when none
	Amount    Amount
	Marker    *Marker
	Note      string
	Sources   []Source
}
