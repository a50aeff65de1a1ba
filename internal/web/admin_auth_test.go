package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/web"
)

// An unknown email, a disabled account and a wrong password get the same
// answer; every attempt is audited.
func TestLoginFailuresLookAlike(t *testing.T) {
	t.Parallel()
	env := newConsole(t, "http://localhost:8080")
	if err := env.store.DisableUser(context.Background(), scorerEmail, contest.Actor{Name: "cli"}); err != nil {
		t.Fatal(err)
	}
	attempt := func(email, pw string) response {
		c := env.client("192.0.2.30")
		r := c.post("/login", url.Values{"email": {email}, "password": {pw}})
		if c.sessionCookie() != nil {
			t.Errorf("%s: a failed sign-in set a session cookie", email)
		}
		r.body = strings.ReplaceAll(r.body, email, "EMAIL")
		return r
	}
	wrong := attempt(adminEmail, "not-the-password-at-all")
	unknown := attempt("nobody@msit.go.kr", "not-the-password-at-all")
	disabled := attempt(scorerEmail, staffPW)
	if wrong.status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", wrong.status)
	}
	for name, r := range map[string]response{"unknown user": unknown, "disabled user": disabled} {
		if r.status != wrong.status || r.body != wrong.body {
			t.Errorf("%s answers differently from a wrong password: %d vs %d", name, r.status, wrong.status)
		}
	}
	if !strings.Contains(wrong.body, "이메일 또는 비밀번호가 올바르지 않습니다.") {
		t.Errorf("no Korean message:\n%s", wrong.body)
	}
	en := env.client("192.0.2.31").post("/en/login", url.Values{"email": {"x@y.z"}, "password": {"nope"}})
	if !strings.Contains(en.body, "The email or password is not correct.") {
		t.Errorf("no English message")
	}
	if n := env.auditCount("auth.login_failed"); n != 4 {
		t.Errorf("%d failed sign-ins audited, want 4", n)
	}
	env.client("192.0.2.32").login(adminEmail)
	if n := env.auditCount("auth.login"); n != 1 {
		t.Errorf("%d sign-ins audited, want 1", n)
	}
}

// Failed sign-ins are limited per account and per client address: then
// even the right password gets 429 with a message in both languages.
func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	env := newConsole(t, "http://localhost:8080")
	for i := range 5 {
		c := env.client("192.0.2." + strconv.Itoa(40+i)) // a different address each time
		if r := c.post("/login", url.Values{"email": {adminEmail}, "password": {"wrong-guess-" + strconv.Itoa(i)}}); r.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, r.status)
		}
	}
	c := env.client("192.0.2.50")
	r := c.post("/login", url.Values{"email": {adminEmail}, "password": {staffPW}})
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "로그인 실패가 너무 많습니다") {
		t.Fatalf("sixth attempt on the account: %d, want 429 with the Korean message", r.status)
	}
	r = c.post("/en/login", url.Values{"email": {adminEmail}, "password": {staffPW}})
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Too many failed sign-ins") {
		t.Fatalf("English: %d, want 429 with the English message", r.status)
	}
	// Another account is not affected…
	env.client("192.0.2.50").login(scorerEmail)

	// …but one address guessing many accounts is stopped too.
	guesser := env.client("203.0.113.9")
	for i := range 20 {
		if r := guesser.post("/login", url.Values{"email": {"user" + strconv.Itoa(i) + "@msit.go.kr"}, "password": {"guess"}}); r.status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, r.status)
		}
	}
	if r := guesser.post("/login", url.Values{"email": {scorerEmail}, "password": {staffPW}}); r.status != http.StatusTooManyRequests {
		t.Fatalf("21st attempt from one address: %d, want 429", r.status)
	}
}

// The session cookie: HttpOnly, SameSite=Lax, host-only; Secure with the
// __Host- prefix over HTTPS. The token changes at sign-in, and signing out
// ends the session in the store.
func TestSessionCookie(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		base   string
		name   string
		secure bool
	}{
		{"https://portal.example", "__Host-portal_session", true},
		{"http://localhost:8080", "portal_session", false},
	} {
		env := newConsole(t, tc.base)
		c := env.client("192.0.2.60")
		// A token planted before sign-in (session fixation) is not kept.
		c.cookies[tc.name] = &http.Cookie{Name: tc.name, Value: "planted-by-an-attacker"}
		c.login(adminEmail)
		ck := c.sessionCookie()
		if ck == nil || ck.Name != tc.name {
			t.Fatalf("%s: session cookie %v, want %s", tc.base, ck, tc.name)
		}
		if ck.Value == "planted-by-an-attacker" || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != tc.secure || ck.Path != "/" || ck.Domain != "" {
			t.Errorf("%s: cookie %+v", tc.base, ck)
		}
		first := ck.Value
		if r := c.get("/admin"); r.status != http.StatusOK {
			t.Fatalf("%s: signed-in /admin: %d", tc.base, r.status)
		}
		// Signing in again renews the token; the old one is dead.
		c.login(adminEmail)
		if c.sessionCookie().Value == first {
			t.Errorf("%s: the token did not change at sign-in", tc.base)
		}
		stale := env.client("192.0.2.60")
		stale.cookies[tc.name] = &http.Cookie{Name: tc.name, Value: first}
		if r := stale.get("/admin"); r.status != http.StatusSeeOther {
			t.Errorf("%s: the token before the second sign-in still works: %d", tc.base, r.status)
		}
		// Sessions live in PostgreSQL: a restarted server knows them.
		env.h = web.NewServer(env.deps)
		if r := c.get("/admin"); r.status != http.StatusOK {
			t.Errorf("%s: the session did not survive a restart: %d", tc.base, r.status)
		}
		// Signing out ends the session, even for a copy of the cookie.
		copied := env.client("192.0.2.60")
		copied.cookies[tc.name] = &http.Cookie{Name: tc.name, Value: c.sessionCookie().Value}
		if r := c.post("/logout", nil); r.status != http.StatusSeeOther {
			t.Fatalf("%s: logout: %d", tc.base, r.status)
		}
		if c.sessionCookie() != nil {
			t.Errorf("%s: logout left the cookie", tc.base)
		}
		if r := copied.get("/admin"); r.status != http.StatusSeeOther {
			t.Errorf("%s: a copy of the cookie works after logout: %d", tc.base, r.status)
		}
		var n int
		if err := env.pool.QueryRow(context.Background(), `SELECT count(*) FROM sessions`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d sessions left after logout (err %v)", tc.base, n, err)
		}
	}
}

// Disabling an account or changing its role ends its sessions on the next
// request; changing one's own password keeps the session under a new token.
func TestAccountChangesEndSessions(t *testing.T) {
	t.Parallel()
	env := newConsole(t, "http://localhost:8080")
	admin := env.client("192.0.2.70")
	admin.login(adminEmail)
	scorer := env.client("192.0.2.71")
	scorer.login(scorerEmail)

	users := admin.get("/admin/users")
	id := env.userID(scorerEmail)
	// A role change with a stale version is refused, showing the current state.
	if r := admin.post("/admin/users/"+id+"/role", url.Values{"role": {"admin"}, "version": {"99"}}); r.status != http.StatusConflict {
		t.Fatalf("stale role change: %d", r.status)
	}
	form := formValues(t, users.body, "role-form-"+scorerEmail)
	form.Set("role", "admin")
	if r := admin.post("/admin/users/"+id+"/role", form); r.status != http.StatusSeeOther {
		t.Fatalf("role change: %d\n%s", r.status, r.body)
	}
	if r := scorer.get("/admin"); r.status != http.StatusSeeOther {
		t.Errorf("the scorer's session survived a role change: %d", r.status)
	}
	// An admin cannot disable themself.
	if r := admin.post("/admin/users/"+env.userID(adminEmail)+"/disable", nil); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "자신의 계정은 비활성화할 수 없습니다") {
		t.Errorf("self-disable: %d", r.status)
	}
	// Password change: wrong current password, policy, then success.
	r := admin.post("/admin/password", url.Values{"current": {"wrong"}, "password": {"Brand-New-Passphrase-2030"}, "password2": {"Brand-New-Passphrase-2030"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `data-testid="error-current"`) {
		t.Errorf("wrong current password: %d", r.status)
	}
	r = admin.post("/en/admin/password", url.Values{"current": {staffPW}, "password": {"short"}, "password2": {"short"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "at least 12 characters") {
		t.Errorf("short password: %d", r.status)
	}
	r = admin.post("/admin/password", url.Values{"current": {staffPW}, "password": {"password1234"}, "password2": {"password1234"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "너무 흔한 비밀번호입니다") {
		t.Errorf("common password: %d", r.status)
	}
	before := admin.sessionCookie().Value
	other := env.client("192.0.2.72")
	other.login(adminEmail)
	r = admin.post("/admin/password", url.Values{"current": {staffPW}, "password": {"Brand-New-Passphrase-2030"}, "password2": {"Brand-New-Passphrase-2030"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("password change: %d\n%s", r.status, r.body)
	}
	if admin.sessionCookie().Value == before {
		t.Error("the token did not change with the password")
	}
	if r := admin.get("/admin"); r.status != http.StatusOK {
		t.Errorf("the session that changed the password ended: %d", r.status)
	}
	if r := other.get("/admin"); r.status != http.StatusSeeOther {
		t.Errorf("another session survived the password change: %d", r.status)
	}
}
