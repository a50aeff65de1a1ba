package web_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kai-challenge/portal/internal/fixtures"
)

// signInBrowser signs the admin in on the login page the browser shows.
func signInBrowser(t *testing.T, browser context.Context) {
	t.Helper()
	// Until the console shows its rounds: the login page has a main too,
	// and navigating before the sign-in's redirect lands aborts it.
	mustStep(t, "admin sign-in", chromedp.Do(browser, signIn(adminEmail, chromedp.WaitVisible(byID("admin-rounds")))...))
}

// axe-core finds no violation on the objection pages of the console: the
// round page's section, the list with its filing form and the decision
// form, Korean and English.
func TestAxeObjectionPages(t *testing.T) {
	t.Parallel()
	env, base := consoleServer(t, fixtures.RecordDecemberFile())
	admin := axeBrowser(t, browsers(t)())
	mustStep(t, "login page", chromedp.Do(admin, chromedp.Navigate(base+"/login"), chromedp.WaitReady("body")))
	signInBrowser(t, admin)
	id := strconv.FormatInt(objectionsOf(t, env)[0].ID, 10)
	for _, p := range []string{"/admin/rounds/stage-2", "/admin/rounds/stage-2/objections", "/admin/rounds/stage-2/objections/" + id} {
		axeBothLanguages(t, admin, base, p)
	}
}
