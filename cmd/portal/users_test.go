package main

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/pquerna/otp"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
)

// userCLI runs the portal like cli does, with stdin as given.
func userCLI(t *testing.T, url, stdin string, args ...string) (string, string, error) {
	t.Helper()
	return cliIn(t, url, stdin, append([]string{"user"}, args...)...)
}

func mustUserCLI(t *testing.T, url, stdin string, args ...string) string {
	t.Helper()
	out, errOut, err := userCLI(t, url, stdin, args...)
	if err != nil {
		t.Fatalf("portal user %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// storedHash reads an account and its hash straight from the store.
func storedHash(t *testing.T, url, email string) (postgres.User, string, error) {
	t.Helper()
	pool, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	return postgres.New(pool).UserByEmail(context.Background(), email)
}

func TestUserAddWithPasswordThenList(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	const pw = "우리 팀 채점은 공정하게 합니다"
	out := mustUserCLI(t, url, pw+"\r\n", "add", "--email", "Kim@msit.go.kr", "--role", "admin", "--name", "김민준")
	if !strings.Contains(out, "created admin Kim@msit.go.kr") || strings.Contains(out, pw) || strings.Contains(out, "generated") {
		t.Errorf("add said %q", out)
	}
	mustUserCLI(t, url, "correct horse battery staple\n", "add", "--email=lee@nipa.kr", "--role=scorer")
	list := mustUserCLI(t, url, "", "list")
	for _, want := range []string{"EMAIL", "Kim@msit.go.kr", "김민준", "admin", "lee@nipa.kr", "scorer", "enabled"} {
		if !strings.Contains(list, want) {
			t.Errorf("list lacks %q:\n%s", want, list)
		}
	}
	if strings.Contains(list, "argon2") {
		t.Errorf("list shows a hash:\n%s", list)
	}
	u, hash, err := storedHash(t, url, "kim@msit.go.kr")
	if err != nil {
		t.Fatal(err)
	}
	// The line ending is not part of the password; everything else is.
	if ok, _ := auth.CheckPassword(hash, pw); !ok || u.Name != "김민준" {
		t.Errorf("stored %+v; the password read from stdin does not verify", u)
	}
	// Newest first: the scorer's creation, the admin's second factor, the
	// admin's creation.
	events := auditOf(t, url)
	if len(events) != 3 || events[0].Actor != "cli" || events[0].Action != "user.create" ||
		events[1].Action != "user.mfa_enrol" || events[2].Action != "user.create" || events[2].Actor != "cli" {
		t.Errorf("audit events %+v, want user.create, user.mfa_enrol and user.create by cli", events)
	}
}

// An admin added from the command line gets a TOTP key, printed once as an
// otpauth:// URI that yields codes the sign-in accepts, and recovery
// codes; with ADMIN_MFA off, and for scorers, nothing is printed.
func TestUserAddAdminTOTP(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	out := mustUserCLI(t, url, "correct horse battery staple\n", "add", "--email", "kim@msit.go.kr", "--role", "admin")
	m := regexp.MustCompile(`(?m)^    (otpauth://totp/\S+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no otpauth URI printed:\n%s", out)
	}
	key, err := otp.NewKeyFromURL(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if codes := regexp.MustCompile(`(?m)^    [a-z2-9]{5}-[a-z2-9]{5}$`).FindAllString(out, -1); len(codes) != auth.RecoveryCodes {
		t.Errorf("%d recovery codes printed, want %d:\n%s", len(codes), auth.RecoveryCodes, out)
	}
	pool, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st := postgres.New(pool)
	u, _, err := st.UserByEmail(context.Background(), "kim@msit.go.kr")
	if err != nil {
		t.Fatal(err)
	}
	secret, err := st.TOTPSecret(context.Background(), u.ID)
	if err != nil || secret != key.Secret() {
		t.Errorf("stored secret %q (%v), printed %q", secret, err, key.Secret())
	}
	for _, args := range [][]string{
		{"add", "--email", "lee@msit.go.kr", "--role", "admin", "--admin-mfa", "off"},
		{"add", "--email", "park@msit.go.kr", "--role", "scorer"},
	} {
		if out := mustUserCLI(t, url, "correct horse battery staple\n", args...); strings.Contains(out, "otpauth") {
			t.Errorf("%v printed a key:\n%s", args, out)
		}
	}
}

func auditOf(t *testing.T, url string) []postgres.AuditEvent {
	t.Helper()
	pool, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	events, err := postgres.New(pool).AuditEvents(context.Background(), postgres.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return events
}

var generatedLine = regexp.MustCompile(`(?m)^    ([a-zA-Z2-9]{20})$`)

func TestUserAddGeneratesPassword(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	for _, c := range []struct{ email, stdin string }{{"kim@msit.go.kr", ""}, {"lee@nipa.kr", "\n"}} {
		out := mustUserCLI(t, url, c.stdin, "add", "--email", c.email, "--role", "scorer")
		if !strings.Contains(out, "shown only once") {
			t.Errorf("no one-time note:\n%s", out)
		}
		m := generatedLine.FindAllStringSubmatch(out, -1)
		if len(m) != 1 {
			t.Fatalf("want the generated password printed once:\n%s", out)
		}
		_, hash, err := storedHash(t, url, c.email)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := auth.CheckPassword(hash, m[0][1]); err != nil || !ok {
			t.Errorf("the printed password does not verify against the stored hash: %v, %v", ok, err)
		}
	}
}

func TestUserAddRefusesWeakPasswords(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	for _, c := range []struct{ stdin, want string }{
		{"password123456\n", "too common"},
		{"short pw\n", "at least 12 characters"},
		{"kim.minjun@msit.go.kr\n", "must not be the email address"},
		{"aaaaaaaaaaaaaaaa\n", "repeated character"},
	} {
		out, _, err := userCLI(t, url, c.stdin, "add", "--email", "kim.minjun@msit.go.kr", "--role", "admin")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("stdin %q: err = %v, want %q", c.stdin, err, c.want)
		}
		if exitCode(err) == 0 || out != "" {
			t.Errorf("stdin %q: exit %d, output %q", c.stdin, exitCode(err), out)
		}
	}
	if list := mustUserCLI(t, url, "", "list"); !strings.Contains(list, "no users yet") {
		t.Errorf("a refused add created a user:\n%s", list)
	}
}

func TestUserAddRefusesDuplicateEmail(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	mustUserCLI(t, url, "correct horse battery staple\n", "add", "--email", "kim@msit.go.kr", "--role", "admin")
	_, _, err := userCLI(t, url, "another fine passphrase\n", "add", "--email", "KIM@MSIT.GO.KR", "--role", "scorer")
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("duplicate email: err = %v", err)
	}
	if n := strings.Count(mustUserCLI(t, url, "", "list"), "@msit.go.kr"); n != 1 {
		t.Errorf("%d users listed, want 1", n)
	}
}

func TestUserDisableEnable(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	mustUserCLI(t, url, "correct horse battery staple\n", "add", "--email", "kim@msit.go.kr", "--role", "admin")
	mustUserCLI(t, url, "correct horse battery staple\n", "add", "--email", "lee@nipa.kr", "--role", "scorer")
	if out := mustUserCLI(t, url, "", "disable", "--email", "LEE@nipa.kr"); !strings.Contains(out, "disabled") {
		t.Errorf("disable said %q", out)
	}
	if u, _, _ := storedHash(t, url, "lee@nipa.kr"); !u.Disabled {
		t.Error("lee is not disabled")
	}
	if list := mustUserCLI(t, url, "", "list"); !regexp.MustCompile(`lee@nipa.kr\s+scorer\s+disabled`).MatchString(list) {
		t.Errorf("list does not show lee disabled:\n%s", list)
	}
	mustUserCLI(t, url, "", "enable", "--email", "lee@nipa.kr")
	if u, _, _ := storedHash(t, url, "lee@nipa.kr"); u.Disabled {
		t.Error("lee is still disabled")
	}
	if _, _, err := userCLI(t, url, "", "disable", "--email", "kim@msit.go.kr"); !errors.Is(err, contest.ErrInvalid) || !strings.Contains(err.Error(), "last enabled admin") {
		t.Errorf("disabling the last admin: %v", err)
	}
	if _, _, err := userCLI(t, url, "", "disable", "--email", "nobody@msit.go.kr"); err == nil || !strings.Contains(err.Error(), "no user has the email") {
		t.Errorf("disabling an unknown email: %v", err)
	}
}

func TestUserPasswordReset(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	mustUserCLI(t, url, "correct horse battery staple\n", "add", "--email", "kim@msit.go.kr", "--role", "admin")
	if _, _, err := userCLI(t, url, "qwertyuiop12\n", "password", "--email", "kim@msit.go.kr"); err == nil {
		t.Error("a weak new password was accepted")
	}
	mustUserCLI(t, url, "a brand new passphrase\n", "password", "--email", "KIM@msit.go.kr")
	_, hash, err := storedHash(t, url, "kim@msit.go.kr")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := auth.CheckPassword(hash, "a brand new passphrase"); !ok {
		t.Error("the new password does not verify")
	}
	if ok, _ := auth.CheckPassword(hash, "correct horse battery staple"); ok {
		t.Error("the old password still verifies")
	}
}

// Mistakes in the command line are usage errors (exit 2) and need no database.
func TestUserUsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{},
		{"remove", "--email", "kim@msit.go.kr"},
		{"add", "--role", "admin"},
		{"add", "--email", "kim@msit.go.kr", "--role", "root"},
		{"add", "--email", "kim@msit.go.kr"},
		{"disable"},
		{"list", "extra"},
	} {
		_, _, err := userCLI(t, "postgres://unused.invalid/none", "", args...)
		if exitCode(err) != 2 {
			t.Errorf("portal user %s: err = %v, want a usage error", strings.Join(args, " "), err)
		}
	}
}
