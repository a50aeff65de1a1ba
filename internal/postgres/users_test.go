package postgres_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/auth"
	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/postgres"
)

// testHash is one real hash shared by the tests: argon2id is slow on purpose.
var testHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword("correct horse battery staple")
	if err != nil {
		panic(err)
	}
	return h
})

var userAdmin = contest.Actor{Name: "root@msit.go.kr", Addr: "192.0.2.7"}

func mustCreateUser(t *testing.T, s *postgres.Store, email, role string) postgres.User {
	t.Helper()
	u, err := s.CreateUser(t.Context(), email, "Name of "+email, role, testHash(), userAdmin)
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

// userEvents returns the audit events of users and logins, oldest first.
func userEvents(t *testing.T, s *postgres.Store) []postgres.AuditEvent {
	t.Helper()
	events := must(s.AuditEvents(t.Context(), postgres.AuditFilter{Limit: 1000})).val(t)
	var out []postgres.AuditEvent
	for i := len(events) - 1; i >= 0; i-- {
		if strings.HasPrefix(events[i].Action, "user.") || strings.HasPrefix(events[i].Action, "auth.") {
			out = append(out, events[i])
		}
	}
	return out
}

func TestCreateAndReadUsers(t *testing.T) {
	s, ctx := freshStore(t)
	created := mustCreateUser(t, s, "Kim.Minjun@MSIT.go.kr", auth.RoleAdmin)
	if created.ID == 0 || created.Version != 1 || created.CreatedAt.IsZero() || created.Disabled {
		t.Errorf("created %+v", created)
	}
	u, hash, err := s.UserByEmail(ctx, "kim.minjun@msit.GO.KR")
	if err != nil {
		t.Fatal(err)
	}
	wantSame(t, "UserByEmail differs from what CreateUser returned", created, u)
	if u.Email != "Kim.Minjun@MSIT.go.kr" {
		t.Errorf("email stored as %q, want it as given", u.Email)
	}
	if ok, err := auth.CheckPassword(hash, "correct horse battery staple"); err != nil || !ok {
		t.Errorf("stored hash does not verify: %v, %v", ok, err)
	}
	byID, err := s.UserByID(ctx, u.ID)
	if err != nil || byID != u {
		t.Errorf("UserByID = %+v, %v", byID, err)
	}
	mustCreateUser(t, s, "a.scorer@nipa.kr", auth.RoleScorer)
	all := must(s.Users(ctx)).val(t)
	var emails []string
	for _, u := range all {
		emails = append(emails, u.Email+" "+u.Role)
	}
	wantSame(t, "Users", []string{"a.scorer@nipa.kr scorer", "Kim.Minjun@MSIT.go.kr admin"}, emails)
	if _, _, err := s.UserByEmail(ctx, "nobody@msit.go.kr"); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("unknown email: %v, want ErrNotFound", err)
	}
	if _, err := s.UserByID(ctx, 999999); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("unknown id: %v, want ErrNotFound", err)
	}
}

func TestCreateUserRefusals(t *testing.T) {
	s, ctx := freshStore(t)
	mustCreateUser(t, s, "kim@msit.go.kr", auth.RoleAdmin)
	for _, c := range []struct {
		name, email, role, hash string
		want                    error
	}{
		{"same email in other case", "KIM@msit.go.kr", auth.RoleScorer, testHash(), contest.ErrConflict},
		{"unknown role", "lee@msit.go.kr", "superuser", testHash(), contest.ErrInvalid},
		{"plain password", "lee@msit.go.kr", auth.RoleScorer, "correct horse battery staple", contest.ErrInvalid},
		{"not an email", "lee at msit", auth.RoleScorer, testHash(), contest.ErrInvalid},
	} {
		if _, err := s.CreateUser(ctx, c.email, "", c.role, c.hash, userAdmin); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	if all, _ := s.Users(ctx); len(all) != 1 {
		t.Errorf("%d users after refused creations, want 1", len(all))
	}
	if n := len(userEvents(t, s)); n != 1 {
		t.Errorf("%d audit events, want 1 (refusals append none)", n)
	}
}

func TestDisableEnableAndLastAdmin(t *testing.T) {
	s, ctx := freshStore(t)
	mustCreateUser(t, s, "kim@msit.go.kr", auth.RoleAdmin)
	lee := mustCreateUser(t, s, "lee@nipa.kr", auth.RoleScorer)
	countAdmins := func(want int) {
		t.Helper()
		if n, err := s.CountAdmins(ctx); err != nil || n != want {
			t.Errorf("CountAdmins = %d, %v; want %d", n, err, want)
		}
	}
	countAdmins(1)

	if err := s.DisableUser(ctx, "LEE@nipa.kr", userAdmin); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.UserByID(ctx, lee.ID); !u.Disabled || u.Version != 2 {
		t.Errorf("after disable: %+v", u)
	}
	if err := s.DisableUser(ctx, "lee@nipa.kr", userAdmin); err != nil {
		t.Errorf("disabling twice: %v", err)
	}
	if err := s.EnableUser(ctx, "lee@nipa.kr", userAdmin); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.UserByID(ctx, lee.ID); u.Disabled || u.Version != 3 {
		t.Errorf("after enable: %+v", u)
	}
	if err := s.DisableUser(ctx, "nobody@nipa.kr", userAdmin); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("disable unknown: %v, want ErrNotFound", err)
	}

	// The last enabled admin stays.
	if err := s.DisableUser(ctx, "kim@msit.go.kr", userAdmin); !errors.Is(err, contest.ErrLastAdmin) || !errors.Is(err, contest.ErrInvalid) {
		t.Errorf("disable last admin: %v, want contest.ErrLastAdmin", err)
	}
	mustCreateUser(t, s, "park@msit.go.kr", auth.RoleAdmin)
	countAdmins(2)
	if err := s.DisableUser(ctx, "kim@msit.go.kr", userAdmin); err != nil {
		t.Fatal(err)
	}
	countAdmins(1)
	if err := s.EnableUser(ctx, "kim@msit.go.kr", userAdmin); err != nil {
		t.Fatal(err)
	}
	countAdmins(2)

	var actions []string
	for _, e := range userEvents(t, s) {
		actions = append(actions, e.Action+" "+e.Entity)
	}
	want := []string{
		"user.create user:kim@msit.go.kr", "user.create user:lee@nipa.kr",
		"user.disable user:lee@nipa.kr", "user.enable user:lee@nipa.kr",
		"user.create user:park@msit.go.kr", "user.disable user:kim@msit.go.kr", "user.enable user:kim@msit.go.kr",
	}
	wantSame(t, "audit events", want, actions)
}

// Two admins disabling each other at the same moment cannot leave none.
func TestConcurrentDisableKeepsAnAdmin(t *testing.T) {
	s, ctx := freshStore(t)
	mustCreateUser(t, s, "kim@msit.go.kr", auth.RoleAdmin)
	mustCreateUser(t, s, "park@msit.go.kr", auth.RoleAdmin)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, email := range []string{"kim@msit.go.kr", "park@msit.go.kr"} {
		wg.Go(func() { errs[i] = s.DisableUser(ctx, email, userAdmin) })
	}
	wg.Wait()
	if n, _ := s.CountAdmins(ctx); n != 1 {
		t.Errorf("%d enabled admins after concurrent disables (errors %v), want 1", n, errs)
	}
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Errorf("errors %v: want exactly one contest.ErrLastAdmin", errs)
	}
}

func TestSetUserRole(t *testing.T) {
	s, ctx := freshStore(t)
	kim := mustCreateUser(t, s, "kim@msit.go.kr", auth.RoleAdmin)
	lee := mustCreateUser(t, s, "lee@nipa.kr", auth.RoleScorer)

	if err := s.SetUserRole(ctx, lee.ID, auth.RoleAdmin, lee.Version+1, userAdmin); !errors.Is(err, contest.ErrStale) {
		t.Errorf("wrong version: %v, want ErrStale", err)
	}
	if err := s.SetUserRole(ctx, lee.ID, auth.RoleAdmin, lee.Version, userAdmin); err != nil {
		t.Fatal(err)
	}
	u, _ := s.UserByID(ctx, lee.ID)
	if u.Role != auth.RoleAdmin || u.Version != lee.Version+1 {
		t.Errorf("after role change: %+v", u)
	}
	// The version the first change read is now stale.
	if err := s.SetUserRole(ctx, lee.ID, auth.RoleScorer, lee.Version, userAdmin); !errors.Is(err, contest.ErrStale) {
		t.Errorf("reused version: %v, want ErrStale", err)
	}
	if err := s.SetUserRole(ctx, lee.ID, "owner", u.Version, userAdmin); !errors.Is(err, contest.ErrInvalid) {
		t.Errorf("unknown role: %v, want ErrInvalid", err)
	}
	if err := s.SetUserRole(ctx, 999999, auth.RoleScorer, 1, userAdmin); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("unknown user: %v, want ErrNotFound", err)
	}
	// Demoting one of two admins works; demoting the last does not.
	if err := s.SetUserRole(ctx, kim.ID, auth.RoleScorer, kim.Version, userAdmin); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserRole(ctx, lee.ID, auth.RoleScorer, u.Version, userAdmin); !errors.Is(err, contest.ErrLastAdmin) {
		t.Errorf("demote last admin: %v, want contest.ErrLastAdmin", err)
	}
	var roles []string
	for _, e := range userEvents(t, s) {
		if e.Action == "user.role" {
			roles = append(roles, string(e.Before)+" → "+string(e.After))
		}
	}
	want := []string{
		`{"name": "Name of lee@nipa.kr", "role": "scorer", "email": "lee@nipa.kr", "disabled": false} → {"name": "Name of lee@nipa.kr", "role": "admin", "email": "lee@nipa.kr", "disabled": false}`,
		`{"name": "Name of kim@msit.go.kr", "role": "admin", "email": "kim@msit.go.kr", "disabled": false} → {"name": "Name of kim@msit.go.kr", "role": "scorer", "email": "kim@msit.go.kr", "disabled": false}`,
	}
	wantSame(t, "user.role events", want, roles)
}

func TestSetPassword(t *testing.T) {
	s, ctx := freshStore(t)
	lee := mustCreateUser(t, s, "lee@nipa.kr", auth.RoleScorer)
	newHash := must(auth.HashPassword("a new and better passphrase")).val(t)
	if err := s.SetPassword(ctx, lee.ID, "a new and better passphrase", userAdmin); !errors.Is(err, contest.ErrInvalid) {
		t.Errorf("plain password accepted: %v", err)
	}
	if err := s.SetPassword(ctx, lee.ID, newHash, userAdmin); err != nil {
		t.Fatal(err)
	}
	u, hash, err := s.UserByEmail(ctx, "lee@nipa.kr")
	if err != nil || hash != newHash || u.Version != 2 {
		t.Errorf("after SetPassword: %+v, hash changed %v, %v", u, hash == newHash, err)
	}
	if err := s.SetPassword(ctx, 999999, newHash, userAdmin); !errors.Is(err, contest.ErrNotFound) {
		t.Errorf("unknown user: %v, want ErrNotFound", err)
	}
}

// Every user change and login attempt is in the audit log, with its actor,
// and no event carries a password or its hash.
func TestUserAuditNeverHoldsSecrets(t *testing.T) {
	s, ctx := freshStore(t)
	first := must(s.CreateFirstAdmin(ctx, "kim@msit.go.kr", "김민준", testHash(), contest.Actor{Name: "setup", Addr: "192.0.2.9"})).val(t)
	lee := mustCreateUser(t, s, "lee@nipa.kr", auth.RoleScorer)
	newHash := must(auth.HashPassword("another long passphrase")).val(t)
	steps := []error{
		s.SetPassword(ctx, lee.ID, newHash, userAdmin),
		s.SetUserRole(ctx, lee.ID, auth.RoleAdmin, lee.Version+1, userAdmin),
		s.DisableUser(ctx, "lee@nipa.kr", userAdmin),
		s.EnableUser(ctx, "lee@nipa.kr", userAdmin),
		s.RecordLogin(ctx, "kim@msit.go.kr", true, contest.Actor{Name: "kim@msit.go.kr", Addr: "192.0.2.10"}),
		s.RecordLogin(ctx, "nobody@msit.go.kr", false, contest.Actor{Name: "anonymous", Addr: "198.51.100.4"}),
		s.RecordLogin(ctx, "odd\x00\xffinput", false, contest.Actor{Name: "anonymous", Addr: "198.51.100.4"}),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	var got []string
	for _, e := range userEvents(t, s) {
		got = append(got, e.Action+" "+e.Entity+" by "+e.Actor)
		all := string(e.Before) + string(e.After)
		for _, secret := range []string{"argon2", testHash(), newHash, "correct horse", "another long passphrase", "password"} {
			if strings.Contains(all, secret) {
				t.Errorf("%s event holds %q: %s", e.Action, secret, all)
			}
		}
	}
	want := []string{
		"user.create user:kim@msit.go.kr by setup",
		"user.create user:lee@nipa.kr by root@msit.go.kr",
		"user.password user:lee@nipa.kr by root@msit.go.kr",
		"user.role user:lee@nipa.kr by root@msit.go.kr",
		"user.disable user:lee@nipa.kr by root@msit.go.kr",
		"user.enable user:lee@nipa.kr by root@msit.go.kr",
		"auth.login user:kim@msit.go.kr by kim@msit.go.kr",
		"auth.login_failed user:nobody@msit.go.kr by anonymous",
		"auth.login_failed user:odd\ufffd\ufffdinput by anonymous",
	}
	wantSame(t, "audit events", want, got)
	if vr, err := s.VerifyAudit(ctx); err != nil || vr.BrokenAt != 0 {
		t.Errorf("audit chain: %+v, %v", vr, err)
	}
	if first.Role != auth.RoleAdmin {
		t.Errorf("first admin has role %q", first.Role)
	}
}

// The first-admin setup succeeds once, even when two people race for it.
func TestCreateFirstAdminOnlyOnce(t *testing.T) {
	s, ctx := freshStore(t)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, email := range []string{"kim@msit.go.kr", "intruder@example.com"} {
		wg.Go(func() { _, errs[i] = s.CreateFirstAdmin(ctx, email, "", testHash(), contest.Actor{Name: "setup"}) })
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("errors %v: want exactly one success", errs)
	}
	for _, err := range errs {
		if err != nil && !errors.Is(err, contest.ErrConflict) {
			t.Errorf("the loser got %v, want ErrConflict", err)
		}
	}
	if n, _ := s.CountAdmins(ctx); n != 1 {
		t.Errorf("%d admins, want 1", n)
	}
	// Once an admin exists, setup stays closed.
	if _, err := s.CreateFirstAdmin(ctx, "third@msit.go.kr", "", testHash(), contest.Actor{Name: "setup"}); !errors.Is(err, contest.ErrConflict) {
		t.Errorf("second setup: %v, want ErrConflict", err)
	}
}

// Failed sign-ins are counted from the audit log, so every process sharing
// the database sees the same counts; a success clears the account's count.
func TestLoginFailuresFromTheAuditLog(t *testing.T) {
	store, ctx := freshStore(t)
	fail := func(email, addr string) {
		t.Helper()
		if err := store.RecordLogin(ctx, email, false, contest.Actor{Name: "anonymous", Addr: addr}); err != nil {
			t.Fatal(err)
		}
	}
	fail("Kim@Example.com", "192.0.2.1")
	fail("kim@example.com", "192.0.2.2")
	fail("lee@example.com", "192.0.2.1")
	acct, addr, err := store.LoginFailures(ctx, "kim@example.com", "192.0.2.1", 15*time.Minute)
	if err != nil || acct != 2 || addr != 2 {
		t.Fatalf("failures = %d per account, %d per address (%v); want 2 and 2", acct, addr, err)
	}
	if err := store.RecordLogin(ctx, "kim@example.com", true, contest.Actor{Name: "kim@example.com", Addr: "192.0.2.3"}); err != nil {
		t.Fatal(err)
	}
	acct, addr, _ = store.LoginFailures(ctx, "KIM@example.com", "192.0.2.1", 15*time.Minute)
	if acct != 0 || addr != 2 {
		t.Errorf("after a success: %d per account, %d per address; want 0 and 2", acct, addr)
	}
	if acct, addr, _ = store.LoginFailures(ctx, "lee@example.com", "192.0.2.9", 0); acct != 0 || addr != 0 {
		t.Errorf("outside the window: %d, %d", acct, addr)
	}
}

// Sign-in throttling from the audit log: strangers' failures slow the
// strangers down, never the account's owner at an address they signed in
// from before; many failures from one address (say a proxy) slow down
// only the accounts that never signed in from it, and at most by
// auth.MaxSignInDelay.
func TestSignInHistoryProtectsKnownAddresses(t *testing.T) {
	store, ctx := runtimeStore(t)
	record := func(email, addr string, ok bool) {
		t.Helper()
		if err := store.RecordLogin(ctx, email, ok, contest.Actor{Name: "anonymous", Addr: addr}); err != nil {
			t.Fatal(err)
		}
	}
	wait := func(email, addr string) (auth.SignInHistory, time.Duration) {
		t.Helper()
		h := must(store.SignInHistory(ctx, email, addr)).val(t)
		return h, h.Wait()
	}
	const proxy = "198.51.100.7"
	record("kim@example.com", proxy, true) // kim signed in through the proxy before
	// A stranger fails on kim's account from many addresses.
	for i := range 8 {
		record("Kim@example.com", "203.0.113."+itoa(int64(i)), false)
	}
	if h, w := wait("kim@example.com", "203.0.113.99"); w <= 0 || w > auth.MaxSignInDelay || h.AccountFailures != 8 {
		t.Errorf("a stranger's next attempt on kim: %+v wait %v, want slowed down by at most %v", h, w, auth.MaxSignInDelay)
	}
	if h, w := wait("kim@example.com", proxy); w != 0 || !h.KnownAddress || h.AccountFailures != 0 {
		t.Errorf("kim from the known address: %+v wait %v, want no wait", h, w)
	}
	// 20 failures with random emails from the proxy.
	for i := range 20 {
		record("random"+itoa(int64(i))+"@example.com", proxy, false)
	}
	if h, w := wait("kim@example.com", proxy); w != 0 || h.AddressFailures != 20 {
		t.Errorf("kim behind the guessing proxy: %+v wait %v, want no wait", h, w)
	}
	if h, w := wait("lee@example.com", proxy); w <= 0 || w > auth.MaxSignInDelay || h.KnownAddress {
		t.Errorf("lee (never signed in) behind the proxy: %+v wait %v, want a delay of at most %v", h, w, auth.MaxSignInDelay)
	}
	if _, w := wait("lee@example.com", "192.0.2.200"); w != 0 {
		t.Errorf("lee from elsewhere: wait %v", w)
	}
}
