package pagecache

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// variant is one stored encoding of an entry with the header values a hit
// sends, built once with the entry so that serving it copies nothing.
type variant struct {
	body   []byte
	etag   []string // the quoted strong ETag of this encoding
	enc    []string // Content-Encoding, nil for identity
	length []string // Content-Length
}

func newVariant(body []byte, etag, enc string) variant {
	v := variant{body: body, length: []string{strconv.Itoa(len(body))}}
	if enc == "" {
		v.etag = []string{`"` + etag + `"`}
	} else {
		v.etag = []string{`"` + etag + "-" + enc + `"`}
		v.enc = []string{enc}
	}
	return v
}

// Header values shared by every hit. A stored or shared value is never
// written into: http.Header.Set and Add replace or grow a slice of length
// equal to its capacity, so they never touch the shared array.
var (
	varyEncoding = []string{"Accept-Encoding"}
	acceptRanges = []string{"bytes"}
	cacheHit     = []string{"HIT"}
	cacheStale   = []string{"STALE"}
)

// serve writes e like a static file, in the best encoding the client
// accepts. A plain GET or HEAD (the announcement-day crowd) is answered
// directly with its length; a conditional or range request goes through
// http.ServeContent (304 per encoding, 206, 412).
func (c *Cache) serve(w http.ResponseWriter, r *http.Request, e *entry, fresh bool) {
	h := w.Header()
	for k, vs := range e.header {
		h[k] = vs[:len(vs):len(vs)]
	}
	v := &e.ident
	if e.gz != nil {
		h["Vary"] = varyEncoding
		switch ae := r.Header.Get("Accept-Encoding"); {
		case accepts(ae, "br"):
			v = e.br
		case accepts(ae, "gzip"):
			v = e.gz
		}
	}
	h["Etag"] = v.etag
	if v.enc != nil {
		h["Content-Encoding"] = v.enc
	}
	h["X-Cache"] = cacheHit
	if !fresh {
		h["X-Cache"] = cacheStale
	}
	if !plain(r) {
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(v.body))
		return
	}
	// http.ServeContent leaves out the length of an encoded body, which
	// makes every compressed hit a chunked response.
	h["Accept-Ranges"] = acceptRanges
	h["Content-Length"] = v.length
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(v.body)
	}
}

// plain reports whether r asks for the whole body unconditionally.
func plain(r *http.Request) bool {
	for _, k := range [...]string{"Range", "If-None-Match", "If-Match", "If-Modified-Since", "If-Unmodified-Since", "If-Range"} {
		if _, ok := r.Header[k]; ok {
			return false
		}
	}
	return true
}

// accepts reports whether an Accept-Encoding header accepts coding (with a
// non-zero quality).
func accepts(header, coding string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), coding) {
			continue
		}
		q, ok := strings.CutPrefix(strings.TrimSpace(params), "q=")
		if !ok {
			return true
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(q), 64)
		return err == nil && v > 0
	}
	return false
}
