package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/pquerna/otp/totp"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web"
)

// testClock is the server's clock in tests that let time pass.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newMFAConsole is newConsole (over https) with ADMIN_MFA=mode and a clock
// the test moves.
func newMFAConsole(t *testing.T, mode string) (*consoleEnv, *testClock) {
	t.Helper()
	env := newConsole(t, "https://portal.example")
	clk := &testClock{t: time.Now()}
	env.deps.AdminMFA = mode
	env.deps.Now = clk.now
	env.h = web.NewServer(env.deps)
	return env, clk
}

var secretRe = regexp.MustCompile(`data-testid="mfa-secret">([A-Z2-7]+)<`)

// enrol takes the signed-in client through the enrolment and returns the
// secret and the recovery codes shown.
func (c *staffClient) enrol(t *testing.T, clk *testClock) (string, []string) {
	t.Helper()
	page := c.get("/admin/mfa")
	wantStatus(t, "enrolment page", page, http.StatusOK)
	if src, _ := one(t, page.body, testid("mfa-qr")).Attr("src"); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Errorf("the QR code is %.40q, want an inline PNG", src)
	}
	m := secretRe.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no secret on the enrolment page")
	}
	if r := c.post("/admin/mfa", url.Values{"code": {"000000"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("enrolment with a wrong code: %d", r.status)
	}
	code, err := totp.GenerateCode(m[1], clk.now())
	if err != nil {
		t.Fatal(err)
	}
	r := c.post("/admin/mfa", url.Values{"code": {code}})
	wantStatus(t, "enrolment", r, http.StatusOK)
	var codes []string
	parseHTML(t, r.body).Find(testid("recovery-codes") + " code").Each(func(_ int, s *goquery.Selection) { codes = append(codes, s.Text()) })
	if len(codes) != auth.RecoveryCodes {
		t.Fatalf("%d recovery codes shown, want %d", len(codes), auth.RecoveryCodes)
	}
	return m[1], codes
}

// passwordStep signs in with the password and expects to be asked for the
// code.
func (c *staffClient) passwordStep(t *testing.T, email string) {
	t.Helper()
	r := c.post("/login", url.Values{"email": {email}, "password": {staffPW}, "next": {"/admin/users"}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login/code?next=%2Fadmin%2Fusers") {
		t.Fatalf("password step: %d → %q, want the code step", r.status, r.header.Get("Location"))
	}
	if r := c.get("/admin"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
		t.Fatalf("signed in before the code: %d %q", r.status, r.header.Get("Location"))
	}
}

func wrongCode(right string) string {
	if right == "123456" {
		return "654321"
	}
	return "123456"
}

// With ADMIN_MFA=required an admin without a second factor is held at the
// enrolment; once enrolled, sign-in asks for the code after the password:
// a wrong code and a replayed one are refused, a recovery code works once,
// and wrong codes are throttled like wrong passwords.
func TestMFARequiredSignIn(t *testing.T) {
	t.Parallel()
	env, clk := newMFAConsole(t, auth.MFARequired)

	a := env.signedIn("192.0.2.131", adminEmail)
	if r := a.get("/admin"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/mfa" {
		t.Fatalf("an admin without a second factor reached the console: %d %q", r.status, r.header.Get("Location"))
	}
	before := env.roundStatus("r2")
	if r := a.post("/admin/rounds/r2/close", nil); r.status != http.StatusForbidden || env.roundStatus("r2") != before {
		t.Fatalf("an admin without a second factor closed a round: %d, %s → %s", r.status, before, env.roundStatus("r2"))
	}
	one(t, a.get("/admin/mfa").body, testid("mfa-required"))
	// A scorer is not held.
	if r := env.signedIn("192.0.2.132", scorerEmail).get("/admin"); r.status != http.StatusOK {
		t.Errorf("scorer: %d", r.status)
	}
	secret, recovery := a.enrol(t, clk)
	wantStatus(t, "console after enrolment", a.get("/admin"), http.StatusOK)
	if got, err := env.store.TOTPSecret(t.Context(), mustUserID(t, env, adminEmail)); err != nil || got != secret {
		t.Errorf("stored secret %q (%v)", got, err)
	}

	// A new sign-in asks for the code.
	clk.add(time.Minute)
	b := env.client("192.0.2.133")
	b.passwordStep(t, adminEmail)
	code, _ := totp.GenerateCode(secret, clk.now())
	if r := b.post("/login/code", url.Values{"code": {wrongCode(code)}}); r.status != http.StatusUnauthorized {
		t.Errorf("wrong code: %d", r.status)
	}
	r := b.post("/login/code", url.Values{"code": {code}, "next": {"/admin/users"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/users" {
		t.Fatalf("right code: %d → %q", r.status, r.header.Get("Location"))
	}
	wantStatus(t, "signed in with the code", b.get("/admin/users"), http.StatusOK)

	// The same code again, from another browser, is a replay.
	c := env.client("192.0.2.134")
	c.passwordStep(t, adminEmail)
	if r := c.post("/login/code", url.Values{"code": {code}}); r.status != http.StatusUnauthorized {
		t.Errorf("replayed code: %d", r.status)
	}
	// A recovery code signs in once.
	if r := c.post("/login/code", url.Values{"code": {strings.ToUpper(recovery[3])}}); r.status != http.StatusSeeOther {
		t.Fatalf("recovery code: %d", r.status)
	}
	d := env.client("192.0.2.135")
	d.passwordStep(t, adminEmail)
	if r := d.post("/login/code", url.Values{"code": {recovery[3]}}); r.status != http.StatusUnauthorized {
		t.Errorf("a used recovery code worked again: %d", r.status)
	}
	if n, _ := env.store.RecoveryCodesLeft(t.Context(), mustUserID(t, env, adminEmail)); n != auth.RecoveryCodes-1 {
		t.Errorf("%d recovery codes left, want %d", n, auth.RecoveryCodes-1)
	}
	// Wrong codes are throttled with the sign-in limits (d has one failure).
	status := 0
	for range auth.FreeAccountFailures {
		status = d.post("/login/code", url.Values{"code": {wrongCode(code)}}).status
	}
	if status != http.StatusTooManyRequests {
		t.Errorf("after %d wrong codes: %d, want 429", auth.FreeAccountFailures+1, status)
	}
	ev, err := env.store.AuditEvents(t.Context(), postgres.AuditFilter{Action: "auth.login_failed"})
	if err != nil || len(ev) < 3 || !strings.Contains(string(ev[0].After), `"factor"`) {
		t.Errorf("failed codes are not audited as failed sign-ins: %v, %d", err, len(ev))
	}
}

func mustUserID(t *testing.T, env *consoleEnv, email string) int64 {
	t.Helper()
	u, _, err := env.store.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// Publishing (and changing a role) needs a sign-in or re-authentication
// of the last ten minutes: without one, the confirmation page and the
// form both lead to the re-authentication, and the form does nothing.
func TestReauthBeforePublish(t *testing.T) {
	t.Parallel()
	env, clk := newMFAConsole(t, auth.MFAOptional)
	c := env.signedIn("192.0.2.141", adminEmail)
	wantStatus(t, "close", c.post("/admin/rounds/r2/close", nil), http.StatusSeeOther)
	_, vals := c.formAt(t, "/admin/rounds/r2/publish", "request-form")

	clk.add(11 * time.Minute)
	reauth := "/admin/reauth?next=" + url.QueryEscape("/admin/rounds/r2/publish")
	if r := c.get("/admin/rounds/r2/publish"); r.status != http.StatusSeeOther || r.header.Get("Location") != reauth {
		t.Errorf("stale confirmation page: %d → %q, want %q", r.status, r.header.Get("Location"), reauth)
	}
	if r := c.post("/admin/rounds/r2/publish", vals); r.status != http.StatusSeeOther || r.header.Get("Location") != reauth {
		t.Errorf("stale publish: %d → %q, want %q", r.status, r.header.Get("Location"), reauth)
	}
	if s := env.roundStatus("r2"); s != "closed" {
		t.Fatalf("a publish without re-authentication ran: r2 is %s", s)
	}
	if r := c.post("/en/admin/users/"+env.userID(scorerEmail)+"/role", url.Values{"role": {"admin"}, "version": {"1"}}); r.status != http.StatusSeeOther ||
		r.header.Get("Location") != "/en/admin/reauth?next="+url.QueryEscape("/en/admin/users/"+env.userID(scorerEmail)+"/role") {
		t.Errorf("stale role change: %d → %q", r.status, r.header.Get("Location"))
	}
	if u, _ := env.store.UserByID(context.Background(), mustUserID(t, env, scorerEmail)); u.Role != auth.RoleScorer {
		t.Errorf("a role change without re-authentication ran")
	}
	// Without a second factor the password re-authenticates.
	one(t, c.get(reauth).body, testid("reauth-form")+` input[type="password"]`)
	if r := c.post("/admin/reauth", url.Values{"secret": {"wrong password"}, "next": {"/admin/rounds/r2/publish"}}); r.status != http.StatusUnauthorized {
		t.Errorf("re-authentication with a wrong password: %d", r.status)
	}
	if n := env.auditCount("auth.reauth"); n != 0 {
		t.Errorf("%d re-authentications audited before one succeeded", n)
	}
	r := c.post("/admin/reauth", url.Values{"secret": {staffPW}, "next": {"/admin/rounds/r2/publish"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/rounds/r2/publish" {
		t.Fatalf("re-authentication: %d → %q", r.status, r.header.Get("Location"))
	}
	var who string
	if err := env.pool.QueryRow(context.Background(), `SELECT after->>'email' || ' ' || (after->>'factor') FROM audit_events WHERE action = 'auth.reauth'`).Scan(&who); err != nil || who != adminEmail+" password" {
		t.Errorf("the re-authentication's audit event: %q (%v), want %s by password", who, err, adminEmail)
	}
	wantStatus(t, "publish after re-authentication", c.publish(t, "r2"), http.StatusSeeOther)
	if s := env.roundStatus("r2"); s != "published" {
		t.Errorf("r2 is %s after a fresh publish", s)
	}
}

// After enrolling, re-authentication asks for the code, not the password.
func TestReauthWithCode(t *testing.T) {
	t.Parallel()
	env, clk := newMFAConsole(t, auth.MFAOptional)
	c := env.signedIn("192.0.2.145", adminEmail)
	secret, _ := c.enrol(t, clk)
	clk.add(11 * time.Minute)
	page := c.get("/admin/reauth?next=%2Fadmin")
	if parseHTML(t, page.body).Find(testid("reauth-form")+` input[type="password"]`).Length() != 0 {
		t.Error("re-authentication asks an enrolled user for the password")
	}
	if r := c.post("/admin/reauth", url.Values{"secret": {staffPW}}); r.status != http.StatusUnauthorized {
		t.Errorf("the password re-authenticated an enrolled user: %d", r.status)
	}
	code, _ := totp.GenerateCode(secret, clk.now())
	if r := c.post("/admin/reauth", url.Values{"secret": {code}, "next": {"/admin/users"}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/users" {
		t.Errorf("re-authentication with the code: %d %q", r.status, r.header.Get("Location"))
	}
}

// Each user lists their own sessions and ends the others: an ended
// session is signed out at once; nobody can end another user's session.
func TestEndOtherSessions(t *testing.T) {
	env, a := consoleTest(t, "192.0.2.151", adminEmail)
	b := env.signedIn("192.0.2.152", adminEmail)
	b.header.Set("User-Agent", "Firefox/140")
	wantStatus(t, "b", b.get("/admin"), http.StatusOK)
	s := env.signedIn("192.0.2.153", scorerEmail)

	page := a.get("/admin/sessions")
	wantStatus(t, "sessions", page, http.StatusOK)
	doc := parseHTML(t, page.body)
	if n := doc.Find(testid("session-row")).Length(); n != 2 {
		t.Fatalf("%d sessions listed, want the admin's 2", n)
	}
	if strings.Contains(page.body, "192.0.2.153") || !strings.Contains(page.body, "192.0.2.152") {
		t.Error("the list shows another user's session or misses the other browser")
	}
	one(t, page.body, testid("session-current"))
	action, _ := one(t, page.body, testid("session-end")).Attr("action")

	// The scorer cannot end the admin's session.
	s.post(action, nil)
	wantStatus(t, "b after the scorer tried", b.get("/admin"), http.StatusOK)

	wantStatus(t, "end b", a.post(action, nil), http.StatusSeeOther)
	if r := b.get("/admin"); r.status != http.StatusSeeOther {
		t.Errorf("an ended session still works: %d", r.status)
	}
	wantStatus(t, "a after ending b", a.get("/admin"), http.StatusOK)

	c := env.signedIn("192.0.2.154", adminEmail)
	d := env.signedIn("192.0.2.155", adminEmail)
	wantStatus(t, "end others", a.post("/admin/sessions/end-others", nil), http.StatusSeeOther)
	for _, x := range []*staffClient{c, d} {
		if r := x.get("/admin"); r.status != http.StatusSeeOther {
			t.Errorf("%s still signed in after end-others: %d", x.addr, r.status)
		}
	}
	wantStatus(t, "a after end-others", a.get("/admin"), http.StatusOK)
	wantStatus(t, "scorer after end-others", s.get("/admin"), http.StatusOK)
	if n := parseHTML(t, a.get("/admin/sessions").body).Find(testid("session-row")).Length(); n != 1 {
		t.Errorf("%d sessions left, want 1", n)
	}
}

// The audit log names actions and entities in the page's language, links
// the entities, and offers the actions by name in its filter; the codes
// stay in the folded details.
func TestAuditPageReadable(t *testing.T) {
	_, c := consoleTest(t, "192.0.2.161", adminEmail)
	wantStatus(t, "close", c.post("/admin/rounds/r2/close", nil), http.StatusSeeOther)

	r := c.get("/admin/audit?action=round.close")
	wantStatus(t, "audit", r, http.StatusOK)
	if got := selText(t, r.body, testid("audit-events")+" "+testid("audit-action")); got != "채점 마감" {
		t.Errorf("action shown as %q, want 채점 마감", got)
	}
	link := one(t, r.body, testid("audit-entity")+` a[href="/admin/rounds/r2"]`)
	if link.Text() != "2차 평가" {
		t.Errorf("round linked as %q", link.Text())
	}
	if got := selText(t, r.body, `#f-action option[selected]`); got != "채점 마감" {
		t.Errorf("filter option %q, want the label", got)
	}
	one(t, r.body, testid("audit-events")+" details code:contains('round.close')")

	r = c.get("/en/admin/audit?action=round.close")
	if got := selText(t, r.body, testid("audit-events")+" "+testid("audit-action")); got != "Scoring closed" {
		t.Errorf("English action %q", got)
	}
	one(t, r.body, testid("audit-entity")+` a[href="/en/admin/rounds/r2"]`)
}
