package main

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kai-challenge/portal/internal/postgres"
)

// trustProxyHeader names each request's client by the address the reverse
// proxy put in header (cfg.TrustedProxyHeader), so that the audit log and
// the sign-in throttle see clients, not the proxy. Only the entry the
// proxy itself added counts: the last one of X-Forwarded-For (anything
// before it came from the client and may be forged). A missing or
// malformed value leaves the TCP peer. With no header configured, h is
// returned as it is: no header is trusted.
func trustProxyHeader(h http.Handler, header string) http.Handler {
	if header == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ip, ok := proxiedClient(r.Header.Values(header)); ok {
			_, port, err := net.SplitHostPort(r.RemoteAddr)
			if err != nil {
				port = "0"
			}
			r.RemoteAddr = net.JoinHostPort(ip.String(), port)
		}
		h.ServeHTTP(w, r)
	})
}

// proxiedClient is the last address of a list-valued header (several
// header lines count as one comma-separated list).
func proxiedClient(values []string) (netip.Addr, bool) {
	if len(values) == 0 {
		return netip.Addr{}, false
	}
	list := strings.Split(values[len(values)-1], ",")
	ip, err := netip.ParseAddr(strings.TrimSpace(list[len(list)-1]))
	if err != nil {
		return netip.Addr{}, false
	}
	return ip.Unmap(), true
}

// maxRequestBody bounds every request body at the edge; the console's
// largest form (a score CSV and its fields) is well below it.
const maxRequestBody = 4 << 20

// guardEdge answers hostile requests before any handler runs: a body
// declared larger than maxRequestBody gets 413 (and an undeclared one is
// cut off there), and a path or query that is not valid UTF-8 text, holds
// a NUL, or cannot be parsed gets 400. Neither reaches the database.
func guardEdge(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxRequestBody {
			w.Header().Set("Connection", "close")
			edgeError(w, http.StatusRequestEntityTooLarge, "요청 본문이 너무 큽니다.", "The request body is too large.")
			return
		}
		if !cleanText(r.URL.Path) || !cleanQuery(r.URL.RawQuery) {
			edgeError(w, http.StatusBadRequest, "잘못된 주소입니다.", "The address is malformed.")
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
		}
		h.ServeHTTP(w, r)
	})
}

func edgeError(w http.ResponseWriter, status int, ko, en string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(ko + "\n" + en + "\n"))
}

// cleanText: valid UTF-8 without NUL.
func cleanText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// cleanQuery: the query parses and every name and value is clean text.
func cleanQuery(raw string) bool {
	if raw == "" {
		return true
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return false
	}
	for k, vs := range q {
		if !cleanText(k) {
			return false
		}
		for _, v := range vs {
			if !cleanText(v) {
				return false
			}
		}
	}
	return true
}

// auditCheckpointEvery is how often serve records the head of the audit
// chain (publications record it too), so that removing the newest events
// is detected by `audit verify`.
const auditCheckpointEvery = 5 * time.Minute

// recordCheckpoints records an audit checkpoint at once and then every
// interval until ctx ends.
func recordCheckpoints(ctx context.Context, store *postgres.Store, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := store.AuditCheckpoint(ctx); err != nil && ctx.Err() == nil {
			log.Warn("audit checkpoint", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
