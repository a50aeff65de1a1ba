package web_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"golang.org/x/crypto/argon2"

	"github.com/kai-challenge/portal/internal/auth"
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
		// Session fixation: an attacker plants the token of a session that
		// really exists in the store (scs ignores unknown tokens, so only a
		// live one tests anything). Sign-in must not keep it.
		const planted = "planted-by-an-attacker-0123456789abcdef"
		data, err := scs.GobCodec{}.Encode(time.Now().Add(time.Hour), map[string]any{"attacker": "was here"})
		if err != nil {
			t.Fatal(err)
		}
		if err := env.sessions.Commit(planted, data, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, found, err := env.sessions.Find(planted); err != nil || !found {
			t.Fatalf("%s: the planted session is not in the store (found %v, err %v)", tc.base, found, err)
		}
		c.cookies[tc.name] = &http.Cookie{Name: tc.name, Value: planted}
		c.login(adminEmail)
		ck := c.sessionCookie()
		if ck == nil || ck.Name != tc.name {
			t.Fatalf("%s: session cookie %v, want %s", tc.base, ck, tc.name)
		}
		if _, found, err := env.sessions.Find(planted); err != nil || found {
			t.Errorf("%s: the planted session is still in the store after sign-in (found %v, err %v)", tc.base, found, err)
		}
		attacker := env.client("192.0.2.61")
		attacker.cookies[tc.name] = &http.Cookie{Name: tc.name, Value: planted}
		if r := attacker.get("/admin"); r.status != http.StatusSeeOther {
			t.Errorf("%s: the planted token is signed in: %d", tc.base, r.status)
		}
		if ck.Value == planted || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != tc.secure || ck.Path != "/" || ck.Domain != "" {
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
	env, admin := consoleTest(t, "192.0.2.70", adminEmail)
	scorer := env.signedIn("192.0.2.71", scorerEmail)

	users := admin.get("/admin/users")
	id := env.userID(scorerEmail)
	// A role change with a stale version is refused, showing the current state.
	if r := admin.post("/admin/users/"+id+"/role", url.Values{"role": {"admin"}, "version": {"99"}}); r.status != http.StatusConflict {
		t.Fatalf("stale role change: %d", r.status)
	}
	form := formValues(t, users.body, "role-form-"+scorerEmail)
	form.Set("role", "admin")
	wantStatus(t, "role change", admin.post("/admin/users/"+id+"/role", form), http.StatusSeeOther)
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
	other := env.signedIn("192.0.2.72", adminEmail)
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

// After sign-in the browser goes to the page it asked for, but only to a
// path on this site: whatever a next parameter holds that a browser could
// read as another site sends it to the console instead, whether the user
// signs in or is signed in already.
func TestLoginNextStaysOnSite(t *testing.T) {
	t.Parallel()
	env := newConsole(t, "http://localhost:8080")
	for _, tc := range []struct{ next, want string }{
		{"/admin/rounds/r1", "/admin/rounds/r1"},
		{"/admin/audit?action=round.publish", "/admin/audit?action=round.publish"},
		{"/\t/evil.example", "/admin"},
		{"/\n/evil.example", "/admin"},
		{"/\\evil.example", "/admin"},
		{"//evil.example", "/admin"},
		{"/%2F%2Fevil.example", "/admin"},
		{"https://evil.example/", "/admin"},
	} {
		c := env.client("192.0.2.65")
		r := c.post("/login", url.Values{"email": {adminEmail}, "password": {staffPW}, "next": {tc.next}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != tc.want {
			t.Errorf("sign in with next=%q: %d to %q, want %q", tc.next, r.status, r.header.Get("Location"), tc.want)
		}
		r = c.get("/login?next=" + url.QueryEscape(tc.next))
		if r.status != http.StatusSeeOther || r.header.Get("Location") != tc.want {
			t.Errorf("signed in, GET /login?next=%q: %d to %q, want %q", tc.next, r.status, r.header.Get("Location"), tc.want)
		}
		// The form of a signed-out visitor carries only a safe next.
		form := formValues(t, env.client("192.0.2.66").get("/login?next="+url.QueryEscape(tc.next)).body, "login-form")
		if got := form.Get("next"); got != tc.want {
			t.Errorf("sign-in form for next=%q carries %q, want %q", tc.next, got, tc.want)
		}
	}
}

// A password hashed with older argon2id parameters is rehashed with the
// current ones when its owner signs in, once; the sign-in goes on.
func TestLoginRehashesOldHash(t *testing.T) {
	t.Parallel()
	env := newConsole(t, "http://localhost:8080")
	salt := []byte("sixteen byte slt")
	key := argon2.IDKey([]byte(staffPW), salt, 1, 8*1024, 1, 32)
	b64 := base64.RawStdEncoding
	old := fmt.Sprintf("$argon2id$v=%d$m=8192,t=1,p=1$%s$%s", argon2.Version, b64.EncodeToString(salt), b64.EncodeToString(key))
	if !auth.NeedsRehash(old) {
		t.Fatal("the old hash does not need a rehash")
	}
	const email = "old-hash@msit.go.kr"
	if _, err := env.store.CreateUser(t.Context(), email, "옛 해시", auth.RoleScorer, old, contest.Actor{Name: "cli"}); err != nil {
		t.Fatal(err)
	}
	c := env.signedIn("192.0.2.67", email)
	if r := c.get("/admin"); r.status != http.StatusOK {
		t.Fatalf("the session of the sign-in that rehashed does not work: %d", r.status)
	}
	_, hash, err := env.store.UserByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	if hash == old || auth.NeedsRehash(hash) || !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("stored hash after sign-in: %q, want one with the current parameters", hash)
	}
	if ok, err := auth.CheckPassword(hash, staffPW); err != nil || !ok {
		t.Errorf("the new hash does not verify the password: %v, %v", ok, err)
	}
	env.client("192.0.2.68").login(email)
	if n := env.auditCount("user.password"); n != 1 {
		t.Errorf("%d user.password events, want 1 (one rehash)", n)
	}
	// Current hashes are left alone.
	env.client("192.0.2.69").login(adminEmail)
	if _, h, _ := env.store.UserByEmail(t.Context(), adminEmail); h != hashOf(t) {
		t.Error("a current hash was rehashed")
	}
}
