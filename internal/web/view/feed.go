package view

// FeedPage explains the Atom feeds: what they carry, how to subscribe, and
// both feeds, the page's language first.
type FeedPage struct {
	Page
	Feeds []Download
}
