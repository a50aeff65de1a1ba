package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kai-challenge/portal/internal/pagecache"
	"github.com/kai-challenge/portal/internal/web/i18n"
)

// Bounds of the parameters a cached page takes.
const (
	// maxParams bounds the parameters of one request (a what-if scenario
	// names each category and team at most once).
	maxParams = 256
	// maxParamBytes bounds one parameter's name and value.
	maxParamBytes = 256
)

// whatIfParams are the what-if explorer's scenario parameters: fixed names
// and the prefixes of the per-category and per-team ones.
var (
	whatIfParams   = []string{"advance", "backfill", "min_total"}
	whatIfPrefixes = []string{"max.", "status."}
)

// pageParams returns the query parameters a public path uses: each route
// declares its own, and every other parameter (utm_source, a cache buster)
// is dropped before the page is rendered or looked up, so it can never
// cause a render or a cache entry of its own.
func pageParams(path string) func(name string) bool {
	_, p := i18n.Split(path)
	switch {
	case strings.HasPrefix(p, apiPrefix+"/") || strings.HasPrefix(p, "/data/"):
		return func(name string) bool { return name == "program" }
	case p == "/search":
		return func(name string) bool { return name == "q" }
	case strings.HasPrefix(p, "/rounds/") && strings.HasSuffix(p, "/what-if"):
		return func(name string) bool {
			for _, n := range whatIfParams {
				if name == n {
					return true
				}
			}
			for _, pre := range whatIfPrefixes {
				if strings.HasPrefix(name, pre) && len(name) > len(pre) {
					return true
				}
			}
			return false
		}
	}
	return func(string) bool { return false }
}

// canonicalQuery is the page cache's canonical form of a request's query:
// the parameters its page uses, sorted by name, in their order of arrival
// within a name. A parameter that is too long, too many parameters, or one
// that is not valid text is a bad request.
func canonicalQuery(r *http.Request) (string, error) {
	if r.URL.RawQuery == "" {
		return "", nil
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", pagecache.ErrBadRequest
	}
	uses := pageParams(r.URL.Path)
	kept := url.Values{}
	n := 0
	for name, vals := range q {
		if !uses(name) {
			continue
		}
		for _, v := range vals {
			n++
			if n > maxParams || len(name)+len(v) > maxParamBytes || !cleanText(v) || !cleanText(name) {
				return "", pagecache.ErrBadRequest
			}
		}
		kept[name] = vals
	}
	return kept.Encode(), nil
}

// cleanText reports whether s is valid UTF-8 without control characters.
func cleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	return strings.IndexFunc(s, unicode.IsControl) < 0
}

// hotPages are rebuilt right after every change of the record, in both
// languages, so no visitor waits for their render after a publication.
var hotPages = []string{"/", "/standings", "/rounds", "/feed.atom", "/en", "/en/standings", "/en/rounds", "/en/feed.atom", apiPrefix + "/rounds"}

// roundPages are the pages of the default program's rounds in both
// languages, rebuilt after every change like the hot pages: on an
// announcement the announced round's page is as hot as the standings, and
// a large round's page takes a while to build.
func (s *server) roundPages(ctx context.Context) []string {
	prog, err := s.store.DefaultProgram(ctx)
	if err != nil {
		return nil
	}
	rounds, err := s.store.PublicRounds(ctx, prog.Slug)
	if err != nil {
		return nil
	}
	out := make([]string, 0, 2*len(rounds))
	for _, rd := range rounds {
		out = append(out, "/rounds/"+rd.Slug, "/en/rounds/"+rd.Slug)
	}
	return out
}

// PageCacheOptions are the page cache's options for this server's routes:
// canonical keys, the hot pages, what is never cached, and a bound of
// maxBytes on its memory (0 for the default).
func PageCacheOptions(maxBytes int64) pagecache.Options {
	return pagecache.Options{
		MaxBytes:      maxBytes,
		TTL:           time.Minute,
		Canonical:     canonicalQuery,
		Skip:          uncached,
		RenderTimeout: 15 * time.Second,
		Hot:           hotPages,
		CacheControl:  pagecache.DefaultCacheControl,
		Fail:          plainError,
	}
}

// plainError answers status with a short text in Korean and English. It is
// for the edge (a malformed request, a body too large, renders saturated),
// where nothing else should run.
func plainError(w http.ResponseWriter, r *http.Request, status int) {
	msg := map[int]string{
		http.StatusBadRequest:            "잘못된 요청입니다.\nBad request.\n",
		http.StatusRequestEntityTooLarge: "요청 본문이 너무 큽니다.\nRequest body too large.\n",
		http.StatusServiceUnavailable:    "잠시 후 다시 시도해 주십시오.\nPlease try again in a moment.\n",
	}[status]
	if msg == "" {
		msg = http.StatusText(status) + "\n"
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg))
}
