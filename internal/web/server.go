// Package web is the portal's HTTP layer: routes, handlers, middleware and
// the translation of store records into the view models that the templ
// components in web/ render. Pages exist in Korean at /… and in English at
// /en/…; the language is part of every URL so each page can be shared in
// either language.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/pagecache"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/i18n"
	assets "github.com/kai-challenge/portal/web"
)

// Store is everything the web layer needs; *postgres.Store satisfies it.
// Each part is declared next to the handlers that use it.
type Store interface {
	PublicStore
	ResultsStore
	OpenDataStore
	AdminStore
	PublicationStore
	AccountStore
}

// PublicStore is everything the public pages read; every Public… method
// returns only what the public may see.
type PublicStore interface {
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// DefaultProgram is the program the pages show (the one with the lowest id).
	DefaultProgram(ctx context.Context) (postgres.PublicProgram, error)
	PublicOverview(ctx context.Context, program string) (postgres.PublicOverview, error)
	PublicTeams(ctx context.Context, program string) ([]postgres.PublicTeam, error)
	PublicTeam(ctx context.Context, program, slug string) (postgres.PublicTeamDetail, error)
	PublicRounds(ctx context.Context, program string) ([]postgres.PublicRound, error)
	PublicRound(ctx context.Context, program, slug string) (postgres.PublicRoundDetail, error)
	PublicHistory(ctx context.Context, program string) (postgres.PublicHistory, error)
	PublicOrganizations(ctx context.Context, program string) ([]postgres.PublicOrg, error)
	PublicOrganization(ctx context.Context, program, slug string) (postgres.PublicOrgDetail, error)
	PublicFunding(ctx context.Context, program string) ([]postgres.PublicBudget, error)
	// Objections are the formal objections against a published round.
	Objections(ctx context.Context, program, round string) ([]postgres.Objection, error)
}

// Deps are the server's dependencies.
type Deps struct {
	Store  Store
	Logger *slog.Logger
	// BaseURL is the portal's public address, used for absolute alternate
	// links (e.g. "https://kai-challenge.kr"); empty keeps them relative.
	// An https address also makes the session cookie Secure and
	// __Host-prefixed and turns on HSTS.
	BaseURL string
	// Sessions stores the staff sessions: pgxstore on the sessions table in
	// production, so they survive restarts and are shared by every process.
	// Nil keeps them in memory (tests that never sign in).
	Sessions scs.Store
	// AdminMFA is auth.MFARequired, MFAOptional or MFAOff: whether admins
	// must sign in with a second factor. The command passes the configured
	// mode (config.Config.AdminMFA, required on https by default); empty
	// means optional.
	AdminMFA string
	// SetupToken opens /admin/setup?token=… to create the first admin while
	// no enabled admin exists; empty leaves the setup closed.
	SetupToken string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// PageCache, when set, serves repeated requests for public pages from
	// memory; build it with PageCacheOptions, invalidate it whenever the
	// record changes and run its rebuilds (Cache.Run).
	PageCache *pagecache.Cache
	// Official shows the official e-government masthead on the public
	// pages: only for the deployment the government runs.
	Official bool
	// Operator names the operating agency in the footer; empty says the
	// portal is not an official government site.
	Operator contest.Text
}

type server struct {
	store   Store
	log     *slog.Logger
	baseURL string
	i18n    *i18n.Catalogs
	static  *staticFiles

	// secure is true when the portal is served over HTTPS.
	secure     bool
	sessions   *scs.SessionManager
	logins     *loginLimiter
	setupToken string
	adminMFA   string
	// mux is the router, asked which GET page a refused POST belongs to.
	mux *chi.Mux
	now func() time.Time
	// cache is the page cache, or nil; its generation tells when derived
	// data (the what-if explorer's inputs) must be loaded again.
	cache   *pagecache.Cache
	whatIfs *whatIfInputs
	// official and operator are how the pages present the deployment.
	official bool
	operator contest.Text
	// sims runs and keeps the explorer's simulations.
	sims *simulations
}

// NewServer returns the portal's HTTP handler. It panics if the embedded
// message catalogs or static files are unreadable, which the package tests
// rule out.
func NewServer(d Deps) http.Handler {
	cats, err := i18n.Load(assets.Catalogs)
	if err != nil {
		panic(err)
	}
	st, err := newStaticFiles(assets.Static)
	if err != nil {
		panic(err)
	}
	logger := d.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	now := d.Now
	if now == nil {
		now = time.Now
	}
	secure := strings.HasPrefix(strings.ToLower(d.BaseURL), "https://")
	s := &server{
		store:      d.Store,
		log:        logger,
		baseURL:    strings.TrimRight(d.BaseURL, "/"),
		i18n:       cats,
		static:     st,
		secure:     secure,
		sessions:   newSessions(d.Sessions, secure),
		logins:     newLoginLimiter(d.Store),
		setupToken: d.SetupToken,
		adminMFA:   auth.MFAOptional,
		now:        now,
		cache:      d.PageCache,
		whatIfs:    newWhatIfInputs(),
		official:   d.Official,
		operator:   d.Operator,
		sims:       newSimulations(),
	}
	if auth.ValidMFAMode(d.AdminMFA) {
		s.adminMFA = d.AdminMFA
	}
	h := s.routes()
	if d.PageCache != nil {
		h = d.PageCache.Handler(h)
		d.PageCache.HotPages(s.roundPages)
	}
	return s.protect(h)
}

// uncached tells the page cache which requests always go to the handlers:
// staff pages, sign-in, health checks, and anyone with a staff session.
// The language-neutral path of a path without a language prefix is the
// path itself, so one test covers /admin and /en/admin alike.
func uncached(r *http.Request) bool {
	_, path := i18n.Split(r.URL.Path)
	for _, prefix := range []string{"/admin", "/login", "/logout", "/healthz", "/readyz", "/static/"} {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	for _, c := range r.Cookies() {
		if strings.HasSuffix(c.Name, "portal_session") {
			return true
		}
	}
	return false
}
