package web

// The Atom 1.0 feed of announcements (RFC 4287): one entry per publication
// of a round, per correction of published results, and per team selected,
// added, not selected, eliminated, disqualified or withdrawn in a published
// round. /feed.atom puts Korean first, /en/feed.atom English first; every
// title carries both languages. The feed reads PublicFeed, and the public
// round page of a corrected round for the names of its criteria, so an
// unpublished round never appears in it.

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/i18n"
)

// feedTagDate is the date of the tag: URIs that identify the feed and its
// entries (RFC 4151); it never changes, so the ids stay stable.
const feedTagDate = "2025"

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID       string      `xml:"id"`
	Title    atomText    `xml:"title"`
	Subtitle atomText    `xml:"subtitle"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Icon     string      `xml:"icon,omitempty"`
	Entries  []atomEntry `xml:"entry"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomLink struct {
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	Hreflang string `xml:"hreflang,attr,omitempty"`
	Title    string `xml:"title,attr,omitempty"`
	Href     string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	ID        string         `xml:"id"`
	Title     atomText       `xml:"title"`
	Updated   string         `xml:"updated"`
	Published string         `xml:"published,omitempty"`
	Links     []atomLink     `xml:"link"`
	Category  []atomCategory `xml:"category"`
	Summary   atomText       `xml:"summary"`
	Content   atomText       `xml:"content"`
}

// Kinds of feed entries (their category terms), in the order entries of
// the same instant and round appear.
const (
	feedPublication = "publication"
	feedCorrection  = "correction"
	feedTeam        = "team"
	feedDisclosure  = "disclosure"
	feedObjection   = "objection"
)

var feedKindOrder = map[string]int{feedPublication: 0, feedCorrection: 1, feedTeam: 2, feedDisclosure: 3, feedObjection: 4}

// feedItem is an entry before encoding, with what orders it: newest first,
// then later rounds first, then by kind, then in the round's order.
type feedItem struct {
	entry   atomEntry
	updated time.Time
	round   int
	seq     int
}

func (it feedItem) kind() int { return feedKindOrder[it.entry.Category[0].Term] }

// feedBuilder builds the entries of one feed language.
type feedBuilder struct {
	s     *server
	L, O  *i18n.Localizer // the feed's language and the other one
	base  string          // absolute address of the portal
	tag   string          // "tag:host,2025:program/"
	items []feedItem
}

// title joins a message in both languages, the feed's first.
func (b *feedBuilder) title(id string, args func(l *i18n.Localizer) []any) string {
	return b.L.T(id, args(b.L)...) + " / " + b.O.T(id, args(b.O)...)
}

func (b *feedBuilder) pageURL(path string) string { return b.base + b.L.URL(path) }

// handleFeed serves the Atom feed of the default program.
func (s *server) handleFeed(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.begin(r)
	if err != nil {
		return err
	}
	lang := pr.L.Lang()
	f, err := s.store.PublicFeed(r.Context(), pr.prog.Slug)
	if err != nil {
		return err
	}
	base := s.absBase(r)
	b := &feedBuilder{s: s, L: pr.L, O: s.i18n.Localizer(lang.Other()), base: base,
		tag: "tag:" + tagAuthority(base) + "," + feedTagDate + ":" + f.Program.Slug + "/"}
	for _, rd := range f.Rounds {
		crit, err := s.correctedCriteria(r.Context(), f.Program.Slug, rd)
		if err != nil {
			return err
		}
		b.round(rd, crit)
	}
	sort.SliceStable(b.items, func(i, j int) bool {
		x, y := b.items[i], b.items[j]
		if !x.updated.Equal(y.updated) {
			return x.updated.After(y.updated)
		}
		if x.round != y.round {
			return x.round > y.round
		}
		if x.kind() != y.kind() {
			return x.kind() < y.kind()
		}
		return x.seq < y.seq
	})
	self := base + i18n.Localize(lang, "/feed.atom")
	feed := atomFeed{
		Lang:     string(lang),
		ID:       b.tag + "feed/" + string(lang),
		Title:    atomText{Type: "text", Body: b.L.T("site.name") + " — " + b.L.Text(f.Program.Name)},
		Subtitle: atomText{Type: "text", Body: b.L.T("data.feed.subtitle")},
		Updated:  instant(f.Program.UpdatedAt),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: self},
			{Rel: "alternate", Type: "text/html", Hreflang: string(lang), Href: base + i18n.Localize(lang, "/")},
			{Rel: "alternate", Type: "application/atom+xml", Hreflang: string(lang.Other()), Href: base + i18n.Localize(lang.Other(), "/feed.atom")},
		},
		Author: atomPerson{Name: b.L.T("site.name"), URI: base + i18n.Localize(lang, "/")},
		Icon:   base + s.static.URL("favicon.svg"),
	}
	if len(b.items) > 0 {
		// The feed changed when its newest entry did; entries are sorted newest first.
		feed.Updated = b.items[0].entry.Updated
	}
	for _, it := range b.items {
		feed.Entries = append(feed.Entries, it.entry)
	}
	body, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return fmt.Errorf("web: encode feed: %w", err)
	}
	allowOrigin(w)
	// A browser opening the feed renders it through feed.xsl; readers
	// ignore the processing instruction.
	head := xml.Header + `<?xml-stylesheet type="text/xsl" href="` + s.static.URL("feed.xsl") + `"?>` + "\n"
	writeCacheable(w, r, "application/atom+xml; charset=utf-8", append([]byte(head), append(body, '\n')...))
	return nil
}

// absBase is the portal's absolute address: BASE_URL, or else the address
// the request came to.
func (s *server) absBase(r *http.Request) string {
	if s.baseURL != "" {
		return s.baseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = "localhost"
	}
	return scheme + "://" + host
}

// tagAuthority is the host name of base, for tag: URIs (which allow no port).
func tagAuthority(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return "localhost"
	}
	host := u.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.ToLower(host)
}

// correctedCriteria names the criteria of a published round that has
// corrections, so a correction entry names the criterion it changed as
// the round page does; nil, without a query, for a round never corrected.
func (s *server) correctedCriteria(ctx context.Context, program string, rd postgres.PublicFeedRound) (map[string]contest.Text, error) {
	corrected := false
	for _, v := range rd.Revisions {
		corrected = corrected || v.Revision > 1
	}
	if !corrected {
		return nil, nil
	}
	d, err := s.store.PublicRound(ctx, program, rd.Slug)
	if err != nil {
		return nil, err
	}
	names := make(map[string]contest.Text, len(d.Criteria))
	for _, c := range d.Criteria {
		names[c.Code] = c.Name
	}
	return names, nil
}

// round adds the entries of one published round: its publication, each
// correction and each team that joined or left. criteria names the
// round's criteria by code.
func (b *feedBuilder) round(rd postgres.PublicFeedRound, criteria map[string]contest.Text) {
	published := rd.PublishedAt
	if published == nil { // a published round always has its time; be safe
		published = rd.AnnounceAt
	}
	if published == nil {
		return
	}
	// The outcomes now in force date from the latest revision.
	outcomesAt := *published
	if n := len(rd.Revisions); n > 0 {
		outcomesAt = rd.Revisions[n-1].PublishedAt
	}
	b.publication(rd, *published)
	b.corrections(rd, criteria)
	b.teamChanges(rd, *published, outcomesAt)
	b.disclosures(rd)
	b.objections(rd)
}

// disclosures adds an entry for each dated disclosure step of a round.
func (b *feedBuilder) disclosures(rd postgres.PublicFeedRound) {
	roundURL := b.pageURL("/rounds/" + rd.Slug)
	for i, st := range rd.Disclosures {
		summary := b.L.T("feed.disclosure.summary", "level", b.L.T("disclosure."+st.Level), "note", b.L.Text(st.Note))
		b.items = append(b.items, feedItem{
			entry: atomEntry{
				ID: b.tag + "rounds/" + rd.Slug + "/disclosures/" + strconv.FormatInt(st.ID, 10),
				Title: atomText{Type: "text", Body: b.title("feed.disclosure", func(l *i18n.Localizer) []any {
					return []any{"round", l.Text(rd.Name), "level", l.T("disclosure." + st.Level)}
				})},
				Updated:   instant(st.On),
				Published: instant(st.On),
				Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: roundURL}},
				Category:  []atomCategory{{Term: feedDisclosure, Label: b.L.T("disclosure.heading")}},
				Summary:   atomText{Type: "text", Body: summary},
				Content:   atomText{Type: "html", Body: "<p>" + html.EscapeString(summary) + "</p>"},
			},
			updated: st.On, round: rd.Position, seq: i,
		})
	}
}

// objections adds an entry for each objection filed against a round,
// dated when it was decided, or else when it was filed.
func (b *feedBuilder) objections(rd postgres.PublicFeedRound) {
	roundURL := b.pageURL("/rounds/" + rd.Slug)
	for i, o := range rd.Objections {
		at := o.FiledOn
		if o.DecidedOn != nil {
			at = *o.DecidedOn
		}
		summary := b.L.Text(o.Summary) + " — " + b.L.T("objection.status."+o.Status)
		if d := b.L.Text(o.Decision); d != "" {
			summary += ": " + d
		}
		b.items = append(b.items, feedItem{
			entry: atomEntry{
				ID: b.tag + "rounds/" + rd.Slug + "/objections/" + strconv.FormatInt(o.ID, 10),
				Title: atomText{Type: "text", Body: b.title("feed.objection", func(l *i18n.Localizer) []any {
					return []any{"round", l.Text(rd.Name), "team", l.Text(o.Team.Name)}
				})},
				Updated:   instant(at),
				Published: instant(o.FiledOn),
				Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: roundURL}},
				Category:  []atomCategory{{Term: feedObjection, Label: b.L.T("objection.heading")}},
				Summary:   atomText{Type: "text", Body: summary},
				Content:   atomText{Type: "html", Body: "<p>" + html.EscapeString(summary) + "</p>"},
			},
			updated: at, round: rd.Position, seq: i,
		})
	}
}

// publication adds the entry of a round's publication: its outcomes.
func (b *feedBuilder) publication(rd postgres.PublicFeedRound, published time.Time) {
	roundName := func(l *i18n.Localizer) []any { return []any{"round", l.Text(rd.Name)} }
	roundURL := b.pageURL("/rounds/" + rd.Slug)
	resultsURL := b.base + apiPrefix + "/rounds/" + rd.Slug + "/results"
	counts := map[string]int{}
	var order []string
	for _, o := range rd.Outcomes {
		if counts[o.Outcome] == 0 {
			order = append(order, o.Outcome)
		}
		counts[o.Outcome]++
	}
	var parts []string
	for _, code := range order {
		parts = append(parts, b.L.T("outcome."+code)+" "+strconv.Itoa(counts[code]))
	}
	summary := b.L.T("data.feed.published.summary", "entrants", rd.Entrants, "outcomes", strings.Join(parts, " · "))
	var content strings.Builder
	content.WriteString("<p>" + html.EscapeString(summary) + "</p><ul>")
	for _, o := range rd.Outcomes {
		content.WriteString(`<li><a href="` + html.EscapeString(b.pageURL("/teams/"+o.Team.Slug)) + `">` + html.EscapeString(b.L.Text(o.Team.Name)) + "</a> — " +
			html.EscapeString(b.L.T("outcome."+o.Outcome)))
		if o.Rank != nil {
			content.WriteString(" (" + html.EscapeString(b.L.T("outcome.rank", "n", *o.Rank)) + ")")
		}
		if reason := b.L.Text(o.Reason); reason != "" {
			content.WriteString(": " + html.EscapeString(reason))
		}
		content.WriteString("</li>")
	}
	content.WriteString("</ul>")
	b.items = append(b.items, feedItem{
		entry: atomEntry{
			ID:        b.tag + "rounds/" + rd.Slug + "/publication",
			Title:     atomText{Type: "text", Body: b.title("data.feed.published", roundName)},
			Updated:   instant(published),
			Published: instant(published),
			Links: []atomLink{
				{Rel: "alternate", Type: "text/html", Href: roundURL},
				{Rel: "related", Type: "application/json", Title: "results", Href: resultsURL},
			},
			Category: []atomCategory{{Term: feedPublication, Label: b.L.T("data.feed.category.publication")}},
			Summary:  atomText{Type: "text", Body: summary},
			Content:  atomText{Type: "html", Body: content.String()},
		},
		updated: published, round: rd.Position,
	})
}

// corrections adds an entry for each correction of a round. criteria names
// the round's criteria by code.
func (b *feedBuilder) corrections(rd postgres.PublicFeedRound, criteria map[string]contest.Text) {
	roundURL := b.pageURL("/rounds/" + rd.Slug)
	teamNames := map[string]contest.Text{}
	for _, o := range rd.Outcomes {
		teamNames[o.Team.Slug] = o.Team.Name
	}
	for _, v := range rd.Revisions {
		if v.Revision < 2 {
			continue
		}
		n := v.Revision
		change := b.describeChange(v.Change, teamNames, criteria)
		summary := b.L.T("data.feed.corrected.summary", "reason", b.L.Text(v.Reason), "change", change)
		revURL := b.base + apiPrefix + "/rounds/" + rd.Slug + "/revisions/" + strconv.Itoa(n)
		b.items = append(b.items, feedItem{
			entry: atomEntry{
				ID: b.tag + "rounds/" + rd.Slug + "/revisions/" + strconv.Itoa(n),
				Title: atomText{Type: "text", Body: b.title("data.feed.corrected", func(l *i18n.Localizer) []any {
					return []any{"round", l.Text(rd.Name), "n", n}
				})},
				Updated:   instant(v.PublishedAt),
				Published: instant(v.PublishedAt),
				Links: []atomLink{
					{Rel: "alternate", Type: "text/html", Href: roundURL},
					{Rel: "related", Type: "application/json", Title: "revision " + strconv.Itoa(n), Href: revURL},
				},
				Category: []atomCategory{{Term: feedCorrection, Label: b.L.T("data.feed.category.correction")}},
				Summary:  atomText{Type: "text", Body: summary},
				Content: atomText{Type: "html", Body: "<p>" + html.EscapeString(b.L.T("data.feed.corrected.reason", "reason", b.L.Text(v.Reason))) + "</p><p>" +
					html.EscapeString(change) + "</p>"},
			},
			updated: v.PublishedAt, round: rd.Position, seq: n,
		})
	}
}

// teamChanges adds an entry for each team that joined or left in a round.
// Advancing is no change of the field.
func (b *feedBuilder) teamChanges(rd postgres.PublicFeedRound, published, outcomesAt time.Time) {
	roundURL := b.pageURL("/rounds/" + rd.Slug)
	for i, o := range rd.Outcomes {
		id := "data.feed.team." + o.Outcome
		switch o.Outcome {
		case contest.OutcomeAdvanced:
			continue
		case contest.OutcomeSelected:
			if rd.Kind == contest.KindAdditional {
				id = "data.feed.team.added"
			}
		}
		args := func(l *i18n.Localizer) []any { return []any{"team", l.Text(o.Team.Name), "round", l.Text(rd.Name)} }
		summary := b.L.Text(o.Reason)
		if summary == "" {
			summary = b.L.T("outcome." + o.Outcome)
		}
		content := "<p>" + html.EscapeString(summary) + "</p>"
		if note := b.L.Text(o.Note); note != "" {
			content += "<p>" + html.EscapeString(note) + "</p>"
		}
		content += `<p><a href="` + html.EscapeString(roundURL) + `">` + html.EscapeString(b.L.Text(rd.Name)) + "</a></p>"
		b.items = append(b.items, feedItem{
			entry: atomEntry{
				ID:        b.tag + "rounds/" + rd.Slug + "/teams/" + o.Team.Slug,
				Title:     atomText{Type: "text", Body: b.title(id, args)},
				Updated:   instant(outcomesAt),
				Published: instant(published),
				Links: []atomLink{
					{Rel: "alternate", Type: "text/html", Href: b.pageURL("/teams/" + o.Team.Slug)},
					{Rel: "related", Type: "text/html", Title: b.L.Text(rd.Name), Href: roundURL},
				},
				Category: []atomCategory{{Term: feedTeam, Label: b.L.T("outcome." + o.Outcome)}},
				Summary:  atomText{Type: "text", Body: summary},
				Content:  atomText{Type: "html", Body: content},
			},
			updated: outcomesAt, round: rd.Position, seq: i,
		})
	}
}

// describeChange says in the feed's language what a correction changed,
// naming the team and the criterion as the round page does.
func (b *feedBuilder) describeChange(raw json.RawMessage, teams, criteria map[string]contest.Text) string {
	c, err := decodeChange(raw)
	if err != nil || c.Kind == "" {
		return b.L.T("data.feed.change.unknown")
	}
	team := c.Team
	if n, ok := teams[c.Team]; ok {
		team = b.L.Text(n)
	}
	switch c.Kind {
	case changeScore:
		crit := c.Criterion
		if n, ok := criteria[c.Criterion]; ok {
			crit = b.L.Text(n)
		}
		if c.Evaluator > 0 {
			return b.L.T("data.feed.change.score_evaluator", "team", team, "criterion", crit, "evaluator", c.Evaluator, "old", c.Old, "new", c.New)
		}
		return b.L.T("data.feed.change.score", "team", team, "criterion", crit, "old", c.Old, "new", c.New)
	case changeEligibility:
		return b.L.T("data.feed.change.eligibility", "team", team, "old", b.L.T("entry."+c.Old), "new", b.L.T("entry."+c.New))
	}
	return b.L.T("data.feed.change.unknown")
}
