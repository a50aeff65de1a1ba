package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/a-h/templ"

	"github.com/kai-challenge/portal/internal/web/i18n"
	"github.com/kai-challenge/portal/internal/web/view"
)

// render renders c into a buffer first, so a failing template becomes a
// clean error page instead of half a page, then writes it with status.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		return fmt.Errorf("web: render %s: %w", r.URL.Path, err)
	}
	lang, _ := splitPath(r)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(lang))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", pageCacheControl(status))
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// servePage serves a public page of the default program: read gets what
// the page shows, build turns it into the page's view model in the
// request's language and tmpl renders it.
func servePage[T, V any](s *server, read func(ctx context.Context, program string) (T, error),
	build func(*pageReq, T) (V, error), tmpl func(V) templ.Component) handlerFunc {
	return serveSlugPage(s, func(ctx context.Context, program, _ string) (T, error) { return read(ctx, program) }, build, tmpl)
}

// serveSlugPage serves a public page about the record the path's {slug}
// names, as servePage does.
func serveSlugPage[T, V any](s *server, read func(ctx context.Context, program, slug string) (T, error),
	build func(*pageReq, T) (V, error), tmpl func(V) templ.Component) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		pr, data, err := loadSlug(s, r, read)
		if err != nil {
			return err
		}
		v, err := build(pr, data)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, tmpl(v))
	}
}

// pageCacheControl is the Cache-Control of a page of status. A page that
// rendered (200) may be cached briefly by browsers and CDNs: a flash crowd
// on announcement day then mostly hits caches. Any other status is never
// stored: a 404 or 405 for the results, revisions or downloads of a round
// about to be published would otherwise outlive the announcement.
func pageCacheControl(status int) string {
	if status == http.StatusOK {
		return "public, max-age=60"
	}
	return "no-store"
}

// splitPath returns the request's language and its language-neutral path.
func splitPath(r *http.Request) (i18n.Lang, string) {
	return i18n.Split(r.URL.Path)
}

// page returns the layout data of a page.
func (s *server) page(L *i18n.Localizer, path, section, title string) view.Page {
	return view.Page{
		L:        L,
		Title:    title,
		Section:  section,
		Path:     path,
		BaseURL:  s.baseURL,
		CSS:      s.static.URL("portal.css"),
		Icon:     s.static.URL("favicon.svg"),
		Official: s.official,
		Operator: s.operator.In(string(L.Lang())),
	}
}
