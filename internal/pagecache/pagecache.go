// Package pagecache keeps whole public responses in memory so an
// announcement-day crowd is served at static-file speed.
//
// Each response is built once per change of the record and stored in
// identity, gzip and brotli, each with its own strong ETag; it is then
// served like a static file (http.ServeContent: 304 per encoding, Range).
// Entries are keyed by a canonical key (the path and only the parameters a
// page uses), bounded in bytes and evicted least recently used first.
//
// A change notification (Invalidate) does not drop anything: it marks every
// entry stale. The next request renders the page again, once for all
// concurrent visitors; if that render fails (the database is unreachable)
// the stale entry keeps being served, marked with X-Cache: STALE. The hot
// pages are rebuilt right after a notification, so no visitor waits for a
// render after a publication.
package pagecache

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
)

// Defaults of Options.
const (
	DefaultMaxBytes      = 64 << 20
	DefaultTTL           = time.Minute
	DefaultRenderTimeout = 15 * time.Second
	// DefaultCacheControl lets browsers and CDNs keep a page briefly, serve
	// it while they revalidate, and keep serving it for a day when the
	// portal fails.
	DefaultCacheControl = "public, max-age=10, stale-while-revalidate=60, stale-if-error=86400"
	// retryFailed is how long a stale entry is served without trying to
	// render it again after a failed render.
	retryFailed = 2 * time.Second
	// rebuildRecent is how many recently used pages are rebuilt after a
	// change, besides the hot pages.
	rebuildRecent = 32
	// entryOverhead approximates an entry's memory besides its bodies.
	entryOverhead = 1024
)

// ErrBadRequest is returned by a Canonical function for a request whose
// parameters are invalid; the request is answered 400 without a render.
var ErrBadRequest = errors.New("pagecache: bad request")

// Options configure a Cache. Zero values take the defaults.
type Options struct {
	// MaxBytes bounds the memory of the cached responses.
	MaxBytes int64
	// TTL is how long an entry is fresh without a change notification.
	TTL time.Duration
	// Canonical returns the canonical query of a request: only the
	// parameters its page uses, in a fixed order. The handler sees the
	// canonical query only. Nil keeps the query as it is.
	Canonical func(*http.Request) (string, error)
	// Skip tells which requests always go to the handler (staff pages,
	// signed-in users).
	Skip func(*http.Request) bool
	// MaxRenders bounds the uncached renders running at once; the others
	// wait up to RenderTimeout, then get the stale entry or a 503.
	MaxRenders int
	// RenderTimeout bounds one uncached render.
	RenderTimeout time.Duration
	// Hot are the paths (with their canonical query) rebuilt right after
	// every change notification.
	Hot []string
	// CacheControl is the Cache-Control of every cached response.
	CacheControl string
	// OnRender, when set, is called with the key of every render through
	// the cache (tests count renders with it).
	OnRender func(key string)
	// Fail writes an error response of status (400 for a bad request, 503
	// when the renders are saturated); nil writes plain text.
	Fail func(w http.ResponseWriter, r *http.Request, status int)
}

// Cache is a byte-bounded LRU cache of whole HTTP responses.
type Cache struct {
	opt   Options
	now   func() time.Time
	group singleflight.Group
	sem   chan struct{}
	next  atomic.Pointer[http.Handler]
	more  atomic.Pointer[func(context.Context) []string]

	renders atomic.Int64
	rebuild chan struct{}

	mu    sync.Mutex
	gen   uint64
	bytes int64
	// rendering holds the keys being rendered now: while one render
	// refreshes a page, its other visitors get the previous response
	// instead of waiting.
	rendering map[string]bool
	lru       *list.List // of *entry, most recently used first
	entries   map[string]*entry
}

type entry struct {
	key     string
	gen     uint64
	expires time.Time
	header  http.Header
	etag    string // without quotes
	ident   variant
	gz      *variant // nil when the body is not stored compressed
	br      *variant
	size    int64
	elem    *list.Element
	retryAt time.Time // after a failed render, serve stale until then
}

// New returns a cache with the options o.
func New(o Options) *Cache {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.TTL <= 0 {
		o.TTL = DefaultTTL
	}
	if o.MaxRenders <= 0 {
		o.MaxRenders = 2 * runtime.GOMAXPROCS(0)
	}
	if o.RenderTimeout <= 0 {
		o.RenderTimeout = DefaultRenderTimeout
	}
	if o.CacheControl == "" {
		o.CacheControl = DefaultCacheControl
	}
	if o.Skip == nil {
		o.Skip = func(*http.Request) bool { return false }
	}
	if o.Fail == nil {
		o.Fail = func(w http.ResponseWriter, r *http.Request, status int) {
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, http.StatusText(status), status)
		}
	}
	return &Cache{
		opt: o, now: time.Now, sem: make(chan struct{}, o.MaxRenders),
		rebuild: make(chan struct{}, 1),
		lru:     list.New(), entries: map[string]*entry{}, rendering: map[string]bool{},
	}
}

// Invalidate marks every cached response stale (the record changed, or
// changes may have been missed) and starts rebuilding the hot pages. Nothing
// is dropped: a stale entry is served while the database cannot render it
// again.
func (c *Cache) Invalidate() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
	select {
	case c.rebuild <- struct{}{}:
	default: // a rebuild is already pending; it sees this generation
	}
}

// Generation counts the invalidations; it changes whenever the record may
// have changed, so derived data can be kept until it moves.
func (c *Cache) Generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// Len returns the number of cached responses.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Bytes returns the approximate memory of the cached responses.
func (c *Cache) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

// Renders counts the responses rendered by the handler through the cache.
func (c *Cache) Renders() int64 { return c.renders.Load() }

// Run rebuilds the hot and recently used pages after each change
// notification until ctx ends. Without Run, pages are rebuilt on demand.
func (c *Cache) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.rebuild:
			c.Rebuild(ctx)
		}
	}
}

// Rebuild renders the hot pages and the most recently used stale pages now,
// each at most once (concurrent visitors share the render).
func (c *Cache) Rebuild(ctx context.Context) {
	next := c.next.Load()
	if next == nil {
		return
	}
	keys := append([]string(nil), c.opt.Hot...)
	if more := c.more.Load(); more != nil {
		keys = append(keys, (*more)(ctx)...)
	}
	seen := map[string]bool{}
	for _, k := range keys {
		seen[k] = true
	}
	c.mu.Lock()
	now := c.now()
	for el, n := c.lru.Front(), 0; el != nil && n < rebuildRecent; el, n = el.Next(), n+1 {
		e := el.Value.(*entry)
		if !seen[e.key] && e.gen != c.gen && now.After(e.retryAt) {
			keys = append(keys, e.key)
			seen[e.key] = true
		}
	}
	c.mu.Unlock()
	for _, key := range keys {
		if ctx.Err() != nil {
			return
		}
		r, err := http.NewRequestWithContext(ctx, http.MethodGet, key, nil)
		if err != nil {
			continue
		}
		e := c.lookup(key)
		if e != nil && c.fresh(e) {
			continue
		}
		_, _ = c.fill(*next, r, key, e)
	}
}

// HotPages adds the paths that hot lists, when asked at each rebuild, to
// the hot pages: those that depend on the record, such as each round's
// page.
func (c *Cache) HotPages(hot func(ctx context.Context) []string) { c.more.Store(&hot) }

// Handler serves GET and HEAD requests for public pages from the cache and
// passes everything else to next. Only responses with status 200 that the
// handler marked public (Cache-Control: public) and that set no cookie are
// cached.
func (c *Cache) Handler(next http.Handler) http.Handler {
	c.next.Store(&next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method != http.MethodGet && r.Method != http.MethodHead) || c.opt.Skip(r) {
			next.ServeHTTP(w, r)
			return
		}
		query := r.URL.RawQuery
		if c.opt.Canonical != nil {
			q, err := c.opt.Canonical(r)
			if err != nil {
				c.opt.Fail(w, r, http.StatusBadRequest)
				return
			}
			query = q
		}
		key := r.URL.Path
		if query != "" {
			key += "?" + query
		}
		e, ok, fresh := c.servable(key)
		if ok {
			c.serve(w, r, e, fresh)
			return
		}
		r2 := r.Clone(r.Context())
		r2.URL.RawQuery = query
		r2.RequestURI = key
		got, err := c.fill(next, r2, key, e)
		switch {
		case err != nil && e != nil:
			c.serve(w, r, e, c.fresh(e)) // saturated: the last response we had
		case err != nil:
			w.Header().Set("Retry-After", "1")
			c.opt.Fail(w, r, http.StatusServiceUnavailable)
		case got.entry != nil:
			c.serve(w, r, got.entry, c.fresh(got.entry))
		case got.rec != nil && !got.shared:
			got.rec.replay(w, r)
		default:
			// Another visitor's uncacheable response is not ours to reuse.
			next.ServeHTTP(w, r2)
		}
	})
}

// fillResult is the outcome of a render: a cache entry, or a response that
// could not be cached.
type fillResult struct {
	entry  *entry
	rec    *recorder
	shared bool
}

var errSaturated = errors.New("pagecache: too many renders")

// fill renders key once for every concurrent request of the same
// generation. A render that fails with a server error while a stale entry
// exists keeps the stale entry.
func (c *Cache) fill(next http.Handler, r *http.Request, key string, stale *entry) (fillResult, error) {
	c.mu.Lock()
	gen := c.gen
	c.mu.Unlock()
	v, err, shared := c.group.Do(key+"\x00"+strconv.FormatUint(gen, 10), func() (any, error) {
		c.setRendering(key, true)
		defer c.setRendering(key, false)
		wait := time.NewTimer(c.opt.RenderTimeout)
		defer wait.Stop()
		select {
		case c.sem <- struct{}{}:
		case <-wait.C:
			return nil, errSaturated
		}
		defer func() { <-c.sem }()
		// The render is the cache's, not the visitor's: it survives a
		// visitor who leaves, within the render timeout.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), c.opt.RenderTimeout)
		defer cancel()
		req := r.Clone(ctx)
		req.Method = http.MethodGet
		for _, h := range []string{"If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range", "Range"} {
			req.Header.Del(h)
		}
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(rec, req)
		c.renders.Add(1)
		if c.opt.OnRender != nil {
			c.opt.OnRender(key)
		}
		if rec.status == http.StatusOK && cacheable(rec.header) {
			e := c.newEntry(key, gen, rec)
			c.put(e)
			return fillResult{entry: e}, nil
		}
		if rec.status >= 500 && stale != nil {
			c.mu.Lock()
			stale.retryAt = c.now().Add(retryFailed)
			c.mu.Unlock()
			return fillResult{entry: stale}, nil
		}
		return fillResult{rec: rec}, nil
	})
	if err != nil {
		return fillResult{}, err
	}
	res := v.(fillResult)
	res.shared = shared
	return res, nil
}

// servable returns the entry of key and whether it is served without a
// render: it is fresh, a render of it failed a moment ago, or another
// request is refreshing it; and whether it is fresh. One lock, one clock
// reading: this is every cached request.
func (c *Cache) servable(key string) (e *entry, ok, fresh bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e = c.entries[key]; e == nil {
		return nil, false, false
	}
	c.lru.MoveToFront(e.elem)
	now := c.now()
	fresh = e.gen == c.gen && now.Before(e.expires)
	return e, fresh || now.Before(e.retryAt) || c.rendering[key], fresh
}

// setRendering marks key as being rendered, or no longer. While it is, its
// stale entry is served (stale-while-revalidate, see servable): after a
// change only the request that renders a page waits for it, not every
// visitor who arrives during the render.
func (c *Cache) setRendering(key string, on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if on {
		c.rendering[key] = true
	} else {
		delete(c.rendering, key)
	}
}

func cacheable(h http.Header) bool {
	return strings.Contains(h.Get("Cache-Control"), "public") && h.Get("Set-Cookie") == ""
}

func (c *Cache) fresh(e *entry) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return e.gen == c.gen && c.now().Before(e.expires)
}

func (c *Cache) lookup(key string) *entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e != nil {
		c.lru.MoveToFront(e.elem)
	}
	return e
}

func (c *Cache) put(e *entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.size > c.opt.MaxBytes/2 {
		return // too large to keep; served as rendered
	}
	if old := c.entries[e.key]; old != nil {
		if old.gen > e.gen {
			return // a newer render won
		}
		c.remove(old)
	}
	e.elem = c.lru.PushFront(e)
	c.entries[e.key] = e
	c.bytes += e.size
	for c.bytes > c.opt.MaxBytes {
		c.remove(c.lru.Back().Value.(*entry))
	}
}

func (c *Cache) remove(e *entry) {
	c.lru.Remove(e.elem)
	delete(c.entries, e.key)
	c.bytes -= e.size
}

// newEntry builds the stored response: its header without the per-variant
// fields, its body in identity and, when it pays, gzip and brotli.
func (c *Cache) newEntry(key string, gen uint64, rec *recorder) *entry {
	h := rec.header.Clone()
	for _, k := range []string{"Content-Length", "Content-Encoding", "ETag", "Last-Modified", "Date", "Vary"} {
		h.Del(k)
	}
	h.Set("Cache-Control", c.opt.CacheControl)
	body := rec.body.Bytes()
	// The handler's strong ETag, if it set one, stays the identity's.
	etag := strings.Trim(rec.header.Get("ETag"), `"`)
	if etag == "" || strings.HasPrefix(etag, "W/") {
		sum := sha256.Sum256(body)
		etag = hex.EncodeToString(sum[:16])
	}
	e := &entry{
		key: key, gen: gen, expires: c.now().Add(c.opt.TTL), header: h,
		etag: etag, ident: newVariant(body, etag, ""),
	}
	e.size = int64(len(key)+len(body)) + entryOverhead
	if compressible(h.Get("Content-Type"), len(body)) {
		gz, br := newVariant(gzipped(body), etag, "gzip"), newVariant(brotlied(body), etag, "br")
		e.gz, e.br = &gz, &br
		e.size += int64(len(gz.body) + len(br.body))
	}
	return e
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

// replay writes the recorded response to w.
func (r *recorder) replay(w http.ResponseWriter, req *http.Request) {
	h := w.Header()
	for k, vs := range r.header {
		h[k] = append([]string(nil), vs...)
	}
	w.WriteHeader(r.status)
	if req.Method != http.MethodHead {
		_, _ = w.Write(r.body.Bytes())
	}
}
