// Package config holds the portal's settings, read once from the environment
// and flags; nothing else reads the environment.
package config

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/kai-challenge/portal/internal/auth"
)

// Config is every setting the portal needs.
type Config struct {
	// DatabaseURL is the PostgreSQL server to use; empty means a private
	// cluster under DataDir.
	DatabaseURL string
	// DatabaseAppURL, when set, is how the portal connects at run time: a
	// login with only the runtime role's rights. Empty means DatabaseURL
	// (or the private cluster) with the login changed to the runtime role
	// and the password DatabaseAppPassword.
	DatabaseAppURL string
	// DatabaseAppPassword is the runtime role's password, set by the
	// migrator on every start when not empty.
	DatabaseAppPassword string
	// TrustedProxyHeader names the header in which the reverse proxy in
	// front of the portal passes the client's address (X-Forwarded-For,
	// X-Real-IP); empty trusts no header and names clients by the TCP peer.
	TrustedProxyHeader string
	// Addr is the HTTP listen address.
	Addr string
	// DataDir holds the private cluster when DatabaseURL is empty.
	DataDir string
	// BaseURL is the public address used in feeds and share links.
	BaseURL string
	// ShutdownTimeout is the grace period of a graceful shutdown: from the
	// signal, in-flight requests have this long to finish.
	ShutdownTimeout time.Duration
	// DrainDelay is how long, at the start of a shutdown, /readyz answers
	// 503 while requests are still accepted, so load balancers can stop
	// sending new ones first. It is part of ShutdownTimeout.
	DrainDelay time.Duration
	// AdminMFA is required, optional or off (auth.MFARequired...): whether
	// admins must sign in with a second factor. Unset, it is required when
	// BaseURL is https and optional otherwise.
	AdminMFA string
	// Site is how the pages present the deployment: official or not, and
	// who operates it.
	Site Site
}

// Site says whether the deployment is the government's official site and
// names its operator.
type Site struct {
	// Official shows the official e-government masthead on every public
	// page (env OFFICIAL_SITE=true). Only the deployment run by the
	// government may turn it on.
	Official bool
	// OperatorKO and OperatorEN name the operating agency in the footer
	// (env OPERATOR_KO, OPERATOR_EN); empty says the portal is not an
	// official government site.
	OperatorKO, OperatorEN string
}

// loadSite reads the site settings from the environment.
func loadSite(getenv func(string) string) (Site, error) {
	s := Site{OperatorKO: getenv("OPERATOR_KO"), OperatorEN: getenv("OPERATOR_EN")}
	if v := getenv("OFFICIAL_SITE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return s, fmt.Errorf("OFFICIAL_SITE=%q: want true or false", v)
		}
		s.Official = b
	}
	return s, nil
}

// Load reads the environment through getenv and then the flags in args
// (flags win). extra registers a subcommand's own flags on the same flag
// set. Flags and positional arguments may be interleaved
// (`results stage-1 --json`); the positional ones are returned in order.
func Load(name string, args []string, getenv func(string) string, stderr io.Writer, extra ...func(*flag.FlagSet)) (Config, []string, error) {
	c := Config{
		DatabaseURL:         getenv("DATABASE_URL"),
		DatabaseAppURL:      getenv("DATABASE_APP_URL"),
		DatabaseAppPassword: getenv("DATABASE_APP_PASSWORD"),
		TrustedProxyHeader:  getenv("TRUSTED_PROXY_HEADER"),
		Addr:                getenv("ADDR"),
		DataDir:             getenv("DATA_DIR"),
		BaseURL:             getenv("BASE_URL"),
		AdminMFA:            getenv("ADMIN_MFA"),
		ShutdownTimeout:     10 * time.Second,
		DrainDelay:          time.Second,
	}
	site, err := loadSite(getenv)
	if err != nil {
		return c, nil, fmt.Errorf("%s: %w", name, err)
	}
	c.Site = site
	if c.Addr == "" {
		c.Addr = ":8080"
	}
	if c.DataDir == "" {
		c.DataDir = ".data"
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://localhost:8080"
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "PostgreSQL URL (env DATABASE_URL); empty starts a private cluster under -data-dir")
	fs.StringVar(&c.TrustedProxyHeader, "trusted-proxy-header", c.TrustedProxyHeader, "header holding the client address set by the reverse proxy (env TRUSTED_PROXY_HEADER); empty trusts none")
	fs.StringVar(&c.Addr, "addr", c.Addr, "HTTP listen address (env ADDR)")
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "folder of the private PostgreSQL cluster (env DATA_DIR)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public base URL for links in feeds (env BASE_URL)")
	fs.StringVar(&c.AdminMFA, "admin-mfa", c.AdminMFA, "second factor for admins: required, optional or off (env ADMIN_MFA); default required on https")
	for _, register := range extra {
		register(fs)
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return c, nil, fmt.Errorf("%s: %w", name, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional, args = append(positional, args[0]), args[1:]
	}
	mfa, err := ResolveAdminMFA(c.AdminMFA, c.BaseURL)
	if err != nil {
		return c, nil, fmt.Errorf("%s: %w", name, err)
	}
	c.AdminMFA = mfa
	return c, positional, nil
}

// ResolveAdminMFA checks an ADMIN_MFA setting; empty is the default for
// baseURL (auth.DefaultMFAMode).
func ResolveAdminMFA(mode, baseURL string) (string, error) {
	if mode == "" {
		return auth.DefaultMFAMode(baseURL), nil
	}
	if !auth.ValidMFAMode(mode) {
		return "", fmt.Errorf("ADMIN_MFA must be required, optional or off, not %q", mode)
	}
	return mode, nil
}
