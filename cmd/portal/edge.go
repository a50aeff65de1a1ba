package main

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

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
