package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/kai-challenge/portal/internal/pgtest"
)

// publishedStage1 is a fresh database where the stage-1 test program was
// imported, closed and published through the CLI by an admin; it returns
// the database's URL.
func publishedStage1(t *testing.T) string {
	t.Helper()
	url := pgtest.URL(t)
	mustCLI(t, url, "import", stage1Program(t, false, stage1Entries))
	admin := addAdmin(t, url, "admin@example.com")
	mustCLI(t, url, "round", "close", "stage-1")
	mustCLI(t, url, "round", "publish", "stage-1", "--as", admin)
	return url
}

// `portal audit verify` passes on a clean log and, after a superuser edits
// an event behind the triggers' back, fails naming that event.
func TestAuditVerifyCommand(t *testing.T) {
	t.Parallel()
	url := publishedStage1(t)
	// import, user.create, user.mfa_enrol, round.close, round.request_publish, round.approve, round.publish
	out := mustCLI(t, url, "audit", "verify")
	if !strings.Contains(out, "audit log intact: 7 events") {
		t.Fatalf("verify on a clean log said %q", out)
	}
	ctx := context.Background()
	super := pgtest.Conn(t, url)
	var id int64
	if err := super.QueryRow(ctx, `SELECT min(id) FROM audit_events`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	// One simple-protocol batch: the triggers are off only inside it.
	if _, err := super.Exec(ctx, `ALTER TABLE audit_events DISABLE TRIGGER USER;
		UPDATE audit_events SET client_addr = '203.0.113.9' WHERE id = (SELECT min(id) FROM audit_events);
		ALTER TABLE audit_events ENABLE TRIGGER USER`); err != nil {
		t.Fatal(err)
	}
	_, _, err := cli(t, url, "audit", "verify")
	if err == nil || !strings.Contains(err.Error(), "BROKEN at event "+itoa(id)) || exitCode(err) == 0 {
		t.Errorf("verify after tampering: err = %v, want it to name event %d", err, id)
	}
}

// Removing the newest events is detected: the publication recorded the
// chain's head (and a checkpoint with it). Even with every checkpoint
// removed too, the head stored by the publication is missing.
func TestAuditVerifyDetectsTruncation(t *testing.T) {
	t.Parallel()
	url := publishedStage1(t)
	if out := mustCLI(t, url, "audit", "verify"); !strings.Contains(out, "2 recorded heads match") {
		t.Fatalf("verify on a clean log said %q, want a checkpoint and a publication head", out)
	}
	ctx := context.Background()
	super := pgtest.Conn(t, url)
	for _, q := range []string{
		`ALTER TABLE audit_events DISABLE TRIGGER USER;
		 DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events);
		 ALTER TABLE audit_events ENABLE TRIGGER USER`,
		`ALTER TABLE audit_checkpoints DISABLE TRIGGER USER;
		 DELETE FROM audit_checkpoints;
		 ALTER TABLE audit_checkpoints ENABLE TRIGGER USER`,
	} {
		if _, err := super.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
		_, _, err := cli(t, url, "audit", "verify")
		if err == nil || !strings.Contains(err.Error(), "BROKEN") || !strings.Contains(err.Error(), "no longer in the log") {
			t.Errorf("verify after %s: err = %v, want the truncation reported", strings.Fields(q)[5], err)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
