package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kai-challenge/portal/internal/fixtures"
	"github.com/kai-challenge/portal/internal/web"
)

// signInBrowser signs the admin in on the login page the browser shows.
func signInBrowser(t *testing.T, browser context.Context) {
	t.Helper()
	css := func(testid string) chromedp.CSS { return chromedp.CSS(`[data-testid="` + testid + `"]`) }
	mustStep(t, "admin sign-in", chromedp.Do(browser,
		chromedp.SendKeys(css("login-email"), adminEmail),
		chromedp.SendKeys(css("login-password"), staffPW),
		chromedp.Click(css("login-submit")),
		chromedp.WaitVisible(`main`),
	))
}

// axe-core finds no violation on the objection pages of the console: the
// round page's section, the list with its filing form and the decision
// form, Korean and English.
func TestAxeObjectionPages(t *testing.T) {
	t.Parallel()
	axe := axeSource(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	env := newConsoleWith(t, base, fixtures.RecordDecemberFile())
	env.deps.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv.Config.Handler = web.NewServer(env.deps)
	srv.Start()
	t.Cleanup(srv.Close)

	admin := axeBrowser(t, startChromium(t, ctx)(), axe)
	mustStep(t, "login page", chromedp.Do(admin, chromedp.Navigate(base+"/login"), chromedp.WaitReady("body")))
	signInBrowser(t, admin)
	id := strconv.FormatInt(objectionsOf(t, env)[0].ID, 10)
	for _, p := range []string{"/admin/rounds/stage-2", "/admin/rounds/stage-2/objections", "/admin/rounds/stage-2/objections/" + id} {
		axeBothLanguages(t, admin, base, p)
	}
}
