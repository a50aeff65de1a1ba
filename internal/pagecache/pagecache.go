// Package pagecache keeps rendered public pages in memory so an
// announcement-day crowd is served at close to static-file speed. Entries
// live for a short time and are all dropped when the record changes: the
// server calls Invalidate on every change notification from PostgreSQL
// (LISTEN/NOTIFY), so every portal process sharing a database stays fresh.
package pagecache

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Cache is a bounded in-memory cache of whole HTTP responses.
type Cache struct {
	ttl   time.Duration
	max   int
	now   func() time.Time
	group singleflight.Group

	mu      sync.RWMutex
	gen     uint64
	entries map[string]*entry
}

type entry struct {
	gen     uint64
	expires time.Time
	status  int
	header  http.Header
	body    []byte
}

// New returns a cache whose entries live for ttl, holding at most max pages.
func New(ttl time.Duration, max int) *Cache {
	return &Cache{ttl: ttl, max: max, now: time.Now, entries: map[string]*entry{}}
}

// Invalidate drops every cached page.
func (c *Cache) Invalidate() {
	c.mu.Lock()
	c.gen++
	c.entries = map[string]*entry{}
	c.mu.Unlock()
}

// Len returns the number of cached pages.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// Middleware caches GET and HEAD responses that the handler marked public
// (Cache-Control: public) with status 200. Requests for which skip returns
// true (staff pages, signed-in users) always go to the handler.
func (c *Cache) Middleware(skip func(*http.Request) bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if (r.Method != http.MethodGet && r.Method != http.MethodHead) || skip(r) {
				next.ServeHTTP(w, r)
				return
			}
			key := r.Method + " " + r.URL.RequestURI()
			if e := c.get(key); e != nil {
				e.write(w, r)
				return
			}
			c.mu.RLock()
			gen := c.gen
			c.mu.RUnlock()
			v, _, shared := c.group.Do(key, func() (any, error) {
				rec := &recorder{header: http.Header{}, status: http.StatusOK}
				next.ServeHTTP(rec, r)
				e := &entry{gen: gen, expires: c.now().Add(c.ttl), status: rec.status, header: rec.header, body: rec.body.Bytes()}
				if rec.status == http.StatusOK && cacheable(rec.header) {
					c.put(key, e)
				}
				return e, nil
			})
			e := v.(*entry)
			if shared && !(e.status == http.StatusOK && cacheable(e.header)) {
				// Another request's private response is not ours to reuse.
				next.ServeHTTP(w, r)
				return
			}
			e.write(w, r)
		})
	}
}

func cacheable(h http.Header) bool {
	return strings.Contains(h.Get("Cache-Control"), "public") && h.Get("Set-Cookie") == ""
}

func (c *Cache) get(key string) *entry {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e := c.entries[key]
	if e == nil || e.gen != c.gen || c.now().After(e.expires) {
		return nil
	}
	return e
}

func (c *Cache) put(key string, e *entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.gen != c.gen {
		return // the record changed while the page was rendered
	}
	if len(c.entries) >= c.max {
		now := c.now()
		for k, old := range c.entries {
			if now.After(old.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= c.max {
			c.entries = map[string]*entry{}
		}
	}
	c.entries[key] = e
}

func (e *entry) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, vs := range e.header {
		h[k] = append([]string(nil), vs...)
	}
	if etag := e.header.Get("ETag"); etag != "" && r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(e.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(e.body)
	}
}

// recorder captures a response.
type recorder struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = status, true
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}
