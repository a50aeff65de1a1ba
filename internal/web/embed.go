package web

import (
	"html"
	"net/http"
	"strings"

	"github.com/kai-challenge/portal/internal/web/view"
	"github.com/kai-challenge/portal/web/pages"
)

// embedPrefix starts the paths of the widgets other sites may frame, in
// Korean at /embed/… and in English at /en/embed/….
const embedPrefix = "/embed/"

// isEmbed reports whether path is a widget other sites may frame.
func isEmbed(path string) bool {
	return strings.HasPrefix(strings.TrimPrefix(path, "/en"), embedPrefix)
}

// embedContentSecurityPolicy is the policy of a widget: as strict as the
// pages', except that any site may frame it.
const embedContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors *; base-uri 'self'; form-action 'self'"

// handleEmbedStandings is the standings widget: the teams still in by rank,
// as on /standings, in a document without the portal's frame.
func (s *server) handleEmbedStandings(w http.ResponseWriter, r *http.Request) error {
	pr, in, _, err := s.loadStandings(r)
	if err != nil {
		return err
	}
	v := view.EmbedPage{Page: pr.page("standings", pr.T("ux.embed.title")), In: in}
	v.Full = v.BaseURL + pr.L.URL("/standings")
	return s.render(w, r, http.StatusOK, pages.EmbedStandings(v))
}

// embedSnippet is the HTML another site pastes to frame the widget at url:
// an iframe with an accessible title, lazily loaded.
func embedSnippet(url, title string) (string, string) {
	return url, `<iframe src="` + html.EscapeString(url) + `" title="` + html.EscapeString(title) +
		`" width="100%" height="420" loading="lazy"></iframe>`
}
