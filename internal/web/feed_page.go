package web

import (
	"mime"
	"net/http"

	"github.com/kai-challenge/portal/internal/web/i18n"
	"github.com/kai-challenge/portal/internal/web/view"
	"github.com/kai-challenge/portal/web/pages"
)

// The feed's stylesheet (static/feed.xsl) must go out as XSLT for a browser
// to apply it; Go's built-in table does not know the extension.
func init() {
	if err := mime.AddExtensionType(".xsl", "text/xsl; charset=utf-8"); err != nil {
		panic(err)
	}
}

// handleFeedPage explains subscribing to the Atom feeds and links both.
func (s *server) handleFeedPage(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.begin(r)
	if err != nil {
		return err
	}
	v := view.FeedPage{Page: pr.page("data", pr.T("ux.feed.title"))}
	v.Description = pr.T("ux.feed.intro")
	for _, lang := range []i18n.Lang{pr.L.Lang(), pr.L.Lang().Other()} {
		path := i18n.Localize(lang, "/feed.atom")
		v.Feeds = append(v.Feeds, view.Download{Title: pr.T("data.feed." + string(lang)),
			Description: pr.T("data.feed." + string(lang) + ".desc"), URL: path, Address: s.baseURL + path, Format: "Atom"})
	}
	return s.render(w, r, http.StatusOK, pages.Feed(v))
}
