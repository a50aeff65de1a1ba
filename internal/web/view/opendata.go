package view

// SearchPage is the search page: the query and what it found, grouped by
// kind. An empty query shows a hint instead.
type SearchPage struct {
	Page
	// Q is what the visitor searched for (the q parameter); Page.Query is
	// the page's canonical query string, which it determines.
	Q      string
	Groups []SearchGroup
	// Total counts every match; 0 with a query means nothing was found.
	Total int
	// Capped is true when a group holds only the first matches.
	Capped bool
}

// SearchGroup is the matches of one kind (teams, organizations, rounds).
type SearchGroup struct {
	Kind  string // "teams" | "organizations" | "rounds" | "mentions"
	Title string
	Items []SearchItem
}

// SearchItem is one match: a link to its page and a line that tells it
// apart (lead and model of a team, kind of an organization, kind and date
// of a round).
type SearchItem struct {
	Link   Link
	Detail string
	// Excerpt quotes the passage that mentions the query (text matches
	// only).
	Excerpt string
}

// DataPage lists what the portal publishes as data: the downloads, the
// JSON API and its OpenAPI document, and the Atom feeds.
type DataPage struct {
	Page
	// Files are the program-wide downloads.
	Files []Download
	// Rounds are the downloads of each published round.
	Rounds []RoundDownloads
	// API lists the API's main addresses.
	API        []Download
	OpenAPIURL string
	Feeds      []Download
	// FeedPage explains subscribing to the feeds.
	FeedPage string
	// EmbedURL is the standings widget and EmbedSnippet the HTML a site
	// pastes to frame it.
	EmbedURL     string
	EmbedSnippet string
}

// Download is one downloadable file or address.
type Download struct {
	Title       string
	Description string
	// URL is the link; Address is the same, absolute when the portal
	// knows its own address, to copy into scripts.
	URL     string
	Address string
	Format  string // "CSV", "JSON", "Atom"
}

// RoundDownloads is the downloads of one published round.
type RoundDownloads struct {
	Round Link
	Date  string
	Files []Download
}
