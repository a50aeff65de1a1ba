package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"unicode/utf8"
)

// contentSecurityPolicy allows nothing inline: the pages use one stylesheet
// and no scripts.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// securityHeaders sets the headers every response carries; the widgets
// under /embed/ may be framed by any site (embedContentSecurityPolicy, no
// X-Frame-Options).
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The values are shared by every response: http.Header.Set and Add
		// replace or grow a slice whose capacity is its length, never
		// writing into it.
		h := w.Header()
		h["X-Content-Type-Options"] = nosniff
		h["Referrer-Policy"] = referrerPolicy
		if isEmbed(r.URL.Path) {
			h["Content-Security-Policy"] = embedCSP
		} else {
			h["Content-Security-Policy"] = pageCSP
			h["X-Frame-Options"] = frameDeny
		}
		next.ServeHTTP(w, r)
	})
}

// The security headers' values (see securityHeaders).
var (
	nosniff        = []string{"nosniff"}
	referrerPolicy = []string{"strict-origin-when-cross-origin"}
	embedCSP       = []string{embedContentSecurityPolicy}
	pageCSP        = []string{contentSecurityPolicy}
	frameDeny      = []string{"DENY"}
)

// recoverPanics turns a panicking handler into a logged 500.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.LogAttrs(r.Context(), slog.LevelError, "panic",
					slog.String("method", r.Method), slog.String("path", r.URL.Path),
					slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
				s.renderError(w, r, http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// hstsHeader makes browsers use HTTPS only for two years; set only when the
// portal is served over HTTPS, since on plain HTTP it would be ignored and
// on localhost it would break other local sites.
const hstsHeader = "max-age=63072000"

// protect wraps the whole router: every non-safe request from another site
// is refused with 403 before any handler or session runs (Go's
// CrossOriginProtection: Sec-Fetch-Site, or Origin against Host), and over
// HTTPS every response carries HSTS.
func (s *server) protect(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderAdminError(w, r, http.StatusForbidden, "admin.error.cross_origin")
	}))
	// This is the one place that sets the security headers: around
	// everything, so they go on every response, the refusal and pages
	// from the page cache included.
	h := securityHeaders(edge(cop.Handler(next)))
	if !s.secure {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", hstsHeader)
		h.ServeHTTP(w, r)
	})
}

// noStore keeps staff pages out of every cache: whatever a handler or the
// error page sets, the response goes out with Cache-Control: no-store.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&noStoreWriter{ResponseWriter: w}, r)
	})
}

type noStoreWriter struct {
	http.ResponseWriter
	wrote bool
}

// WriteHeader marks the response no-store before its header goes out.
func (w *noStoreWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		w.Header().Set("Cache-Control", "no-store")
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write sends the header first, as WriteHeader does, when it was not sent.
func (w *noStoreWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *noStoreWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Request body limits: forms are small; the score grid and the score CSV
// upload take the console's larger limit.
const (
	maxBodyBytes = 1 << 20
)

// bodyLimit is the largest request body the route of path accepts.
func bodyLimit(path string) int64 {
	if strings.HasSuffix(path, "/scores") || strings.HasSuffix(path, "/scores/import") {
		return maxFormBytes
	}
	return maxBodyBytes
}

// edge refuses what no handler should see, before any session, database
// query or audit event: a path or query that is not valid text (NUL,
// invalid UTF-8) is 400, and a body larger than its
// route's limit is 413 (at once when its length is declared, or when the
// handler reads past the limit).
func edge(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !validText(r.URL.Path) || !cleanQuery(r.URL.RawQuery) {
			plainError(w, r, http.StatusBadRequest)
			return
		}
		limit := bodyLimit(r.URL.Path)
		if r.ContentLength > limit {
			w.Header().Set("Connection", "close")
			plainError(w, r, http.StatusRequestEntityTooLarge)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

// validText reports whether s is valid UTF-8 without NUL. (The page cache
// is stricter with the parameters of public pages: see cleanText.)
func validText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// cleanQuery reports whether a raw query parses and every name and value
// is valid UTF-8 without NUL.
func cleanQuery(raw string) bool {
	if raw == "" {
		return true
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return false
	}
	for k, vs := range q {
		if !validText(k) {
			return false
		}
		for _, v := range vs {
			if !validText(v) {
				return false
			}
		}
	}
	return true
}
