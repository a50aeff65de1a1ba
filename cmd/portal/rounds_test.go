package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
)

// addAdmin creates an admin account and returns its email.
func addAdmin(t *testing.T, url, email string) string {
	t.Helper()
	mustUserCLI(t, url, "a long enough password\n", "add", "--email", email, "--role", "admin")
	return email
}

var fingerprintRE = regexp.MustCompile(`fingerprint ([0-9a-f]{64})`)

// With two approvals the command line obeys four-eyes like the console:
// A's request waits, A cannot approve, B's approval publishes; the audit
// log names the accounts and says the actions came from the command line.
func TestRoundFourEyesCLI(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	mustCLI(t, url, "import", stage1Program(t, false, stage1Entries))
	a, b := addAdmin(t, url, "a@example.com"), addAdmin(t, url, "b@example.com")
	mustUserCLI(t, url, "a long enough password\n", "add", "--email", "s@example.com", "--role", "scorer")
	pool, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(context.Background(), `UPDATE programs SET approvals = 2`); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, url, "round", "close", "stage-1")
	if _, _, err := cli(t, url, "round", "request", "stage-1"); err == nil || !strings.Contains(err.Error(), "--as") {
		t.Errorf("request without --as: %v", err)
	}
	for _, who := range []string{"s@example.com", "nobody@example.com"} {
		if _, _, err := cli(t, url, "round", "request", "stage-1", "--as", who); err == nil {
			t.Errorf("request as %s accepted", who)
		}
	}
	if _, _, err := cli(t, url, "round", "publish", "stage-1", "--as", a); err == nil || !strings.Contains(err.Error(), "approval") {
		t.Errorf("direct publish with two approvals: %v", err)
	}
	out := mustCLI(t, url, "round", "request", "stage-1", "--as", a)
	if !strings.Contains(out, "publication requested") || !fingerprintRE.MatchString(out) {
		t.Fatalf("request said %q", out)
	}
	if js := mustCLI(t, url, "results", "stage-1", "--json"); !strings.Contains(js, `"status": "preview"`) {
		t.Error("the round is published after the request alone")
	}
	if _, _, err := cli(t, url, "round", "approve", "stage-1", "--as", a); err == nil || !strings.Contains(err.Error(), "different admin") {
		t.Errorf("self-approval: %v", err)
	}
	out = mustCLI(t, url, "round", "approve", "stage-1", "--as", b)
	if !strings.Contains(out, "published revision 1") {
		t.Errorf("approve said %q", out)
	}
	st := postgres.New(pool)
	for action, who := range map[string]string{"round.request_publish": a, "round.approve": b, "round.publish": b} {
		ev, err := st.AuditEvents(context.Background(), postgres.AuditFilter{Action: action})
		if err != nil || len(ev) != 1 || ev[0].Actor != who || ev[0].ClientAddr != "cli" {
			t.Errorf("%s events %+v, %v; want one by %s from the cli", action, ev, err, who)
		}
	}

	// A correction shows its diff first and changes nothing without the
	// fingerprint; with it, it waits for B.
	args := []string{"round", "correct", "stage-1", "--as", a, "--team", "lg", "--criterion", "nia", "--value", "1.00",
		"--reason-ko", "입력 오류", "--reason-en", "data entry error"}
	out = mustCLI(t, url, args...)
	m := fingerprintRE.FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "nothing was changed") || !strings.Contains(out, "lg") || !strings.Contains(out, "→") {
		t.Fatalf("correction preview said %q", out)
	}
	out = mustCLI(t, url, append(args, "--fingerprint", m[1])...)
	if !strings.Contains(out, "correction requested") {
		t.Fatalf("correction said %q", out)
	}
	out = mustCLI(t, url, "round", "approve", "stage-1", "--as", b, "--fingerprint", m[1])
	if !strings.Contains(out, "published revision 2") {
		t.Errorf("approving the correction said %q", out)
	}
}
