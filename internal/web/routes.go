package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/kai-challenge/portal/web/pages"
)

// routes lists every route of the portal and its middleware, top to bottom:
// the probes and static files, the language-neutral open data (the JSON API
// under /api/v1 and the downloads under /data/), then the pages, which exist
// in Korean at /… and in English at /en/….
func (s *server) routes() http.Handler {
	r := chi.NewRouter()
	s.mux = r
	// The security headers are set by protect, around the whole router.
	r.Use(s.recoverPanics, middleware.GetHead)
	r.NotFound(s.handle(s.handleNotFound))
	r.MethodNotAllowed(s.methodNotAllowed(r))

	r.Get("/healthz", s.handleHealthz)
	r.Get("/readyz", s.handleReadyz)
	r.Get("/static/*", s.static.ServeHTTP)

	// The API answers not-found and method-not-allowed in JSON, and every
	// response carries the CORS headers.
	r.Route(apiPrefix, func(r chi.Router) {
		r.Use(apiCORS)
		r.NotFound(s.apiNotFound)
		r.MethodNotAllowed(s.apiMethodNotAllowed)
		r.Get("/openapi.json", s.handleOpenAPI)
		r.Get("/programs", s.api(s.apiProgramIndex))
		r.Get("/programs/{program}", s.api(s.apiProgramShow))
		r.Get("/rounds", s.api(s.apiRoundIndex))
		r.Get("/rounds/{slug}", s.api(s.apiRoundShow))
		r.Get("/rounds/{slug}/results", s.api(s.apiRoundResults))
		r.Get("/rounds/{slug}/revisions/{revision}", s.api(s.apiRoundRevision))
		r.Get("/teams", s.api(s.apiTeamIndex))
		r.Get("/teams/{slug}", s.api(s.apiTeamShow))
		r.Get("/organizations", s.api(s.apiOrganizationIndex))
		r.Get("/organizations/{slug}", s.api(s.apiOrganizationShow))
		r.Get("/budgets", s.api(s.apiBudgetIndex))
	})

	// The downloads; each takes an optional ?program= (the default program
	// otherwise).
	r.Get("/data/record.json", s.handle(s.handleRecordDownload))
	r.Get("/data/rounds.csv", s.handle(csvFile(s, "rounds.csv", s.store.PublicRounds, roundsTable)))
	r.Get("/data/outcomes.csv", s.handle(csvFile(s, "outcomes.csv", s.store.PublicHistory, s.outcomesTable)))
	r.Get("/data/teams.csv", s.handle(csvFile(s, "teams.csv", readWithMembers(s, s.store.PublicTeams), s.teamsTable)))
	r.Get("/data/memberships.csv", s.handle(csvFile(s, "memberships.csv", s.store.PublicMemberships, membershipsTable)))
	r.Get("/data/organizations.csv", s.handle(csvFile(s, "organizations.csv", readWithMembers(s, s.store.PublicOrganizations), organizationsTable)))
	r.Get("/data/budgets.csv", s.handle(csvFile(s, "budgets.csv", s.store.PublicFunding, budgetsTable)))
	r.Get("/data/allocations.csv", s.handle(csvFile(s, "allocations.csv", s.store.PublicFunding, s.allocationsTable)))
	r.Get("/data/rounds/{slug}/results.csv", s.handle(roundCSVFile(s, "results.csv", s.resultsTable)))
	r.Get("/data/rounds/{slug}/published-scores.csv", s.handle(roundCSVFile(s, "published-scores.csv", publishedScoresTable)))
	r.Get("/data/rounds/{slug}/statistics.csv", s.handle(roundCSVFile(s, "statistics.csv", statisticsTable)))
	// The link-preview (Open Graph) images of round and team pages.
	r.Get("/og/rounds/{slug}.png", s.handle(ogImage(s, s.store.PublicRound, roundBars)))
	r.Get("/og/teams/{slug}.png", s.handle(ogImage(s, s.store.PublicTeam, teamBars)))

	site := func(r chi.Router) {
		r.Get("/", s.handle(servePage(s, s.store.PublicOverview, (*pageReq).overviewPage, pages.Overview)))
		r.Get("/standings", s.handle(s.handleStandings))
		r.Get("/teams", s.handle(servePage(s, s.store.PublicTeams, (*pageReq).teamsPage, pages.Teams)))
		r.Get("/teams/{slug}", s.handle(serveSlugPage(s, s.store.PublicTeam, (*pageReq).teamPage, pages.Team)))
		r.Get("/rounds", s.handle(servePage(s, s.store.PublicRounds, (*pageReq).roundsPage, pages.Rounds)))
		r.Get("/rounds/{slug}", s.handle(s.handleRoundShow))
		r.Get("/rounds/{slug}/what-if", s.handle(s.handleWhatIf))
		r.Get("/rounds/{slug}/computation/{team}", s.handle(s.handleRoundComputation))
		r.Get("/rounds/{slug}/revisions/{n}", s.handle(s.handleRoundRevision))
		r.Get("/history", s.handle(servePage(s, s.readHistory, (*pageReq).historyPage, pages.History)))
		r.Get("/organizations", s.handle(servePage(s, s.store.PublicOrganizations, (*pageReq).organizationsPage, pages.Organizations)))
		r.Get("/organizations/{slug}", s.handle(serveSlugPage(s, s.store.PublicOrganization, (*pageReq).organizationPage, pages.Organization)))
		r.Get("/funding", s.handle(servePage(s, s.store.PublicFunding, (*pageReq).fundingPage, pages.Funding)))
		r.Get("/search", s.handle(s.handleSearch))
		r.Get("/data", s.handle(servePage(s, s.store.PublicRounds, (*pageReq).dataPage, pages.Data)))
		// Widgets any site may frame (see securityHeaders).
		r.Get("/embed/standings", s.handle(s.handleEmbedStandings))
		// In Korean first at /feed.atom, in English first at /en/feed.atom.
		r.Get("/feed.atom", s.handle(s.handleFeed))
		r.Get("/feed", s.handle(s.handleFeedPage))

		// The staff console under /admin, with /login and /logout. Every
		// route runs with the session loaded and is never cached; each is
		// checked for the role on the server: scorers enter and import
		// scores and see previews, admins do everything.
		r.Group(func(r chi.Router) {
			r.Use(noStore, s.sessions.LoadAndSave, s.loadUser, s.trackSession)
			r.Get("/login", s.handleAdmin(s.handleLoginForm))
			r.Post("/login", s.handleAdmin(s.handleLogin))
			r.Get("/login/code", s.handleAdmin(s.handleCodeForm))
			r.Post("/login/code", s.handleAdmin(s.handleCode))
			r.Post("/logout", s.handleAdmin(s.handleLogout))
			r.Get("/admin/setup", s.handleAdmin(s.handleSetupForm))
			r.Post("/admin/setup", s.handleAdmin(s.handleSetup))

			r.Group(func(r chi.Router) {
				// An admin without a second factor while ADMIN_MFA=required
				// reaches nothing but the enrolment.
				r.Use(s.requireUser, s.requireEnrolment)
				r.Get("/admin/mfa", s.handleAdmin(s.handleMFA))
				r.Post("/admin/mfa", s.handleAdmin(s.handleMFAEnrol))
				r.Get("/admin/reauth", s.handleAdmin(s.handleReauthForm))
				r.Post("/admin/reauth", s.handleAdmin(s.handleReauth))
				r.Get("/admin/sessions", s.handleAdmin(s.handleSessions))
				r.Post("/admin/sessions/end-others", s.handleAdmin(s.handleSessionsEndOthers))
				r.Post("/admin/sessions/{id}/end", s.handleAdmin(s.handleSessionEnd))
				r.Get("/admin", s.handleAdmin(s.handleDashboard))
				r.Get("/admin/rounds/{slug}", s.handleAdmin(s.handleAdminRound))
				r.Get("/admin/rounds/{slug}/scores", s.handleAdmin(s.handleScores))
				r.Post("/admin/rounds/{slug}/scores", s.handleAdmin(s.handleScoresSave))
				r.Post("/admin/rounds/{slug}/scores/import", s.handleAdmin(s.handleScoresImport))
				r.Get("/admin/rounds/{slug}/scores/template.csv", s.handleAdmin(s.handleScoresTemplate))
				r.Get("/admin/password", s.handleAdmin(s.handlePasswordForm))
				r.Post("/admin/password", s.handleAdmin(s.handlePassword))

				r.Group(func(r chi.Router) {
					// Publishing, approving, correcting and role changes (and
					// their confirmation pages: reauthPaths) need a recent
					// sign-in or re-authentication.
					r.Use(s.requireAdmin, s.requireRecentAuth)
					r.Post("/admin/rounds/{slug}/eligibility", s.handleAdmin(s.handleEligibility))
					r.Get("/admin/rounds/{slug}/close", s.handleAdmin(s.handleCloseConfirm))
					r.Post("/admin/rounds/{slug}/close", s.handleAdmin(s.handleRoundClose))
					r.Post("/admin/rounds/{slug}/reopen", s.handleAdmin(s.handleRoundReopen))
					r.Get("/admin/rounds/{slug}/publish", s.handleAdmin(s.handlePublishConfirm))
					r.Post("/admin/rounds/{slug}/publish", s.handleAdmin(s.handleRoundPublish))
					r.Get("/admin/requests/{id}", s.handleAdmin(s.handleRequestShow))
					r.Post("/admin/requests/{id}/approve", s.handleAdmin(s.handleRequestApprove))
					r.Post("/admin/requests/{id}/withdraw", s.handleAdmin(s.handleRequestWithdraw))
					r.Get("/admin/rounds/{slug}/schedule", s.handleAdmin(s.handleScheduleConfirm))
					r.Post("/admin/rounds/{slug}/schedule", s.handleAdmin(s.handleRoundSchedule))
					r.Get("/admin/rounds/{slug}/disclosure", s.handleAdmin(s.handleDisclosureConfirm))
					r.Post("/admin/rounds/{slug}/disclosure", s.handleAdmin(s.handleDisclosure))
					r.Post("/admin/rounds/{slug}/decide", s.handleAdmin(s.handleRoundDecide))
					r.Post("/admin/rounds/{slug}/correct", s.handleAdmin(s.handleRoundCorrect))
					r.Get("/admin/rounds/{slug}/objections", s.handleAdmin(s.handleObjections))
					r.Post("/admin/rounds/{slug}/objections", s.handleAdmin(s.handleObjectionFile))
					r.Get("/admin/rounds/{slug}/objections/{id}", s.handleAdmin(s.handleObjectionDecideForm))
					r.Post("/admin/rounds/{slug}/objections/{id}", s.handleAdmin(s.handleObjectionDecide))
					r.Get("/admin/audit", s.handleAdmin(s.handleAudit))
					r.Get("/admin/users", s.handleAdmin(s.handleUsers))
					r.Post("/admin/users", s.handleAdmin(s.handleUserAdd))
					r.Get("/admin/users/{id}/role", s.handleAdmin(s.handleUserRoleConfirm))
					r.Post("/admin/users/{id}/role", s.handleAdmin(s.handleUserRole))
					r.Post("/admin/users/{id}/disable", s.handleAdmin(s.handleUserDisable))
					r.Post("/admin/users/{id}/enable", s.handleAdmin(s.handleUserEnable))

					// The record: organizations, teams, rounds with criteria and entries, budgets.
					r.Get("/admin/organizations", s.handleAdmin(orgList.showOn(s)))
					r.Post("/admin/organizations", s.handleAdmin(orgList.createOn(s)))
					r.Get("/admin/organizations/{slug}", s.handleAdmin(s.handleOrgEdit))
					r.Post("/admin/organizations/{slug}", s.handleAdmin(s.handleOrgUpdate))

					r.Get("/admin/teams", s.handleAdmin(teamList.showOn(s)))
					r.Post("/admin/teams", s.handleAdmin(teamList.createOn(s)))
					r.Get("/admin/teams/{slug}", s.handleAdmin(s.handleTeamEdit))
					r.Post("/admin/teams/{slug}", s.handleAdmin(s.handleTeamUpdate))
					r.Post("/admin/teams/{slug}/members", s.handleAdmin(s.handleMemberAdd))
					r.Post("/admin/teams/{slug}/members/{org}", s.handleAdmin(s.handleMemberUpdate))
					r.Post("/admin/teams/{slug}/members/{org}/remove", s.handleAdmin(s.handleMemberRemove))

					r.Get("/admin/rounds/new", s.handleAdmin(s.handleRoundNew))
					r.Post("/admin/rounds/new", s.handleAdmin(s.handleRoundCreate))
					r.Get("/admin/rounds/{slug}/edit", s.handleAdmin(s.handleRoundEdit))
					r.Post("/admin/rounds/{slug}/edit", s.handleAdmin(s.handleRoundUpdate))
					r.Post("/admin/rounds/{slug}/criteria", s.handleAdmin(s.handleCriterionCreate))
					r.Post("/admin/rounds/{slug}/criteria/{code}", s.handleAdmin(s.handleCriterionUpdate))
					r.Post("/admin/rounds/{slug}/criteria/{code}/delete", s.handleAdmin(s.handleCriterionDelete))
					r.Post("/admin/rounds/{slug}/entries", s.handleAdmin(s.handleEntryAdd))
					r.Post("/admin/rounds/{slug}/entries/{team}/remove", s.handleAdmin(s.handleEntryRemove))

					r.Get("/admin/budgets", s.handleAdmin(budgetList.showOn(s)))
					r.Post("/admin/budgets", s.handleAdmin(budgetList.createOn(s)))
					r.Get("/admin/budgets/{year}", s.handleAdmin(s.handleBudgetEdit))
					r.Post("/admin/budgets/{year}", s.handleAdmin(s.handleBudgetUpdate))
					r.Post("/admin/budgets/{year}/allocations", s.handleAdmin(s.handleAllocationCreate))
					r.Post("/admin/budgets/{year}/allocations/{id}", s.handleAdmin(s.handleAllocationUpdate))
					r.Post("/admin/budgets/{year}/allocations/{id}/delete", s.handleAdmin(s.handleAllocationDelete))
				})
			})
		})
	}
	r.Group(site)
	r.Route("/en", site)
	return r
}
