package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/contest"
	"github.com/kai-challenge/portal/internal/pgtest"
	"github.com/kai-challenge/portal/internal/postgres"
)

// auditFixture marks the test parallel and imports the real record once,
// then a changed copy twice (as the runtime role); it returns the
// database's URL, the store and the test's context.
func auditFixture(t *testing.T) (string, *postgres.Store, context.Context) {
	t.Helper()
	t.Parallel()
	url := pgtest.URL(t)
	store, _ := openStore(t, url)
	ctx := t.Context()
	if _, err := store.ImportProgramBy(ctx, readProgram(t, realProgram), contest.Actor{Name: "alice@example.com", Addr: "192.0.2.1"}); err != nil {
		t.Fatal(err)
	}
	// A second, changed import appends a second event; an unchanged one none.
	f := readProgram(t, realProgram)
	f.Teams[0].Model = "changed"
	if _, err := store.ImportProgramBy(ctx, f, contest.Actor{Name: "bob@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.ImportProgramBy(ctx, f, contest.Actor{Name: "bob@example.com"}); err != nil {
		t.Fatal(err)
	}
	return url, store, ctx
}

func TestAuditChainVerifiesAndDetectsTampering(t *testing.T) {
	url, store, ctx := auditFixture(t)
	events := must(store.AuditEvents(ctx, postgres.AuditFilter{})).val(t)
	if len(events) != 2 {
		t.Fatalf("%d audit events, want 2 (an unchanged import appends none)", len(events))
	}
	if events[1].Actor != "alice@example.com" || events[1].ClientAddr != "192.0.2.1" || events[1].Action != "program.import" {
		t.Errorf("first event = %+v", events[1])
	}
	if got, _ := store.AuditEvents(ctx, postgres.AuditFilter{Actor: "bob@example.com"}); len(got) != 1 {
		t.Errorf("filter by actor: %d events, want 1", len(got))
	}
	if got, _ := store.AuditEvents(ctx, postgres.AuditFilter{From: time.Now().Add(time.Hour)}); len(got) != 0 {
		t.Errorf("filter by date: %d events, want 0", len(got))
	}
	vr, err := store.VerifyAudit(ctx)
	if err != nil || vr.BrokenAt != 0 || vr.Events != 2 {
		t.Fatalf("clean log: %+v, %v", vr, err)
	}

	// A superuser bypasses the triggers and rewrites the first event.
	super := pgtest.Conn(t, url)
	for _, q := range []string{
		`ALTER TABLE audit_events DISABLE TRIGGER USER`,
		`UPDATE audit_events SET actor = 'mallory' WHERE id = (SELECT min(id) FROM audit_events)`,
		`ALTER TABLE audit_events ENABLE TRIGGER USER`,
	} {
		if _, err := super.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	vr, err = store.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if vr.BrokenAt != events[1].ID || !strings.Contains(vr.Problem, "changed") {
		t.Errorf("after tampering: %+v, want broken at event %d", vr, events[1].ID)
	}
}

func TestAuditDeletionIsDetected(t *testing.T) {
	url, store, ctx := auditFixture(t)
	super := pgtest.Conn(t, url)
	if _, err := super.Exec(ctx, `SET session_replication_role = replica`); err != nil {
		t.Fatal(err)
	}
	var first int64
	if err := super.QueryRow(ctx, `DELETE FROM audit_events WHERE id = (SELECT min(id) FROM audit_events) RETURNING id`).Scan(&first); err != nil {
		t.Fatal(err)
	}
	vr := must(store.VerifyAudit(ctx)).val(t)
	if vr.BrokenAt <= first || !strings.Contains(vr.Problem, "previous-hash") {
		t.Errorf("after deleting event %d: %+v", first, vr)
	}
}

// The runtime role cannot change or remove audit events, and even a
// superuser is stopped by the triggers.
func TestAuditLogIsAppendOnly(t *testing.T) {
	url, store, ctx := auditFixture(t)
	for _, q := range []string{
		`UPDATE audit_events SET actor = 'x'`,
		`DELETE FROM audit_events`,
		`TRUNCATE audit_events`,
	} {
		if _, err := store.Pool().Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("runtime role: %s: err = %v, want permission denied", q, err)
		}
	}
	var role string
	if err := store.Pool().QueryRow(ctx, `SELECT current_user`).Scan(&role); err != nil || role != "portal_app" {
		t.Errorf("runtime connections run as %q (%v), want portal_app", role, err)
	}
	super := pgtest.Conn(t, url)
	for _, q := range []string{`UPDATE audit_events SET actor = 'x'`, `DELETE FROM audit_events`, `TRUNCATE audit_events`} {
		if _, err := super.Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("superuser: %s: err = %v, want the append-only trigger", q, err)
		}
	}
}

// The runtime role logs in with its own rights only: it cannot insert an
// audit event by hand, create tables, take the owner's role back or own
// anything; appending through the store (audit_append) works.
func TestRuntimeRoleHasLeastPrivilege(t *testing.T) {
	store, ctx := runtimeStore(t)
	pool := store.Pool()
	if _, err := store.ImportProgramBy(ctx, readProgram(t, realProgram), contest.Actor{Name: "alice@example.com"}); err != nil {
		t.Fatalf("import as the runtime role: %v", err)
	}
	var who string
	var super bool
	if err := pool.QueryRow(ctx, `SELECT session_user, rolsuper FROM pg_roles WHERE rolname = session_user`).Scan(&who, &super); err != nil || who != postgres.RuntimeRole || super {
		t.Fatalf("session user %q super=%v (%v)", who, super, err)
	}
	for _, q := range []string{
		`INSERT INTO audit_events (actor, action, entity, prev_hash, hash) VALUES ('mallory', 'program.import', 'x', '\x00', '\x01')`,
		`INSERT INTO audit_checkpoints (head_id, head_hash, events) VALUES (1, '\x00', 1)`,
		`CREATE TABLE planted (a int)`,
		`ALTER TABLE teams ADD COLUMN planted int`,
		`DROP TABLE sessions`,
		`UPDATE schema_migrations SET dirty = true`,
		`DELETE FROM schema_migrations`,
		`RESET ROLE; SET ROLE postgres`,
		`SET SESSION AUTHORIZATION postgres`,
	} {
		if _, err := pool.Exec(ctx, q); err == nil {
			t.Errorf("the runtime role may: %s", q)
		}
	}
	var owned int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid) + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)
FROM pg_roles r WHERE rolname = $1`, postgres.RuntimeRole).Scan(&owned); err != nil || owned != 0 {
		t.Errorf("the runtime role owns %d objects (%v)", owned, err)
	}
	vr, err := store.VerifyAudit(ctx)
	if err != nil || vr.BrokenAt != 0 || vr.Events != 1 {
		t.Errorf("verify after an append through audit_append: %+v %v", vr, err)
	}
}

// Removing the newest events (possible only for a superuser who turns the
// append-only triggers off) leaves the chain itself consistent, but a
// recorded checkpoint points past its end: verify reports it.
func TestAuditTruncationIsDetected(t *testing.T) {
	url, store, ctx := auditFixture(t)
	head, err := store.AuditCheckpoint(ctx)
	if err != nil || head == 0 {
		t.Fatalf("checkpoint: %d %v", head, err)
	}
	if again, err := store.AuditCheckpoint(ctx); err != nil || again != head {
		t.Fatalf("second checkpoint: %d %v", again, err)
	}
	vr, err := store.VerifyAudit(ctx)
	if err != nil || vr.BrokenAt != 0 || vr.Checkpoints != 1 {
		t.Fatalf("clean log with one checkpoint: %+v %v", vr, err)
	}
	// One simple-protocol batch: the triggers are off only inside it.
	if _, err := pgtest.Conn(t, url).Exec(ctx, `ALTER TABLE audit_events DISABLE TRIGGER USER;
		DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events);
		ALTER TABLE audit_events ENABLE TRIGGER USER`); err != nil {
		t.Fatal(err)
	}
	vr, err = store.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if vr.BrokenAt != head || !strings.Contains(vr.Problem, "checkpoint") {
		t.Errorf("after deleting the newest event %d: %+v", head, vr)
	}
}

// runtimeStore marks the test parallel and returns a store on a fresh
// migrated database, connected as the runtime role itself (pgtest.AppURL),
// as the portal connects, and the test's context.
func runtimeStore(t *testing.T) (*postgres.Store, context.Context) {
	t.Helper()
	t.Parallel()
	app, _ := pgtest.AppURL(t)
	store, _ := openStore(t, app)
	return store, t.Context()
}
